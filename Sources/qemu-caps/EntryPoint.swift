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
struct QEMUCapsCommand: ParsableCommand {
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
    ]
  )

  /// The files the command reads and writes: an output must never replace one of them.
  static let inputs = InputFiles()

  /// `qemu-caps` without a subcommand: a usage error (exit 2), as every missing argument is.
  func run() throws {
    let names = Self.configuration.subcommands.compactMap { $0.configuration.commandName }
    throw ExitFailure.usage(
      "no command given; use one of \(names.joined(separator: ", ")); see 'qemu-caps --help'")
  }

  /// Parse the command line and run it; print our own errors without a usage dump.
  static func main() {
    // A closed pipe is a failed write (exit 2), not a silent death by SIGPIPE.
    Syscalls.ignoreSignal(SIGPIPE)
    Terminal.reserveStandardDescriptors()
    SignalHandling.start()
    do {
      try checkHelpTopic(CommandLine.arguments)
      var command = try parseAsRoot()
      try command.run()
      Terminal.finish(0)
    } catch {
      exitReporting(error, json: Output.settings.json || wantsJSON(CommandLine.arguments))
    }
  }

  /// `qemu-caps help WORD…` names subcommands; an unknown one is a usage error (exit 2)
  /// rather than ArgumentParser's general help and exit 0.
  static func checkHelpTopic(_ arguments: [String]) throws(ExitFailure) {
    let words = arguments.dropFirst()
    guard words.first == "help", let topic = words.dropFirst().first, !topic.hasPrefix("-") else { return }
    let names = configuration.subcommands.compactMap { $0.configuration.commandName }
    guard !names.contains(topic) else { return }
    throw ExitFailure.usage(
      "there is no command '\(topic)'; use one of \(names.joined(separator: ", ")); see 'qemu-caps --help'")
  }

  /// Whether the command line asks for JSON on stdout (`--json`, or `probe --format json`
  /// without `--output FILE`), for errors raised before a command starts.
  static func wantsJSON(_ arguments: [String]) -> Bool {
    let words = arguments.dropFirst().prefix { $0 != "--" }
    if words.contains("--json") { return true }
    let toFile =
      zip(words, words.dropFirst()).contains { $0 == "--output" && $1 != "-" }
      || words.contains { $0.hasPrefix("--output=") && $0 != "--output=-" }
    guard words.first == "probe", !toFile else { return false }
    return words.contains("--format=json")
      || zip(words, words.dropFirst()).contains { $0 == "--format" && $1 == "json" }
  }
}
