import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// The prober on Debian's other QEMU releases, run side by side (scripts/fetch-qemu-builds).
@Suite("Prober against other real QEMU releases", .liveQEMU)
struct MultiVersionTests {
  static func probe(_ suite: String) throws -> CapabilityDocument {
    let wrapper = try Requirement.qemuBuilds.require(QEMUBuilds.wrapper(suite))
    return try ProbeTestSupport.probe(wrapper)
  }

  @Test("every build matches the ground truth of BRIEF section 2", arguments: QEMUBuilds.suites.map(\.0))
  func groundTruth(suite: String) throws {
    let document = try Self.probe(suite)
    let expected = try #require(QEMUBuilds.suites.first { $0.0 == suite }?.1)
    #expect(document.qemu.version.matches(expected))
    ProbeTestSupport.expectGroundTruth(document)
    #expect(document.machines.contains { $0.name == "none" })
  }

  @Test("QEMU 5.2: no q35 machine type has the ICH9-LPC bridge switch; old pc-1.x names default it off")
  func qemu52() throws {
    let document = try Self.probe("bullseye")
    let q35 = document.machines.filter { $0.pmDevice == "ICH9-LPC" }
    #expect(q35.count >= 15)
    #expect(q35.allSatisfy { $0.option(.acpiHotplugBridge).isSupported == false })
    #expect(document.device("ICH9-LPC")?.property("acpi-pci-hotplug-with-bridge-support") == nil)
    for name in ["pc-1.0", "pc-1.1", "pc-1.2", "pc-1.3"] {
      #expect(document.machine(named: name)?.option(.acpiHotplugBridge).defaultValue == false, "\(name)")
    }
    // Xen machine types cannot start here; they fail alone.
    let failed = document.machines.filter { $0.error != nil }.map(\.name)
    #expect(failed.allSatisfy { $0.hasPrefix("xen") }, "\(failed)")
  }

  @Test("QEMU 10.0: no pc-i440fx-1.x machine types; q35 defaults flip at 6.1")
  func qemu100() throws {
    let document = try Self.probe("trixie")
    #expect(!document.machines.contains { $0.name.hasPrefix("pc-i440fx-1.") })
    #expect(document.machine(named: "pc-q35-6.0")?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(document.machine(named: "pc-q35-6.1")?.option(.acpiHotplugBridge).defaultValue == true)
    #expect(document.machine(named: "q35")?.name == "pc-q35-10.0")
    #expect(document.machines.allSatisfy { $0.error == nil })
  }

  @Test("QEMU 11.1: machine types start at 5.2; q35 defaults flip at 6.1; only nitro may fail")
  func qemu111() throws {
    let document = try Self.probe("sid")
    let versioned = document.machines.filter { $0.name.hasPrefix("pc-i440fx-") || $0.name.hasPrefix("pc-q35-") }
    #expect(versioned.first { $0.name.hasPrefix("pc-i440fx-") }?.name == "pc-i440fx-5.2")
    #expect(versioned.first { $0.name.hasPrefix("pc-q35-") }?.name == "pc-q35-5.2")
    #expect(versioned.count == 36, "\(versioned.map(\.name))")
    #expect(document.machine(named: "pc-q35-6.0")?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(document.machine(named: "pc-q35-6.1")?.option(.acpiHotplugBridge).defaultValue == true)
    #expect(document.machine(named: "q35")?.name == "pc-q35-11.1")
    #expect(document.machine(named: "pc")?.name == "pc-i440fx-11.1")
    // Types older than 3 years are deprecated (QEMU 9.1 policy): 5.2 yes, 11.1 no.
    #expect(document.machine(named: "pc-q35-5.2")?.isDeprecated == true)
    #expect(document.machine(named: "pc-q35-11.1")?.isDeprecated == false)
    // nitro (Nitro Enclaves) needs memory QEMU cannot map here (BRIEF: it may fail); nothing else may.
    let failed = document.machines.filter { $0.error != nil }.map(\.name)
    #expect(failed.allSatisfy { $0 == "nitro" }, "\(failed)")
  }

  /// The committed 11.x snapshot, read back.
  static func snapshot111() throws -> CapabilityDocument {
    let directory = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    let name = try #require(
      names.filter { $0.hasPrefix("qemu-11.1.") && $0.hasSuffix(".xml") }.sorted().last,
      "capabilities-data has no QEMU 11.1 snapshot")
    let url = directory.appendingPathComponent(name)
    return try CapabilityXMLReader.read(Array(try Data(contentsOf: url)), file: url.path)
  }

  @Test("the committed 11.1 snapshot agrees with a raw qom-get through /machine/acpi-device on every machine type")
  func snapshotMatchesIndependentReading() async throws {
    let wrapper = try Requirement.qemuBuilds.require(QEMUBuilds.wrapper("sid"))
    let snapshot = try Self.snapshot111()
    let version = try SystemQEMU.versionLine(of: wrapper)
    #expect(version.contains("QEMU emulator version \(snapshot.qemu.version) "), "\(version)")
    let properties = HotplugOption.allCases.map(\.property)
    var compared = 0
    for machine in snapshot.machines {
      let name = machine.name
      let live = try await Blocking.run {
        try RawQMPReading.read(binary: wrapper, machine: name, properties: properties)
      }
      if let error = machine.error {
        #expect(live.failure != nil, "\(machine.name) failed in the snapshot (\(error)) but starts live")
        continue
      }
      compared += 1
      #expect(live.failure == nil, "\(machine.name): \(live.failure ?? "")")
      #expect(live.pmDevice == machine.pmDevice, "\(machine.name) PM device")
      for (option, capability) in machine.options {
        #expect(
          live.values[option.property] == capability.defaultValue,
          "\(machine.name) \(option): live \(live.values[option.property].map(\.onOff) ?? "absent")")
      }
    }
    #expect(compared >= 40)
  }
}
