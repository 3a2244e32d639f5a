import Foundation
import Logging
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// Every QEMU session, the `-machine none` one included, ends by `--timeout`;
/// `quit` is best effort; a QEMU that fails to start is reported the same way
/// every time.
@Suite("QEMU session limits with fake QEMU executables", .liveQEMU)
struct SessionLimitTests {
  /// Run `qemu-caps probe` on `binary`; return the result, and check that no
  /// process of the fake's directory is left.
  static func probe(
    _ binary: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Command.Result {
    let result = try Command.qemuCaps(["probe", "--qemu", binary] + arguments)
    let directory = URL(fileURLWithPath: binary).deletingLastPathComponent().path
    #expect(
      ProcessTable.processes(withCommandLineContaining: directory).isEmpty, "processes left",
      sourceLocation: sourceLocation)
    return result
  }

  @Test(
    "--timeout 1 ends a hung -machine none QEMU after 1 s, naming binary, machine type, phase and limit",
    arguments: [
      (FakeQEMU.Fault.noGreeting, "while waiting for the QMP greeting"),
      (.silent, "while negotiating QMP (qmp_capabilities)"),
    ])
  func hungNone(fault: FakeQEMU.Fault, phase: String) throws {
    let fake = try FakeQEMU.faulty(fault, machine: "none")
    defer { FakeQEMU.remove(fake) }
    let result = try Self.probe(fake, ["--timeout", "1"]).expect(status: 2)
    #expect(result.standardError.contains("cannot read what \(fake) supports: its -machine none QEMU failed"))
    #expect(result.standardError.contains("time limit of 1 s (from start to exit) ran out \(phase)"))
    // A bound on a hang only: the fake never greets.
    #expect(result.seconds < 30, "took \(result.seconds) s")
  }

  @Test("a -machine none QEMU that answers after 11 s succeeds with --timeout 30 (no fixed per-command limit)")
  func slowNone() throws {
    let fake = try FakeQEMU.faulty(.slow, machine: "none", delay: 11)
    defer { FakeQEMU.remove(fake) }
    let result = try Self.probe(fake, ["--timeout", "30", "--format", "json"])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.seconds > 11)
  }

  @Test("a slow -machine none QEMU beyond --timeout fails with the phase and the limit")
  func slowNoneOverLimit() throws {
    // It answers after a minute: only the limit ends the session.
    let fake = try FakeQEMU.faulty(.slow, machine: "none", delay: 60)
    defer { FakeQEMU.remove(fake) }
    let result = try Self.probe(fake, ["--timeout", "1.5"])
    #expect(result.status == 2)
    #expect(
      result.standardError.contains(
        "time limit of 1.5 s (from start to exit) ran out while negotiating QMP"),
      "\(result.standardError)")
    #expect(result.seconds < 30, "took \(result.seconds) s")
  }

  @Test("a QEMU that never replies to quit keeps its answers: every machine type is probed")
  func noQuitReply() throws {
    let fake = try FakeQEMU.faulty(.noQuitReply)
    defer { FakeQEMU.remove(fake) }
    let start = ContinuousClock.now
    let document = try ProbeTestSupport.probe(
      fake, timeouts: .init(session: .seconds(60), shutdown: .milliseconds(300)))
    let elapsed = ContinuousClock.now - start
    #expect(document.machines.count == 5)
    #expect(document.machines.allSatisfy { $0.error == nil }, "\(document.machines.compactMap(\.error))")
    #expect(document.machine(named: "pc")?.option(.acpiRootHotplug).defaultValue == true)
    // Five QEMUs, two at a time, each killed 0.3 s after quit; left to the 60 s
    // limit, they would take minutes.
    #expect(elapsed < .seconds(30), "took \(elapsed)")
    #expect(ProcessTable.processes(withCommandLineContaining: URL(fileURLWithPath: fake).path).isEmpty)
  }

  @Test(
    "a QEMU that refuses to start gives the same message whether the monitor closed or the process exited first",
    arguments: [FakeQEMU.Fault.refuseStartMonitorFirst, .refuseStartExitFirst])
  func deterministicFailure(fault: FakeQEMU.Fault) throws {
    let fake = try FakeQEMU.faulty(fault, machine: "pc-q35-7.2")
    defer { FakeQEMU.remove(fake) }
    var outputs: Set<String> = []
    for _ in 0..<3 {
      let result = try Self.probe(fake, ["--format", "json", "--jobs", "2"]).expect(status: 0)
      #expect(
        result.standardError.contains(
          "machine type pc-q35-7.2 failed: QEMU exited before QMP started (exit status 1): qemu-system-x86_64: unable to map backing store for guest RAM: Cannot allocate memory"
        ), "\(result.standardError)")
      outputs.insert(result.standardOutput)
    }
    #expect(outputs.count == 1, "the output differs between runs")
  }

  @Test("QEMU 11.1's machine type nitro, which greets and then exits, is reported the same way on every probe")
  func nitroOnQEMU11() throws {
    let wrapper = try Requirement.qemuBuilds.require(QEMUBuilds.wrapper("sid"))
    var outputs: Set<String> = []
    for _ in 0..<4 {
      let result = try Command.qemuCaps(
        ["probe", "--qemu", wrapper, "--machines", "nitro", "--format", "json"]).expect(status: 0)
      #expect(
        result.standardError.contains(
          "machine type nitro failed: QEMU exited before QMP started (exit status 1): qemu-system-x86_64: "),
        "\(result.standardError)")
      outputs.insert(result.standardOutput)
    }
    #expect(outputs.count == 1, "the output differs between runs")
  }
}
