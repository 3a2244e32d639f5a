import QEMUCapsModel
import QEMUCapsQMP

/// The one error type of the launcher: what failed, on which binary and machine type.
public struct QEMUError: CodedError {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// The binary does not exist, is not a regular file or is not executable.
    case badBinary = "qemu.bad-binary"
    /// A machine type name could change the meaning of `-machine` (e.g. contains `,`).
    case unsafeMachineName = "qemu.unsafe-machine-name"
    /// The process could not be started (spawn failed).
    case spawnFailed = "qemu.spawn-failed"
    /// QEMU exited before QMP was negotiated (whether or not it had greeted);
    /// ``detail`` quotes its whole stderr, read once it has exited.
    case exitedBeforeGreeting = "qemu.exited-before-greeting"
    /// The session's time limit (``QEMULauncher/Timeouts/session``) expired;
    /// ``phase`` says what QEMU was doing, ``limit`` the limit. QEMU was killed.
    case timeout = "qemu.timeout"
    /// The launcher's process registry was stopped (the probe was cancelled):
    /// no new QEMU is started.
    case cancelled = "qemu.cancelled"
    /// The QMP session failed after the greeting (see ``qmpError``).
    case qmp = "qemu.qmp"
  }

  /// What went wrong.
  public var code: Code
  /// The QEMU binary.
  public var binary: String
  /// The machine type QEMU was started with, if any.
  public var machine: String?
  /// The explanation: QEMU's stderr, the failed call, or the QMP error.
  public var detail: String
  /// The exit status or terminating signal, when QEMU exited.
  public var exitStatus: TerminationStatus?
  /// The QMP error behind a ``Code/qmp`` error.
  public var qmpError: QMPError?
  /// For ``Code/timeout``: what the session was doing when its time ran out.
  public var phase: String?
  /// For ``Code/timeout``: the time limit of the session.
  public var limit: Duration?

  /// Create an error.
  public init(
    _ code: Code, binary: String, machine: String?, detail: String, exitStatus: TerminationStatus? = nil,
    qmpError: QMPError? = nil
  ) {
    self.code = code
    self.binary = binary
    self.machine = machine
    self.detail = detail
    self.exitStatus = exitStatus
    self.qmpError = qmpError
  }

  /// One sentence naming the binary, the machine type and what failed.
  public var description: String {
    let subject = machine.map { "\(binary) -machine \($0)" } ?? binary
    switch code {
    case .badBinary: return "cannot run \(binary): \(detail)"
    case .unsafeMachineName: return "refusing to start \(binary) with machine type \(detail): it \(Self.unsafeName)"
    case .spawnFailed: return "cannot start \(binary): \(detail)"
    case .exitedBeforeGreeting: return "\(subject) \(exitedBeforeGreeting)"
    case .cancelled: return "\(subject): not started: \(detail)"
    case .timeout, .qmp: return "\(subject): \(reason)"
    }
  }

  /// What failed on the machine type, without the binary (a capability file names it
  /// once): a machine type's failure message. The binary is named where the failure is
  /// its own (it cannot be run or started).
  public var reason: String {
    switch code {
    case .unsafeMachineName: return "not probed: the name \(detail) \(Self.unsafeName)"
    case .exitedBeforeGreeting: return "QEMU \(exitedBeforeGreeting)"
    case .timeout:
      let seconds = limit.map { " of \(Self.formatSeconds($0))" } ?? ""
      return "the QEMU session's time limit\(seconds) (from start to exit) ran out \(phase ?? ""); QEMU was killed"
    case .qmp:
      let status = exitStatus.map { "; QEMU \($0)" } ?? ""
      let said = detail.isEmpty ? "" : "; QEMU said: \(detail)"
      return "\(qmpError?.description ?? "QMP failed")\(status)\(said)"
    case .badBinary, .spawnFailed, .cancelled: return description
    }
  }

  private static let unsafeName =
    "is not a plain machine type name (letters, digits and ._+-, not starting with -) and could inject -machine options"

  private var exitedBeforeGreeting: String {
    let status = exitStatus.map { " (\($0))" } ?? ""
    return "exited before QMP started\(status): \(detail.isEmpty ? "no message on stderr" : detail)"
  }

  /// `1.5 s`, `60 s`.
  private static func formatSeconds(_ duration: Duration) -> String {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    var text = String(Double(milliseconds) / 1000)
    while text.hasSuffix("0") { text.removeLast() }
    return "\(text) s"
  }
}
