/// The one error type of lookups: what was asked, what exists, what to do.
public struct LookupError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// A capability file or directory cannot be read or parsed.
    case unreadable = "lookup.unreadable"
    /// The requested QEMU version is not one (one to three decimal numbers).
    case badVersion = "lookup.bad-version"
    /// No capability file matches the requested QEMU version.
    case noMatchingVersion = "lookup.no-matching-version"
    /// Several QEMU builds are loaded and the question does not say which.
    case ambiguousVersion = "lookup.ambiguous-version"
    /// Two different capability files describe the chosen QEMU version.
    case duplicateVersion = "lookup.duplicate-version"
    /// The machine type is not offered by the build.
    case unknownMachine = "lookup.unknown-machine"
    /// The option name is not one qemu-caps knows.
    case unknownOption = "lookup.unknown-option"
    /// Probing the binary for the cache failed.
    case probeFailed = "lookup.probe-failed"
  }

  /// What went wrong.
  public var code: Code
  /// A full sentence for people.
  public var message: String

  /// Create an error.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
