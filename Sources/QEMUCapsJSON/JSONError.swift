/// An error from parsing JSON text.
package struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A stable identifier of what went wrong.
  package enum Code: String, Sendable {
    /// The text is not valid JSON.
    case malformed
    /// The text nests arrays and objects deeper than the parser allows.
    case tooDeep
    /// The text ends in the middle of a value.
    case truncated
    /// A value follows the first complete value.
    case trailingData
    /// The text holds no value at all.
    case empty
  }

  /// What went wrong.
  package var code: Code
  /// json-c's explanation.
  package var detail: String
  /// The byte offset in the input where parsing stopped.
  package var offset: Int

  /// Create an error with its stable code, json-c's explanation and the offset.
  package init(code: Code, detail: String, offset: Int) {
    self.code = code
    self.detail = detail
    self.offset = offset
  }

  /// One sentence: the offset and json-c's explanation.
  package var description: String {
    "invalid JSON at byte \(offset): \(detail)"
  }
}
