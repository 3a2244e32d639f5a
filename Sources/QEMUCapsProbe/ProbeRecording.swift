import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
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
package enum ProbeRecording {
  /// The manifest's file name inside a recording directory.
  package static let manifestName = "probe.json"

  /// Make `directory` (or take the one there) to record into, without the manifest
  /// of an earlier recording.
  static func prepare(directory: String) throws(ProbeError) {
    do {
      try Syscalls.makeDirectory(directory)
    } catch {
      throw ProbeError(.recording, "cannot create the recording directory \(directory): \(error.message)")
    }
    // An existing file of that name is no error of mkdir.
    if let status = try? Syscalls.fileStatus(directory), status.kind != .directory {
      throw ProbeError(.recording, "cannot record into \(directory): it is \(status.kind.phrase), not a directory")
    }
    try discardManifest(directory: directory)
  }

  /// The fingerprint of the recorded binary and the failed machine types' messages,
  /// from the manifest of `directory`.
  ///
  /// - Throws: ``ProbeError`` with code `replay` when the manifest is missing or
  ///   malformed, `unreadableInput` when it cannot be read.
  static func readManifest(
    directory: String, inputs: InputFiles?
  ) throws(ProbeError) -> (fingerprint: BinaryFingerprint, failures: [String: String]) {
    try checkDirectory(directory)
    let manifestPath = "\(directory)/\(manifestName)"
    do {
      _ = try Syscalls.fileStatus(manifestPath)
    } catch  where error.errno == ENOENT {
      throw ProbeError(
        .replay,
        "\(directory) holds no complete recording: \(manifestName) is missing (it is written last, so the probe that recorded there was interrupted or failed, or the directory is not a recording)"
      )
    } catch {
      // Reading it below reports any other reason with the path.
    }
    let manifest: JSON
    do {
      manifest = try JSON.parse(try read(manifestPath, inputs: inputs))
    } catch let error as ProbeError {
      throw error
    } catch {
      throw ProbeError(.replay, "\(manifestPath): \(error)")
    }
    guard let binary = manifest["binary"], let path = binary["path"]?.stringValue,
      let size = binary["size"]?.intValue, let mtime = binary["mtime"]?.intValue,
      let sha256 = binary["sha256"]?.stringValue
    else {
      throw ProbeError(.replay, "\(manifestPath): the manifest lacks binary path, size, mtime or sha256")
    }
    // Numbers from a file are checked: nanoseconds since 1970 must fit (years up to 2262).
    guard size >= 0, (0...9_223_372_035).contains(mtime) else {
      throw ProbeError(
        .replay,
        "\(manifestPath): binary size \(size) or mtime \(mtime) is out of range (size at least 0, mtime from 0 to 9223372035 seconds)"
      )
    }
    guard QEMUBuildInfo.isSHA256(sha256) else {
      throw ProbeError(.replay, "\(manifestPath): binary sha256 '\(sha256)' is not hexadecimal")
    }
    let fingerprint = BinaryFingerprint(
      path: path, size: size, modificationTimeNanoseconds: mtime * 1_000_000_000, changeTimeNanoseconds: 0,
      sha256: sha256)
    let failures = (manifest["failures"]?.objectValue ?? JSONObject()).reduce(into: [String: String]()) {
      $0[$1.key] = $1.value.stringValue ?? ""
    }
    return (fingerprint, failures)
  }

  /// Throw a `replay` error unless `directory` is a directory (or cannot be
  /// examined: reading it reports that reason with the path).
  private static func checkDirectory(_ directory: String) throws(ProbeError) {
    let kind: FileStatus.Kind
    do {
      kind = try Syscalls.fileStatus(directory).kind
    } catch  where error.errno == ENOENT {
      throw notARecording(directory, "no such directory")
    } catch {
      return
    }
    guard kind == .directory else { throw notARecording(directory, "it is \(kind.phrase), not a directory") }
  }

  private static func notARecording(_ directory: String, _ reason: String) -> ProbeError {
    ProbeError(.replay, "cannot replay \(directory): \(reason); give the directory a recording probe wrote")
  }

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
  private static func discardManifest(directory: String) throws(ProbeError) {
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
