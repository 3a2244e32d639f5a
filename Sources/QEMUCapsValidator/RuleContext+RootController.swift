import QEMUCapsModel

extension RuleContext {
  /// The model libvirt requires for bus 0 of a machine whose ACPI PM device is
  /// `pmDevice`: `pci-root` on i440fx (PIIX4_PM), `pcie-root` on q35 (ICH9-LPC);
  /// `nil` for machines without one (isapc, microvm, none), which libvirt does not check.
  static func rootModel(ofPMDevice pmDevice: String?) -> String? {
    switch pmDevice {
    case "PIIX4_PM": "pci-root"
    case "ICH9-LPC": "pcie-root"
    default: nil
    }
  }

  /// libvirt's rules for the bus-0 controller: it must have the machine's root model
  /// (else libvirt refuses the domain, and its `<target hotplug>` is not applied),
  /// and only `pci-root` takes `<target hotplug>`.
  mutating func checkRootController(on machine: MachineCapabilities) {
    guard let root = domain.rootController else { return }
    let unapplied = root.hotplugLine.map { "; its <target hotplug> on line \($0) is not applied" } ?? ""
    if let expected = Self.rootModel(ofPMDevice: machine.pmDevice), root.model != expected {
      let written = root.model.map { "is model='\(shown($0))'" } ?? "has no model"
      report(
        .error, .controllerRootModel,
        "the PCI controller with index='0' (bus 0) \(written), but bus 0 of machine type \(machine.name) (ACPI PM device \(machine.pmDevice ?? "")) is \(expected): write model='\(expected)'; libvirt refuses any other model for bus 0\(unapplied)",
        line: root.line)
      settings.removeAll { $0.spelling == .pciRootController }
      return
    }
    if let line = root.hotplugLine, root.model == "pci-root",
      let removed = domain.capabilityOverride(DomainConfig.rootHotplugCapability), !removed.added
    {
      report(
        .error, .controllerHotplugCapabilityRemoved,
        "<target hotplug> on the pci-root controller is refused by libvirt: <qemu:del capability='\(DomainConfig.rootHotplugCapability)'/> on line \(removed.line) clears libvirt's flag for PIIX4_PM's acpi-root-pci-hotplug, and libvirt then refuses the domain (\"setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary\"); remove that <qemu:del>, or set the option with <qemu:commandline> -global PIIX4_PM.acpi-root-pci-hotplug=on|off instead",
        line: line)
      settings.removeAll { $0.spelling == .pciRootController }
      return
    }
    guard let line = root.hotplugLine, root.model != "pci-root" else { return }
    let reason =
      root.model == "pcie-root"
      ? "bus 0 of a PCI Express machine type (pcie-root) never supports hotplug, so place the device on a pcie-root-port"
      : "only a pci-root bus 0 (i440fx machine types) takes it, as the ACPI option acpi-root-hotplug"
    let what = root.model.map { "the \(shown($0)) controller" } ?? "a PCI controller without a model"
    report(
      .error, .controllerHotplugNotSettable,
      "setting hotplug on \(what) with index='0' (bus 0) is not supported: \(reason)", line: line)
  }

  /// A PCI Express port's own `<target hotplug>`: a note where the machine's bus 0 is
  /// pcie-root; elsewhere libvirt has no PCI Express slot for the port and refuses
  /// the domain ("a PCI slot is needed to connect a PCI controller model='pcie-root-port'").
  mutating func checkPortHotplugs(on machine: MachineCapabilities) {
    let rootModel = Self.rootModel(ofPMDevice: machine.pmDevice)
    for port in domain.portHotplugs {
      let switchText = "<target hotplug='\(port.value ? "on" : "off")'>"
      if rootModel == "pcie-root" {
        report(
          .note, .controllerPortHotplug,
          "\(switchText) on the \(port.model) controller with index='\(port.index)' is that port's own hotplug switch, which libvirt passes on the port's -device; it is not an ACPI option, so qemu-caps leaves it to libvirt and emits no argument for it",
          line: port.line)
      } else {
        let bus =
          rootModel.map { "bus 0 of machine type \(machine.name) is \($0) (ACPI PM device \(machine.pmDevice ?? ""))" }
          ?? "machine type \(machine.name) has no PCI Express bus (no ACPI PM device)"
        report(
          .error, .controllerPortNeedsPCIe,
          "the \(port.model) controller with index='\(port.index)' needs a PCI Express slot, but \(bus): libvirt refuses the domain (\"a PCI slot is needed to connect a PCI controller model='\(port.model)'\"); use a q35 machine type for PCI Express ports; its \(switchText) is not applied",
          line: port.line)
      }
    }
    guard rootModel != "pcie-root" else { return }
    let bus =
      rootModel.map { "bus 0 of machine type \(machine.name) is \($0) (ACPI PM device \(machine.pmDevice ?? ""))" }
      ?? "machine type \(machine.name) has no PCI Express bus (no ACPI PM device)"
    for controller in domain.pcieControllers {
      report(
        .error, .controllerPortNeedsPCIe,
        "the \(controller.model) controller with index='\(controller.index)' plugs only into PCI Express, but \(bus): libvirt refuses the domain (\"a PCI slot is needed to connect a PCI controller model='\(controller.model)'\"); use a q35 machine type, or a pci-bridge on i440fx",
        line: controller.line)
    }
  }
}
