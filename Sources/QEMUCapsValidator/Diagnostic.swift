/// One finding about a domain: an error makes it invalid; warnings and notes do not.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  /// How serious a finding is.
  public enum Severity: String, Sendable, Hashable, Comparable {
    case error, warning, note

    /// Errors order after warnings, warnings after notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    private var rank: Int {
      switch self {
      case .error: 0
      case .warning: 1
      case .note: 2
      }
    }
  }

  /// How serious it is.
  public var severity: Severity
  /// What it is about, e.g. ``Code/optionUnsupported`` (see docs/validation.md).
  public var code: Code
  /// A sentence for people: what, on which machine type and QEMU, and what would work.
  public var message: String
  /// The 1-based line in the domain XML, when the finding has one.
  public var line: Int?

  /// Create a diagnostic.
  public init(_ severity: Severity, _ code: Code, _ message: String, line: Int?) {
    self.severity = severity
    self.code = code
    self.message = message
    self.line = line
  }

  /// `line: severity: message [code]`.
  public var description: String {
    "\(line.map { "\($0): " } ?? "")\(severity.rawValue): \(message) [\(code)]"
  }
}
