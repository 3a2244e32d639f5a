import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `qemu-caps probe` end to end: files, formats, exit statuses.
@Suite("qemu-caps probe", .liveQEMU)
struct ProbeCLITests {
  @Test("--format json prints the documented shape for the selected machine types")
  func json() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let result = try Command.qemuCaps(
      ["probe", "--qemu", qemu, "--format", "json", "--machines", "pc", "isapc"]).expect(status: 0)
    let json = try JSON.parse(result.standardOutput)
    #expect(json["schemaVersion"] == 2)
    #expect(json["qemu"]?["binary"] == .string(qemu))
    let machines = try #require(json["machines"]?.arrayValue)
    let pc = try #require(try SystemQEMU.machineHelp(of: qemu).aliases["pc"])
    #expect(machines.compactMap { $0["name"]?.stringValue } == ["isapc", pc])
    #expect(machines[1]["options"]?["acpi-root-hotplug"]?["default"] == true)
    #expect(machines[0]["options"]?["acpi-root-hotplug"]?["supported"] == false)
  }

  @Test("--output writes the file atomically and leaves no temporary file")
  func output() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("cli-out") { scratch in
      let directory = scratch.path
      let output = "\(directory)/caps.xml"
      let result = try Command.qemuCaps([
        "probe", "--qemu", qemu, "--output", output, "--machines", "q35*", "--jobs", "2",
      ]).expect(status: 0)
      #expect(result.standardOutput.isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["caps.xml"])
      let text = try String(contentsOfFile: output, encoding: .utf8)
      #expect(text.hasPrefix("<?xml"))
      let q35 = try #require(try SystemQEMU.machineHelp(of: qemu).aliases["q35"])
      #expect(text.contains("name=\"\(q35)\" alias=\"q35\""))
    }
  }

  @Test("a missing binary and an unwritable output exit 2 with a message naming them")
  func errors() throws {
    let missing = try Command.qemuCaps(["probe", "--qemu", "/no/such/qemu"]).expect(status: 2)
    #expect(missing.standardError.contains("/no/such/qemu"))

    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let unwritable = try Command.qemuCaps([
      "probe", "--qemu", qemu, "--machines", "isapc", "--output", "/no/such/dir/caps.xml",
    ]).expect(status: 2)
    #expect(unwritable.standardError.contains("/no/such/dir/caps.xml"))

    try TemporaryDirectory.with("cli-binary") { scratch in
      let plainFile = scratch.appendingPathComponent("not-executable").path
      try "not a program".write(toFile: plainFile, atomically: true, encoding: .utf8)
      let notExecutable = try Command.qemuCaps(["probe", "--qemu", plainFile]).expect(status: 2)
      #expect(notExecutable.standardError.contains("\(plainFile): it is not executable"))
    }
  }

  @Test("--replay rebuilds the committed 7.2 snapshot without QEMU")
  func replay() throws {
    let root = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data")
    let result = try Command.qemuCaps([
      "probe", "--replay", root.appendingPathComponent("qemu-7.2.22.transcripts").path,
    ]).expect(status: 0)
    #expect(
      result.standardOutput == (try String(contentsOf: root.appendingPathComponent("qemu-7.2.22.xml"), encoding: .utf8))
    )
  }
}
