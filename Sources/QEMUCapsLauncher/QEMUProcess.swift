import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A started QEMU child process, leader of its own process group, that must be
/// reaped exactly once.
///
/// When it has exited, whatever is left of its process group (processes QEMU
/// forked) is killed before it is reaped: until then its pid, and so the group
/// id, cannot be reused.
final class QEMUProcess {
  let pid: pid_t
  private let registry: QEMUProcessRegistry
  private(set) var exitStatus: TerminationStatus?

  init(pid: pid_t, registry: QEMUProcessRegistry) {
    self.pid = pid
    self.registry = registry
    registry.add(pid)
  }

  var hasExited: Bool { exitStatus != nil }

  /// Wait for the process to exit until `deadline`; return whether it did.
  @discardableResult
  func waitForExit(before deadline: ContinuousClock.Instant) -> Bool {
    var pause = Duration.microseconds(50)  // called once QEMU is exiting, so it is short
    while !hasExited {
      if reapIfExited() { return true }
      if ContinuousClock.now >= deadline { return false }
      Syscalls.sleep(pause)
      pause = min(pause * 2, .milliseconds(2))
    }
    return true
  }

  /// Kill the process group (SIGKILL) if the process still runs, and reap it.
  func kill() {
    guard !hasExited else { return }
    QEMUProcessRegistry.kill(pid)
    var status: Int32 = 0
    finish(try? Syscalls.waitpid(pid, status: &status, options: 0), status: status)
  }

  /// If the process has exited: kill the rest of its group, reap it, return true.
  private func reapIfExited() -> Bool {
    do {
      guard try Syscalls.hasExited(pid) else { return false }
    } catch {
      // ECHILD: someone else reaped it; nothing is left to wait for.
      exitStatus = .unknown(error.message)
      registry.remove(pid)
      return true
    }
    try? Syscalls.killGroup(pid, SIGKILL)
    var status: Int32 = 0
    finish(try? Syscalls.waitpid(pid, status: &status, options: 0), status: status)
    return true
  }

  private func finish(_ result: pid_t?, status: Int32) {
    exitStatus = result == pid ? TerminationStatus(waitStatus: status) : .unknown(nil)
    registry.remove(pid)
  }
}
