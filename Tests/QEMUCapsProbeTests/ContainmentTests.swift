import Foundation
import Logging
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// Nothing outlives qemu-caps: process groups, PR_SET_PDEATHSIG, per-probe
/// cancellation; and memory stays bounded against hostile replies.
@Suite("Containment of QEMU processes and memory", .liveQEMU)
struct ContainmentTests {
  @Test("a process forked by QEMU is killed with its process group at the end of each session")
  func grandchild() throws {
    let fake = try FakeQEMU.faulty(.grandchild)
    defer { FakeQEMU.remove(fake) }
    let document = try ProbeTestSupport.probe(fake)
    #expect(document.machines.allSatisfy { $0.error == nil })
    #expect(FakeQEMU.running(fake).isEmpty, "left: \(FakeQEMU.running(fake))")
  }

  @Test("SIGKILL of qemu-caps during a real probe leaves no QEMU (PR_SET_PDEATHSIG)")
  func sigkill() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let process = try ChildProcess.start(
      Command.qemuCapsExecutable, ["probe", "--qemu", qemu, "--jobs", "2"], discardOutput: true)
    defer { process.kill() }
    let pid = process.pid
    var started: [ProcessTable.Entry] = []
    let deadline = ContinuousClock.now + .seconds(20)
    while started.count < 2 && ContinuousClock.now < deadline {
      started = ProcessTable.all().filter { $0.parent == pid && $0.command.hasPrefix("qemu-system") && !$0.isZombie }
      usleep(5_000)
    }
    #expect(!started.isEmpty, "no QEMU was seen running")
    #expect(process.stop(with: SIGKILL).status == 128 + SIGKILL)
    // PR_SET_PDEATHSIG kills them as qemu-caps dies; the poll only bounds a hang.
    func survivors() -> [ProcessTable.Entry] {
      ProcessTable.all().filter { entry in
        started.contains { $0.pid == entry.pid } && entry.command.hasPrefix("qemu-system") && !entry.isZombie
      }
    }
    #expect(Readiness.poll(timeout: .seconds(10)) { survivors().isEmpty }, "QEMU outlived qemu-caps: \(survivors())")
    _ = ProcessTable.leftoverQEMU()  // reap the adopted zombies
  }

  @Test(
    "16 MiB amplified replies are refused unparsed, far below the memory they would take parsed",
    arguments: [("none", Int32(2)), ("pc-*", Int32(0))])
  func amplifiedReplies(machines: String, status: Int32) throws {
    let fake = try FakeQEMU.faulty(.amplified, machine: machines)
    defer { FakeQEMU.remove(fake) }
    let (exit, peakKiB) = try Command.peakMemory(
      Command.qemuCapsExecutable, ["probe", "--qemu", fake, "--jobs", "2", "--timeout", "120"])
    #expect(exit == status)
    // Parsed, each reply took 2.3 GB; refused, the whole probe takes tens of MB
    // (scripts/bench has the figure). The bound only tells the two apart, with room for
    // a sanitizer's overhead; the figure includes the fake QEMUs' own peak.
    #expect(peakKiB < 1536 * 1024, "peak RSS \(peakKiB) KiB")
    #expect(Readiness.poll { FakeQEMU.running(fake).isEmpty })
  }

  @Test("a cancelled probe does not affect a later probe in the same process, nor the shared registry")
  func cancellationIsScoped() throws {
    try FakeQEMU.withHangingMachines { qemu in
      let prober = Prober(logger: Logger(label: "test"))
      let cancellation = ProbeCancellation()
      let canceller = Thread {
        _ = qemu.waitUntilHanging(2)
        cancellation.cancel()
      }
      canceller.start()
      var configuration = Prober.Configuration(binary: qemu.path)
      configuration.jobs = 2
      configuration.timeouts = .init(session: .seconds(30))
      let start = ContinuousClock.now
      let error = #expect(throws: ProbeError.self) { try prober.probe(configuration, cancellation: cancellation) }
      #expect(error?.code == .cancelled)
      #expect(ContinuousClock.now - start < .seconds(12))
      #expect(qemu.running.isEmpty)
      #expect(!QEMUProcessRegistry.shared.isStopping)

      // The same process probes again with a fresh token.
      var again = Prober.Configuration(binary: qemu.working)
      again.jobs = 2
      let document = try prober.probe(again, cancellation: ProbeCancellation())
      #expect(document.machines.count == 5)
      #expect(document.machines.allSatisfy { $0.error == nil })
    }
  }

  @Test(
    "SIGINT and SIGTERM end a probe at once while a binary of 64 GB is hashed",
    arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
  func signalWhileHashing(signal: Int32, status: Int32) throws {
    try FakeQEMU.withHangingMachines { qemu in
      // The script that runs the fakes, followed by a 64 GB hole: sh never reads past
      // `exec`; hashing it takes minutes.
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: qemu.path))
      try handle.truncate(atOffset: 64 << 30)
      try handle.close()
      let process = try ChildProcess.start(
        Command.qemuCapsExecutable, ["probe", "--qemu", qemu.path, "--timeout", "600"], discardOutput: true)
      defer { process.kill() }
      // Signal mid-hash: once the machine QEMUs are up and the binary is being read.
      #expect(Readiness.poll { !qemu.running.isEmpty })
      #expect(
        Readiness.poll { (Readiness.offset(of: qemu.path, in: process.pid) ?? 0) > 0 }, "the binary is not being hashed"
      )
      let (exitStatus, elapsed) = process.stop(with: signal, timeout: .seconds(60))
      #expect(exitStatus == status)
      // Milliseconds when the hashing stops at the signal; minutes if it had to finish.
      #expect(elapsed < .seconds(10), "took \(elapsed)")
      #expect(Readiness.poll { qemu.running.isEmpty })
    }
  }
}
