import ArgumentParser
import QEMUCapsFiles
import QEMUCapsModel
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

@main
struct QEMUCapsCommand: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "qemu-caps",
    abstract: "Tell what a qemu-system-x86_64 build can do, per machine type, before a guest starts.",
    discussion: """
      qemu-caps probes a QEMU binary over QMP and reports, for every machine type, whether the \
      ACPI PCI hotplug switches acpi-pci-hotplug-with-bridge-support and acpi-root-pci-hotplug \
      exist on the machine's ACPI PM device and what each defaults to there.

      Exit status: 0 success, 1 a negative answer, 2 an error, 3 unknown (a machine type's \
      probe failed), 128 + N stopped by signal N.

      The whole contract of the command line (every command's options, inputs, outputs and exit \
      statuses; output files, standard input, limits, the probe cache, the environment) is \
      docs/cli.md, installed as share/doc/qemu-caps/docs/cli.md; 'qemu-caps COMMAND --help' and \
      'man qemu-caps-COMMAND' summarize it.
      """,
    version: ToolVersion.current,
    subcommands: [
      ProbeCommandLine.self, ValidateCommandLine.self, LookupCommandLine.self, DiffCommandLine.self,
      QMPCommandLine.self, ListCommandLine.self, ReportCommandLine.self, ConvertCommandLine.self,
      HelpCommandLine.self,
    ]
  )

  /// The files the command reads and writes: an output must never replace one of them.
  static let inputs = InputFiles()

  static var helpReference: String { "qemu-caps --help" }

  /// The commands, for messages: `probe, validate, …`.
  static var commandList: String {
    // Closures, not key paths: Swift 6.3 crashes on a key path through a metatype.
    configuration.subcommands.filter { $0.configuration.shouldDisplay }.compactMap { $0.configuration.commandName }
      .joined(separator: ", ")
  }

  /// `qemu-caps` without a command: a usage error (exit 2), as every missing argument is.
  func check() throws(UsageError) {
    throw UsageError("no command given; use one of \(Self.commandList)")
  }

  /// Parse the command line and run it; print our own errors without a usage dump.
  static func main() {
    // A closed pipe is a failed write (exit 2), not a silent death by SIGPIPE.
    Syscalls.ignoreSignal(SIGPIPE)
    Terminal.reserveStandardDescriptors()
    SignalHandling.start()
    do {
      var command = try parseAsRoot()
      try (command as? any ToolCommand)?.prepare()
      try command.run()
      Terminal.finish(0)
    } catch {
      exitReporting(error)
    }
  }

  /// Report `error` as the output contract says and exit through ``Terminal/finish(_:)``:
  /// ours (``ExitFailure``, ``ExitCode``), or ArgumentParser's help, version and usage
  /// errors.
  ///
  /// A usage error is one line on standard error, `qemu-caps: error: MESSAGE; see
  /// 'qemu-caps COMMAND --help'`, like every other error (ArgumentParser's own report
  /// adds `Help:` and `Usage:` lines, outside the one stderr format), and exits 2, not
  /// ArgumentParser's 64; under `--json` it is a JSON object too. An error of any other
  /// kind also exits 2: status 1 is a negative answer, never a failure.
  static func exitReporting(_ error: any Error) -> Never {
    if let failure = error as? ExitFailure {
      Output.failure(failure)
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
    // ArgumentParser refused the command line: no command was parsed to ask, so ask
    // ArgumentParser again, leniently, which command it names and whether it wants JSON.
    let invocation = Invocation.read(Array(CommandLine.arguments.dropFirst()))
    let command = invocation?.command ?? Self.self
    Output.settings.json = invocation.map { command.wantsJSON($0) } ?? false
    Output.settings.jsonSchemaVersion = command.jsonSchemaVersion
    Output.failure(command.usage(sentence(message(for: error))))
    Terminal.finish(ExitFailure.errorStatus)
  }

  /// ArgumentParser's message as one sentence that `; see …` can follow: one line (a
  /// list of valid values comes on lines of its own), no final full stop. The text is
  /// only reflowed; nothing is read out of it.
  private static func sentence(_ message: String) -> String {
    let line = message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let sentence = line.hasSuffix(".") ? String(line.dropLast()) : line
    return sentence.isEmpty ? "the command line is not valid" : sentence
  }
}
