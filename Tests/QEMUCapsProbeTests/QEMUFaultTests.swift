import Foundation
import Logging
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// Broken QEMUs (Tests/FakeQEMU): each fault ends in a clear error or a failed
/// machine type, in bounded time, with no process left behind.
@Suite("Faults of the QEMU being probed, from fake QEMU executables", .liveQEMU)
struct QEMUFaultTests {
  /// The session time limit: it ends the faults that hang for ever, and it must never
  /// end a healthy session, which takes milliseconds even under a sanitizer on a busy
  /// machine. The 50 MB and 16 MiB lines are no hang: the fake writes them and qemu-caps
  /// reads them in full, which under a sanitizer on a busy machine took over 8 s.
  static func timeout(for fault: FakeQEMU.Fault) -> Duration {
    fault == .hugeLine || fault == .amplified ? .seconds(120) : .seconds(8)
  }

  /// The most a probe may take: a bound on a hang only, far above the time limit
  /// plus the shutdown timeout, which a hanging fault takes.
  static func bound(for fault: FakeQEMU.Fault) -> Double {
    fault == .hugeLine || fault == .amplified ? 300 : 60
  }

  /// Probe a fake, timing it; check that none of its processes remain.
  static func probe(
    _ fault: FakeQEMU.Fault, machine: String? = nil, package: String = "fake",
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (result: Result<CapabilityDocument, ProbeError>, seconds: Double, binary: String) {
    let binary = try FakeQEMU.faulty(fault, machine: machine, package: package)
    defer { FakeQEMU.remove(binary) }
    var configuration = Prober.Configuration(binary: binary)
    configuration.jobs = 2
    configuration.timeouts = .init(session: Self.timeout(for: fault), shutdown: .milliseconds(500))
    let start = ContinuousClock.now
    let result: Result<CapabilityDocument, ProbeError>
    do {
      result = .success(try Prober(logger: Logger(label: "test")).probe(configuration))
    } catch {
      result = .failure(error)
    }
    let elapsed = ContinuousClock.now - start
    let directory = URL(fileURLWithPath: binary).deletingLastPathComponent().path
    #expect(
      ProcessTable.processes(withCommandLineContaining: directory).isEmpty, "processes left",
      sourceLocation: sourceLocation)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (result, seconds, binary)
  }

  @Test(
    "a fault of the -machine none QEMU fails the probe with an error naming the binary and machine type",
    arguments: [
      (FakeQEMU.Fault.exitBeforeGreeting, "simulated start failure for none"),
      (.noGreeting, "time limit of 8 s (from start to exit) ran out while waiting for the QMP greeting"),
      (.silent, "time limit of 8 s (from start to exit) ran out while negotiating QMP"),
      (.garbage, "invalid message"),
      (.truncated, "the text ends inside a value"),
      (.hugeLine, "exceeds the limit"),
      (.eventFlood, "ran out while negotiating QMP"),
      (.errorAll, "simulated failure of qmp_capabilities"),
      (
        .amplified,
        "more than the session's memory budget allows: a message of 16777186 bytes has more than 50000 JSON objects"
      ),
    ])
  func binaryFactsFault(fault: FakeQEMU.Fault, message: String) throws {
    let (result, seconds, binary) = try Self.probe(fault, machine: "none")
    let error = try #require(result.failure, "\(fault) did not fail the probe")
    #expect(error.code == .binaryFacts)
    #expect(error.message.contains(binary), "\(error.message)")
    #expect(error.message.contains("-machine none"), "\(error.message)")
    #expect(error.message.contains(message), "\(error.message)")
    #expect(seconds < Self.bound(for: fault), "took \(seconds) s")
  }

