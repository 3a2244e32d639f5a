import QEMUCapsQMP

/// The one error type of the launcher: what failed, on which binary and machine type.
public struct QEMUError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// The binary does not exist, is not a regular file or is not executable.
    case badBinary = "qemu.bad-binary"
    /// A machine type name could change the meaning of `-machine` (e.g. contains `,`).
    case unsafeMachineName = "qemu.unsafe-machine-name"
    /// The process could not be started (spawn failed).
    case spawnFailed = "qemu.spawn-failed"
    /// QEMU exited before its QMP greeting; ``detail`` quotes its stderr.
    case exitedBeforeGreeting = "qemu.exited-before-greeting"
    /// QEMU did not greet within the start timeout.
    case startTimeout = "qemu.start-timeout"
    /// The QMP session failed after the greeting (see ``qmpError``).
    case qmp = "qemu.qmp"
    /// Creating the private temporary directory or its files failed.
    case temporaryFiles = "qemu.temporary-files"
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
  public var exitStatus: String?
  /// The QMP error behind a ``Code/qmp`` error.
  public var qmpError: QMPError?

  /// Create an error.
  public init(
    _ code: Code, binary: String, machine: String?, detail: String, exitStatus: String? = nil,
    qmpError: QMPError? = nil
  ) {
    self.code = code
    self.binary = binary
    self.machine = machine
    self.detail = detail
    self.exitStatus = exitStatus
    self.qmpError = qmpError
  }

  public var description: String {
    let subject = machine.map { "\(binary) -machine \($0)" } ?? binary
    switch code {
    case .badBinary:
      return "cannot run \(binary): \(detail)"
    case .unsafeMachineName:
      return
        "refusing machine type name \(detail) reported by \(binary): it is not a plain name and could inject -machine options"
    case .spawnFailed:
      return "cannot start \(binary): \(detail)"
    case .exitedBeforeGreeting:
      let status = exitStatus.map { " (\($0))" } ?? ""
      return "\(subject) exited before QMP started\(status): \(detail.isEmpty ? "no message on stderr" : detail)"
    case .startTimeout:
      return "\(subject) did not start QMP in time (\(detail))"
    case .qmp:
      let status = exitStatus.map { "; QEMU \($0)" } ?? ""
      let message = detail.isEmpty ? "" : "; QEMU said: \(detail)"
      return "\(subject): \(qmpError?.description ?? "")\(status)\(message)"
    case .temporaryFiles:
      return "\(subject): \(detail)"
    }
  }
}
