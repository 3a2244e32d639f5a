/// A raw file descriptor, owned by whoever holds it.
package struct FileDescriptor: Sendable, Hashable, CustomStringConvertible {
  /// The descriptor number.
  package var rawValue: Int32

  package init(rawValue: Int32) { self.rawValue = rawValue }

  package var description: String { "fd \(rawValue)" }
}
