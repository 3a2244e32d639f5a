import QEMUCapsModel

/// An XML document that cannot be read: not well-formed, refused, or not what was expected.
public struct XMLError: CodedError, Hashable {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// The file cannot be read.
    case unreadable = "xml.unreadable"
    /// The text is not well-formed XML (libxml2's message says why).
    case malformed = "xml.malformed"
    /// The document uses a DTD or entities, which are refused so no file or
    /// network content can be pulled in and no entity can expand.
    case forbiddenConstruct = "xml.forbidden-construct"
    /// The document is larger than the reader accepts.
    case tooLarge = "xml.too-large"
    /// The document is well-formed but not of the expected kind or shape.
    case invalid = "xml.invalid"
  }

  /// What went wrong.
  public var code: Code
  /// The file name (or a label for in-memory input).
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// The explanation.
  public var message: String

  /// Create an error.
  public init(_ code: Code, file: String, line: Int?, message: String) {
    self.code = code
    self.file = file
    self.line = line
    self.message = message
  }

  /// `file:line: message`, as compilers print.
  public var description: String {
    "\(file):\(line.map { "\($0):" } ?? "") \(message)"
  }
}
