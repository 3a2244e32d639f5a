extension Unicode.Scalar {
  /// How XML and HTML write this scalar as a character reference: `&amp;`, `&lt;`,
  /// `&gt;`, `&quot;` and `&apos;` by name, any other as `&#N;` (`&#10;`).
  package var characterReference: String {
    switch self {
    case "&": "&amp;"
    case "<": "&lt;"
    case ">": "&gt;"
    case "\"": "&quot;"
    case "'": "&apos;"
    default: "&#\(value);"
    }
  }
}

extension String {
  /// This text for XML or HTML: `&`, `<` and every scalar `escaping` picks written as
  /// its ``Unicode/Scalar/characterReference``. It goes by Unicode scalar, not by
  /// character: `<` followed by a combining mark is one character, and must still be
  /// escaped.
  package func markupEscaped(_ escaping: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
    var result = ""
    result.reserveCapacity(utf8.count)
    for scalar in unicodeScalars {
      if scalar == "&" || scalar == "<" || escaping(scalar) {
        result += scalar.characterReference
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
