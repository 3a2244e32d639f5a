import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsQMP
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

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
    directory: String, fingerprint: BinaryFingerprint, failures: [String: String], inputs: InputFiles?
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
    try write(manifest.serialized(.pretty) + "\n", to: "\(directory)/\(manifestName)", inputs: inputs)
  }

  /// Remove the manifest of an earlier recording in `directory` before new
  /// transcripts are written.
  ///
  /// The manifest is written last, so a recording without one is incomplete: an
  /// interrupted or failed probe must not leave new transcripts beside an old
  /// manifest that replays as if they belonged together. A manifest that is not a
  /// regular file (a link the user made) is left alone and replaced at the end.
  static func discardManifest(directory: String) throws(ProbeError) {
    let path = "\(directory)/\(manifestName)"
    do {
      guard try Syscalls.linkStatus(path).isRegularFile else { return }
      try Syscalls.unlink(path)
    } catch  where error.errno == ENOENT {
      return
    } catch {
      throw ProbeError(.recording, "cannot remove the earlier manifest \(path): \(error.message)")
    }
  }

  /// The largest recording file read, against runaway inputs.
  static let maximumFileSize = 64 << 20

  /// Read a transcript or manifest of a recording, noting it in `inputs`.
  static func read(_ path: String, inputs: InputFiles?) throws(ProbeError) -> String {
    do {
      return String(decoding: try FileContents.read(path, limit: maximumFileSize, inputs: inputs), as: UTF8.self)
    } catch {
      throw ProbeError(.unreadableInput, "cannot read \(path): \(error)")
    }
  }

  /// Write a transcript or manifest of a recording, noting it in `inputs`.
  static func write(_ text: String, to path: String, inputs: InputFiles?) throws(ProbeError) {
    do {
      try OutputFile.write(text, to: path, inputs: inputs)
    } catch {
      throw ProbeError(.recording, "the recording: \(error)")
    }
  }
}
