import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// The domain corpus: each `Corpus/CAPS/NAME.xml` is validated against the
/// capability file CAPS and compared with its golden `NAME.json`.
@Suite("Validator corpus with golden outputs")
struct ValidatorCorpusTests {
  static let corpus = Fixtures.directory("Corpus")

  /// The capability file each corpus folder runs against: a fixture next to the
  /// tests when there is one, else the real snapshot in capabilities-data/.
  static func capabilities(for folder: String) -> URL {
    let fixture = Fixtures.directory("Fixtures", "\(folder).xml")
    if FileManager.default.fileExists(atPath: fixture.path) { return fixture }
    return Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/\(folder).xml")
  }

  static var cases: [String] {
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
    return folders.sorted().flatMap { folder in
      let files =
        (try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent(folder).path)) ?? []
      return files.filter { $0.hasSuffix(".xml") }.sorted().map { "\(folder)/\($0.dropLast(4))" }
    }
  }

  /// What `qemu-caps validate --json` reports for a case, or the read error.
  static func outcome(of name: String) throws -> String {
    let folder = String(name.split(separator: "/")[0])
    let validator = try Validator(capabilitiesFile: capabilities(for: folder).path)
    let url = corpus.appendingPathComponent("\(name).xml")
    let bytes = Array(try Data(contentsOf: url))
    do {
      return try validator.validate(domainXML: bytes, file: url.lastPathComponent).json.serialized(.pretty) + "\n"
    } catch {
      return JSON.object(JSONObject([("error", .string(error.description))])).serialized(.pretty) + "\n"
    }
  }

  @Test("the corpus has at least 40 domains and both capability files exist")
  func corpusSize() {
    #expect(Self.cases.count >= 40)
    #expect(FileManager.default.fileExists(atPath: Self.capabilities(for: "qemu-7.2.22").path))
    #expect(FileManager.default.fileExists(atPath: Self.capabilities(for: "qemu-5.2.0").path))
  }

  @Test("each domain gives its golden verdict", arguments: cases)
  func golden(name: String) throws {
    Golden.check(try Self.outcome(of: name), against: Self.corpus.appendingPathComponent("\(name).json"))
  }

  @Test("every hotplug setting in the corpus is applied or reported, never silently dropped")
  func noSilentDrop() throws {
    var checked = 0
    for name in Self.cases {
      let folder = String(name.split(separator: "/")[0])
      let url = Self.corpus.appendingPathComponent("\(name).xml")
      let bytes = Array(try Data(contentsOf: url))
      guard let root = try? XMLTree.parse(bytes, file: url.lastPathComponent) else { continue }
      let validator = try Validator(capabilitiesFile: Self.capabilities(for: folder).path)
      guard let report = try? validator.validate(domainXML: bytes, file: url.lastPathComponent) else { continue }
      for attribute in HotplugAttribute.all(in: root) {
        checked += 1
        if let problem = attribute.problem(in: report) { Issue.record("\(name): \(problem)") }
      }
    }
    #expect(checked >= 40, "the corpus has \(checked) hotplug settings")
  }

  @Test("every diagnostic code of docs/validation.md is exercised by the corpus")
  func everyRuleCovered() throws {
    let documentation = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/validation.md"), encoding: .utf8)
    let codes = Set(
      documentation.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        .filter { $0.contains(".") && $0.allSatisfy { $0.isLowercase || $0 == "." || $0 == "-" } })
    #expect(codes.count >= 15, "codes found in docs: \(codes.sorted())")
    let goldens = try Self.cases.map {
      try String(contentsOf: Self.corpus.appendingPathComponent("\($0).json"), encoding: .utf8)
    }.joined()
    for code in codes.sorted() {
      #expect(goldens.contains("\"\(code)\""), "no corpus case produces \(code)")
    }
  }
}
