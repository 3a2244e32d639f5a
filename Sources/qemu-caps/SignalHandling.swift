import QEMUCapsFiles
import QEMUCapsLauncher
import QEMUCapsSystem
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Turns SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM into an orderly stop: a watcher thread
/// receives them with `sigwait`. A command that cleans up itself (probe) sets an
/// action (cancel) and exits with 128 + the signal once done; for every other
/// command, and after the probe, the watcher kills every QEMU it started, removes
/// the temporary files being written, and exits with 128 + the signal.
enum SignalHandling {
  private static let received = Atomic<Int32>(0)
  private static let action = LockedState<(@Sendable () -> Void)?>(nil)

  /// Every asynchronous signal whose default action ends the process. SIGQUIT too: the
  /// Swift runtime's backtracer would otherwise take it as a crash, print a report and
  /// let the command go on.
  private static let terminationSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]

  /// Block the signals in this thread and every thread started later, and start
  /// the watcher thread; call first thing in `main`.
  static func start() {
    Syscalls.blockSignals(terminationSignals)
    WorkerThreads.detach {
      var signal = Syscalls.waitForSignal(SignalHandling.terminationSignals)
      SignalHandling.received.store(signal, ordering: .sequentiallyConsistent)
      if let action = SignalHandling.action.withLock({ $0 }) {
        action()
        // A second signal while the command cleans up ends the process at once.
        signal = Syscalls.waitForSignal(SignalHandling.terminationSignals)
      }
      QEMUProcessRegistry.killEverything()
      Output.interrupted(by: signal)
      TemporaryFiles.removeAllAndExit(128 + signal)
    }
  }

  /// Let the command stop itself on a signal: `onSignal` runs on the watcher
  /// thread, and the command must then exit with 128 + ``receivedSignal``.
  static func onSignal(_ action: @escaping @Sendable () -> Void) {
    self.action.withLock { $0 = action }
  }

  /// End what ``onSignal(_:)`` covered: from now on a signal ends the process at once
  /// (a finished probe waiting for a FIFO's reader must not ignore it). A signal that
  /// arrived before is still in ``receivedSignal``, which the caller must check next.
  static func endOnSignalAction() {
    action.withLock { $0 = nil }
  }

  /// `signal 15 (SIGTERM)`, for messages.
  static func describe(_ signal: Int32) -> String {
    "signal \(signal)" + (name(signal).map { " (\($0))" } ?? "")
  }

  /// The usual name of a signal this handles, e.g. `SIGTERM`.
  static func name(_ signal: Int32) -> String? {
    switch signal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    case SIGQUIT: "SIGQUIT"
    case SIGUSR1: "SIGUSR1"
    case SIGUSR2: "SIGUSR2"
    case SIGALRM: "SIGALRM"
    default: nil
    }
  }

  /// The signal that stopped the command, if any.
  static var receivedSignal: Int32? {
    let signal = received.load(ordering: .sequentiallyConsistent)
    return signal == 0 ? nil : signal
  }
}
