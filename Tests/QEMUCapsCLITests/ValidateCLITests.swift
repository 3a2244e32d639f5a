import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `qemu-caps validate` end to end: output forms and exit statuses.
@Suite("qemu-caps validate")
struct ValidateCLITests {
  static let caps = Fixtures.capabilitiesData("qemu-7.2.22.xml")

  @Test("a valid domain exits 0: the arguments alone on stdout, notes with file:line: prefixes on stderr")
  func valid() throws {
    let path = Fixtures.domain("q35-6.0-bridge-off-default")
    let result = try Command.qemuCaps(["validate", path, "--caps", Self.caps]).expect(status: 0)
    #expect(result.standardOutput == "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off\n")
    #expect(result.standardError.hasPrefix("\(path):11: note: "), "\(result.standardError)")
    #expect(result.standardError.hasSuffix(" [option.default]\n"), "\(result.standardError)")
  }

  @Test("an invalid domain exits 1; --json prints the documented object")
  func invalid() throws {
    let result = try Command.qemuCaps(
      ["validate", Fixtures.domain("q35-root-hotplug-pm"), "--caps", Self.caps, "--json"]).expect(status: 1)
    let json = try JSON.parse(result.standardOutput)
    #expect(json.objectValue?.keys == ["schemaVersion", "valid", "machine", "diagnostics", "qemuArgs", "effective"])
    #expect(json["valid"] == false)
    #expect(json["machine"] == "pc-q35-7.2")
    #expect(json["qemuArgs"] == [])
    let diagnostic = try #require(json["diagnostics"]?.arrayValue?.first)
    #expect(diagnostic.objectValue?.keys == ["severity", "code", "message", "line"])
    #expect(diagnostic["code"] == "option.unsupported")
    #expect(diagnostic["line"] == 11)
  }

  @Test(
    "a setting on a machine type whose probe failed is unknown, not invalid: validate and convert exit 3, convert writes nothing",
    arguments: ["validate", "convert"])
  func failedProbeIsUnknown(command: String) throws {
    let data = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-5.2.0.xml").path
    let domain = Fixtures.repositoryRoot.appendingPathComponent(
      "Tests/QEMUCapsValidatorTests/Corpus/qemu-5.2.0/xenfv-failed-probe.xml"
    ).path
    let result = try Command.qemuCaps([command, domain, "--caps", data]).expect(status: 3)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.contains("could not be probed on machine type xenfv-3.1"), "\(result.standardError)")
    #expect(result.standardError.hasSuffix(" [machine.probe-failed]\n"), "\(result.standardError)")
    // Another error beside it makes the domain invalid whatever the probe would say.
    try TemporaryDirectory.with("failed-probe") { directory in
      let broken = directory.appendingPathComponent("domain.xml")
      try String(contentsOfFile: domain, encoding: .utf8)
        .replacingOccurrences(of: "<type arch='x86_64'", with: "<type arch='aarch64'")
        .write(to: broken, atomically: true, encoding: .utf8)
      #expect(try Command.qemuCaps([command, broken.path, "--caps", data]).status == 1)
    }
  }

  @Test(
    "malformed input exits 2 with the file and line, never a crash",
    arguments: ["broken-truncated", "broken-wrong-root", "broken-not-xml", "broken-external-entity"])
  func malformed(name: String) throws {
    let path = Fixtures.domain(name)
    let result = try Command.qemuCaps(["validate", path, "--caps", Self.caps]).expect(status: 2)
    #expect(result.standardError.hasPrefix("qemu-caps: error: \(path):"), "\(result.standardError)")
    #expect(!result.standardError.contains("root:x:0:0"))
  }

  @Test("an unreadable or broken capability file exits 2 naming it")
  func badCaps() throws {
    let missing = try Command.qemuCaps(
      ["validate", Fixtures.domain("no-options"), "--caps", "/no/such/caps.xml"]).expect(status: 2)
    #expect(missing.standardError.contains("/no/such/caps.xml"))
    let notCaps = try Command.qemuCaps(
      ["validate", Fixtures.domain("no-options"), "--caps", Fixtures.domain("no-options")]).expect(status: 2)
    #expect(notCaps.standardError.contains("expected <qemuCapabilities>"))
  }
}
