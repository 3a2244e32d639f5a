import ArgumentParser
import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsQMP
import QEMUCapsSystem

/// `qemu-caps qmp`: run one QMP command against a freshly started QEMU.
struct QMPCommandLine: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "qmp",
    abstract: "Start QEMU paused, run one QMP command, print the reply as JSON.",
    discussion: """
      QEMU is started as the prober starts it: -S -no-user-config -nodefaults -display none \
      -accel tcg -machine NAME, with QMP on its standard input and output. The command's \
      'return' value is printed as JSON; an error reply goes to standard error.

      Exit status: 0 QEMU answered, 1 QEMU answered with an error, 2 an error, 128 + N \
      stopped by signal N. See docs/cli.md, "qmp".

      Examples:
        qemu-caps qmp query-version
        qemu-caps qmp --machine q35 qom-get '{"path": "/machine/acpi-device", "property": "type"}'
      """
  )

  @OptionGroup var binary: QEMUOptions

  @Option(name: .long, help: "The machine type to start (-machine NAME).", completion: ValueCompletion.machine)
  var machine = "none"

  @Option(
    name: .long, help: "Also record the session to this .replies file (libvirt's layout).",
    completion: .file(extensions: ["replies"]))
  var record: String?

  @Flag(name: .long, help: "Print the reply indented over several lines.")
  var pretty = false

  @Argument(help: "The QMP command, e.g. query-machines.")
  var command: String

  @Argument(help: "The command's arguments as a JSON object.")
  var arguments: String?

  @OptionGroup var global: GlobalOptions

  func check() throws(UsageError) {
    try binary.check()
  }

  func run() throws {
    let logger = global.bootstrapLogging()
    var parsedArguments: JSONObject?
    if let arguments {
      do {
        guard let object = try JSON.parse(arguments).objectValue else {
          throw ExitFailure.usage("the command arguments must be a JSON object, e.g. '{\"path\": \"/machine\"}'")
        }
        parsedArguments = object
      } catch let error as JSONError {
        throw ExitFailure.usage("the command arguments are not valid JSON: \(error)")
      }
    }
    let launcher = QEMULauncher(binary: try binary.binary(), timeouts: binary.timeouts, logger: logger)
    let recorder = record == nil ? nil : QMPTranscriptRecorder()
    let outcome: Result<JSON, QMPError>
    do {
      outcome = try launcher.withQEMU(machine: machine, recorder: recorder) { client in
        try client.execute([QMPCommand(command, arguments: parsedArguments)])[0]
      }
    } catch let error as QEMUError {
      throw ExitFailure(error, hint: ExitFailure.timeoutHint(error))
    }
    if let record, let recorder {
      try OutputDestination.write(Array(recorder.contents.utf8), to: record, what: "the recording")
    }
    switch outcome {
    case .success(let value):
      Output.rawJSON(value, pretty: pretty)
    case .failure(let error):
      throw ExitFailure(error, status: 1, hint: ExitFailure.timeoutHint(error))
    }
  }
}
