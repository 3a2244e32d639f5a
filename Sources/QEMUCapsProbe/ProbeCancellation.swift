import QEMUCapsLauncher
import Synchronization

/// Stops one probe: its QEMUs are killed, no new one is started, and the
/// probe's own work (the hash of the binary included) ends at once.
///
/// Each probe should get its own token: it carries the probe's own process
/// registry, so cancelling it affects no other probe, running or later.
public final class ProbeCancellation: Sendable {
  private let flag = Atomic<Bool>(false)

  /// The QEMUs of the probe this token cancels.
  package let registry = QEMUProcessRegistry()

  /// Create a token.
  public init() {}

  /// Whether ``cancel()`` was called.
  public var isCancelled: Bool { flag.load(ordering: .acquiring) }

  /// Cancel: safe to call from any thread (a signal watcher), more than once.
  public func cancel() {
    flag.store(true, ordering: .releasing)
    registry.killAll()
  }
}
