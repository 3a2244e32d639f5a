import ArgumentParser

/// What the entry point asks of a command once ArgumentParser has parsed it: how it
/// reports (a JSON object or text, and which schema), and the checks of its options that
/// ArgumentParser's declarations cannot state. The checks stand in for ArgumentParser's
/// `validate()`, whose errors come back only as text; a ``UsageError`` stays typed.
protocol ToolCommand: ParsableCommand {
  /// The `schemaVersion` of the command's JSON, results and errors alike
  /// (docs/schemas/COMMAND.schema.json); 1 unless the command says otherwise.
  static var jsonSchemaVersion: Int64 { get }
  /// Where help for the command is, for usage errors: `qemu-caps COMMAND --help`.
  static var helpReference: String { get }
  /// Whether a command line ArgumentParser refused asked for JSON, so that the error is
  /// a JSON object too: `--json`, unless the command says otherwise.
  static func wantsJSON(_ invocation: Invocation) -> Bool
  /// Whether the result, and any error, is one JSON object on standard output.
  var wantsJSON: Bool { get }
  /// Refuse what the options cannot mean together, or a value out of its range.
  ///
  /// - Throws: ``UsageError``, shown as a usage error with ``helpReference``.
  func check() throws(UsageError)
}

extension ToolCommand {
  static var jsonSchemaVersion: Int64 { 1 }

  static var helpReference: String {
    configuration.commandName.map { "qemu-caps \($0) --help" } ?? "qemu-caps --help"
  }

  static func wantsJSON(_ invocation: Invocation) -> Bool { invocation.json }

  var wantsJSON: Bool { false }

  func check() throws(UsageError) {}

  /// Set up the output contract for this command, then check its options.
  ///
  /// - Throws: ``ExitFailure`` for a usage error, pointing to ``helpReference``.
  func prepare() throws(ExitFailure) {
    Output.settings.json = wantsJSON
    Output.settings.jsonSchemaVersion = Self.jsonSchemaVersion
    do {
      try check()
    } catch {
      throw Self.usage(error.message)
    }
  }

  /// A usage error of this command: `MESSAGE; see 'qemu-caps COMMAND --help'`, exit 2.
  static func usage(_ message: String) -> ExitFailure {
    ExitFailure.usage("\(message); see '\(helpReference)'")
  }
}
