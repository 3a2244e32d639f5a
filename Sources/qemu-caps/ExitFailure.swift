import ArgumentParser
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsProbe
import QEMUCapsQMP
import QEMUCapsXML

/// A failure shown to the user as `qemu-caps: error: MESSAGE`, with an exit status
/// and, under `--json`, as `{"error": {"code", "message"}}` on stdout.
struct ExitFailure: Error, CustomStringConvertible {
  var message: String
  /// The exit status.
  var code: Int32
  /// The stable error code shown in JSON (`usage`, `lookup.unreadable`, `xml.malformed`, …).
  var errorCode: String = "usage"

  var description: String { message }

  /// An error in what the user gave us (exit status 2).
  static func usage(_ message: String) -> ExitFailure { ExitFailure(message: message, code: 2) }

  /// A library error (exit status 2), with its code; `hint` is the command line's
  /// advice (library messages name no flags), appended after a semicolon.
  init(_ error: some CodedError, status: Int32 = 2, hint: String? = nil) {
    self.init(
      message: error.description + (hint.map { "; \($0)" } ?? ""), code: status, errorCode: error.errorCode)
  }

  init(message: String, code: Int32, errorCode: String = "usage") {
    self.message = message
    self.code = code
    self.errorCode = errorCode
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

/// A library error with a stable code.
protocol CodedError: Error, CustomStringConvertible {
  /// The stable code, e.g. `lookup.unreadable`.
  var errorCode: String { get }
}

extension LookupError: CodedError {
  var errorCode: String { code.rawValue }
}

extension XMLError: CodedError {
  var errorCode: String { code.rawValue }
}

extension ProbeError: CodedError {
  var errorCode: String { code.rawValue }
}

extension QEMUError: CodedError {
  var errorCode: String { code.rawValue }
}

extension QMPError: CodedError {
  var errorCode: String { code.rawValue }
}

extension ParsableCommand {
  /// Report `error` as the output contract says and exit with its status; for
  /// ArgumentParser's own errors (usage, `--help`) use its message and status.
  static func exitReporting(_ error: any Error, json: Bool) -> Never {
    if let failure = error as? ExitFailure {
      Output.failure(failure, json: json)
      Self.exit(withError: ExitCode(failure.code))
    }
    if let exitCode = error as? ExitCode {
      Self.exit(withError: exitCode)
    }
    let status = Self.exitCode(for: error)
    if json && status != .success {
      let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
      Output.failure(ExitFailure(message: message, code: status.rawValue), json: true)
      Self.exit(withError: status)
    }
    Self.exit(withError: error)
  }
}
