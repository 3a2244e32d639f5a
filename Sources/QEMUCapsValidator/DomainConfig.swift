import QEMUCapsModel

/// The parts of a libvirt domain that the validator checks.
package struct DomainConfig: Sendable, Hashable {
  /// Where an option was set, in one of the three spellings libvirt users write.
  package enum Spelling: String, Sendable, Hashable {
    /// `<pm><acpi-hotplug-bridge enabled='yes|no'/>` (the original proposal).
    case pm = "<pm>"
    /// `<controller type='pci' model='pci-root'><target hotplug='on|off'/>` (libvirt 7.9+).
    case pciRootController = "<controller model='pci-root'><target hotplug>"
    /// `<features><pci><acpi-bridge-hotplug state='on|off'/>` (the later proposal).
    case featuresPCI = "<features><pci>"
    /// `<qemu:commandline><qemu:arg value='-global'/><qemu:arg value='DEVICE.PROPERTY=on|off'/>`,
    /// which libvirt passes to QEMU after its own arguments.
    case commandline = "<qemu:commandline> -global"
  }

  /// One option set by the domain.
  package struct OptionSetting: Sendable, Hashable {
    /// The option set.
    package var option: HotplugOption
    /// `true` for `on`, `false` for `off`.
    package var value: Bool
    /// Which of libvirt's spellings set it.
    package var spelling: Spelling
    /// The line of the domain XML that sets it.
    package var line: Int
    /// For a `<qemu:commandline>` `-global`, the device type it names (`PIIX4_PM`):
    /// it sets the option only on a machine type whose ACPI PM device that is.
    package var device: String? = nil
  }

  /// One device carrying `<hotplug require='yes|no'/>`.
  package struct HotplugRequirement: Sendable, Hashable {
    /// The device element, e.g. `interface`, `disk`.
    package var element: String
    /// A short description for messages, e.g. `<disk bus='virtio'>`.
    package var label: String
    /// Whether this kind of device may carry `<hotplug>`.
    package var mayCarryHotplug: Bool
    /// `require='yes'`.
    package var required: Bool
    /// The PCI bus of its explicit `<address type='pci'>`, if any.
    package var bus: Int?
    /// Whether it has no `<address>` at all, so that libvirt assigns one.
    package var addressAssigned: Bool = false
    /// The line of the `<hotplug>` element.
    package var line: Int
  }

  /// The `<controller type='pci'>` that is bus 0: index 0, written or numbered by libvirt.
  package struct RootController: Sendable, Hashable {
    /// Its `model` attribute (`pci-root`, `pcie-root`, …), `nil` when absent.
    package var model: String?
    /// The line of the `<controller>` element.
    package var line: Int
    /// The line of its `<target hotplug>`, when it has one.
    package var hotplugLine: Int?
  }

  /// `<target hotplug>` on a `pcie-root-port` or `pcie-switch-downstream-port`: that
  /// port's own hotplug switch, which libvirt passes on the port's `-device`.
  package struct PortHotplug: Sendable, Hashable {
    /// The controller's model.
    package var model: String
    /// The controller's index, written or numbered by libvirt.
    package var index: Int
    /// `on` (true) or `off`.
    package var value: Bool
    /// The line of the `<target>` element.
    package var line: Int
  }

  /// A PCI controller whose model plugs only into a PCI Express bus (`pcie-root-port`,
  /// `dmi-to-pci-bridge`, …) and has no `<target hotplug>` (those are ``PortHotplug``s).
  package struct PCIeController: Sendable, Hashable {
    /// The controller's model.
    package var model: String
    /// The controller's index, written or numbered by libvirt.
    package var index: Int
    /// The line of the `<controller>` element.
    package var line: Int
  }

  /// A `<qemu:commandline>` `-global` whose property is one of the two written with
  /// extra characters (`acpi-root-pci-hotplug =off`): QEMU finds no such property.
  package struct MisspelledGlobal: Sendable, Hashable {
    /// The device type it names.
    package var driver: String
    /// The property as written.
    package var property: String
    /// The option whose property it contains.
    package var intended: HotplugOption
    /// The line of the `<qemu:arg>` holding it.
    package var line: Int
  }

  /// One `<qemu:add capability>` or `<qemu:del capability>` in `<qemu:capabilities>`:
  /// libvirt's per-domain override of a flag it probed from the QEMU binary.
  package struct CapabilityOverride: Sendable, Hashable {
    /// libvirt's name of the flag (`piix4.acpi-root-pci-hotplug`).
    package var capability: String
    /// `<qemu:add>` (true) or `<qemu:del>`.
    package var added: Bool
    /// The line of the element.
    package var line: Int
  }

  /// A `<qemu:commandline>` word that turns the guest's ACPI on or off: `-no-acpi`, or
  /// `acpi=on|off|auto` in a `-machine` (`-M`) value. QEMU applies the last one.
  package struct PassthroughACPI: Sendable, Hashable {
    /// Whether ACPI is on after it (`auto` is on for x86 machine types).
    package var enabled: Bool
    /// The option as written: `-no-acpi`, `-machine acpi=off`.
    package var spelling: String
    /// The line of the `<qemu:arg>` holding it (its value's, for `-machine`).
    package var line: Int
  }

  /// `<domain type>`.
  package var domainType: String?
  /// `<os><type arch>`.
  package var arch: String?
  /// `<os><type machine>`, as written (may be an alias).
  package var machine: String?
  /// The line of `<os><type>` (or of `<domain>` when absent).
  package var machineLine: Int
  /// Whether `<features><acpi/>` is present and not `state='off'`.
  package var acpiEnabled: Bool
  /// Every hotplug option setting, in document order.
  package var settings: [OptionSetting]
  /// Every `<hotplug>` requirement, in document order.
  package var hotplugRequirements: [HotplugRequirement]
  /// The PCI controller with index 0 (bus 0), if the domain declares one.
  package var rootController: RootController?
  /// Every PCI Express port's own `<target hotplug>`, in document order.
  package var portHotplugs: [PortHotplug]
  /// Problems found while reading (invalid values), reported with the rest.
  package var readDiagnostics: [Diagnostic]
  /// The PCI Express-only controllers without a `<target hotplug>`, in document order.
  package var pcieControllers: [PCIeController] = []
  /// The text of `<os><type>` (`hvm`), `nil` when the domain has no `<os><type>`.
  package var osType: String? = nil
  /// Passthrough `-global`s naming one of the two properties with extra characters.
  package var misspelledGlobals: [MisspelledGlobal] = []
  /// Every `<qemu:capabilities>` override, in document order.
  package var capabilityOverrides: [CapabilityOverride] = []
  /// The last `<qemu:commandline>` word that sets ACPI, if any: it wins over `<acpi/>`,
  /// since libvirt passes those words after its own (`-no-acpi` or `acpi=off`).
  package var passthroughACPI: PassthroughACPI? = nil

  /// libvirt's flag for PIIX4_PM's `acpi-root-pci-hotplug`, which it needs to take a
  /// pci-root `<target hotplug>`.
  package static let rootHotplugCapability = "piix4.acpi-root-pci-hotplug"

  /// What `<qemu:capabilities>` does to libvirt's flag `capability`: the `<qemu:del>`
  /// when there is one (libvirt applies every `<qemu:add>` first, then every
  /// `<qemu:del>`), else the `<qemu:add>`, else `nil` (the probed flag stands).
  package func capabilityOverride(_ capability: String) -> CapabilityOverride? {
    let named = capabilityOverrides.filter { $0.capability == capability }
    return named.first { !$0.added } ?? named.first
  }

  /// Whether the guest runs with ACPI: the last `<qemu:commandline>` word that sets
  /// it, else `<features><acpi/>`.
  package var acpiEffective: Bool { passthroughACPI?.enabled ?? acpiEnabled }
}
