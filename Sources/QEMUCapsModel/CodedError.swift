/// What every error type of qemu-caps has: a stable code for programs, and a
/// description for people that says what failed, on what, and what to do.
///
/// Each library module throws one such type (``ModelError``, `XMLError`,
/// `LookupError`, `QMPError`, `QEMUError`, `ProbeError`); its `Code` values are
/// the `error.code` strings of the command line's `--json` output.
public protocol CodedError: Error, Sendable, CustomStringConvertible {
  /// The module's codes, written `module.what-failed`.
  associatedtype Code: RawRepresentable<String>, Sendable, Hashable
  /// What went wrong, stable across releases.
  var code: Code { get }
}

extension CodedError {
  /// The stable code as text, such as `lookup.unreadable`.
  public var codeName: String { code.rawValue }
}
