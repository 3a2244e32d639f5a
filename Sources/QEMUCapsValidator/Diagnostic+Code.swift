extension Diagnostic {
  /// What a finding is about, stable across releases: the code shown as `[value.invalid]`
  /// and in `--json` output. docs/validation.md (and docs/convert.md for `convert.*`)
  /// says when each is reported.
  public enum Code: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An attribute has a value outside its set, or a bus is not a number.
    case valueInvalid = "value.invalid"
    /// An option element or `<qemu:arg>` lacks its value.
    case valueMissing = "value.missing"
    /// A value libvirt's parser reads but its schema refuses.
    case valueNonstandard = "value.nonstandard"
    /// `<domain>` has no `type`.
    case domainTypeMissing = "domain.type-missing"
    /// The domain type is not one libvirt runs on QEMU.
    case domainTypeUnsupported = "domain.type-unsupported"
    /// The build lacks the domain type's accelerator.
    case domainAcceleratorMissing = "domain.accelerator-missing"
    /// The domain has no `<os><type>`.
    case osTypeMissing = "os.type-missing"
    /// `<os><type>` is not `hvm`.
    case osTypeUnsupported = "os.type-unsupported"
    /// The architecture is not one of the build's guest architectures.
    case archUnsupported = "arch.unsupported"
    /// The machine type is not in the capability data.
    case machineUnknown = "machine.unknown"
    /// No machine type is given: the build's default is used.
    case machineDefault = "machine.default"
    /// The machine type is an alias.
    case machineAlias = "machine.alias"
    /// QEMU marks the machine type deprecated.
    case machineDeprecated = "machine.deprecated"
    /// The capability data records the machine type's probe as failed.
    case machineProbeFailed = "machine.probe-failed"
    /// The machine type's ACPI PM device lacks the option's property.
    case optionUnsupported = "option.unsupported"
    /// Two settings of one option have different values.
    case optionConflict = "option.conflict"
    /// Two settings of one option have the same value.
    case optionDuplicate = "option.duplicate"
    /// The value equals the machine type's default.
    case optionDefault = "option.default"
    /// A passthrough `-global` names a device the machine type does not have.
    case optionPassthroughIgnored = "option.passthrough-ignored"
    /// An option is set but ACPI is off.
    case acpiDisabled = "acpi.disabled"
    /// The PCI controller with index 0 lacks the machine type's root model.
    case controllerRootModel = "controller.root-model"
    /// A `pci-root` or `pcie-root` controller's index is not 0.
    case controllerRootIndex = "controller.root-index"
    /// Two PCI controllers have one index.
    case controllerDuplicateIndex = "controller.duplicate-index"
    /// A PCI controller other than bus 0 has no model.
    case controllerModelMissing = "controller.model-missing"
    /// `<target hotplug>` on a controller that does not take it.
    case controllerHotplugNotSettable = "controller.hotplug-not-settable"
    /// A pci-root `<target hotplug>` while `<qemu:capabilities>` deletes libvirt's flag for it.
    case controllerHotplugCapabilityRemoved = "controller.hotplug-capability-removed"
    /// `<target hotplug>` on a PCI Express port: its own switch, left to libvirt.
    case controllerPortHotplug = "controller.port-hotplug"
    /// A PCI Express-only controller on a machine type without PCI Express.
    case controllerPortNeedsPCIe = "controller.port-needs-pcie"
    /// A PCI controller has an option its model does not take.
    case controllerOptionInvalid = "controller.option-invalid"
    /// A controller has more than one `<target>`.
    case controllerTargetDuplicate = "controller.target-duplicate"
    /// `<target hotplug>` on a controller that is not `type='pci'`.
    case controllerHotplugIgnored = "controller.hotplug-ignored"
    /// An element in an XML namespace holds a hotplug setting.
    case elementNamespaced = "element.namespaced"
    /// An element of a spelling is where none is read.
    case elementMisplaced = "element.misplaced"
    /// `<hotplug>` on a device that cannot carry it.
    case hotplugNotAllowed = "hotplug.not-allowed"
    /// `<hotplug require='yes'>` on a bus that cannot hot-plug.
    case hotplugBusNotHotpluggable = "hotplug.bus-not-hotpluggable"
    /// Conversion: `<qemu:commandline>` already sets the property to another value.
    case convertCommandlineConflict = "convert.commandline-conflict"
    /// Conversion: a passthrough `-global` is dropped, as `<target hotplug>` now carries it.
    case convertCommandlineDuplicate = "convert.commandline-duplicate"
    /// Conversion: `<features><pci>` holds an element neither qemu-caps nor libvirt reads.
    case convertFeaturesPCIUnknown = "convert.features-pci-unknown"
    /// Conversion: the domain now has a `<qemu:commandline>`, which taints it in libvirt.
    case convertCustomArgv = "convert.custom-argv"

    /// The code as shown: `value.invalid`.
    public var description: String { rawValue }
  }
}
