/// Whether one hotplug option can be set on one machine type, and its default there.
///
/// Exactly one of three things is known, so no combination of flags can
/// contradict another: the option is supported with a default, unsupported for
/// a reason, or unknown because the machine type could not be probed.
public enum OptionCapability: Sendable, Hashable, CustomStringConvertible {
  /// The machine's ACPI PM device has the option's property; `default` is its
  /// live value on a started machine (`true` is `on`).
  case supported(default: Bool)
  /// The option cannot be set on the machine type; `reason` says why, in full.
  case unsupported(reason: String)
  /// Nothing is known: probing the machine type failed; `failure` is that error.
  /// The command line reports this with exit status 3.
  case unknown(failure: String)

  /// The default when supported, else `nil`.
  public var defaultValue: Bool? {
    if case .supported(let value) = self { return value }
    return nil
  }

  /// Whether the option is supported.
  public var isSupported: Bool { defaultValue != nil }

  /// `on` or `off` when supported, else `unsupported` or `unknown`.
  public var description: String {
    switch self {
    case .supported(let value): value.onOff
    case .unsupported: "unsupported"
    case .unknown: "unknown"
    }
  }
}

extension Bool {
  /// `on` or `off`, as QEMU and libvirt spell switch values.
  public var onOff: String { self ? "on" : "off" }
}
