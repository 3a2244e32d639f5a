/// The invariants of a capability document, checked in one place: the prober checks
/// what it is about to write and the reader what it has read, so that qemu-caps
/// never writes a file it then refuses (docs/capabilities-format.md, "Invariants").
extension CapabilityDocument {
  /// Check every invariant of the document: safe names everywhere (``QOMName``),
  /// and the machine table's (``validate(machines:)``); devices, their properties,
  /// guest architectures and accelerators each listed once.
  ///
  /// - Throws: ``ModelError`` for the first broken invariant.
  public func validate() throws(ModelError) {
    try Self.validate(machines: machines)
    for machine in machines {
      if let device = machine.pmDevice {
        try Self.checkName(device, QOMName.isValid) { "the ACPI PM device '\($0)' of machine type \(machine.name)" }
      }
    }
    try Self.checkName(qemu.arch, QOMName.isValid) { "the architecture '\($0)'" }
    try Self.checkList(qemu.guestArchitectures ?? [], "guest architecture")
    try Self.checkList(qemu.accelerators ?? [], "accelerator")
    try Self.validate(devices: devices)
  }

  /// Check the machine table alone, in the order given, as QEMU's `-machine` resolves
  /// names: every name and alias is a QOM name, names are unique, an alias is neither
  /// its own machine type's name nor another's and belongs to one machine type, and at
  /// most one machine type is the default. Otherwise `pc`, a name, or the default
  /// machine could mean two machine types, and which one would depend on an order
  /// the file does not keep.
  ///
  /// - Throws: ``ModelError``, naming in ``ModelError/machine`` the later of the rows involved.
  public static func validate(machines: some Sequence<MachineCapabilities>) throws(ModelError) {
    var names: Set<String> = []
    for machine in machines {
      try checkName(machine.name, QOMName.isValid, machine: machine.name, consequence: machineConsequence) {
        "the machine type name '\($0)'"
      }
      guard names.insert(machine.name).inserted else {
        throw ModelError(
          .duplicateMachine, machine: machine.name, "the machine type \(machine.name) is listed twice")
      }
    }
    var aliasOwner: [String: String] = [:]
    var defaultMachine: String?
    for machine in machines {
      if let alias = machine.alias {
        try checkName(alias, QOMName.isValid, machine: machine.name, consequence: machineConsequence) {
          "the alias '\($0)' of machine type \(machine.name)"
        }
        if alias == machine.name {
          throw ModelError(
            .aliasIsOwnName, machine: machine.name,
            "the alias of machine type \(machine.name) is its own name, which names nothing else")
        }
        if names.contains(alias) {
          throw ModelError(
            .aliasIsMachineName, machine: machine.name,
            "the alias \(alias) of machine type \(machine.name) is the name of another machine type, so '-machine \(alias)' could mean either"
          )
        }
        if let owner = aliasOwner.updateValue(machine.name, forKey: alias) {
          throw ModelError(
            .duplicateAlias, machine: machine.name,
            "the alias \(alias) is given to machine types \(owner) and \(machine.name), so '-machine \(alias)' could mean either"
          )
        }
      }
      if machine.isDefault {
        if let first = defaultMachine {
          throw ModelError(
            .multipleDefaults, machine: machine.name,
            "machine types \(first) and \(machine.name) are both marked default; a build has at most one")
        }
        defaultMachine = machine.name
      }
    }
  }

  /// Check the static property lists: device types are QOM names, listed once; property
  /// names and types are QOM names (also `[]`, and `<>` in types), each listed once per device.
  ///
  /// - Throws: ``ModelError``.
  public static func validate(devices: [DeviceProperties]) throws(ModelError) {
    var types: Set<String> = []
    for device in devices {
      try checkName(device.type, QOMName.isValid) { "the device type '\($0)'" }
      guard types.insert(device.type).inserted else {
        throw ModelError(.duplicateEntry, "the device type \(device.type) is listed twice")
      }
      var properties: Set<String> = []
      for property in device.properties {
        try checkName(property.name, QOMName.isValidProperty) { "the property name '\($0)' of \(device.type)" }
        try checkName(property.type, QOMName.isValidType) {
          "the type '\($0)' of property \(property.name) of \(device.type)"
        }
        guard properties.insert(property.name).inserted else {
          throw ModelError(.duplicateEntry, "the property \(property.name) of \(device.type) is listed twice")
        }
      }
    }
  }

  private static func checkList(_ names: [String], _ what: String) throws(ModelError) {
    var seen: Set<String> = []
    for name in names {
      try checkName(name, QOMName.isValid) { "the \(what) '\($0)'" }
      guard seen.insert(name).inserted else { throw ModelError(.duplicateEntry, "the \(what) \(name) is listed twice") }
    }
  }

  private static let machineConsequence = "on a QEMU command line it could inject -machine options"

  /// Throw `invalidName` unless `isValid(name)`; `subject` words the name, given as shown.
  private static func checkName(
    _ name: String, _ isValid: (String) -> Bool, machine: String? = nil,
    consequence: String = "names go into QEMU command lines, where it could inject options",
    _ subject: (String) -> String
  ) throws(ModelError) {
    guard !isValid(name) else { return }
    throw ModelError(
      .invalidName, machine: machine, "\(subject(shown(name))) is not a QOM name \(QOMName.rule); \(consequence)")
  }

  /// `name` for a message: a hostile one can be long (QEMU's reply is bounded only by
  /// the session's memory budget), so at most 80 characters of it.
  private static func shown(_ name: String) -> String {
    name.truncated(to: 80)
  }
}

extension QOMName {
  /// The rule, for messages.
  public static let rule = "(letters, digits and -_.+, at most 128 bytes, not starting with '-')"
}
