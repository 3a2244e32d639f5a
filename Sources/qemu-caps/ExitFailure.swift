import ArgumentParser
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
      message: error.description + (hint.map { "; \($0)" } ?? ""), code: status, errorCode: error.errorCode)
  }

  init(message: String, code: Int32, errorCode: String = "usage") {
    self.message = message
    self.code = code
    self.errorCode = errorCode
  }

  /// The command line's advice when `message` says a QEMU ran out of time (library
  /// messages name no flags; the commands with `--timeout` add this).
  static func timeoutHint(_ message: String) -> String? {
    message.contains("time limit") || message.contains("in time") ? "raise --timeout if the host is slow" : nil
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
  /// Report `error` as the output contract says (ours, or ArgumentParser's usage
  /// errors, help and version; under `--json` a usage error is a JSON object too) and
  /// exit through ``Terminal/finish(_:)``.
  ///
  /// A usage error is one line on standard error, `qemu-caps: error: MESSAGE; see
  /// 'qemu-caps COMMAND --help'`, like every other error (ArgumentParser's own report
  /// adds `Help:` and `Usage:` lines, outside the one stderr format), and exits 2, not
  /// ArgumentParser's 64. An error of any other kind also exits 2: status 1 is a negative
  /// answer, never a failure.
  static func exitReporting(_ error: any Error, json: Bool) -> Never {
    if let failure = error as? ExitFailure {
      Output.failure(failure, json: json)
      Terminal.finish(failure.code)
    }
    if let exit = error as? ExitCode {
      Terminal.finish(exit.rawValue)
    }
    if exitCode(for: error) == .success {
      // --help, --version: the result the user asked for, on standard output.
      let message = fullMessage(for: error)
      if !message.isEmpty { Terminal.print(message) }
      Terminal.finish(0)
    }
    let prefix = "Error: "
    let sentences = message(for: error).split(separator: "\n").map { line in
      let text = String(line.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      let sentence = text.hasPrefix(prefix) ? text.dropFirst(prefix.count) : Substring(text)
      return String(sentence.hasSuffix(".") ? sentence.dropLast() : sentence)
    }.filter { !$0.isEmpty }
    let summary = sentences.isEmpty ? "the command line is not valid" : sentences.joined(separator: "; ")
    Output.failure(ExitFailure.usage("\(summary); see '\(helpCommand(CommandLine.arguments))'"), json: json)
    Terminal.finish(ExitFailure.errorStatus)
  }

  /// The help command for the subcommand in `arguments`: `qemu-caps lookup --help`, or
  /// `qemu-caps --help` when no known subcommand is named.
  static func helpCommand(_ arguments: [String]) -> String {
    let names = QEMUCapsCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
    guard let word = arguments.dropFirst().first, names.contains(word) else { return "qemu-caps --help" }
    return "qemu-caps \(word) --help"
  }
}
