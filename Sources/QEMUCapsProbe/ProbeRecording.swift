import Logging
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsQMP
import QEMUCapsSystem

/// A directory of recorded probe sessions: one `MACHINE.replies` file per QEMU
/// started (libvirt's layout, greeting first), plus `probe.json` with what QMP
/// cannot tell: the binary's fingerprint and each failed machine type's message.
///
/// ```
/// {"schemaVersion": 1,
///  "binary": {"path": "...", "size": 18397984, "mtime": 1716669852, "sha256": "..."},
///  "failures": {"xenfv": "QEMU exited before QMP started (exit status 1): ..."}}
/// ```
public enum ProbeRecording {
  /// The manifest's file name inside a recording directory.
  public static let manifestName = "probe.json"

  /// The transcript file name of `machine`.
  static func transcriptName(_ machine: String) -> String { "\(machine).replies" }

  /// Write the manifest into `directory` atomically.
  static func writeManifest(
    directory: String, fingerprint: BinaryFingerprint, failures: [String: String]
  ) throws(ProbeError) {
    let binary = JSONObject([
      ("path", .string(fingerprint.path)), ("size", .int(fingerprint.size)),
      ("mtime", .int(fingerprint.modificationTimeNanoseconds / 1_000_000_000)), ("sha256", .string(fingerprint.sha256)),
    ])
    let sortedFailures = failures.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }
    let manifest = JSON.object(
      JSONObject([
        ("schemaVersion", 1), ("binary", .object(binary)), ("failures", .object(JSONObject(sortedFailures))),
      ]))
    try write(manifest.serialized(.pretty) + "\n", to: "\(directory)/\(manifestName)")
  }

  /// The largest recording file read, against runaway inputs.
  static let maximumFileSize = 64 << 20

  /// Read a transcript or manifest of a recording.
  static func read(_ path: String) throws(ProbeError) -> String {
    do {
      return String(decoding: try FileContents.read(path, limit: maximumFileSize), as: UTF8.self)
    } catch {
      throw ProbeError(.unreadableInput, "cannot read \(path): \(error)")
    }
  }

  static func write(_ text: String, to path: String) throws(ProbeError) {
    do {
      try OutputFile.write(text, to: path)
    } catch {
      throw ProbeError(.recording, "the recording: \(error)")
    }
  }
}

/// Starts real QEMU processes, recording each session when asked to.
struct LiveSessionSource: SessionSource {
  let launcher: QEMULauncher
  let recordDirectory: String?
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
            recorder.contents, to: "\(recordDirectory)/\(ProbeRecording.transcriptName(machine))")
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

/// Serves sessions from a recording directory, without QEMU.
struct ReplaySessionSource: SessionSource {
  let directory: String
  let failures: [String: String]
  let logger: Logger

  func withSession<Result>(machine: String, sandbox: Bool, _ body: (QMPClient) throws -> Result) throws -> Result {
    if let message = failures[machine] { throw RecordedFailure(message: message) }
    let path = "\(directory)/\(ProbeRecording.transcriptName(machine))"
    let transcript = try QMPTranscript(contents: try ProbeRecording.read(path), name: path)
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
