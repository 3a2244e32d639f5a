import ArgumentParser

/// A failure shown to the user as `qemu-caps: error: MESSAGE`, with an exit status.
///
/// Exit statuses of every command (README, "Exit status"): 0 success or yes, 1 a
/// negative answer (invalid domain, option not supported, files differ, QMP error
/// reply), 2 any error (usage, input, QEMU cannot be probed, a failed write), 3 the
/// answer is unknown because the machine type's probe failed, 128 + N a signal.
struct ExitFailure: Error, CustomStringConvertible {
  var message: String
  var code: Int32

  var description: String { message }

  /// The status of every error: usage, unreadable input, failed probe, failed write.
  static let errorStatus: Int32 = 2
  /// The status when the answer is unknown because a probe failed.
  static let unknownStatus: Int32 = 3

  /// An error in what the user gave us (exit status 2).
  static func usage(_ message: String) -> ExitFailure { ExitFailure(message: message, code: errorStatus) }

  /// Run `body`, turning its error into an exit status 2 failure.
  static func wrap<T, E: Error & CustomStringConvertible>(_ body: () throws(E) -> T) throws(ExitFailure) -> T {
    do {
      return try body()
    } catch {
      throw ExitFailure(message: error.description, code: errorStatus)
    }
  }
}

extension ParsableCommand {
  /// Report `error` (ours, or ArgumentParser's usage errors, help and version) and exit
  /// through ``Terminal/finish(_:)``; every usage error exits 2, not ArgumentParser's 64.
  static func exitReporting(_ error: any Error) -> Never {
    if let failure = error as? ExitFailure {
      Terminal.error(failure.message)
      Terminal.finish(failure.code)
    }
    let status = exitCode(for: error)
    let message = fullMessage(for: error)
    if status == .success {
      if !message.isEmpty { Terminal.print(message) }
      Terminal.finish(0)
    }
    if !message.isEmpty {
      // The message can quote the command line; escape it line by line.
      let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { Terminal.escaped(String($0)) }
      Terminal.writeStandardError(lines.joined(separator: "\n") + "\n")
    }
    Terminal.finish(status == .validationFailure ? ExitFailure.errorStatus : status.rawValue)
  }
}
