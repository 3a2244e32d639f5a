import QEMUCapsModel
import Testing

@Suite("Option capabilities")
struct OptionCapabilityTests {
  @Test("each state carries only what it means; a failed machine type's options are unknown")
  func states() {
    #expect(OptionCapability.supported(default: true).defaultValue == true)
    #expect(OptionCapability.supported(default: false).isSupported)
    #expect(OptionCapability.unsupported(reason: "no property").defaultValue == nil)
    #expect(!OptionCapability.unknown(failure: "QEMU crashed").isSupported)
    #expect(
      [OptionCapability.supported(default: false), .unsupported(reason: "x"), .unknown(failure: "y")].map(\.description)
        == ["off", "unsupported", "unknown"])
    let failed = MachineCapabilities(
      name: "xenfv", alias: nil, isDefault: false, isDeprecated: false, outcome: .failed("needs Xen"))
    #expect(failed.option(.acpiHotplugBridge) == .unknown(failure: "needs Xen"))
    #expect(failed.options.isEmpty)
    let probed = MachineCapabilities(
      name: "pc-i440fx-7.2", alias: "pc", isDefault: true, isDeprecated: false,
      outcome: .probed(
        pmDevice: "PIIX4_PM",
        options: [.acpiRootHotplug: .supported(default: true), .acpiHotplugBridge: .unknown(failure: "dropped")]))
    #expect(probed.options.map(\.option) == [.acpiRootHotplug])
    #expect(probed.option(.acpiHotplugBridge) == .unknown(failure: "the probe did not report acpi-hotplug-bridge"))
  }
}
