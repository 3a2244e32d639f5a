/// The static property list of one device type, from `device-list-properties`.
public struct DeviceProperties: Sendable, Hashable {
  /// One property.
  public struct Property: Sendable, Hashable {
    /// The property name.
    public var name: String
    /// QEMU's type name for it, e.g. `bool`.
    public var type: String
    /// The class default as text (`true`, `0`, ...), when QEMU reports one.
    ///
    /// Instance properties (such as ICH9-LPC's bridge switch) have none, and a
    /// machine type's compat properties can override it: never take it as a
    /// machine type's default.
    public var staticDefault: String?

    /// Create a property.
    public init(name: String, type: String, staticDefault: String?) {
      self.name = name
      self.type = type
      self.staticDefault = staticDefault
    }
  }

  /// The device type, e.g. `PIIX4_PM`.
  public var type: String
  /// Whether the build has the device type at all.
  public var isPresent: Bool
  /// The properties, sorted by name; empty when absent.
  public var properties: [Property]

  /// Create a device property list.
  public init(type: String, isPresent: Bool, properties: [Property]) {
    self.type = type
    self.isPresent = isPresent
    self.properties = properties
  }

  /// The property named `name`, if the device has it.
  public func property(_ name: String) -> Property? {
    properties.first { $0.name == name }
  }
}
