/// How a QEMU process ended, as `waitpid` reported it.
public enum TerminationStatus: Sendable, Hashable, CustomStringConvertible {
  /// It exited with this status.
  case exited(Int32)
  /// This signal killed it.
  case signaled(Int32)
  /// It could not be reaped (someone else reaped it); the reason, when known.
  case unknown(String?)

  /// Decode a `waitpid` status (the process was not stopped: no `WUNTRACED`).
  init(waitStatus status: Int32) {
    let signal = status & 0x7F
    self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
  }

  /// `exit status 1`, `killed by signal 9`, `status unknown`.
  public var description: String {
    switch self {
    case .exited(let status): "exit status \(status)"
    case .signaled(let signal): "killed by signal \(signal)"
    case .unknown(let reason): reason.map { "status unknown: \($0)" } ?? "status unknown"
    }
  }
}
