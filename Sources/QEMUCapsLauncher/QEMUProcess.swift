import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A started QEMU child process that must be reaped exactly once.
final class QEMUProcess {
  let pid: pid_t
  private(set) var exitStatus: String?

  init(pid: pid_t) {
    self.pid = pid
    QEMUProcessRegistry.shared.add(pid)
  }

  var hasExited: Bool { exitStatus != nil }

  /// Wait for the process to exit until `deadline`; return whether it did.
  @discardableResult
  func waitForExit(before deadline: MonotonicInstant) -> Bool {
    var pause: UInt32 = 50  // microseconds; called once QEMU is exiting, so it is short
    while !hasExited {
      if reap(options: WNOHANG) { return true }
      if deadline.hasPassed { return false }
      usleep(pause)
      pause = min(pause * 2, 2_000)
    }
    return true
  }

  /// Kill the process (SIGKILL) if it still runs, and reap it.
  func kill() {
    guard !hasExited else { return }
    try? Syscalls.kill(pid, SIGKILL)
    _ = reap(options: 0)
  }

  private func reap(options: Int32) -> Bool {
    var status: Int32 = 0
    let result: pid_t
    do {
      result = try Syscalls.waitpid(pid, status: &status, options: options)
    } catch {
      // ECHILD: someone else reaped it; nothing is left to wait for.
      exitStatus = "status unknown: \(error.message)"
      QEMUProcessRegistry.shared.remove(pid)
      return true
    }
    guard result == pid else { return false }
    let signal = status & 0x7F
    exitStatus = signal == 0 ? "exit status \((status >> 8) & 0xFF)" : "killed by signal \(signal)"
    QEMUProcessRegistry.shared.remove(pid)
    return true
  }
}
