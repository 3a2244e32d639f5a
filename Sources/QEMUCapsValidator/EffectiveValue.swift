import QEMUCapsModel

/// What one hotplug option's QEMU property will be on the started guest, and why.
public struct EffectiveValue: Sendable, Hashable {
  /// Where the value comes from.
  public enum Source: Sendable, Hashable {
    /// A setting in the domain: the one QEMU applies last, on `line`, written in
    /// `spelling` (`<controller model='pci-root'><target hotplug>`, `<qemu:commandline> -global`, …).
    case domain(line: Int, spelling: String)
    /// The machine type's default from the capability data: the domain does not set the option.
    case `default`
    /// The started guest has no such property: its ACPI PM device lacks it, it has no
    /// ACPI PM device, or ACPI is off and the device is created only with ACPI (PIIX4_PM);
    /// `reason` says which, in full.
    case unsupported(reason: String)
    /// The machine type's probe failed, so the capability data has no answer; `failure`
    /// is that error.
    case unknown(failure: String)

    /// `domain`, `default`, `unsupported` or `unknown`, as `validate --json` writes it.
    public var name: String {
      switch self {
      case .domain: "domain"
      case .default: "default"
      case .unsupported: "unsupported"
      case .unknown: "unknown"
      }
    }
  }

  /// `true` for `on`; `nil` when the property will not exist or is not known, and when
  /// the domain sets the option both ways (an `option.conflict` error).
  public var value: Bool?
  /// Where the value comes from.
  public var source: Source

  /// Create an effective value.
  public init(value: Bool?, source: Source) {
    self.value = value
    self.source = source
  }
}
