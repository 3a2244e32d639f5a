import ArgumentParser
import Logging

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error or critical.")
  var logLevel: Logger.Level = .warning

  /// Set up logging to stderr, once, for the whole process.
  func bootstrapLogging() -> Logger {
    let level = logLevel
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    return Logger(label: "qemu-caps")
  }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
