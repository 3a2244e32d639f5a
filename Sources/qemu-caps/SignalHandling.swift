import QEMUCapsLauncher
import QEMUCapsSystem
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Turns SIGINT and SIGTERM into an orderly stop: a watcher thread receives
/// them with `sigwait`, runs the stop action (kill every QEMU, cancel the
/// probe), and the command exits with 128 + the signal number once cleaned up.
enum SignalHandling {
  private static let received = Atomic<Int32>(0)
  private static let action = LockedState<(@Sendable () -> Void)?>(nil)

  private static var terminationSignals: sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    sigaddset(&set, SIGHUP)
    return set
  }

  /// Block the signals in this thread and every thread started later; call first thing in `main`.
  static func blockTerminationSignals() {
    var set = terminationSignals
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Start the watcher thread; `onSignal` runs on it when a signal arrives.
  static func watch(_ onSignal: @escaping @Sendable () -> Void) {
    action.withLock { $0 = onSignal }
    var thread = pthread_t()
    pthread_create(
      &thread, nil,
      { _ in
        var set = SignalHandling.terminationSignals
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        SignalHandling.received.store(signal, ordering: .sequentiallyConsistent)
        SignalHandling.action.withLock { $0 }?()
        // A second signal while cleaning up ends the process at once.
        while sigwait(&set, &signal) != 0 {}
        QEMUProcessRegistry.shared.killAll()
        _exit(128 + signal)
      }, nil)
    pthread_detach(thread)
  }

  /// The signal that stopped the command, if any.
  static var receivedSignal: Int32? {
    let signal = received.load(ordering: .sequentiallyConsistent)
    return signal == 0 ? nil : signal
  }
}
