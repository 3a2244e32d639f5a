import QEMUCapsModel

/// A hand-built capability document covering every shape the formats have:
/// markup and control characters in strings, a supported and an unsupported
/// option, a machine without a PM device and a failed machine type.
public enum SampleCapabilities {
  /// The build the document describes.
  public static let info = QEMUBuildInfo(
    binaryPath: "/usr/bin/qemu-system-x86_64", binarySize: 18_397_984, binaryModificationTime: 1_779_741_869,
    binarySHA256: String(repeating: "ab", count: 32), version: QEMUVersion(major: 7, minor: 2, micro: 22),
    package: "Debian <&'\"> \u{1}x",
    arch: "x86_64", guestArchitectures: ["x86_64", "i686"], accelerators: ["kvm", "tcg"])

  /// The document.
  public static let document = CapabilityDocument(
    toolVersion: "0.1.0", qemu: info,
    devices: [
      DeviceProperties(
        type: "PIIX4_PM", isPresent: true,
        properties: [.init(name: "acpi-root-pci-hotplug", type: "bool", staticDefault: "true")]),
      DeviceProperties(type: "ICH9-LPC", isPresent: false, properties: []),
    ],
    machines: [
      MachineCapabilities(
        name: "pc-i440fx-7.2", alias: "pc", isDefault: true, isDeprecated: false,
        outcome: .probed(
          pmDevice: "PIIX4_PM",
          options: [.acpiRootHotplug: .supported(default: true), .acpiHotplugBridge: .supported(default: false)])),
      MachineCapabilities(
        name: "isapc", alias: nil, isDefault: false, isDeprecated: false,
        outcome: .probed(
          pmDevice: nil,
          options: [
            .acpiHotplugBridge: .unsupported(reason: "no <device>"), .acpiRootHotplug: .unsupported(reason: "none"),
          ])),
      MachineCapabilities(
        name: "xenfv", alias: nil, isDefault: false, isDeprecated: true,
        outcome: .failed("QEMU said: \"needs Xen\" & more\nsecond line")),
    ])
}
