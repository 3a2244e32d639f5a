import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsQMP
import QEMUCapsSystem

/// Starts real QEMU processes, recording each session when asked to.
struct LiveSessionSource: SessionSource {
  let launcher: QEMULauncher
  let recordDirectory: String?
  /// Where each transcript written is noted.
  let inputs: InputFiles?
  /// The first transcript that could not be written; the probe then fails (exit 2).
  let writeFailure = LockedState<ProbeError?>(nil)

  func withSession<Result>(machine: String, sandbox: Bool, _ body: (QMPClient) throws -> Result) throws -> Result {
    try recording(machine) { recorder in
      try launcher.withQEMU(machine: machine, sandbox: sandbox, recorder: recorder, body)
    }
  }

  func run(machine: String, sandbox: Bool, commands: [QMPCommand]) throws -> [Result<JSON, QMPError>] {
    try recording(machine) { recorder in
      try launcher.run(machine: machine, sandbox: sandbox, recorder: recorder, commands: commands)
    }
  }

  /// Run `body` with a recorder when recording, and save what it recorded, even on failure.
  private func recording<Result>(_ machine: String, _ body: (QMPTranscriptRecorder?) throws -> Result) rethrows
    -> Result
  {
    let recorder = recordDirectory == nil ? nil : QMPTranscriptRecorder()
    // A QEMU that exits while starting may or may not have greeted first: its
    // transcript would differ between runs, and its manifest entry says it all.
    var startFailed = false
    defer {
      if let recordDirectory, let recorder, !recorder.isEmpty, !startFailed {
        do {
          try ProbeRecording.write(
            recorder.contents, to: "\(recordDirectory)/\(ProbeRecording.transcriptName(machine))", inputs: inputs)
        } catch {
          writeFailure.withLock { if $0 == nil { $0 = error } }
        }
      }
    }
    do {
      return try body(recorder)
    } catch let error as QEMUError where error.code == .exitedBeforeGreeting {
      startFailed = true
      throw error
    }
  }
}
