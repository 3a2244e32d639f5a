import Foundation
import QEMUCapsDiff
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// Semantic diffs of the committed snapshots.
@Suite("Capability diff over capabilities-data")
struct CapabilityDiffTests {
  static let data = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data").path

  @Test("a document equals itself; binary fields count only when asked")
  func diffSame() throws {
    let document = try CapabilityIndex(path: "\(Self.data)/qemu-7.2.22.xml").build(version: nil).document
    var moved = document
    moved.qemu.binaryPath = "/opt/elsewhere/qemu-system-x86_64"
    #expect(CapabilityDiff(old: document, new: moved).isEqual)
    #expect(!CapabilityDiff(old: document, new: moved, options: .init(includeBinary: true)).isEqual)
  }

  @Test("a changed default, a removed and an added machine type are listed")
  func diffChanges() throws {
    let document = try CapabilityIndex(path: "\(Self.data)/qemu-7.2.22.xml").build(version: nil).document
    var machines = document.machines.filter { $0.name != "isapc" }
    if let index = machines.firstIndex(where: { $0.name == "pc-q35-6.0" }) {
      machines[index].outcome = .probed(
        pmDevice: "ICH9-LPC",
        options: [.acpiHotplugBridge: .supported(default: true), .acpiRootHotplug: .unsupported(reason: "none")])
    }
    machines.append(
      MachineCapabilities(
        name: "pc-q35-rhel9.6.0", alias: nil, isDefault: false, isDeprecated: false,
        outcome: .probed(pmDevice: "ICH9-LPC", options: [:])))
    let changed = CapabilityDocument(
      toolVersion: document.toolVersion, qemu: document.qemu, devices: document.devices, machines: machines)
    let diff = CapabilityDiff(old: document, new: changed)
    #expect(diff.removed == ["isapc"])
    #expect(diff.added == ["pc-q35-rhel9.6.0"])
    #expect(
      diff.changes.contains(
        CapabilityDiff.Change(
          machine: "pc-q35-6.0", field: "acpi-hotplug-bridge", old: .option(.supported(default: false)),
          new: .option(.supported(default: true)))))
    #expect(diff.lines.contains("~ pc-q35-6.0 acpi-hotplug-bridge: off -> on"))
  }
}
