import Foundation
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// The prober on Debian's other QEMU releases, run side by side (scripts/fetch-qemu-builds).
@Suite("Prober against other real QEMU releases", .liveQEMU)
struct MultiVersionTests {
  static func probe(_ suite: String) throws -> CapabilityDocument {
    let wrapper = try #require(QEMUBuilds.wrapper(suite), Comment(rawValue: QEMUBuilds.installHint))
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
}
