import QEMUCapsModel
import Testing

/// The capability document's invariants: one check, which the prober and the reader share.
@Suite("Capability document invariants")
struct DocumentInvariantTests {
  static func machine(_ name: String, alias: String? = nil, isDefault: Bool = false) -> MachineCapabilities {
    MachineCapabilities(
      name: name, alias: alias, isDefault: isDefault, isDeprecated: false,
      outcome: .probed(pmDevice: "PIIX4_PM", options: [:]))
  }

  static func document(_ machines: [MachineCapabilities], devices: [DeviceProperties] = []) -> CapabilityDocument {
    CapabilityDocument(
      toolVersion: "0",
      qemu: QEMUBuildInfo(
        binaryPath: "/q", binarySize: 1, binaryModificationTime: 0, binarySHA256: String(repeating: "0", count: 64),
        version: QEMUVersion(major: 7, minor: 2, micro: 0), package: "", arch: "x86_64"),
      devices: devices, machines: machines)
  }

  @Test("a real build's table passes: aliases, one default, distribution names")
  func valid() throws {
    try Self.document([
      Self.machine("pc-i440fx-7.2", alias: "pc", isDefault: true), Self.machine("pc-q35-7.2", alias: "q35"),
      Self.machine("pc-q35-rhel9.6.0"), Self.machine("pc-i440fx-8.2+vendor"),
    ]).validate()
  }

  @Test(
    "each broken invariant has its own code, names the later row, and says what is wrong",
    arguments: [
      ([machine("a"), machine("a")], ModelError.Code.duplicateMachine, "a", "the machine type a is listed twice"),
      (
        [machine("a", alias: "pc"), machine("b", alias: "pc")], .duplicateAlias, "b",
        "the alias pc is given to machine types a and b, so '-machine pc' could mean either"
      ),
      (
        [machine("a"), machine("b", alias: "a")], .aliasIsMachineName, "b",
        "the alias a of machine type b is the name of another machine type"
      ),
      ([machine("a", alias: "a")], .aliasIsOwnName, "a", "the alias of machine type a is its own name"),
      (
        [machine("a", isDefault: true), machine("b", isDefault: true)], .multipleDefaults, "b",
        "machine types a and b are both marked default"
      ),
      ([machine("pc,accel=kvm")], .invalidName, "pc,accel=kvm", "could inject -machine options"),
      ([machine("pc", alias: "-daemonize")], .invalidName, "pc", "the alias '-daemonize' of machine type pc"),
    ])
  func broken(machines: [MachineCapabilities], code: ModelError.Code, machine: String, message: String) {
    func matches(_ error: any Error) -> Bool {
      guard let error = error as? ModelError else { return false }
      return error.code == code && error.machine == machine && error.message.contains(message)
    }
    // The machine table alone (the prober, before starting any machine type), and the document.
    #expect(performing: { try CapabilityDocument.validate(machines: machines) }, throws: matches)
    #expect(performing: { try Self.document(machines).validate() }, throws: matches)
  }

  @Test("the self-alias message does not call the machine type's own name another's")
  func selfAlias() {
    let error = #expect(throws: ModelError.self) {
      try CapabilityDocument.validate(machines: [Self.machine("pc-q35-7.2", alias: "pc-q35-7.2")])
    }
    #expect(error?.message.contains("another") == false, "\(error?.message ?? "")")
  }

  @Test("a hostile name is quoted shortened; devices, properties, architectures and accelerators are checked too")
  func everythingElse() {
    let long = String(repeating: "x", count: 500) + ",y"
    let error = #expect(throws: ModelError.self) { try Self.document([Self.machine(long)]).validate() }
    #expect((error?.message.count ?? 0) < 300, "\(error?.message ?? "")")
    let property = DeviceProperties.Property(name: "x", type: "bool", staticDefault: nil)
    for devices in [
      [DeviceProperties(type: "PIIX4_PM -S", isPresent: true, properties: [])],
      [DeviceProperties(type: "PIIX4_PM", isPresent: true, properties: [property, property])],
      [
        DeviceProperties(type: "PIIX4_PM", isPresent: false, properties: []),
        DeviceProperties(type: "PIIX4_PM", isPresent: false, properties: []),
      ],
    ] {
      #expect(throws: ModelError.self) { try Self.document([], devices: devices).validate() }
    }
    var document = Self.document([Self.machine("pc")])
    document.qemu.accelerators = ["kvm", "kvm"]
    #expect(throws: ModelError.self) { try document.validate() }
    document.qemu.accelerators = ["kvm"]
    document.qemu.arch = "x86_64,x"
    #expect(throws: ModelError.self) { try document.validate() }
    var pm = Self.document([
      MachineCapabilities(
        name: "pc", alias: nil, isDefault: false, isDeprecated: false,
        outcome: .probed(pmDevice: "PIIX4_PM\u{1B}[2J", options: [:]))
    ])
    #expect(throws: ModelError.self) { try pm.validate() }
    pm.machines = []
    #expect(throws: Never.self) { try pm.validate() }
  }
}
