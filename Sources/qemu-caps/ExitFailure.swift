import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsProbe
import QEMUCapsQMP
import QEMUCapsXML

/// A failure shown to the user as `qemu-caps: error: MESSAGE`, with an exit status
/// and, under `--json`, as `{"schemaVersion", "error": {"code", "message"}}` on stdout.
///
/// Exit statuses of every command (README, "Exit status"): 0 success or yes, 1 a
/// negative answer (invalid domain, option not supported, files differ, QMP error
/// reply), 2 any error (usage, input, QEMU cannot be probed, a failed write), 3 the
/// answer is unknown because the machine type's probe failed, 128 + N a signal.
struct ExitFailure: Error, CustomStringConvertible {
  var message: String
  /// The exit status.
  var code: Int32
  /// The stable error code shown in JSON (`usage`, `lookup.unreadable`, `xml.malformed`, …).
  var errorCode: String = "usage"

  var description: String { message }

  /// The status of every error: usage, unreadable input, failed probe, failed write.
  static let errorStatus: Int32 = 2
  /// The status when the answer is unknown because a probe failed.
  static let unknownStatus: Int32 = 3

  /// An error in what the user gave us (exit status 2).
  static func usage(_ message: String) -> ExitFailure { ExitFailure(message: message, code: errorStatus) }

  /// A library error (exit status 2), with its code; `hint` is the command line's
  /// advice (library messages name no flags), appended after a semicolon.
  init(_ error: some CodedError, status: Int32 = errorStatus, hint: String? = nil) {
    self.init(
      message: error.description + (hint.map { "; \($0)" } ?? ""), code: status, errorCode: error.codeName)
  }

  init(message: String, code: Int32, errorCode: String = "usage") {
    self.message = message
    self.code = code
    self.errorCode = errorCode
  }

  /// The command line's advice when `error`, or an error under it, is a QEMU that ran
  /// out of its time (library messages name no flags; the commands with `--timeout`
  /// add this).
  static func timeoutHint(_ error: any Error) -> String? {
    isTimeout(error) ? timeoutAdvice : nil
  }

  /// The command line's advice when a machine type's recorded failure says QEMU ran out
  /// of time. Capability data holds a failure as the probe's text only (a file from
  /// another machine has no error to inspect), so this one reads the words QEMU's
  /// timeouts are described with (`QEMUError.timeoutText`, `QMPError` timeouts).
  static func timeoutHint(recordedFailure failure: String) -> String? {
    failure.contains("time limit") || failure.contains("in time") ? timeoutAdvice : nil
  }

  private static let timeoutAdvice = "raise --timeout if the host is slow"

  /// Whether `error` is a QEMU session's time running out, or wraps one.
  private static func isTimeout(_ error: any Error) -> Bool {
    switch error {
    case let error as QEMUError: error.code == .timeout || error.qmpError.map { isTimeout($0) } == true
    case let error as QMPError: error.code == .timeout
    case let error as ProbeError: error.underlying.map { isTimeout($0) } == true
    case let error as LookupError: error.underlying.map { isTimeout($0) } == true
    default: false
    }
  }

  /// Run `body`, turning its error into an exit status 2 failure; `hint` gives
  /// the command line's advice for an error, if any.
  static func wrap<T, E: CodedError>(
    hint: (E) -> String? = { _ in nil }, _ body: () throws(E) -> T
  ) throws(ExitFailure) -> T {
    do {
      return try body()
    } catch {
      throw ExitFailure(error, hint: hint(error))
    }
  }
}
