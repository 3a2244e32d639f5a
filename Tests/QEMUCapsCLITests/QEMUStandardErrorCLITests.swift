import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// QEMU's stderr quoted in an error (docs/cli.md, "Terminal escapes"): several indented
/// lines on a terminal, one line elsewhere, one line of JSON under `--json`; control
/// characters escaped everywhere.
@Suite("QEMU's stderr in an error: lines on a terminal, one line elsewhere", .serialized)
struct QEMUStandardErrorCLITests {
  /// A QEMU that says three lines on stderr, one indented and one with an escape
  /// sequence, and exits before QMP starts.
  static func withTalkingQEMU(_ body: (String) throws -> Void) throws {
    let fake = try FakeQEMU.make(
      "fake-qemu-stderr",
      body: #"printf 'qemu-system-x86_64: first line\n  second line\n\033[31mred\n' >&2; exit 1"#)
    defer { FakeQEMU.remove(fake) }
    try body(fake)
  }

  @Test("on a terminal each of QEMU's lines is a line of its own, indented, still escaped")
  func terminal() throws {
    try Self.withTalkingQEMU { fake in
      // script(1) gives the command a terminal; its standard output is thrown away, so
      // what script copies out is standard error alone.
      let command = "exec '\(Command.qemuCapsExecutable)' probe --qemu '\(fake)' >/dev/null"
      let result = try Command.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"])
      #expect(result.status == 2, "\(result.standardOutput)")
      // The terminal writes a line break as CR LF; probe's progress line is cleared first.
      let lines = result.standardOutput.replacingOccurrences(of: "\r\n", with: "\n")
        .replacingOccurrences(of: "\r\u{1B}[K", with: "").replacingOccurrences(of: "\u{1B}[K", with: "")
        .split(separator: "\n")
      #expect(lines.count == 3, "\(result.standardOutput)")
      guard lines.count == 3 else { return }
      #expect(lines[0].hasPrefix("qemu-caps: error: "), "\(lines[0])")
      #expect(lines[0].hasSuffix(": qemu-system-x86_64: first line"), "\(lines[0])")
      #expect(lines[1] == "      second line")
      // Before: the escape sequence reached the terminal only as \x1b, and so it stays.
      #expect(lines[2] == #"    \x1b[31mred"#)
    }
  }

  @Test("to a pipe the error stays one line, line breaks escaped; --json keeps one JSON line")
  func pipeAndJSON() throws {
    try Self.withTalkingQEMU { fake in
      let result = try Command.qemuCaps(["probe", "--qemu", fake]).expect(status: 2)
      let lines = result.standardError.split(separator: "\n")
      #expect(lines.count == 1, "\(result.standardError)")
      #expect(result.standardError.contains(#"first line\x0a  second line\x0a\x1b[31mred"#), "\(result.standardError)")

      let json = try Command.qemuCaps(["probe", "--qemu", fake, "--format", "json"]).expect(status: 2)
      #expect(json.standardOutput.split(separator: "\n").count == 1, "\(json.standardOutput)")
      let message = try #require(try JSON.parse(json.standardOutput)["error"]?["message"]?.stringValue)
      #expect(message.hasSuffix("first line\n  second line\n\u{1B}[31mred"), "\(message)")
    }
  }
}
