/// What qemu-caps learned about one machine type of a QEMU build.
public struct MachineCapabilities: Sendable, Hashable {
  /// The outcome of probing the machine type.
  public enum Outcome: Sendable, Hashable {
    /// QEMU started the machine; `pmDevice` is the QOM type of `/machine/acpi-device`
    /// (`nil` when the machine has none) and `options` says, per ``HotplugOption``,
    /// whether it is supported. An option missing from `options` is unknown.
    case probed(pmDevice: String?, options: [HotplugOption: OptionCapability])
    /// The machine type could not be probed; the message says why (often QEMU's own).
    case failed(String)

    /// Whether the probe failed.
    public var isFailure: Bool {
      if case .failed = self { return true }
      return false
    }
  }

  /// The machine type name, e.g. `pc-i440fx-7.2`.
  public var name: String
  /// Its alias, e.g. `pc`, if it has one.
  public var alias: String?
  /// Whether it is the build's default machine type.
  public var isDefault: Bool
  /// Whether QEMU marks it deprecated.
  public var isDeprecated: Bool
  /// The probe's outcome.
  public var outcome: Outcome

  /// Create a machine record.
  ///
  /// `.unknown` entries of a probed outcome are dropped: an option a probe did
  /// not establish is unknown by its absence, so files never record it.
  public init(name: String, alias: String?, isDefault: Bool, isDeprecated: Bool, outcome: Outcome) {
    self.name = name
    self.alias = alias
    self.isDefault = isDefault
    self.isDeprecated = isDeprecated
    if case .probed(let device, let options) = outcome {
      self.outcome = .probed(
        pmDevice: device,
        options: options.filter {
          if case .unknown = $0.value { return false }
          return true
        })
    } else {
      self.outcome = outcome
    }
  }

  /// The ACPI PM device type, when the machine was probed and has one.
  public var pmDevice: String? {
    if case .probed(let device, _) = outcome { return device }
    return nil
  }

  /// The option capabilities the probe established, in ``HotplugOption`` order;
  /// empty when the probe failed.
  public var options: [(option: HotplugOption, capability: OptionCapability)] {
    guard case .probed(_, let options) = outcome else { return [] }
    return HotplugOption.allCases.compactMap { option in options[option].map { (option, $0) } }
  }

  /// The probe error, when it failed.
  public var error: String? {
    if case .failed(let message) = outcome { return message }
    return nil
  }

  /// The capability of `option`: `.unknown(failure:)` with the probe error when
  /// the machine type could not be probed.
  public func option(_ option: HotplugOption) -> OptionCapability {
    switch outcome {
    case .failed(let message): .unknown(failure: message)
    case .probed(_, let options): options[option] ?? .unknown(failure: "the probe did not report \(option)")
    }
  }
}
