import QEMUCapsLauncher
import QEMUCapsQMP

/// How a machine type's failure is worded in the capability file.
extension Prober {
  /// The longest failure message kept per machine type, in bytes: QEMU's stderr can hold
  /// 64 KiB, and a capability file must stay within what its reader accepts.
  static let maximumFailureLength = 2048

  /// `message` cut to ``maximumFailureLength`` bytes, on a character boundary.
  static func shortened(_ message: String) -> String {
    guard message.utf8.count > maximumFailureLength else { return message }
    var result = ""
    for character in message {
      if result.utf8.count + character.utf8.count > maximumFailureLength - 40 { break }
      result.append(character)
    }
    return result + " … (\(message.utf8.count) bytes, shortened)"
  }

  /// A machine type's failure message, without the binary path (the document names it once).
  static func message(for error: any Error) -> String {
    switch error {
    case let error as QEMUError:
      switch error.code {
      case .exitedBeforeGreeting:
        let status = error.exitStatus.map { " (\($0))" } ?? ""
        return
          "QEMU exited before QMP started\(status): \(error.detail.isEmpty ? "no message on stderr" : error.detail)"
      case .timeout:
        return QEMUError.timeoutText(phase: error.phase, limit: error.limit)
      case .unsafeMachineName:
        return "not probed: the name \(error.detail) is not a plain machine type name and could inject -machine options"
      case .qmp:
        let said = error.detail.isEmpty ? "" : "; QEMU said: \(error.detail)"
        let status = error.exitStatus.map { "; QEMU \($0)" } ?? ""
        return "\(error.qmpError?.description ?? "QMP failed")\(status)\(said)"
      default:
        return error.description
      }
    case let error as ProbeError:
      return error.message
    case let error as RecordedFailure:
      return error.message
    case let error as QMPError:
      return error.description
    default:
      return "\(error)"
    }
  }
}
