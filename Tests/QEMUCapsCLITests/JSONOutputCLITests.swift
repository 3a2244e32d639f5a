import Foundation
import QEMUCapsTestSupport
import Testing

/// Every JSON output of the command line stays JSON when QEMU's strings hold DEL, C1
/// or bidirectional controls: they are `\u` escapes, on a pipe, with `--pretty` and on
/// a terminal, checked with a JSON parser that is not ours (Python's).
@Suite("JSON outputs escape DEL, C1 and bidirectional controls as JSON")
struct JSONOutputCLITests {
  /// A package string with a control character of each kind.
  static let package = "only del \u{7F} csi \u{9B}2J c1 \u{80} bidi \u{202E} esc \u{1B}[31m"
  /// How Python's `json.dumps` writes it back (ASCII only): the value survived exactly.
  static let expected = #""only del \u007f csi \u009b2J c1 \u0080 bidi \u202e esc \u001b[31m""#

  /// `expression` (Python, over the parsed value `v`) of `json`, read by Python's json
  /// module and written back with `json.dumps`; the parse error when it is not JSON.
  static func python(_ json: String, _ expression: String) throws -> String {
    let result = try Command.run(
      "/usr/bin/python3",
      ["-c", "import json, sys\nv = json.loads(sys.stdin.read())\nprint(json.dumps(\(expression)))"],
      standardInput: json)
    return result.status == 0 ? String(result.standardOutput.dropLast()) : result.standardError
  }

  /// The DEL, C1 and bidirectional controls written raw in `text` (they must be escapes).
  static func rawControls(_ text: String) -> [String] {
    text.unicodeScalars.filter { scalar in
      scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
    }.map { String($0.value, radix: 16) }
  }

  /// Check one JSON output: exit status, no raw control, the package read back exactly.
  static func check(_ result: Command.Result, _ expression: String, status: Int32 = 0, _ label: String) throws {
    #expect(result.status == status, "\(label): \(result.standardError)")
    // Before: qmp printed "only del \x7f …", which no JSON parser reads.
    #expect(!result.standardOutput.contains(#"\x7f"#), "\(label): \(result.standardOutput)")
    #expect(rawControls(result.standardOutput).isEmpty, "\(label): \(rawControls(result.standardOutput))")
    #expect(try python(result.standardOutput, expression) == expected, "\(label): \(result.standardOutput)")
  }

  @Test("qmp prints QEMU's reply as JSON to a pipe, with --pretty, and to a terminal")
  func qmp() throws {
    let fake = try FakeQEMU.faulty(.none, package: Self.package)
    defer { FakeQEMU.remove(fake) }
    for extra in [[], ["--pretty"]] {
      let result = try Command.qemuCaps(["qmp", "--qemu", fake] + extra + ["query-version"])
      try Self.check(result, "v['package']", "qmp \(extra)")
    }
    // Standard output a terminal: a pseudo-terminal from Python's pty module.
    for extra in [[], ["--pretty"]] {
      var result = try Command.run(
        "/usr/bin/python3",
        ["-c", "import pty, sys\nsys.exit(pty.spawn(sys.argv[1:]) >> 8)", Command.qemuCapsExecutable, "qmp"]
          + extra + ["--qemu", fake, "query-version"])
      // The terminal writes each line end as CR LF.
      result.standardOutput = result.standardOutput.replacingOccurrences(of: "\r\n", with: "\n")
      try Self.check(result, "v['package']", "qmp \(extra) on a terminal")
    }
  }

  @Test("probe, list, lookup and diff --json, and a JSON error, write QEMU's strings as JSON escapes")
  func commands() throws {
    let fake = try FakeQEMU.faulty(.none, package: Self.package)
    defer { FakeQEMU.remove(fake) }
    try Self.check(
      try Command.qemuCaps(["probe", "--qemu", fake, "--format", "json"]), "v['qemu']['package']", "probe")
    try TemporaryDirectory.with("cli-json") { directory in
      let caps = directory.appendingPathComponent("fake.xml").path
      try Command.qemuCaps(["probe", "--qemu", fake, "--output", caps]).expect(status: 0)
      try Self.check(try Command.qemuCaps(["list", "--caps", caps, "--json"]), "v['qemu']['package']", "list")
      try Self.check(
        try Command.qemuCaps(["lookup", "--caps", caps, "--machine", "pc", "--json"]), "v['qemu']['package']",
        "lookup")
      let data = Fixtures.capabilitiesData("qemu-7.2.22.xml")
      try Self.check(
        try Command.qemuCaps(["diff", data, caps, "--json"]),
        "[c['new'] for c in v['changes'] if c['field'] == 'package'][0]", status: 1, "diff")
      let error = try Command.qemuCaps(["lookup", "--caps", caps, "--machine", "x\u{7F}\u{9B}", "--json"]).expect(
        status: 2)
      #expect(Self.rawControls(error.standardOutput).isEmpty, "\(error.standardOutput)")
      #expect(try Self.python(error.standardOutput, "'x\\x7f\\x9b' in v['error']['message']") == "true")
    }
  }
}
