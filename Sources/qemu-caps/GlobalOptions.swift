import ArgumentParser
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Options every subcommand takes: how much goes to stderr.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "What is logged on stderr (see docs/cli.md, \"Options of every command\").", valueName: "level"))
  var logLevel: Logger.Level = .warning

  @Flag(name: [.short, .long], help: "Print only errors on stderr: no warnings, notes or progress.")
  var quiet = false

  /// Apply `--quiet` and `--log-level` to the output contract and set up logging to
  /// stderr, once, for the whole process. Call it first in `run()`.
  @discardableResult
  func bootstrapLogging() -> Logger {
    Output.settings.quiet = quiet
    Output.settings.errorsOnlyInMessages = logLevel > .warning
    let level = quiet ? max(logLevel, .error) : logLevel
    LoggingSystem.bootstrap { label in
      TerminalLogHandler(label: label, logLevel: level)
    }
    return Logger(label: "qemu-caps")
  }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