  @Test(
    "a fault of one machine type marks it failed; the others are probed",
    arguments: [
      (FakeQEMU.Fault.exitBeforeGreeting, "exited before QMP started (exit status 1)"),
      (.noGreeting, "time limit of 8 s (from start to exit) ran out while waiting for the QMP greeting"),
      (.silent, "time limit of 8 s (from start to exit) ran out while negotiating QMP"),
      (.garbage, "invalid message"),
      (.hugeLine, "exceeds the limit"),
      (.eventFlood, "ran out while negotiating QMP"),
      (.crash, "killed by signal 11"),
      (.errorAll, "simulated failure"),
      (
        .amplified,
        "more than the session's memory budget allows: a message of 16777186 bytes has more than 50000 JSON objects"
      ),
      (.refuseStartMonitorFirst, "QEMU exited before QMP started (exit status 1): qemu-system-x86_64: unable to map"),
      (.refuseStartExitFirst, "QEMU exited before QMP started (exit status 1): qemu-system-x86_64: unable to map"),
    ])
  func machineFault(fault: FakeQEMU.Fault, message: String) throws {
    let (result, seconds, _) = try Self.probe(fault, machine: "pc-q35-7.2")
    let document = try result.get()
    let failed = try #require(document.machine(named: "pc-q35-7.2"))
    #expect(failed.error?.contains(message) == true, "\(failed.error ?? "no error")")
    let others = document.machines.filter { $0.name != "pc-q35-7.2" }
    #expect(others.count == 4)
    #expect(others.allSatisfy { $0.error == nil })
    #expect(document.machine(named: "pc")?.option(.acpiRootHotplug).defaultValue == true)
    #expect(seconds < Self.bound(for: fault), "took \(seconds) s")
  }

  @Test("a QEMU that ignores quit is killed after the shutdown timeout; the probe succeeds")
  func ignoresQuit() throws {
    let (result, seconds, _) = try Self.probe(.ignoreQuit)
    let document = try result.get()
    #expect(document.machines.allSatisfy { $0.error == nil })
    // Five QEMUs, two at a time, each killed 0.5 s after quit; had they been left to
    // the 8 s time limit, every machine type would have failed.
    #expect(seconds < Self.bound(for: .ignoreQuit), "took \(seconds) s")
  }

  @Test(
    "machine names with ',', a leading '-' or markup, or listed twice, end the probe (exit 2) naming the binary; nothing is written",
    arguments: [
      (FakeQEMU.Fault.hostileNames, ["'pc,accel=kvm'", "could inject -machine options"]),
      (.duplicateNames, ["machine type pc-q35-7.2 is listed twice"]),
    ])
  func refusedNames(fault: FakeQEMU.Fault, messages: [String]) throws {
    let (result, _, binary) = try Self.probe(fault)
    let error = try #require(result.failure, "the probe of \(fault) succeeded")
    #expect(error.code == .unexpectedReply)
    #expect(error.message.contains(binary), "\(error.message)")
    for message in messages { #expect(error.message.contains(message), "\(error.message)") }
  }

  @Test("a PM device type with escapes, ',' and spaces fails that machine type; the file stays readable")
  func hostilePMDevice() throws {
    let (result, _, _) = try Self.probe(.escapePMDevice, machine: "pc-i440fx-7.2")
    let document = try result.get()
    let failed = try #require(document.machine(named: "pc-i440fx-7.2"))
    #expect(failed.error?.contains("is not a QOM type name") == true, "\(failed.error ?? "")")
    let read = try CapabilityXMLReader.read(Array(CapabilityXMLWriter.xml(document).utf8), file: "pm.xml")
    #expect(read == document)
  }

  @Test("strings from QEMU keep every character in XML and JSON: markup, control characters, backslashes")
  func hostilePackage() throws {
    let package = "evil <&'\"> \u{1}\u{7}\u{1B}[2J \\x1b \\ package"
    let (result, _, _) = try Self.probe(.none, package: package)
    let document = try result.get()
    #expect(document.qemu.package == package)
    let xml = CapabilityXMLWriter.xml(document)
    #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    let read = try CapabilityXMLReader.read(Array(xml.utf8), file: "hostile.xml")
    #expect(read.qemu.package == package)
    let json = CapabilityJSONWriter.json(document).serialized()
    #expect(try JSON.parse(json)["qemu"]?["package"] == .string(package))
  }
}
