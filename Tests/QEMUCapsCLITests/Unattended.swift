import Foundation
import QEMUCapsTestSupport

/// Shell-level checks for unattended use: each scenario runs `/bin/sh -c SCRIPT` under
/// `timeout`, with `$QC` the built qemu-caps, `$REPO` the repository, `$T` a fresh
/// private temporary directory, `$REPLAY` and `$CAPS` the committed 7.2 transcripts and
/// capability file, so a hang fails the test instead of blocking it.
enum Unattended {
  struct Outcome {
    var status: Int32
    var output: String
    var error: String
    var seconds: Double
    /// The directory the script ran in (`$T`).
    var directory: String
    /// The fake QEMU it had as `$FAKE`, if any.
    var fake: String?
  }

  /// Run `body` with the path of a fresh private temporary directory (``TemporaryDirectory``),
  /// removed however `body` ends.
  static func withDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    try TemporaryDirectory.with("unattended") { try body($0.path) }
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
    full["REPLAY"] = replay
    full["CAPS"] = capabilities
    for (key, value) in environment { full[key] = value }
    let result = try Command.run(
      "/usr/bin/timeout", ["-s", "KILL", "\(limit)", "/bin/sh", "-c", script], environment: full)
    return Outcome(
      status: result.status, output: result.standardOutput, error: result.standardError, seconds: result.seconds,
      directory: directory, fake: environment["FAKE"])
  }

  /// Run `script` as ``run(_:in:environment:clean:limit:)`` does, in a fresh directory, with
  /// `$FAKE` a fake QEMU with `fake` when one is given; `check` the outcome while the
  /// directory (``Outcome/directory``) and the fake are still there.
  static func run<Result>(
    _ script: String, fake: FakeQEMU.Fault? = nil, environment: [String: String] = [:], clean: Bool = false,
    check: (Outcome) throws -> Result
  ) throws -> Result {
    try withDirectory { directory in
      let qemu = try fake.map { try FakeQEMU.faulty($0) }
      defer { qemu.map(FakeQEMU.remove) }
      var environment = environment
      environment["FAKE"] = qemu
      return try check(try run(script, in: directory, environment: environment, clean: clean))
    }
  }

  /// The replay directory of the committed 7.2 snapshot: a probe without QEMU.
  static var replay: String {
    Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.transcripts").path
  }

  /// The committed 7.2 capability file.
  static var capabilities: String {
    Fixtures.capabilitiesData("qemu-7.2.22.xml")
  }
}
