import QEMUCapsModel

/// The one error type of lookups: what was asked, what exists, what to do.
///
/// A lookup that fails because something underneath failed (probing the binary, a
/// system call) keeps that error in ``underlying``, so a program decides from its type
/// and code what to do (say, allow more time after a QEMU timeout) instead of reading
/// ``message``.
public struct LookupError: CodedError {
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
    /// The capability data has no answer: the machine type's probe failed.
    case unknownAnswer = "lookup.unknown"
  }

  /// What went wrong.
  public var code: Code
  /// A full sentence for people.
  public var message: String
  /// The error behind this one, if any: a `ProbeError` when probing failed, a
  /// `SystemError` when the binary cannot be examined. ``message`` already says it.
  public var underlying: (any Error)?

  /// Create an error.
  public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// The message.
  public var description: String { message }
}
