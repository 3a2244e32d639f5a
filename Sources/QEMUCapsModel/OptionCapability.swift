/// Whether one hotplug option can be set on one machine type, and its default there.
public struct OptionCapability: Sendable, Hashable {
  /// The option.
  public var option: HotplugOption
  /// Whether the machine's ACPI PM device has the option's property.
  public var isSupported: Bool
  /// The live value of the property on a started machine (`true` is `on`); `nil` when unsupported.
  public var defaultValue: Bool?
  /// Why the option is unsupported; `nil` when supported.
  public var reason: String?

  /// The QEMU property name.
  public var property: String { option.property }

  /// A supported option with its default.
  public static func supported(_ option: HotplugOption, default value: Bool) -> OptionCapability {
    OptionCapability(option: option, isSupported: true, defaultValue: value, reason: nil)
  }

  /// An unsupported option with the reason.
  public static func unsupported(_ option: HotplugOption, reason: String) -> OptionCapability {
    OptionCapability(option: option, isSupported: false, defaultValue: nil, reason: reason)
  }

  /// Create an option capability.
  public init(option: HotplugOption, isSupported: Bool, defaultValue: Bool?, reason: String?) {
    self.option = option
    self.isSupported = isSupported
    self.defaultValue = defaultValue
    self.reason = reason
  }
}

extension Bool {
  /// `on` or `off`, as QEMU and libvirt spell switch values.
  public var onOff: String { self ? "on" : "off" }
}
