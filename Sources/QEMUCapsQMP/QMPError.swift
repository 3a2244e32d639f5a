import QEMUCapsJSON
import QEMUCapsModel

/// The one error type of the QMP layer.
///
/// `code` is stable for programs; `description` is a sentence for people.
public struct QMPError: CodedError, Hashable {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// QEMU answered the command with an error reply (see ``errorClass``).
    case commandFailed = "qmp.command-failed"
    /// No reply arrived within the timeout.
    case timeout = "qmp.timeout"
    /// The stream ended (QEMU exited or closed the monitor).
    case endOfStream = "qmp.end-of-stream"
    /// A line from QEMU is not valid JSON.
    case malformedMessage = "qmp.malformed-message"
    /// A line from QEMU is longer than the client accepts.
    case lineTooLong = "qmp.line-too-long"
    /// QEMU sent valid JSON that breaks the protocol: no greeting, a reply
    /// without an id or with an id no pending command has.
    case protocolViolation = "qmp.protocol-violation"
    /// A message, or the session so far, is over the memory budget (``QMPBudget``).
    case overBudget = "qmp.over-budget"
    /// Reading from or writing to the transport failed.
    case transport = "qmp.transport"
    /// A replayed session differs from its recording, or the recording cannot be read.
    case transcript = "qmp.transcript"
  }

  /// What went wrong.
  public var code: Code
  /// The QMP command this error belongs to, when there is one.
  public var command: String?
  /// QMP's error `class` (e.g. `GenericError`, `DeviceNotFound`) for ``Code/commandFailed``.
  public var errorClass: String?
  /// QMP's `desc`, or our explanation for other codes.
  public var detail: String

  /// Create an error.
  public init(_ code: Code, command: String? = nil, errorClass: String? = nil, detail: String) {
    self.code = code
    self.command = command
    self.errorClass = errorClass
    self.detail = detail
  }

  /// One sentence: what failed and why.
  public var description: String {
    let subject = command.map { "QMP command '\($0)'" } ?? "QMP"
    switch code {
    case .commandFailed:
      return "\(subject) failed: \(errorClass ?? "error"): \(detail)"
    case .timeout:
      return "\(subject): no answer from QEMU in time (\(detail))"
    case .endOfStream:
      return "\(subject): QEMU closed the monitor (\(detail))"
    case .overBudget:
      return "\(subject): QEMU sent more than the session's memory budget allows: \(detail)"
    case .malformedMessage, .protocolViolation, .lineTooLong:
      return "\(subject): QEMU sent an invalid message: \(detail)"
    case .transport:
      return "\(subject): cannot talk to QEMU: \(detail)"
    case .transcript:
      return "\(subject): \(detail)"
    }
  }
}
