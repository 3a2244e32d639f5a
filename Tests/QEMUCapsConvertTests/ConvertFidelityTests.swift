import Foundation
import QEMUCapsConvert
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// What a conversion keeps of the input's bytes when it changes the domain: its line
/// ends, byte order mark and XML declaration, whatever the edit.
@Suite("Conversion keeps line ends, byte order mark and declaration")
struct ConvertFidelityTests {
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// The converted bytes of `input`; the test fails when the domain is not converted.
  static func convert(_ input: [UInt8], file: String) throws -> [UInt8] {
    let converter = DomainConverter(validator: try Validator(capabilitiesFile: ConvertCorpusTests.caps))
    let conversion = try converter.convert(domainXML: input, file: file)
    return try #require(conversion.output, "\(file): \(ConvertCorpusTests.diagnostics(conversion.report))")
  }

  static func corpusFile(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: ConvertCorpusTests.corpus.appendingPathComponent(name)))
  }

  /// `bytes` with every LF replaced by `lineEnd`.
  static func withLineEnds(_ bytes: [UInt8], _ lineEnd: [UInt8]) -> [UInt8] {
    bytes.flatMap { $0 == UInt8(ascii: "\n") ? lineEnd : [$0] }
  }

  @Test(
    "a corpus domain with CRLF or CR line ends converts to its golden output with the same line ends",
    arguments: ConvertCorpusTests.convertible, ["\r\n", "\r"])
  func lineEnds(name: String, lineEnd: String) throws {
    let input = Self.withLineEnds(try Self.corpusFile("\(name).xml"), Array(lineEnd.utf8))
    let golden = Self.withLineEnds(try Self.corpusFile("\(name).out.xml"), Array(lineEnd.utf8))
    let output = try Self.convert(input, file: "\(name).xml")
    #expect(output == golden, "\(String(decoding: output, as: UTF8.self).debugDescription)")
  }

  @Test(
    "a byte order mark before a corpus domain stays before its golden output", arguments: ConvertCorpusTests.convertible
  )
  func byteOrderMarkKept(name: String) throws {
    let output = try Self.convert(Self.byteOrderMark + (try Self.corpusFile("\(name).xml")), file: "\(name).xml")
    #expect(output == Self.byteOrderMark + (try Self.corpusFile("\(name).out.xml")))
  }

  @Test(
    "the XML declaration is kept verbatim, another encoding's name included: the bytes stay UTF-8 as they were read",
    arguments: [
      "<?xml version='1.0' encoding='ISO-8859-1'?>", "<?xml version=\"1.0\" encoding=\"latin1\" standalone='yes' ?>",
      "<?xml version='1.0'\n      encoding='UTF-8'?>",
    ])
  func declarationKept(declaration: String) throws {
    let body = try Self.corpusFile("pc-both-off-pm.xml")
    let golden = try Self.corpusFile("pc-both-off-pm.out.xml")
    #expect(!body.starts(with: Array("<?xml".utf8)))
    let output = try Self.convert(Array((declaration + "\n").utf8) + body, file: "declared.xml")
    #expect(output == Array((declaration + "\n").utf8) + golden)
  }

  @Test("a carriage return written as &#13; stays a character reference, next to a line end or not")
  func carriageReturnReference() throws {
    let input = try Self.corpusFile("pc-both-off-pm.xml")
    let text = String(decoding: input, as: UTF8.self)
    let edited = text.replacingOccurrences(
      of: "<name>", with: "<description>a&#13;\nb&#13;c\u{0338}&lt;\u{0338}</description>\n  <name>")
    let output = String(decoding: try Self.convert(Array(edited.utf8), file: "cr.xml"), as: UTF8.self)
    #expect(output.contains("<description>a&#13;\nb&#13;c\u{0338}&lt;\u{0338}</description>"), "\(output)")
  }
}
