import Foundation
import QEMUCapsDiff
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// Semantic diffs of the committed snapshots.
@Suite("Capability diff over capabilities-data")
struct CapabilityDiffTests {
  /// The committed snapshot of QEMU `version`.
  static func snapshot(_ version: String) throws -> CapabilityDocument {
    try CapabilityIndex(path: Fixtures.capabilitiesData("qemu-\(version).xml")).build(version: nil).document
  }

  @Test("a document equals itself; binary fields count only when asked")
  func diffSame() throws {
    let document = try Self.snapshot("7.2.22")
    var moved = document
    moved.qemu.binaryPath = "/opt/elsewhere/qemu-system-x86_64"
    #expect(CapabilityDiff(old: document, new: moved).isEqual)
    #expect(!CapabilityDiff(old: document, new: moved, options: .init(includeBinary: true)).isEqual)
  }

  @Test("a changed default, a removed and an added machine type are listed")
  func diffChanges() throws {
    let document = try Self.snapshot("7.2.22")
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

  /// `document` with every reason and failure text reworded, nothing else changed.
  static func reworded(_ document: CapabilityDocument) -> CapabilityDocument {
    var result = document
    result.machines = document.machines.map { machine in
      var machine = machine
      switch machine.outcome {
      case .failed(let message):
        machine.outcome = .failed(message + " (reworded)")
      case .probed(let device, let options):
        machine.outcome = .probed(
          pmDevice: device,
          options: options.mapValues { capability in
            guard case .unsupported(let reason) = capability else { return capability }
            return .unsupported(reason: reason + " (reworded)")
          })
      }
      return machine
    }
    return result
  }

  @Test("a reason or failure text that changes alone is no change, between real builds and in one build")
  func reasonsAlone() throws {
    let old = try Self.snapshot("7.2.22")
    let new = try Self.snapshot("10.0.13")
    let diff = CapabilityDiff(old: old, new: new)
    // Before: 32 changes such as "~ isapc acpi-hotplug-bridge: unsupported -> unsupported".
    for change in diff.changes {
      #expect(change.old.json != change.new.json, "\(change)")
      #expect(change.old.description != change.new.description, "\(change)")
    }
    #expect(!diff.lines.contains { $0.hasPrefix("~ isapc ") || $0.hasPrefix("~ none ") }, "\(diff.lines)")
    #expect(diff.lines.contains("~ pc-i440fx-7.2 default: yes -> no"))
    let failing = try Self.snapshot("11.1.3")
    #expect(failing.machines.contains { $0.error != nil }, "11.1.3 lost its failed machine type")
    for document in [old, failing] {
      #expect(CapabilityDiff(old: document, new: Self.reworded(document)).isEqual)
    }
  }

  @Test("with includeReasons, reworded reasons and failures are changes of their own fields")
  func reasonsIncluded() throws {
    let document = try Self.snapshot("11.1.3")
    let diff = CapabilityDiff(
      old: document, new: Self.reworded(document), options: .init(includeReasons: true))
    #expect(!diff.isEqual)
    #expect(Set(diff.changes.map(\.field)) == ["failure", "acpi-hotplug-bridge.reason", "acpi-root-hotplug.reason"])
    let isapc = try #require(
      diff.changes.first { $0.machine == "isapc" && $0.field == "acpi-hotplug-bridge.reason" })
    guard case .text(let before) = isapc.old, case .text(let after) = isapc.new else {
      Issue.record("\(isapc)")
      return
    }
    #expect(after == before + " (reworded)")
    #expect(diff.lines.contains { $0.hasPrefix("~ nitro failure: ") && $0.hasSuffix(" (reworded)") }, "\(diff.lines)")
    // A supported option has no reason: null, and no change when it stays supported.
    #expect(!diff.changes.contains { $0.machine == "pc-i440fx-11.1" })
  }
}
