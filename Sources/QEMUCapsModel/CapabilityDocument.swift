/// Everything qemu-caps knows about one QEMU build: the binary, its devices'
/// static properties, and per machine type the hotplug options.
///
/// This is the model every part shares: the prober fills it, the capability
/// file formats read and write it, the validator and lookup query it. It knows
/// nothing of QMP, XML or JSON.
public struct CapabilityDocument: Sendable, Hashable {
  /// The version of the capability file format this model maps to (and qemu-caps writes).
  /// Version 2 added the guest architectures and accelerators of the build.
  public static let schemaVersion = 2
  /// The capability file versions qemu-caps reads: version 1 files lack the guest
  /// architectures and accelerators (``QEMUBuildInfo`` has `nil` for them).
  public static let readableSchemaVersions = 1...2

  /// The version of qemu-caps that wrote the document.
  public var toolVersion: String
  /// The binary and what it reports of itself.
  public var qemu: QEMUBuildInfo
  /// Static property lists of the ACPI PM device types.
  public var devices: [DeviceProperties]
  /// The machine types, in natural name order.
  public var machines: [MachineCapabilities]
  /// Glob patterns that restricted the probe to some machine types; empty for all.
  public var machineSelection: [String]
  /// When the probe ran (RFC 3339 UTC), only when asked for: it breaks byte-identical output.
  public var generatedAt: String?

  /// Create a document; machines are put in natural order.
  public init(
    toolVersion: String, qemu: QEMUBuildInfo, devices: [DeviceProperties], machines: [MachineCapabilities],
    machineSelection: [String] = [], generatedAt: String? = nil
  ) {
    self.toolVersion = toolVersion
    self.qemu = qemu
    self.devices = devices
    self.machines = machines.sorted { NaturalOrder.precedes($0.name, $1.name) }
    self.machineSelection = machineSelection
    self.generatedAt = generatedAt
  }

  /// The machine type called `name`, or whose alias is `name`.
  public func machine(named name: String) -> MachineCapabilities? {
    machines.first { $0.name == name } ?? machines.first { $0.alias == name }
  }

  /// The build's default machine type.
  public var defaultMachine: MachineCapabilities? {
    machines.first { $0.isDefault }
  }

  /// The static property list of `type`, if recorded.
  public func device(_ type: String) -> DeviceProperties? {
    devices.first { $0.type == type }
  }
}
