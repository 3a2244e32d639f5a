import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The QEMU processes one owner (a probe, a command) has started and not yet reaped.
///
/// ``killAll()`` stops them, and any started through this registry afterwards, so
/// that a cancelled probe ends at once. Each registry is independent: cancelling
/// one probe leaves others, and later ones, untouched. Every QEMU runs in its own
/// process group; killing it kills that whole group.
package final class QEMUProcessRegistry: Sendable {
  /// The registry of launchers that are not given one.
  package static let shared = QEMUProcessRegistry()

  /// Every QEMU of every registry, for ``killEverything()``.
  private static let everything = LockedState(Set<pid_t>())

  private struct State {
    var pids: Set<pid_t> = []
    var stopping = false
  }

  private let state = LockedState(State())

  /// Create an empty registry.
  package init() {}

  /// The processes currently running.
  package var running: Set<Int32> { state.withLock { $0.pids } }

  /// Whether ``killAll()`` was called.
  package var isStopping: Bool { state.withLock { $0.stopping } }

  /// Register a started QEMU; once ``killAll()`` was called it is killed at once.
  func add(_ pid: pid_t) {
    let stopping = state.withLock { state in
      state.pids.insert(pid)
      return state.stopping
    }
    _ = Self.everything.withLock { $0.insert(pid) }
    if stopping { Self.kill(pid) }
  }

  func remove(_ pid: pid_t) {
    _ = state.withLock { $0.pids.remove(pid) }
    _ = Self.everything.withLock { $0.remove(pid) }
  }

  /// Send SIGKILL to every QEMU of this registry (each whole process group) and
  /// to any registered from now on; their owners still reap them.
  package func killAll() {
    let pids = state.withLock { state in
      state.stopping = true
      return state.pids
    }
    for pid in pids { Self.kill(pid) }
  }

  /// Send SIGKILL to every QEMU of every registry, for a process about to exit.
  package static func killEverything() {
    for pid in everything.withLock({ $0 }) { kill(pid) }
  }

  /// Kill `pid`'s process group, or `pid` alone if the group is already gone.
  static func kill(_ pid: pid_t) {
    do {
      try Syscalls.killGroup(pid, SIGKILL)
    } catch {
      try? Syscalls.kill(pid, SIGKILL)
    }
  }
}
