import Foundation
import Logging
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// A QEMU whose `query-machines` breaks the capability model's invariants: the probe
/// either refuses it before starting a machine type, or records it in a form its own
/// reader accepts (docs/capabilities-format.md, "Invariants").
@Suite("query-machines tables that break the model's invariants", .liveQEMU)
struct MachineTableTests {
  /// Collects warnings, so a test can see what the probe changed.
  final class Collector: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      lock.withLock { collected.append("\(event.message)") }
    }
    var messages: [String] { lock.withLock { collected } }
  }

  /// A `query-machines` reply: pc-i440fx-7.2, pc-q35-7.2 and isapc, changed by `rows`.
  static func table(_ rows: String) -> String {
    "[\(rows), {\"name\": \"isapc\"}, {\"name\": \"none\"}]"
  }

  static func probe(_ rows: String) throws -> (Result<CapabilityDocument, ProbeError>, [String], starts: Int) {
    return try TemporaryDirectory.with("table") { scratch in
      let log = scratch.appendingPathComponent("starts").path
      let binary = try FakeQEMU.faulty(.none, machines: table(rows), startLog: log)
      defer { FakeQEMU.remove(binary) }
      let collector = Collector()
      var configuration = Prober.Configuration(binary: binary)
      configuration.jobs = 2
      let result = Result { () throws(ProbeError) in
        try Prober(logger: Logger(label: "test") { _ in collector }).probe(configuration)
      }
      return (result, collector.messages, FakeQEMU.starts(log))
    }
  }

  @Test(
    "a name that could mean two machine types is refused before any machine type is started",
    arguments: [
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc"}, {"name": "pc-q35-7.2", "alias": "pc"}"#,
        "the alias pc is given to machine types pc-i440fx-7.2 and pc-q35-7.2"
      ),
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc"}, {"name": "pc-q35-7.2", "alias": "pc-i440fx-7.2"}"#,
        "the alias pc-i440fx-7.2 of machine type pc-q35-7.2 is the name of another machine type"
      ),
      (#"{"name": "pc-i440fx-7.2"}, {"name": "pc-i440fx-7.2", "alias": "q35"}"#, "is listed twice"),
    ])
  func refused(rows: String, message: String) throws {
    let (result, _, starts) = try Self.probe(rows)
    let error = try #require(result.failure, "the probe wrote a table its reader refuses")
    #expect(error.code == .unexpectedReply)
    #expect(error.message.contains(message), "\(error.message)")
    #expect(error.message.contains("nothing is written"), "\(error.message)")
    #expect(starts == 1, "only the -machine none QEMU may start")
  }

  @Test(
    "what can be recorded without guessing is recorded, with a warning, and reads back unchanged",
    arguments: [
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc-i440fx-7.2", "is-default": true}, {"name": "pc-q35-7.2", "alias": "q35"}"#,
        "pc-i440fx-7.2", "its own name as alias"
      ),
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc", "is-default": true}, {"name": "pc-q35-7.2", "alias": "q35", "is-default": true}"#,
        nil, "so none is recorded as the default"
      ),
    ])
  func recorded(rows: String, defaultMachine: String?, warning: String) throws {
    let (result, warnings, _) = try Self.probe(rows)
    let document = try result.get()
    #expect(document.machines.count == 4)
    #expect(document.machines.allSatisfy { $0.error == nil })
    #expect(document.defaultMachine?.name == defaultMachine)
    #expect(document.machine(named: "pc-i440fx-7.2")?.alias != "pc-i440fx-7.2")
    #expect(warnings.contains { $0.contains(warning) }, "\(warnings)")
    let read = try CapabilityXMLReader.read(Array(CapabilityXMLWriter.xml(document).utf8), file: "table.xml")
    #expect(read == document)
  }
}
