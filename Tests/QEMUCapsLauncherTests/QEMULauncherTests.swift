import Foundation
import Logging
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsTestSupport
import Testing

/// Live tests: they start the real qemu-system-x86_64, one at a time, and check
/// after each that no QEMU process is left.
@Suite("QEMU launcher against the real QEMU", .liveQEMU)
struct QEMULauncherTests {
  let logger = Logger(label: "test")

  private func launcher() throws -> QEMULauncher {
    let binary = try Requirement.systemQEMU.require(SystemQEMU.path)
    return QEMULauncher(binary: binary, logger: logger)
  }

  private func expectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
      ProcessTable.leftoverQEMU().isEmpty, "QEMU processes left: \(ProcessTable.leftoverQEMU())",
      sourceLocation: sourceLocation)
    #expect(QEMUProcessRegistry.shared.running.isEmpty, sourceLocation: sourceLocation)
  }

  @Test("negotiates, and query-version matches qemu-system-x86_64 --version")
  func version() throws {
    let launcher = try launcher()
    let (greeting, version) = try launcher.withQEMU(machine: "none") { client in
      (try #require(client.greeting), try client.execute("query-version"))
    }
    let line = try SystemQEMU.versionLine(of: launcher.binary)
    let parsed = try #require(QEMUVersion(qmpVersion: version))
    #expect(parsed == greeting.version)
    #expect(line.contains("version \(parsed)"), "\(line) vs \(parsed)")
    if let package = version["package"]?.stringValue, !package.isEmpty {
      #expect(line.contains("(\(package))"))
    }
    expectNothingLeft()
  }

  @Test("query-machines lists the machine types of -machine help, with pc and q35 as aliases")
  func machines() throws {
    let launcher = try launcher()
    let machines = try launcher.withQEMU(machine: "none") { client in
      try #require(try client.execute("query-machines").arrayValue)
    }
    let help = try SystemQEMU.machineHelp(of: launcher.binary)
    #expect(!help.names.isEmpty)
    #expect(machines.compactMap { $0["name"]?.stringValue }.sorted() == help.names.sorted())
    let aliases = Dictionary(
      machines.compactMap { machine in machine["alias"]?.stringValue.map { ($0, machine["name"]?.stringValue ?? "") } },
      uniquingKeysWith: { first, _ in first })
    #expect(aliases["pc"]?.hasPrefix("pc-i440fx-") == true)
    #expect(aliases["q35"]?.hasPrefix("pc-q35-") == true)
    expectNothingLeft()
  }

  @Test(
    "/machine/acpi-device is PIIX4_PM on pc and ICH9-LPC on q35", arguments: [("pc", "PIIX4_PM"), ("q35", "ICH9-LPC")])
  func acpiDevice(machine: String, type: String) throws {
    let found = try launcher().withQEMU(machine: machine) { client in
      try client.execute(.qomGet(path: "/machine/acpi-device", property: "type"))
    }
    #expect(found == .string(type))
    expectNothingLeft()
  }

  @Test("a bad machine type is an error quoting QEMU's stderr")
  func badMachine() throws {
    let launcher = try launcher()
    let error = #expect(throws: QEMUError.self) {
      try launcher.withQEMU(machine: "no-such-machine") { _ in }
    }
    #expect(error?.code == .exitedBeforeGreeting)
    #expect(error?.exitStatus == .exited(1))
    #expect(error?.detail.contains("unsupported machine type") == true)
    #expect(error?.description.contains("no-such-machine") == true)
    expectNothingLeft()
  }

  @Test(
    "machine names that could inject options are refused before QEMU starts",
    arguments: ["pc,accel=kvm", "-device", "pc q35", "", "pc\n"])
  func unsafeMachineName(name: String) throws {
    let error = #expect(throws: QEMUError.self) { try launcher().withQEMU(machine: name) { _ in } }
    #expect(error?.code == .unsafeMachineName)
    // The name may be the caller's (qemu-caps qmp --machine), not QEMU's: before, "… reported by BINARY".
    #expect(
      error?.description.hasSuffix(
        ": it is not a plain machine type name (letters, digits and ._+-, not starting with -) and could inject -machine options"
      ) == true, "\(String(describing: error))")
    #expect(error?.description.contains("reported by") == false)
    expectNothingLeft()
  }

  @Test("a QMP error inside the session names the machine and leaves QEMU stopped")
  func errorInsideSession() throws {
    let error = #expect(throws: QEMUError.self) {
      try launcher().withQEMU(machine: "isapc") { client in
        try client.execute(.qomGet(path: "/machine/acpi-device", property: "type"))
      }
    }
    #expect(error?.qmpError?.errorClass == "DeviceNotFound")
    #expect(error?.description.contains("-machine isapc") == true)
    expectNothingLeft()
  }

  @Test("an error thrown by the caller still stops and reaps QEMU")
  func callerError() throws {
    struct Stop: Error {}
    #expect(throws: Stop.self) { try launcher().withQEMU(machine: "pc") { _ in throw Stop() } }
    expectNothingLeft()
  }

  @Test("with sandbox, QEMU runs under seccomp (-sandbox on,spawn=deny,...) and still answers")
  func sandbox() throws {
    let type = try launcher().withQEMU(machine: "pc", sandbox: true) { client in
      let children = ProcessTable.children().filter { $0.command.hasPrefix("qemu-system") }
      #expect(children.count == 1)
      for child in children {
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        #expect(status.contains("Seccomp:\t2"), "QEMU is not in seccomp filter mode")
        let commandLine = try String(contentsOfFile: "/proc/\(child.pid)/cmdline", encoding: .utf8)
        #expect(commandLine.contains("spawn=deny"))
      }
      return try client.execute(.qomGet(path: "/machine/acpi-device", property: "type"))
    }
    #expect(type == "PIIX4_PM")
    expectNothingLeft()
  }

  @Test("QEMU gets a minimal environment, not the caller's")
  func environment() throws {
    setenv("QEMU_CAPS_TEST_SECRET", "do-not-leak", 1)
    defer { unsetenv("QEMU_CAPS_TEST_SECRET") }
    try launcher().withQEMU(machine: "none") { _ in
      let qemus = ProcessTable.children().filter { $0.command.hasPrefix("qemu-system") }
      #expect(!qemus.isEmpty, "the started QEMU is not among this process's children")
      for child in qemus {
        let environment = try String(contentsOfFile: "/proc/\(child.pid)/environ", encoding: .utf8)
        #expect(!environment.contains("do-not-leak"))
        #expect(environment.contains("LC_ALL=C"))
      }
    }
    expectNothingLeft()
  }

  @Test("a QEMU that ignores quit is killed after the shutdown timeout")
  func ignoresQuit() throws {
    let fake = try FakeQEMU.responder(quitAction: "exec sleep 600")
    defer { FakeQEMU.remove(fake) }
    let launcher = QEMULauncher(
      binary: fake, timeouts: .init(session: .seconds(120), shutdown: .milliseconds(300)),
      logger: logger)
    let start = ContinuousClock.now
    try launcher.withQEMU(machine: "pc") { client in _ = try client.execute("query-status") }
    let elapsed = ContinuousClock.now - start
    // Killed 0.3 s after quit; left to the session limit, it would take two minutes.
    #expect(elapsed < .seconds(60), "took \(elapsed)")
    expectNothingLeft()
  }

  @Test(
    "Debian 12's QEMU 7.2 as the system QEMU: the recorded 7.2 session matches a fresh live session (QEMU_CAPS_RECORD=1 rewrites it)"
  )
  func recordedSessionIsCurrent() throws {
    let launcher = try launcher()
    let line = try SystemQEMU.versionLine(of: launcher.binary)
    try #require(
      line.contains("version 7.2."),
      "this test needs Debian 12's qemu-system-x86 7.2 as the system QEMU (apt-get install qemu-system-x86 on Debian 12); found \(line)"
    )
    let recorder = QMPTranscriptRecorder()
    _ = try launcher.withQEMU(machine: "pc", recorder: recorder) { client in
      try client.execute(RecordedSession.commands)
    }
    let fixture = Fixtures.repositoryRoot.appendingPathComponent(RecordedSession.fixturePath)
    if Fixtures.shouldRecord {
      Golden.check(recorder.contents, against: fixture)
      return
    }
    let recorded = try QMPTranscript(
      contents: try String(contentsOf: fixture, encoding: .utf8), name: fixture.lastPathComponent)
    let live = try QMPTranscript(contents: recorder.contents, name: "live")
    // Events carry timestamps; compare everything else block by block.
    let strip: (QMPTranscript) -> [JSON] = { transcript in
      transcript.blocks.map { block in
        guard var object = block.message.objectValue else { return block.message }
        object["timestamp"] = nil
        return .object(object)
      }
    }
    #expect(strip(recorded) == strip(live))
    expectNothingLeft()
  }
}
