import QEMUCapsModel

extension RuleContext {
  /// Option rules: conflicts and duplicates between spellings, support on the
  /// machine's PM device, defaults, ACPI being off; then the `-global` arguments.
  mutating func checkOptions(on machine: MachineCapabilities) {
    var warnedACPI = false
    var emitted: [HotplugOption: [String]] = [:]
    for option in HotplugOption.allCases {
      let settings = settings.filter { $0.option == option }.sorted { $0.line < $1.line }
      guard let first = settings.first else { continue }
      let conflicting = settings.contains { $0.value != first.value }
      for later in settings.dropFirst() {
        let sameSpelling = later.spelling == first.spelling
        if later.value != first.value {
          let how =
            sameSpelling
            ? "to \(first.value.onOff) on line \(first.line) and to \(later.value.onOff) on line \(later.line), both by \(first.spelling.rawValue); keep one of them"
            : "to \(first.value.onOff) by \(first.spelling.rawValue) on line \(first.line) and to \(later.value.onOff) by \(later.spelling.rawValue) on line \(later.line); keep one spelling"
          report(.error, .optionConflict, "\(option) is set \(how)", line: later.line)
        } else {
          let how =
            sameSpelling
            ? "twice by \(first.spelling.rawValue), on lines \(first.line) and \(later.line); once is enough"
            : "twice, by \(first.spelling.rawValue) on line \(first.line) and by \(later.spelling.rawValue) on line \(later.line); one spelling is enough"
          report(.warning, .optionDuplicate, "\(option) is set to \(first.value.onOff) \(how)", line: later.line)
        }
      }
      let capability = machine.option(option)
      guard case .supported(let defaultValue) = capability, let device = machine.pmDevice else {
        let reason =
          switch capability {
          case .unsupported(let reason): reason
          case .supported, .unknown: "the probe did not report it"
          }
        report(
          .error, .optionUnsupported,
          "\(option) cannot be set on machine type \(machine.name) with \(qemuName): \(reason).\(forcedByLibvirt(option, settings, machine)) \(MachineSuggestions.alternatives(for: option, machine: machine, in: capabilities))",
          line: first.line)
        continue
      }
      if !domain.acpiEffective && !warnedACPI {
        warnedACPI = true
        report(.warning, .acpiDisabled, "\(option) is set but \(acpiOff(on: machine))", line: first.line)
      }
      if conflicting { continue }
      if first.value == defaultValue {
        report(
          .note, .optionDefault,
          "\(option)=\(first.value.onOff) is already the default of machine type \(machine.name) in \(qemuName); the argument is still emitted so the guest ABI stays explicit",
          line: first.line)
      }
      emitted[option] = ["-global", "\(device).\(option.property)=\(first.value.onOff)"]
    }
    for option in Self.argumentOrder { arguments += emitted[option] ?? [] }
  }

  /// What `<qemu:add>` of libvirt's flag does where the build lacks the property: libvirt
  /// then passes the pci-root `<target hotplug>` as a `-global`, and QEMU refuses it.
  private func forcedByLibvirt(
    _ option: HotplugOption, _ settings: [DomainConfig.OptionSetting], _ machine: MachineCapabilities
  ) -> String {
    guard option == .acpiRootHotplug, let device = machine.pmDevice,
      settings.contains(where: { $0.spelling == .pciRootController }),
      let added = domain.capabilityOverride(DomainConfig.rootHotplugCapability), added.added
    else { return "" }
    return
      " <qemu:add capability='\(DomainConfig.rootHotplugCapability)'/> on line \(added.line) makes libvirt pass -global \(device).\(option.property) anyway, and QEMU refuses to start (can't apply global: Property '\(device).\(option.property)' not found)."
  }

  /// Why the guest runs without ACPI, and what that does to the options.
  private func acpiOff(on machine: MachineCapabilities) -> String {
    guard let passthrough = domain.passthroughACPI else {
      return
        "<features> has no <acpi/>, so the guest runs without ACPI and ACPI hotplug settings have no effect; add <features><acpi/></features>"
    }
    // Measured with QEMU 5.2 to 11.1: with ACPI off, an i440fx machine creates no
    // PIIX4_PM at all; a q35 machine keeps ICH9-LPC and its properties, but gives the
    // guest no ACPI tables.
    let effect =
      machine.pmDevice == "PIIX4_PM"
      ? "QEMU then creates no PIIX4_PM (the machine has no /machine/acpi-device), so no ACPI hotplug setting has an effect and bus 0 cannot hot-plug"
      : "the guest then gets no ACPI tables, so ACPI hotplug settings have no effect"
    return
      "<qemu:commandline> turns ACPI off with \(shown(passthrough.spelling)) on line \(passthrough.line) (libvirt passes it after its own arguments, so it wins over <features><acpi/>): \(effect); remove it to run the guest with ACPI"
  }

