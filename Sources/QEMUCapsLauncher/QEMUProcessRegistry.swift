import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Every QEMU process this program has started and not yet reaped.
///
/// A signal handler path (Ctrl-C, SIGTERM) uses it to stop them all, so that
/// no QEMU outlives qemu-caps.
public final class QEMUProcessRegistry: Sendable {
  /// The process-wide registry.
  public static let shared = QEMUProcessRegistry()

  private struct State {
    var pids: Set<pid_t> = []
    var stopping = false
  }

  private let state = LockedState(State())

  /// The processes currently running.
  public var running: Set<Int32> { state.withLock { $0.pids } }

  /// Register a started QEMU; once ``killAll()`` was called it is killed at once.
  func add(_ pid: pid_t) {
    let stopping = state.withLock { state in
      state.pids.insert(pid)
      return state.stopping
    }
    if stopping { try? Syscalls.kill(pid, SIGKILL) }
  }

  func remove(_ pid: pid_t) { _ = state.withLock { $0.pids.remove(pid) } }

  /// Send SIGKILL to every registered QEMU and to any started from now on; their
  /// owners still reap them. For an orderly stop on SIGINT or SIGTERM.
  public func killAll() {
    let pids = state.withLock { state in
      state.stopping = true
      return state.pids
    }
    for pid in pids { try? Syscalls.kill(pid, SIGKILL) }
  }
}
