import QEMUCapsModel

extension MachineCapabilities {
  /// What `lookup` answers about `option` on this machine type: the probe's finding,
  /// with advice where the question has another answer than the option.
  ///
  /// A q35 machine type (ACPI PM device ICH9-LPC) has no `acpi-root-hotplug`: its bus 0
  /// is pcie-root, where nothing hot-plugs, and whoever wants a device that cannot be
  /// hot-unplugged turns off the hotplug of the pcie-root-port it sits on instead.
  package func answer(_ option: HotplugOption) -> OptionCapability {
    let capability = self.option(option)
    guard option == .acpiRootHotplug, pmDevice == "ICH9-LPC", case .unsupported(let reason) = capability else {
      return capability
    }
    return .unsupported(reason: "\(reason); \(Self.pcieRootAdvice)")
  }

  /// The q35 advice of ``answer(_:)``.
  static let pcieRootAdvice =
    "on q35, bus 0 (pcie-root) never hot-plugs; to turn hotplug off for a device, place it on a pcie-root-port with <target hotplug='off'/>"
}
