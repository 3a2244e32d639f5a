import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// End-to-end tests of the built `qemu-caps` executable: stdout, stderr and exit status.
@Suite("qemu-caps command line", .liveQEMU)
struct CLITests {
  @Test("--help names the subcommands; --version prints the version")
  func helpAndVersion() throws {
    let help = try Command.qemuCaps(["--help"]).expect(status: 0)
    #expect(help.standardOutput.contains("qmp"))
    #expect(help.standardOutput.contains("USAGE: qemu-caps"))
    let version = try Command.qemuCaps(["--version"]).expect(status: 0)
    #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
  }

  @Test("qmp prints the reply as JSON")
  func qmpPrintsReply() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let result = try Command.qemuCaps([
      "qmp", "--qemu", qemu, "--machine", "q35", "qom-get", #"{"path": "/machine/acpi-device", "property": "type"}"#,
    ]).expect(status: 0)
    #expect(try JSON.parse(result.standardOutput) == "ICH9-LPC")
    #expect(ProcessTable.leftoverQEMU().isEmpty)
  }

  @Test("qmp exits 1 with QMP's class and description on an error reply")
  func qmpErrorReply() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let result = try Command.qemuCaps([
      "qmp", "--qemu", qemu, "--machine", "isapc", "qom-get",
      #"{"path": "/machine/acpi-device", "property": "type"}"#,
    ]).expect(status: 1)
    #expect(result.standardError.contains("DeviceNotFound"))
    #expect(result.standardOutput.isEmpty)
  }

  @Test("qmp exits 2 quoting QEMU for an unknown machine type, and for a missing binary or bad JSON")
  func qmpStartFailures() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let unknown = try Command.qemuCaps(
      ["qmp", "--qemu", qemu, "--machine", "pc-i440fx-0.1", "query-version"]).expect(status: 2)
    #expect(unknown.standardError.contains("pc-i440fx-0.1"))
    #expect(unknown.standardError.contains("unsupported machine type"))

    let missing = try Command.qemuCaps(["qmp", "--qemu", "/nonexistent/qemu", "query-version"]).expect(status: 2)
    #expect(missing.standardError.contains("/nonexistent/qemu"))

    let badJSON = try Command.qemuCaps(["qmp", "--qemu", qemu, "qom-get", "{path"]).expect(status: 2)
    #expect(badJSON.standardError.contains("not valid JSON"))
  }

  @Test("qmp --record writes a replayable .replies file")
  func qmpRecord() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("cli-qmp") { scratch in
      let path = scratch.appendingPathComponent("session.replies").path
      try Command.qemuCaps(["qmp", "--qemu", qemu, "--record", path, "query-target"]).expect(status: 0)
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text.contains(#""execute": "query-target""#))
      #expect(text.contains("\n\n"))
    }
  }
}
