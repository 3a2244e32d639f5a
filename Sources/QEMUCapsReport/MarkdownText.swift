import QEMUCapsXML

/// Free text (a package string, a file name, a machine type) made inert in
/// GitHub-flavoured Markdown, so that a capability file cannot put a link, a remote
/// image, emphasis or a heading into a report.
///
/// Backslash escapes alone are not enough: GFM's autolink extension turns bare
/// `https://…`, `www.…` and `name@host.example` into links. The first two are
/// recognised while the inline parser reads the raw line, so escaping the `:` of
/// `://` and the `.` of `www.` stops them; e-mail addresses are found afterwards in
/// the decoded text, where escapes are gone, so an empty HTML comment (raw inline
/// HTML, which the report already relies on for `<br>`) splits the text node
/// before each `@`.
enum MarkdownText {
  /// Characters that start inline syntax anywhere on a line: emphasis (`*`, `_`),
  /// strikethrough (`~`), code spans, links and images (`[`, `]`, `!`, `(`, `)`),
  /// backslash escapes themselves, GitHub's math (`$`) and table cells (`|`).
  private static let backslashed: Set<Character> = ["\\", "`", "*", "_", "~", "[", "]", "(", ")", "!", "$", "|"]

  /// Characters that start a block (heading, list item, setext underline) when they
  /// come first on a line. A table cell cannot start a block, but the escape costs
  /// nothing and keeps the text inert wherever it is placed.
  private static let blockStarts: Set<Character> = ["#", "+", "-", "="]

  /// `text` on one line (``DisplayText/singleLine(_:)``: control characters written
  /// out), with every character that Markdown, GFM's extensions or inline HTML would
  /// read as syntax escaped, so that a renderer shows it exactly as written.
  static func inert(_ text: String) -> String {
    let characters = Array(DisplayText.singleLine(text))
    var result = ""
    result.reserveCapacity(characters.count + 8)
    // Only spaces so far (a cell's leading spaces are trimmed), then only digits:
    // where a block marker or an ordered-list number would be read.
    var atStart = true
    var leadingDigits = false
    for (index, character) in characters.enumerated() {
      switch character {
      case "&", "<", ">": result += String(character).markupEscaped { $0 == ">" }
      case "@": result += "<!-- -->@"
      case "_" where isWordCharacter(characters, index - 1) && isWordCharacter(characters, index + 1):
        // Between two letters or digits `_` can neither open nor close emphasis
        // (CommonMark's flanking rules), so `PIIX4_PM` stays as it reads.
        result.append(character)
      case _ where backslashed.contains(character):
        result += "\\" + String(character)
      case _ where atStart && blockStarts.contains(character):
        result += "\\" + String(character)
      case ":" where characters[(index + 1)...].starts(with: ["/", "/"]):
        result += "\\:"
      case "." where leadingDigits || precededByWWW(characters, index):
        result += "\\."
      default:
        result.append(character)
      }
      let wasStart = atStart
      atStart = atStart && character == " "
      leadingDigits = (wasStart || leadingDigits) && character.isASCII && character.isNumber
    }
    return result
  }

  /// Whether `characters[index]` exists and is an ASCII letter or digit.
  private static func isWordCharacter(_ characters: [Character], _ index: Int) -> Bool {
    characters.indices.contains(index) && characters[index].isASCII
      && (characters[index].isLetter || characters[index].isNumber)
  }

  /// Whether the three characters before `index` spell `www` (in any case).
  private static func precededByWWW(_ characters: [Character], _ index: Int) -> Bool {
    index >= 3 && characters[(index - 3)..<index].allSatisfy { $0 == "w" || $0 == "W" }
  }
}
