import Foundation
import QEMUCapsTestSupport

/// Shell-level checks for unattended use: each scenario runs `/bin/sh -c SCRIPT` under
/// `timeout`, with `$QC` the built qemu-caps, `$REPO` the repository, `$T` a fresh
/// private temporary directory, so a hang fails the test instead of blocking it.
enum Unattended {
  struct Outcome {
    var status: Int32
    var output: String
    var error: String
    var seconds: Double
  }

  /// A fresh private temporary directory (``TemporaryDirectory``), removed through ``remove(_:)``.
  static func temporaryDirectory() throws -> String {
    try TemporaryDirectory.create("unattended").path
  }

  static func remove(_ directory: String) {
    TemporaryDirectory.remove(URL(fileURLWithPath: directory))
  }

  /// Run `script` with a `limit` (in seconds) that only ends a hung run; `environment` is added
  /// to (or, with `clean`, replaces) ours.
  static func run(
    _ script: String, in directory: String, environment: [String: String] = [:], clean: Bool = false,
    limit: Int = 120
  ) throws -> Outcome {
    var full = clean ? ["PATH": "/usr/local/bin:/usr/bin:/bin"] : ProcessInfo.processInfo.environment
    full["QC"] = Command.qemuCapsExecutable
    full["REPO"] = Fixtures.repositoryRoot.path
    full["T"] = directory
    for (key, value) in environment { full[key] = value }
    let result = try Command.run(
      "/usr/bin/timeout", ["-s", "KILL", "\(limit)", "/bin/sh", "-c", script], environment: full)
    return Outcome(
      status: result.status, output: result.standardOutput, error: result.standardError, seconds: result.seconds)
  }

  /// The replay directory of the committed 7.2 snapshot: a probe without QEMU.
  static var replay: String {
    Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.transcripts").path
  }

  /// The committed 7.2 capability file.
  static var capabilities: String {
    Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.xml").path
  }
}
