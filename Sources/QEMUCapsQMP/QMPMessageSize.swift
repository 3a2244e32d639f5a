#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one line of JSON text will cost once parsed, counted without parsing it.
package struct QMPMessageSize: Sendable, Hashable {
  /// Bytes of text.
  package var bytes: Int
  /// JSON values, as an upper bound: one, plus one per `,`, `[` and `{` outside strings.
  package var nodes: Int
  /// JSON objects: `{` outside strings.
  package var objects: Int

  /// Count `line` in one pass, stopping early once `nodes` exceeds `nodeLimit`
  /// or `objects` exceeds `objectLimit` (the counts are then just over the limit).
  package init(_ line: UnsafeBufferPointer<UInt8>, nodeLimit: Int = .max, objectLimit: Int = .max) {
    var nodes = 1
    var objects = 0
    var index = 0
    let count = line.count
    while index < count && nodes <= nodeLimit && objects <= objectLimit {
      switch line[index] {
      case UInt8(ascii: "\""):
        index = Self.endOfString(line, after: index)
      case UInt8(ascii: "{"):
        objects += 1
        nodes += 1
      case UInt8(ascii: "["), UInt8(ascii: ","):
        nodes += 1
      default:
        break
      }
      index += 1
    }
    self.bytes = count
    self.nodes = nodes
    self.objects = objects
  }

  /// The index of the quote that closes the string opened at `quote` (or the
  /// last index), found with `memchr` so that long strings cost little.
  private static func endOfString(_ line: UnsafeBufferPointer<UInt8>, after quote: Int) -> Int {
    guard let base = line.baseAddress else { return line.count }
    var from = quote + 1
    while from < line.count {
      guard let found = memchr(base + from, Int32(UInt8(ascii: "\"")), line.count - from) else { break }
      let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      var backslashes = 0
      while position - backslashes - 1 > quote && line[position - backslashes - 1] == UInt8(ascii: "\\") {
        backslashes += 1
      }
      if backslashes % 2 == 0 { return position }
      from = position + 1
    }
    return line.count
  }
}
