import Foundation
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// Hostile documents for both XML readers (capability files and libvirt domains):
/// each gives a clear error naming the file without reading other files. The suite's
/// time limit only bounds a hang: a billion laughs expanded would not end.
@Suite("Hostile XML", .timeLimit(.minutes(2)))
struct HostileXMLTests {
  static let caps = Fixtures.capabilitiesData("qemu-7.2.22.xml")

  static let laughs: String = {
    var text = "<?xml version='1.0'?>\n<!DOCTYPE domain [\n<!ENTITY lol \"lol\">\n"
    var previous = "lol"
    for level in 1...9 {
      text += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
      previous = "lol\(level)"
    }
    return text + "]>\n<domain type='kvm'><name>&lol9;</name></domain>\n"
  }()

  /// (name, content, expected error code, text the message must contain).
  static let documents: [(String, [UInt8], XMLError.Code, String)] = [
    ("billion-laughs", Array(laughs.utf8), .forbiddenConstruct, "DOCTYPE"),
    (
      "external-entity",
      Array(
        "<?xml version='1.0'?>\n<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<domain>&x;</domain>\n".utf8),
      .forbiddenConstruct, "DOCTYPE"
    ),
    (
      "external-dtd",
      Array("<?xml version='1.0'?>\n<!DOCTYPE domain SYSTEM 'http://example.invalid/x.dtd'>\n<domain/>\n".utf8),
      .forbiddenConstruct, "DOCTYPE"
    ),
    ("undeclared-entity", Array("<domain type='kvm'>&passwd;</domain>".utf8), .forbiddenConstruct, "Entity"),
    (
      "deep-nesting",
      Array((String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)).utf8),
      .malformed, "depth"
    ),
    ("invalid-utf8", Array("<domain type='".utf8) + [0xC3, 0x28, 0xFF] + Array("'/>".utf8), .malformed, "UTF-8"),
    ("duplicate-attribute", Array("<domain type='kvm' type='qemu'/>".utf8), .malformed, "redefined"),
    ("empty", [], .malformed, "empty"),
    ("nul-bytes", [0, 0, 0, 0], .malformed, "not well-formed"),
  ]

  static func write(_ bytes: [UInt8], name: String, in directory: URL) throws -> String {
    let path = directory.appendingPathComponent("\(name).xml").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test("the domain and capability readers refuse hostile documents", arguments: documents.map(\.0))
  func readers(name: String) throws {
    let (_, bytes, code, text) = try #require(Self.documents.first { $0.0 == name })
    try TemporaryDirectory.with("hostile") { directory in
      let path = try Self.write(bytes, name: name, in: directory)
      let validator = try Validator(capabilitiesFile: Self.caps)
      let domainError = #expect(throws: XMLError.self) { try validator.validate(domainFile: path) }
      #expect(domainError?.description.hasPrefix(path) == true)
      #expect(domainError?.description.contains("root:x:0") == false)
      let capabilityError = #expect(throws: XMLError.self) { try Validator(capabilitiesFile: path) }
      for error in [domainError, capabilityError] {
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.message.contains(text) == true, "\(String(describing: error))")
      }
    }
  }

  @Test("a 100 KB machine type name is reported shortened, with work linear in its length (found by the fuzzer)")
  func longMachineName() throws {
    func domain(_ length: Int) -> [UInt8] {
      let name = String(repeating: "q", count: length)
      return Array("<domain type='kvm'><os><type arch='x86_64' machine='\(name)'>hvm</type></os></domain>".utf8)
    }
    let validator = try Validator(capabilitiesFile: Self.caps)
    let report = try validator.validate(domainXML: domain(100_000), file: "long.xml")
    let diagnostic = try #require(report.diagnostics.first { $0.code == .machineUnknown })
    #expect(diagnostic.message.count < 400)
    let small = domain(12_500)
    let large = domain(100_000)
    let growth = validator.growth(small: small, large: large)
    #expect(growth < Complexity.allowedGrowth(for: 8), "8 times the name took \(growth) times the work")
  }

  @Test("a 100 MB input is refused before it is read whole")
  func hugeInput() throws {
    try TemporaryDirectory.with("hostile") { directory in
      let path = directory.appendingPathComponent("huge.xml").path
      #expect(FileManager.default.createFile(atPath: path, contents: nil))
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle.write(contentsOf: Data("<domain type='kvm'><name>".utf8))
      let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
      for _ in 0..<100 { try handle.write(contentsOf: chunk) }
      try handle.write(contentsOf: Data("</name></domain>".utf8))
      try handle.close()
      let validator = try Validator(capabilitiesFile: Self.caps)
      let domainError = #expect(throws: XMLError.self) { try validator.validate(domainFile: path) }
      #expect(domainError?.code == .tooLarge)
      let capsError = #expect(throws: XMLError.self) { try Validator(capabilitiesFile: path) }
      #expect(capsError?.code == .tooLarge)
    }
  }

  @Test("an unknown schema version and a missing attribute are named with their line")
  func schemaProblems() throws {
    let original = try String(contentsOfFile: Self.caps, encoding: .utf8)
    try TemporaryDirectory.with("hostile") { directory in
      let future = try Self.write(
        Array(original.replacing(#/schemaVersion="[0-9]+"/#, with: "schemaVersion=\"7\"").utf8), name: "future",
        in: directory)
      let versionError = #expect(throws: XMLError.self) { try Validator(capabilitiesFile: future) }
      #expect(versionError?.description.contains("\(future):2:") == true, "\(String(describing: versionError))")
      #expect(versionError?.message.contains("schema version 7 is not supported") == true)

      let noName = try Self.write(
        Array(original.replacingOccurrences(of: "<machine name=\"isapc\" ", with: "<machine ").utf8), name: "noname",
        in: directory)
      let attributeError = #expect(throws: XMLError.self) { try Validator(capabilitiesFile: noName) }
      #expect(attributeError?.message.contains("lacks the attribute 'name'") == true)
      #expect(attributeError?.line != nil)
    }
  }
}
