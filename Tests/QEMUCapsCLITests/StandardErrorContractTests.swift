import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// Every line on standard error is in the output contract's one format (docs/cli.md, "Output
/// for scripts"): `qemu-caps: error|warning|note: …`, or a finding `FILE:LINE: severity:
/// message [code]`; usage errors and log warnings included.
@Suite("standard error: one format for usage errors and log lines")
struct StandardErrorContractTests {
  static let data = Fixtures.capabilitiesData()
  static let caps = "\(data)/qemu-7.2.22.xml"

  /// The lines of `text` that are not in the contract's format.
  static func strayLines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter { line in
      line.wholeMatch(of: /qemu-caps: (error|warning|note): .+/) == nil
        && line.wholeMatch(of: /[^ ]+:([0-9]+:)? (error|warning|note): .+ \[[a-z0-9.-]+\]/) == nil
    }
  }

  @Test(
    "a usage error is one line, 'qemu-caps: error: …; see …', exit 2; with --json also one JSON object",
    arguments: [
      // Before: ArgumentParser's "Help:", "Usage:" and "See …" lines followed the error.
      (["lookup", "--caps", caps], "lookup"),
      (["lookup", "--caps", caps, "--machine"], "lookup"),
      (["lookup", "--machine", "pc", "--qemu-version", "7.2"], "lookup"),
      (["lookup", "--caps", caps, "--machine", "pc", "--bogus"], "lookup"),
      (["validate"], "validate"),
      (["diff", caps], "diff"),
      (["report", "--format", "pdf"], "report"),
      (["probe", "--jobs", "0"], "probe"),
      (["qmp", "--timeout", "0", "query-version"], "qmp"),
      (["list", "--caps", caps, "--qemu", "qemu-system-x86_64"], "list"),
      (["convert", "guest.xml", "--caps", caps, "--refresh"], "convert"),
      (["bogus"], nil),
      (["--bogus"], nil),
      // Before: the general help and exit 0.
      (["help", "bogus"], nil),
      // Before: help on standard output and exit 0, as if something had been done.
      ([], nil),
    ] as [([String], String?)])
  func usageErrors(arguments: [String], command: String?) throws {
    let help = command.map { "qemu-caps \($0) --help" } ?? "qemu-caps --help"
    let result = try Command.qemuCaps(arguments).expect(status: 2)
    #expect(result.standardOutput == "", "\(arguments)")
    let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "\(arguments): \(result.standardError)")
    #expect(Self.strayLines(result.standardError) == [], "\(arguments)")
    #expect(result.standardError.hasSuffix("; see '\(help)'\n"), "\(arguments): \(result.standardError)")
    #expect(!result.standardError.contains(".;"), "\(arguments): \(result.standardError)")

    let json = try Command.qemuCaps(arguments + ["--json"])
    #expect(json.status == 2, "\(arguments) --json")
    let object = try JSON.parse(json.standardOutput)
    #expect(object["error"]?["code"] == "usage", "\(arguments): \(json.standardOutput)")
    let message = try #require(object["error"]?["message"]?.stringValue)
    #expect(json.standardError.contains("qemu-caps: error: \(message)\n"), "\(arguments): \(json.standardError)")
    #expect(Self.strayLines(json.standardError) == [], "\(arguments) --json")
  }

  @Test("a number given on the command line is quoted as given: '--timeout 0', not 0.0")
  func numberAsGiven() throws {
    let result = try Command.qemuCaps(["qmp", "--timeout", "0", "query-version"]).expect(status: 2)
    #expect(result.standardError.contains("from 0.01 to 3600, not 0;"), "\(result.standardError)")
  }

  @Test("a version that is not one names the flag it came with")
  func badVersionFlag() throws {
    let diff = try Command.qemuCaps(
      ["diff", Self.data, Self.data, "--old-version", "7.2", "--new-version", "y"]).expect(status: 2)
    #expect(
      diff.standardError.hasSuffix("such as 7, 7.2 or 7.2.22; it was given with --new-version\n"),
      "\(diff.standardError)")
    let lookup = try Command.qemuCaps(
      ["lookup", "--caps", Self.data, "--qemu-version", "v7", "--machine", "pc"]).expect(status: 2)
    #expect(lookup.standardError.hasSuffix("; it was given with --qemu-version\n"), "\(lookup.standardError)")
  }

  @Test("'or pass --qemu PATH' only when --qemu was not given")
  func qemuHint() throws {
    // Before: "cannot run /nonexistent/qemu: no such file; or pass --qemu PATH".
    for arguments in [
      ["probe", "--qemu", "/nonexistent/qemu"], ["qmp", "--qemu", "/nonexistent/qemu", "query-version"],
      ["lookup", "--qemu", "/nonexistent/qemu", "--machine", "pc"], ["list", "--qemu", "no-such-qemu"],
    ] {
      let result = try Command.qemuCaps(arguments).expect(status: 2)
      #expect(result.standardError.hasPrefix("qemu-caps: error: cannot run "), "\(arguments): \(result.standardError)")
      #expect(!result.standardError.contains("--qemu"), "\(arguments): \(result.standardError)")
    }
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = "/nonexistent"
    for arguments in [["probe"], ["qmp", "query-version"]] {
      let result = try Command.qemuCaps(arguments, environment: environment).expect(status: 2)
      #expect(result.standardError.hasSuffix("; or pass --qemu PATH\n"), "\(arguments): \(result.standardError)")
    }
  }

  @Test("a log warning (a cache directory others may write) is 'qemu-caps: warning: …'; --quiet silences it")
  func logWarning() throws {
    try TemporaryDirectory.with("stderr-format") { directory in
      let cache = directory.appendingPathComponent("qemu-caps").path
      try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: false)
      #expect(chmod(cache, 0o777) == 0)
      let fake = try FakeQEMU.faulty(.none)
      defer { FakeQEMU.remove(fake) }
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = directory.path
      let question = ["lookup", "--qemu", fake, "--machine", "pc-q35-7.2", "--option", "acpi-hotplug-bridge"]
      let loud = try Command.qemuCaps(question, environment: environment).expect(status: 0)
      // Before: "2026-11-29T04:57:33.934Z warning qemu-caps: [reason=…] not using the probe cache".
      #expect(
        loud.standardError.hasPrefix("qemu-caps: warning: not using the probe cache (reason: \(cache): "),
        "\(loud.standardError)")
      #expect(Self.strayLines(loud.standardError) == [], "\(loud.standardError)")
      let quiet = try Command.qemuCaps(question + ["--quiet"], environment: environment)
      #expect(quiet.status == 0 && quiet.standardError == "", "\(quiet.standardError)")
      let debug = try Command.qemuCaps(question + ["--log-level", "debug"], environment: environment)
      #expect(debug.standardError.contains("qemu-caps: debug: "), "\(debug.standardError)")
      let logLines = Self.strayLines(debug.standardError).filter {
        $0.wholeMatch(of: /qemu-caps: (trace|debug|info|notice): [0-9T:.-]+Z .+/) == nil
      }
      #expect(logLines == [], "\(debug.standardError)")
    }
  }
}
