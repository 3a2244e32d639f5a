#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Syscalls {
  /// Block `signals` in the calling thread and in every thread it starts later,
  /// so that only ``waitForSignal(_:)`` receives them.
  package static func blockSignals(_ signals: [Int32]) {
    var set = signalSet(signals)
    pthread_sigmask(SIG_BLOCK, &set, nil)
  }

  /// Wait until one of `signals` (blocked with ``blockSignals(_:)``) arrives; return it.
  package static func waitForSignal(_ signals: [Int32]) -> Int32 {
    var set = signalSet(signals)
    var signal: Int32 = 0
    while sigwait(&set, &signal) != 0 {}
    return signal
  }

  /// Ignore `signal` for the whole process (e.g. `SIGPIPE`: a write to a closed pipe
  /// then fails with `EPIPE` instead of killing the process).
  package static func ignoreSignal(_ signal: Int32) {
    #if canImport(Glibc)
      _ = Glibc.signal(signal, SIG_IGN)
    #elseif canImport(Musl)
      _ = Musl.signal(signal, SIG_IGN)
    #endif
  }

  private static func signalSet(_ signals: [Int32]) -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in signals { sigaddset(&set, signal) }
    return set
  }
}
