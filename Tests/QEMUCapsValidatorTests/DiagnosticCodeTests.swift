import Foundation
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// The diagnostic codes are a contract: each has a row in the documentation's tables.
@Suite("Diagnostic codes")
struct DiagnosticCodeTests {
  @Test("every Diagnostic.Code has a row in docs/validation.md or docs/convert.md, and every row is a code")
  func everyCodeDocumented() throws {
    var documented: [String] = []
    for path in ["docs/validation.md", "docs/convert.md"] {
      let text = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("| `") {
        let cell = String(line.dropFirst(3).prefix { $0 != "`" })
        // A code table's first cell is the code; other tables start with markup.
        if cell.contains("."), cell.allSatisfy({ $0.isLowercase || $0 == "." || $0 == "-" }) {
          documented.append(cell)
        }
      }
    }
    #expect(documented.sorted() == Diagnostic.Code.allCases.map(\.rawValue).sorted())
    #expect(Set(documented).count == documented.count, "a code has two rows")
  }
}
