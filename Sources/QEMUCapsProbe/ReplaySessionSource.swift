import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsQMP
import QEMUCapsSystem

/// Serves sessions from a recording directory, without QEMU.
struct ReplaySessionSource: SessionSource {
  let directory: String
  let failures: [String: String]
  let logger: Logger
  /// Where each transcript read is noted.
  let inputs: InputFiles?

  func withSession<Result>(machine: String, sandbox: Bool, _ body: (QMPClient) throws -> Result) throws -> Result {
    if let message = failures[machine] { throw RecordedFailure(message: message) }
    let path = "\(directory)/\(ProbeRecording.transcriptName(machine))"
    let transcript = try QMPTranscript(contents: try ProbeRecording.read(path, inputs: inputs), name: path)
    let client = QMPClient(transport: QMPReplayTransport(transcript: transcript), logger: logger)
    try client.negotiate()
    let result = try body(client)
    try client.quit()
    return result
  }

  func run(machine: String, sandbox: Bool, commands: [QMPCommand]) throws -> [Result<JSON, QMPError>] {
    // A recording holds the same exchanges whether they were pipelined or not.
    try withSession(machine: machine, sandbox: sandbox) { client in try client.execute(commands) }
  }
}
