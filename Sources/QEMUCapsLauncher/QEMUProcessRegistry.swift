import QEMUCapsSystem
import Synchronization

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

  private let pids = Mutex<Set<pid_t>>([])

  /// The processes currently running.
  public var running: Set<Int32> { pids.withLock { $0 } }

  func add(_ pid: pid_t) { _ = pids.withLock { $0.insert(pid) } }
  func remove(_ pid: pid_t) { _ = pids.withLock { $0.remove(pid) } }

  /// Send SIGKILL to every registered QEMU; their owners still reap them.
  public func killAll() {
    for pid in running { try? Syscalls.kill(pid, SIGKILL) }
  }
}
