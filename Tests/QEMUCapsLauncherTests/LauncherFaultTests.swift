import Foundation
import Logging
import QEMUCapsLauncher
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The launcher's error paths when a system call fails before QEMU runs: the
/// error names the binary and machine type, and nothing is left behind.
@Suite("Launcher system call faults", .serialized)
struct LauncherFaultTests {
  /// The sockets this process has open, by descriptor number.
  private func openSockets() -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return Set(
      names.filter { name in
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"))?.hasPrefix("socket:")
          == true
      })
  }

  /// Wait until no socket opened since `before` is left. Other suites run in
  /// parallel and hold sockets to their QEMUs for a while; a leaked one stays forever.
  private func expectNoNewSockets(since before: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) {
    let deadline = ContinuousClock.now + .seconds(60)
    var left = openSockets().subtracting(before)
    while !left.isEmpty && ContinuousClock.now < deadline {
      usleep(50_000)
      left = left.intersection(openSockets())
    }
    #expect(left.isEmpty, "socket descriptors left open: \(left.sorted())", sourceLocation: sourceLocation)
  }

  @Test(
    "a failed socketpair or spawn is spawnFailed naming binary and machine; no descriptor or process is left",
    arguments: [SystemCall.socketpair, .spawn])
  func startFaults(call: SystemCall) throws {
    // /bin/true is never started: the fault comes first. No QEMU is needed.
    let launcher = QEMULauncher(binary: "/bin/true", logger: Logger(label: "test"))
    let before = openSockets()
    // A spawn fault comes after both socket pairs were made: all four ends must be closed.
    let (error, failed) = FaultInjection.inject(call, errno: EMFILE) {
      #expect(throws: QEMUError.self) { try launcher.run(machine: "pc", commands: []) }
    }
    #expect(failed == 1)
    #expect(error?.code == .spawnFailed)
    #expect(error?.description.contains("/bin/true") == true, "\(String(describing: error))")
    #expect(error?.machine == "pc")
    #expect(error?.detail.contains("\(call.rawValue): ") == true, "\(String(describing: error))")
    expectNoNewSockets(since: before)
  }
}
