import QEMUCapsLauncher
import Synchronization

/// Stops a running probe: no further QEMU is started, and running ones are killed.
public final class ProbeCancellation: Sendable {
  private let flag = Atomic<Bool>(false)

  /// Create a token.
  public init() {}

  /// Whether ``cancel()`` was called.
  public var isCancelled: Bool { flag.load(ordering: .acquiring) }

  /// Cancel: safe to call from any thread, more than once.
  public func cancel() {
    flag.store(true, ordering: .releasing)
    QEMUProcessRegistry.shared.killAll()
  }
}
