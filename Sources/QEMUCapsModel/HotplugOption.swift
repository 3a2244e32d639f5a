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

  /// Other names accepted for the option, besides its config name (``rawValue``):
  /// the QEMU property, and libvirt's spellings (`acpi-bridge-hotplug` from the
  /// later libvirt proposal, `piix4.acpi-root-pci-hotplug` from libvirt's
  /// capability flag).
  public var aliases: [String] {
    switch self {
    case .acpiHotplugBridge: [property, "acpi-bridge-hotplug"]
    case .acpiRootHotplug: [property, "piix4.acpi-root-pci-hotplug"]
    }
  }

  /// The option called `name`: its config name or one of its ``aliases``.
  public init?(name: String) {
    guard let option = Self.allCases.first(where: { $0.rawValue == name || $0.aliases.contains(name) }) else {
      return nil
    }
    self = option
  }

  /// Every accepted name: the config names, then every alias.
  public static var allNames: [String] {
    allCases.map(\.rawValue) + allCases.flatMap(\.aliases)
  }

  /// The aliases as `alias = name` pairs, for help texts.
  public static var aliasList: String {
    allCases.flatMap { option in option.aliases.map { "\($0) = \(option.rawValue)" } }.joined(separator: ", ")
  }

  /// The config name, e.g. `acpi-hotplug-bridge`.
  public var description: String { rawValue }

  /// The order options are listed in.
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
