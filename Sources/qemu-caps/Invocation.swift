import ArgumentParser

/// What a command line that ArgumentParser refused still says: the command it names
/// (for the help reference and the JSON schema of the error) and whether it asks for
/// JSON (for the error's form). ArgumentParser reads it too, leniently, so `--`,
/// `--name=value` and the command word mean what they mean in the real parse.
struct Invocation: ParsableArguments {
  /// `--json`.
  @Flag(name: .long) var json = false
  /// `probe --format`.
  @Option(name: .long) var format: String?
  /// `probe --output`.
  @Option(name: .long) var output: String?
  /// Everything else, the command's name first.
  @Argument(parsing: .allUnrecognized) var words: [String] = []

  /// Read `arguments` (without the program's name); `nil` when even this lenient reading fails.
  static func read(_ arguments: [String]) -> Invocation? {
    try? parse(arguments)
  }

  /// The command the line names, if its first word names one.
  var command: (any ToolCommand.Type)? {
    guard let word = words.first else { return nil }
    return QEMUCapsCommand.configuration.subcommands.first { $0.configuration.commandName == word }
      as? any ToolCommand.Type
  }
}
