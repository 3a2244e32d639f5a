/// The ACPI PCI hotplug switches qemu-caps knows, by their config name.
public enum HotplugOption: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
  /// ACPI hotplug for cold-plugged bridges (pci-bridge on i440fx, pcie-root-port on q35).
  case acpiHotplugBridge = "acpi-hotplug-bridge"
  /// ACPI hotplug on the root bus (pci-root) of i440fx machines.
  case acpiRootHotplug = "acpi-root-hotplug"

  /// The QEMU property behind the option, on the machine's ACPI PM device.
  public var property: String {
    switch self {
    case .acpiHotplugBridge: "acpi-pci-hotplug-with-bridge-support"
    case .acpiRootHotplug: "acpi-root-pci-hotplug"
    }
  }

  /// The option whose QEMU property is `property`, if any.
  public init?(property: String) {
    guard let option = Self.allCases.first(where: { $0.property == property }) else { return nil }
    self = option
  }

  public var description: String { rawValue }

  public static func < (lhs: HotplugOption, rhs: HotplugOption) -> Bool {
    lhs.order < rhs.order
  }

  private var order: Int {
    switch self {
    case .acpiHotplugBridge: 0
    case .acpiRootHotplug: 1
    }
  }
}
