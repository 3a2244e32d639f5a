import ArgumentParser

/// `qemu-caps help [COMMAND]`: the help of the tool or of one command, in place of
/// ArgumentParser's own `help`, which answers a command it does not know with the
/// general help and exit status 0. Here an unknown one is a usage error (exit 2).
/// Hidden: ArgumentParser's listing already mentions `help`.
struct HelpCommandLine: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "help", shouldDisplay: false, helpNames: [])

  /// The command to explain (ArgumentParser's `help` takes a path of nested commands;
  /// qemu-caps has one level, so the first word decides).
  @Argument var topics: [String] = []

  /// `help -h` and `help --help` are help too, as with ArgumentParser's `help`.
  @Flag(name: [.short, .long], help: .private) var help = false

  /// `--json`: a usage error (an unknown command) is then a JSON object too.
  @Flag(name: .long, help: .private) var json = false

  static var helpReference: String { QEMUCapsCommand.helpReference }

  var wantsJSON: Bool { json }

  func check() throws(UsageError) {
    guard let topic = topics.first, command == nil else { return }
    throw UsageError("there is no command '\(topic)'; use one of \(QEMUCapsCommand.commandList)")
  }

  func run() throws {
    let text =
      command.map { QEMUCapsCommand.helpMessage(for: $0) } ?? QEMUCapsCommand.helpMessage()
    Terminal.print(text)
  }

  /// The command named by the first topic.
  private var command: (any ParsableCommand.Type)? {
    guard let topic = topics.first else { return nil }
    return QEMUCapsCommand.configuration.subcommands.first {
      $0.configuration.commandName == topic && $0.configuration.shouldDisplay
    }
  }
}
