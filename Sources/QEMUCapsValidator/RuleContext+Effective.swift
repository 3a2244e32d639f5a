import QEMUCapsModel

extension RuleContext {
  /// The PM devices a machine creates only with ACPI on. Measured with QEMU 5.2, 7.2 and
  /// 11.1: `-machine pc-i440fx-…,acpi=off` (what libvirt passes, or `-no-acpi`, for a
  /// domain without `<features><acpi/>`) has no `/machine/acpi-device`, and QEMU reports
  /// a `-global PIIX4_PM.…` as not used; q35's ICH9-LPC is the LPC bridge and stays,
  /// its properties set as without `acpi=off` (docs/validation.md, "effective").
  static let acpiOnlyPMDevices: Set<String> = ["PIIX4_PM"]

  /// The value each option's property will have on the started guest, from the
  /// settings that apply (after the rules dropped ignored and refused ones), the
  /// capability data and whether ACPI is on (`<features><acpi/>`, `<qemu:commandline>`);
  /// `nil` when the machine did not resolve.
  func effectiveValues() -> [HotplugOption: EffectiveValue]? {
    guard let machine else { return nil }
    var values: [HotplugOption: EffectiveValue] = [:]
    for option in HotplugOption.allCases {
      values[option] = effectiveValue(of: option, on: machine)
    }
    return values
  }

  private func effectiveValue(of option: HotplugOption, on machine: MachineCapabilities) -> EffectiveValue {
    let defaultValue: Bool
    switch machine.option(option) {
    case .supported(let value): defaultValue = value
    case .unsupported(let reason): return EffectiveValue(value: nil, source: .unsupported(reason: reason))
    case .unknown(let failure): return EffectiveValue(value: nil, source: .unknown(failure: failure))
    }
    if let device = machine.pmDevice, Self.acpiOnlyPMDevices.contains(device), !domain.acpiEffective {
      let why =
        domain.passthroughACPI.map { "<qemu:commandline> turns ACPI off with \(shown($0.spelling)) on line \($0.line)" }
        ?? "<features> has no <acpi/>"
      let reason = "\(why), so machine type \(machine.name) starts with ACPI off, and QEMU then creates no \(device)"
      return EffectiveValue(value: nil, source: .unsupported(reason: reason))
    }
    let applying = settings.filter { $0.option == option }
    // libvirt passes a pci-root's <target hotplug> among its own arguments, before the
    // <qemu:commandline> words, and QEMU applies the last -global of a property.
    guard
      let applied = applying.max(by: { lhs, rhs in
        (lhs.spelling == .pciRootController ? 0 : 1, lhs.line) < (rhs.spelling == .pciRootController ? 0 : 1, rhs.line)
      })
    else { return EffectiveValue(value: defaultValue, source: .default) }
    let agreed = applying.allSatisfy { $0.value == applied.value }
    return EffectiveValue(
      value: agreed ? applied.value : nil, source: .domain(line: applied.line, spelling: applied.spelling.rawValue))
  }
}
