import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `qemu-caps lookup` and `qemu-caps diff` end to end.
@Suite("qemu-caps lookup and diff", .liveQEMU)
struct LookupCLITests {
  static let data = Fixtures.capabilitiesData()

  /// `qemu-caps lookup` in the QEMU `version` snapshot of capabilities-data, for `machine`,
  /// with `arguments` added; expected to exit with `status`.
  static func lookup(
    _ version: String, _ machine: String, _ arguments: [String] = [], exits status: Int32,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Command.Result {
    try Command.qemuCaps(["lookup", "--caps", data, "--qemu-version", version, "--machine", machine] + arguments)
      .expect(status: status, sourceLocation: sourceLocation)
  }

  @Test("5.2's pc-q35-5.2 lacks the bridge option (exit 1 with a reason); 7.2's pc-q35-6.1 has it, default on")
  func exitStatuses() throws {
    let old = try Self.lookup("5.2", "pc-q35-5.2", ["--option", "acpi-hotplug-bridge"], exits: 1)
    #expect(old.standardOutput.contains("not supported: the ACPI PM device of machine type pc-q35-5.2, ICH9-LPC"))
    let new = try Self.lookup("7.2", "pc-q35-6.1", ["--option", "acpi-hotplug-bridge", "--json"], exits: 0)
    let json = try JSON.parse(new.standardOutput)
    #expect(json.objectValue?.keys == ["schemaVersion", "qemu", "machine", "option"])
    #expect(json["qemu"]?["version"] == "7.2.22")
    #expect(json["machine"]?["options"]?["acpi-hotplug-bridge"]?["default"] == true)
  }

  @Test(
    "lookup --json --option answers under the canonical name for every alias; on q35 root hotplug's reason advises",
    arguments: [
      (
        "pc-i440fx-7.2", "piix4.acpi-root-pci-hotplug", 0,
        ["name": "acpi-root-hotplug", "property": "acpi-root-pci-hotplug", "supported": true, "default": true] as JSON
      ),
      (
        "pc-i440fx-7.2", "acpi-root-pci-hotplug", 0,
        ["name": "acpi-root-hotplug", "property": "acpi-root-pci-hotplug", "supported": true, "default": true]
      ),
      (
        "pc-i440fx-1.7", "acpi-bridge-hotplug", 0,
        [
          "name": "acpi-hotplug-bridge", "property": "acpi-pci-hotplug-with-bridge-support", "supported": true,
          "default": false,
        ]
      ),
      (
        "pc-q35-6.0", "acpi-pci-hotplug-with-bridge-support", 0,
        [
          "name": "acpi-hotplug-bridge", "property": "acpi-pci-hotplug-with-bridge-support", "supported": true,
          "default": false,
        ]
      ),
      (
        "isapc", "acpi-hotplug-bridge", 1,
        [
          "name": "acpi-hotplug-bridge", "supported": false,
          "reason":
            "machine type isapc has no ACPI PM device (/machine/acpi-device does not exist in QEMU 7.2.22), so it has no ACPI PCI hotplug to configure",
        ]
      ),
    ] as [(String, String, Int32, JSON)])
  func jsonOption(machine: String, alias: String, status: Int32, expected: JSON) throws {
    let result = try Self.lookup("7.2", machine, ["--option", alias, "--json"], exits: status)
    let json = try JSON.parse(result.standardOutput)
    #expect(json["option"] == expected, "\(result.standardOutput)")
    #expect(json["schemaVersion"] == 3)
    #expect(try JSONSchema.violations(of: result.standardOutput, schema: "lookup") == [])
  }

  @Test("q35's acpi-root-hotplug: not supported, and the answer says what to do instead (text and JSON)")
  func q35RootAdvice() throws {
    let advice =
      "on q35, bus 0 (pcie-root) never hot-plugs; to turn hotplug off for a device, place it on a pcie-root-port with <target hotplug='off'/>"
    let text = try Self.lookup("7.2", "q35", ["--option", "piix4.acpi-root-pci-hotplug"], exits: 1)
    #expect(
      text.standardOutput.hasSuffix(
        "acpi-root-hotplug: not supported: the ACPI PM device of machine type pc-q35-7.2, ICH9-LPC, has no property acpi-root-pci-hotplug in QEMU 7.2.22; \(advice)\n"
      ), "\(text.standardOutput)")
    let json = try JSON.parse(
      try Self.lookup("7.2", "q35", ["--option", "acpi-root-hotplug", "--json"], exits: 1).standardOutput)
    #expect(json["option"]?["reason"]?.stringValue?.hasSuffix("; \(advice)") == true)
    // The machine object stays the probe's: the capability file's reason, without advice.
    #expect(
      json["machine"]?["options"]?["acpi-root-hotplug"]?["reason"]?.stringValue?.contains("pcie-root-port") == false)
    // i440fx has no such advice: it has the option.
    let i440fx = try Self.lookup("7.2", "pc", [], exits: 0)
    #expect(!i440fx.standardOutput.contains("pcie-root-port"))
  }

  @Test("11.1 still offers pc-q35-5.2, with the bridge option off by default, and no longer offers pc-q35-5.1")
  func qemu111() throws {
    let result = try Self.lookup("11.1", "pc-q35-5.2", ["--option", "acpi-hotplug-bridge"], exits: 0)
    #expect(result.standardOutput.contains("QEMU 11.1.3"))
    #expect(result.standardOutput.contains("acpi-hotplug-bridge: supported, default off"))
    let removed = try Self.lookup("11.1", "pc-q35-5.1", exits: 2)
    #expect(removed.standardError.contains("has no machine type 'pc-q35-5.1'"))
    // Suggestions as validate gives them (the family's newest, then the nearest versions),
    // not the list of every machine type.
    #expect(
      removed.standardError.contains("closest of its family (pc-q35): pc-q35-11.1, pc-q35-5.2"),
      "\(removed.standardError)")
    #expect(!removed.standardError.contains("pc-i440fx-6.0,"))
  }

  @Test("errors exit 2: unknown machine type, no matching version, unreadable file, unknown option")
  func errors() throws {
    for arguments in [
      ["--caps", Self.data, "--qemu-version", "7.2", "--machine", "pc-q35-99.0"],
      ["--caps", Self.data, "--qemu-version", "3.1", "--machine", "pc"],
      ["--caps", "/no/such/file.xml", "--machine", "pc"],
      ["--caps", Self.data, "--qemu-version", "7.2", "--machine", "pc", "--option", "acpi-everything"],
    ] {
      let result = try Command.qemuCaps(["lookup"] + arguments).expect(status: 2)
      #expect(result.standardError.hasPrefix("qemu-caps: error: "), "\(result.standardError)")
    }
  }

  @Test("a second --qemu lookup answers from the cache without starting QEMU")
  func cachedLookup() throws {
    try TemporaryDirectory.with("cli-cache") { scratch in
      let cache = scratch.appendingPathComponent("cache").path
      let log = scratch.appendingPathComponent("starts.log").path
      let qemu = try FakeQEMU.countingWrapper(log: log)
      defer { FakeQEMU.remove(qemu) }
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = cache
      let arguments = ["lookup", "--qemu", qemu, "--machine", "pc-i440fx-1.7", "--option", "acpi-hotplug-bridge"]
      let first = try Command.qemuCaps(arguments, environment: environment).expect(status: 0)
      #expect(first.standardOutput.contains("default off"))
      #expect(FakeQEMU.starts(log) == 2)
      let second = try Command.qemuCaps(arguments, environment: environment)
      #expect(second.standardOutput == first.standardOutput)
      #expect(FakeQEMU.starts(log) == 2, "the cached lookup started QEMU")
      #expect(FileManager.default.fileExists(atPath: "\(cache)/qemu-caps"))
    }
  }

  @Test("diff: two probes of the same binary are equal (exit 0); 5.2 against 7.2 differ (exit 1) in q35 types")
  func diff() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("diff") { scratch in
      let directory = scratch.path
      for name in ["a", "b"] {
        try Command.qemuCaps(["probe", "--qemu", qemu, "--output", "\(directory)/\(name).xml"]).expect(
          status: 0)
      }
      let same = try Command.qemuCaps(["diff", "\(directory)/a.xml", "\(directory)/b.xml"]).expect(status: 0)
      #expect(same.standardOutput == "no differences\n")
      let versions = try Command.qemuCaps([
        "diff", "\(Self.data)/qemu-5.2.0.xml", "\(Self.data)/qemu-7.2.22.xml", "--json",
      ]).expect(status: 1)
      let json = try JSON.parse(versions.standardOutput)
      #expect(json["equal"] == false)
      let changes = try #require(json["changes"]?.arrayValue)
      #expect(
        changes.contains {
          $0["machine"] == "pc-q35-5.2" && $0["field"] == "acpi-hotplug-bridge"
            && $0["new"] == ["supported": true, "default": false]
        })
      #expect(changes.contains { $0["machine"] == .null && $0["field"] == "version" })
      #expect(json["added"]?.arrayValue?.contains("pc-q35-7.2") == true)
    }
  }
}