  /// A `<qemu:commandline>` `-global` sets an option only when it names the machine's
  /// ACPI PM device; QEMU ignores a `-global` for a device the machine does not create.
  mutating func checkPassthroughDevices(on machine: MachineCapabilities) {
    for global in domain.misspelledGlobals where global.driver == machine.pmDevice {
      report(
        .error, .valueInvalid,
        "<qemu:commandline> -global '\(global.driver).\(shown(global.property))' names no property of \(global.driver), the ACPI PM device of machine type \(machine.name): QEMU refuses to start (Property '\(global.driver).\(shown(global.property))' not found); write \(global.driver).\(global.intended.property)=on|off",
        line: global.line)
    }
    let ignored = settings.filter { setting in setting.device.map { $0 != machine.pmDevice } ?? false }
    guard !ignored.isEmpty else { return }
    settings.removeAll { ignored.contains($0) }
    let has = machine.pmDevice.map { "its ACPI PM device is \($0)" } ?? "it has no ACPI PM device"
    for setting in ignored {
      report(
        .note, .optionPassthroughIgnored,
        "<qemu:commandline> -global \(setting.device ?? "").\(setting.option.property) does not set \(setting.option): machine type \(machine.name) has no \(setting.device ?? "") (\(has)), and QEMU ignores a -global for a device the machine does not create",
        line: setting.line)
    }
  }

  /// The order of the `-global` arguments: libvirt's. It writes the root option from
  /// the pci-root controller among its own arguments and appends `<qemu:commandline>`
  /// (the bridge option's only spelling) last, so a converted domain's argv has the
  /// same arguments in the same order.
  static let argumentOrder: [HotplugOption] = [.acpiRootHotplug, .acpiHotplugBridge]

  /// Per-device `<hotplug require>` rules.
  mutating func checkHotplugRequirements(on machine: MachineCapabilities) {
    for requirement in domain.hotplugRequirements {
      guard requirement.mayCarryHotplug else {
        report(
          .error, .hotplugNotAllowed,
          "\(requirement.label) cannot carry <hotplug>: only <interface>, <hostdev>, <rng>, <serial>, <disk> on bus 'virtio' and <controller type='scsi'> can be hot-plugged through PCI",
          line: requirement.line)
        continue
      }
      guard requirement.required else { continue }
      // libvirt gives a PCI device without an address a slot on bus 0 of an i440fx
      // machine type (on q35 a pcie-root-port), even with a pci-bridge there; an ISA
      // serial port has no PCI address at all.
      if requirement.addressAssigned, requirement.element != "serial", machine.pmDevice == "PIIX4_PM",
        domain.rootController?.model != "pcie-root", let reason = rootBusCannotHotplug(machine)
      {
        report(
          .error, .hotplugBusNotHotpluggable,
          "\(requirement.label) requires hotplug but has no address, and libvirt places it on PCI bus 0 of machine type \(machine.name) (bus 0 first on i440fx, even with a pci-bridge), where \(reason) (behind a pci-bridge: write its <address type='pci' bus='…'/>)",
          line: requirement.line)
        continue
      }
      if let bus = requirement.bus, bus != 0,
        let port = domain.portHotplugs.first(where: { $0.index == bus && !$0.value })
      {
        report(
          .error, .hotplugBusNotHotpluggable,
          "\(requirement.label) requires hotplug but sits on PCI bus \(bus), the \(port.model) with index='\(bus)', whose <target hotplug='off'> on line \(port.line) turns its hotplug off; remove that, or place the device on a port that hot-plugs",
          line: requirement.line)
        continue
      }
      guard requirement.bus == 0 else { continue }
      if let reason = rootBusCannotHotplug(machine) {
        report(
          .error, .hotplugBusNotHotpluggable,
          "\(requirement.label) requires hotplug but sits on PCI bus 0 of machine type \(machine.name), where \(reason)",
          line: requirement.line)
      }
    }
  }

  /// Why bus 0 of `machine` cannot hot-plug devices, or `nil` when it can.
  private func rootBusCannotHotplug(_ machine: MachineCapabilities) -> String? {
    guard let device = machine.pmDevice else {
      let withDevice = capabilities.machines.filter { $0.pmDevice != nil }
      return
        "the machine has no ACPI PM device and so no ACPI PCI hotplug; use a machine type that has one: \(MachineSuggestions.summary(withDevice))"
    }
    if domain.rootController?.model == "pcie-root" {
      return "bus 0 is pcie-root, which never supports hotplug; place the device on a pcie-root-port"
    }
    if device == "PIIX4_PM" && !domain.acpiEffective {
      // Without ACPI, QEMU creates no PIIX4_PM and refuses device_add on pci.0.
      let how =
        domain.passthroughACPI.map { "<qemu:commandline> turns ACPI off with \(shown($0.spelling)) on line \($0.line)" }
        ?? "<features> has no <acpi/>"
      return
        "\(how), so QEMU creates no PIIX4_PM and bus 0 cannot hot-plug (\"Bus 'pci.0' does not support hotplugging\"); run the guest with ACPI"
    }
    guard case .supported(let defaultValue) = machine.option(.acpiRootHotplug) else {
      // Without the switch, only the i440fx PM device still hot-plugs on its root
      // bus (always on before the switch existed); any other bus 0 is PCIe root.
      if device == "PIIX4_PM" { return nil }
      return
        "bus 0 (pcie-root, \(device)) never supports hotplug; place the device on a pcie-root-port or leave its address to libvirt"
    }
    let configured = settings.last { $0.option == .acpiRootHotplug }?.value
    guard !(configured ?? defaultValue) else { return nil }
    let how = configured == nil ? "is off by default" : "is turned off by this domain"
    return "acpi-root-hotplug \(how); turn it on or place the device behind a pci-bridge"
  }
}
