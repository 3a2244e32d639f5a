import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// The same inputs through the probe cache, with the real QEMU.
@Suite("output contract with a live QEMU", .liveQEMU)
struct OutputContractLiveTests {
  @Test("validate --qemu BIN probes only the domain's machine type through the cache, and matches --caps")
  func validateWithBinary() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("validate") { cacheDirectory in
      let cache = cacheDirectory.path
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = cache
      let domain = Fixtures.domain("q35-6.0-bridge-off-default")
      let live = try Command.qemuCaps(["validate", domain, "--qemu", qemu], environment: environment).expect(status: 0)
      #expect(live.standardOutput == "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off\n")
      // One entry, and the lock file beside it.
      let entries = try FileManager.default.contentsOfDirectory(atPath: "\(cache)/qemu-caps")
      #expect(entries.filter { $0.hasSuffix(".json") }.count == 1, "\(entries)")
      #expect(entries.count == 2, "\(entries)")
      let json = try Command.qemuCaps(["validate", domain, "--qemu", qemu, "--json"], environment: environment)
      try OutputContractTests.checkJSON(json, schema: "validate")
      #expect(try JSON.parse(json.standardOutput)["machine"] == "pc-q35-6.0")
      let lookup = try Command.qemuCaps(
        ["lookup", "--qemu", qemu, "--machine", "q35", "--json"], environment: environment)
      try OutputContractTests.checkJSON(lookup, schema: "lookup")
    }
  }

  @Test(
    "validate --qemu BIN with a machine type the binary lacks is the domain's machine.unknown error, as with --caps")
  func unknownMachineWithBinary() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("validate") { cacheDirectory in
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = cacheDirectory.path
      let domain = Fixtures.domain("unknown-machine-old-family")
      let live = try Command.qemuCaps(
        ["validate", domain, "--qemu", qemu, "--json"], environment: environment
      ).expect(status: 1)
      try OutputContractTests.checkJSON(live, schema: "validate")
      let parsed = try JSON.parse(live.standardOutput)
      #expect(parsed["valid"] == false)
      #expect(live.standardOutput.contains("\"machine.unknown\""))
      #expect(live.standardOutput.contains("closest of its family (pc-i440fx)"), "\(live.standardOutput)")
      let text = try Command.qemuCaps(["validate", domain, "--qemu", qemu], environment: environment).expect(status: 1)
      #expect(text.standardError.contains("[machine.unknown]"), "\(text.standardError)")
    }
  }
}
