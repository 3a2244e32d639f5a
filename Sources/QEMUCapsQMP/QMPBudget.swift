#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory a QMP session may use for what QEMU sends, checked on the text
/// before it is parsed.
///
/// A line limit alone does not bound memory: json-c spends about 800 bytes on
/// each object (a 16-slot hash table) and 150 on each array, so a 16 MiB line of
/// `[{},{},…]` (5.6 million objects) would take over 4 GB once parsed. A message
/// is therefore counted before parsing, and refused with ``QMPError/Code/overBudget``
/// when it, or the session so far, is over a limit. The defaults are ten times
/// the largest reply of a real QEMU (QEMU 11's `query-qmp-schema`: 223 KB,
/// 18,828 values, 5,206 objects); with them one message costs at most about
/// 100 MB while it is parsed.
public struct QMPBudget: Sendable, Hashable {
  /// The longest line accepted, in bytes (checked while reading).
  public var maximumLineLength: Int
  /// The most JSON values in one message (see ``QMPMessageSize/nodes``).
  public var maximumNodesPerMessage: Int
  /// The most JSON objects in one message.
  public var maximumObjectsPerMessage: Int
  /// The most bytes of the messages a session keeps (replies and kept events).
  public var maximumSessionBytes: Int
  /// The most JSON values of the messages a session keeps.
  public var maximumSessionNodes: Int

  /// Create a budget; the defaults suit every QEMU measured.
  public init(
    maximumLineLength: Int = QMPLineFramer.defaultMaximumLineLength,
    maximumNodesPerMessage: Int = 200_000,
    maximumObjectsPerMessage: Int = 50_000,
    maximumSessionBytes: Int = 32 << 20,
    maximumSessionNodes: Int = 500_000
  ) {
    self.maximumLineLength = maximumLineLength
    self.maximumNodesPerMessage = maximumNodesPerMessage
    self.maximumObjectsPerMessage = maximumObjectsPerMessage
    self.maximumSessionBytes = maximumSessionBytes
    self.maximumSessionNodes = maximumSessionNodes
  }
}

/// What one line of JSON text will cost once parsed, counted without parsing it.
public struct QMPMessageSize: Sendable, Hashable {
  /// Bytes of text.
  public var bytes: Int
  /// JSON values, as an upper bound: one, plus one per `,`, `[` and `{` outside strings.
  public var nodes: Int
  /// JSON objects: `{` outside strings.
  public var objects: Int

  /// Count `line` in one pass, stopping early once `nodes` exceeds `nodeLimit`
  /// or `objects` exceeds `objectLimit` (the counts are then just over the limit).
  public init(_ line: UnsafeBufferPointer<UInt8>, nodeLimit: Int = .max, objectLimit: Int = .max) {
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
