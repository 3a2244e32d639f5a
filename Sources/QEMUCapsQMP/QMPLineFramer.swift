#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a byte stream into lines ending in LF or CRLF.
///
/// Transports feed it whatever `read` returned and take complete lines out.
package struct QMPLineFramer: Sendable {
  /// The default longest line accepted: `query-qmp-schema` is about 200 KB, so
  /// 16 MiB leaves room while bounding memory against a runaway peer.
  package static let defaultMaximumLineLength = 16 << 20

  /// The longest line accepted, in bytes.
  package let maximumLineLength: Int
  private var buffer: [UInt8] = []
  private var scanned = 0

  /// Create a framer that rejects lines longer than `maximumLineLength`.
  package init(maximumLineLength: Int = defaultMaximumLineLength) {
    self.maximumLineLength = maximumLineLength
  }

  /// Bytes received but not yet returned as a line.
  package var pendingByteCount: Int { buffer.count }

  /// Append received bytes.
  package mutating func append(_ bytes: UnsafeRawBufferPointer) {
    // A typed buffer lets Array copy in one block rather than byte by byte.
    buffer.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
  }

  /// Remove and return the next complete line without its terminator.
  ///
  /// - Throws: ``QMPError/Code/lineTooLong`` when a line exceeds the limit.
  package mutating func nextLine() throws(QMPError) -> [UInt8]? {
    if let newline = Self.firstNewline(in: buffer, from: scanned) {
      var end = newline
      if end > 0 && buffer[end - 1] == 0x0D { end -= 1 }
      let line = Array(buffer[..<end])
      buffer.removeSubrange(...newline)
      scanned = 0
      if line.count > maximumLineLength { throw Self.tooLong(line.count, maximumLineLength) }
      return line
    }
    scanned = buffer.count
    if buffer.count > maximumLineLength { throw Self.tooLong(buffer.count, maximumLineLength) }
    return nil
  }

  /// Remove and return what is left when the stream ends without a final newline.
  package mutating func remainder() -> [UInt8]? {
    defer {
      buffer.removeAll()
      scanned = 0
    }
    var rest = buffer[...]
    while rest.last == 0x0D { rest = rest.dropLast() }
    return rest.isEmpty ? nil : Array(rest)
  }

  /// The index of the first LF at or after `start`, found with `memchr`.
  private static func firstNewline(in buffer: [UInt8], from start: Int) -> Int? {
    buffer.withUnsafeBufferPointer { bytes -> Int? in
      guard start < bytes.count, let base = bytes.baseAddress else { return nil }
      guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
      return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
  }

  private static func tooLong(_ length: Int, _ limit: Int) -> QMPError {
    QMPError(.lineTooLong, detail: "a line of more than \(length) bytes exceeds the limit of \(limit) bytes")
  }
}
