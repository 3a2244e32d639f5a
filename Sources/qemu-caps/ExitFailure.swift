import ArgumentParser

/// A failure shown to the user as `qemu-caps: error: MESSAGE`, with an exit status.
struct ExitFailure: Error, CustomStringConvertible {
  var message: String
  var code: Int32

  var description: String { message }

  /// An error in what the user gave us (exit status 2).
  static func usage(_ message: String) -> ExitFailure { ExitFailure(message: message, code: 2) }

  /// Run `body`, turning its error into an exit status 2 failure.
  static func wrap<T, E: Error & CustomStringConvertible>(_ body: () throws(E) -> T) throws(ExitFailure) -> T {
    do {
      return try body()
    } catch {
      throw ExitFailure(message: error.description, code: 2)
    }
  }
}

extension ParsableCommand {
  /// Print an ``ExitFailure`` and exit with its status; let ArgumentParser handle the rest.
  static func exitReporting(_ error: any Error) -> Never {
    if let failure = error as? ExitFailure {
      Terminal.error(failure.message)
      Self.exit(withError: ExitCode(failure.code))
    }
    Self.exit(withError: error)
  }
}
