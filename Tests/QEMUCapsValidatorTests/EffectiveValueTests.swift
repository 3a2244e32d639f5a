import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// `ValidationReport.effective`: what each option's property will be on the started
/// guest, and where that comes from.
@Suite("Effective values of the hotplug options")
struct EffectiveValueTests {
  /// The report of `domain` against the snapshot of `version`.
  static func report(_ domain: EffectiveDomain, _ version: String = "7.2.22") throws -> ValidationReport {
    try EffectiveDomain.validator(version).validate(domainXML: domain.xml)
  }

  /// The default of `option` on `machine` in the snapshot of `version`.
  static func capability(_ option: HotplugOption, _ machine: String, _ version: String = "7.2.22") throws
    -> OptionCapability
  {
    let validator = try EffectiveDomain.validator(version)
    return try #require(validator.capabilities.machine(named: machine)).option(option)
  }

  @Test(
    "a setting in each spelling is the effective value, with its line and spelling",
    arguments: [false, true])
  func eachSpelling(value: Bool) throws {
    let word = value ? "on" : "off"
    let cases: [(EffectiveDomain, HotplugOption, String, String)] = [
      (
        EffectiveDomain(machine: "pc-q35-7.2", pm: ["<acpi-hotplug-bridge enabled='\(value ? "yes" : "no")'/>"]),
        .acpiHotplugBridge, "<acpi-hotplug-bridge", "<pm>"
      ),
      (
        EffectiveDomain(machine: "pc-i440fx-7.2", pm: ["<acpi-root-hotplug enabled='\(value ? "yes" : "no")'/>"]),
        .acpiRootHotplug, "<acpi-root-hotplug", "<pm>"
      ),
      (
        EffectiveDomain(
          machine: "pc-i440fx-7.2",
          devices: [
            "<controller type='pci' index='0' model='pci-root'>", "<target hotplug='\(word)'/>", "</controller>",
          ]),
        .acpiRootHotplug, "<target hotplug", "<controller model='pci-root'><target hotplug>"
      ),
      (
        EffectiveDomain(
          machine: "pc-q35-7.2", features: ["<pci><acpi-bridge-hotplug state='\(word)'/></pci>"]),
        .acpiHotplugBridge, "<pci><acpi-bridge-hotplug", "<features><pci>"
      ),
      (
        EffectiveDomain(
          machine: "pc-q35-7.2", commandLine: ["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=\(word)"]),
        .acpiHotplugBridge, "ICH9-LPC.acpi", "<qemu:commandline> -global"
      ),
      (
        EffectiveDomain(
          machine: "pc-i440fx-7.2",
          commandLine: ["-global", "driver=PIIX4_PM,property=acpi-root-pci-hotplug,value=\(word)"]),
        .acpiRootHotplug, "driver=PIIX4_PM", "<qemu:commandline> -global"
      ),
    ]
    for (domain, option, marker, spelling) in cases {
      let report = try Self.report(domain)
      #expect(report.isValid, "\(spelling): \(report.diagnostics)")
      let line = try #require(domain.line(of: marker))
      #expect(
        report.effective?[option] == EffectiveValue(value: value, source: .domain(line: line, spelling: spelling)),
        "\(spelling)")
      // The other option is the machine type's default.
      let other = try #require(HotplugOption.allCases.first { $0 != option })
      if case .supported(let defaultValue) = try Self.capability(other, domain.machine) {
        #expect(report.effective?[other] == EffectiveValue(value: defaultValue, source: .default))
      }
    }
  }

  @Test("settings that agree: the one QEMU applies last, a <qemu:commandline> -global even when written first")
  func agreeingSettings() throws {
    var domain = EffectiveDomain(
      machine: "pc-i440fx-7.2",
      devices: ["<controller type='pci' index='0' model='pci-root'>", "<target hotplug='off'/>", "</controller>"],
      commandLine: ["-global", "PIIX4_PM.acpi-root-pci-hotplug=off"])
    for first in [false, true] {
      domain.commandLineFirst = first
      let report = try Self.report(domain)
      #expect(report.isValid)
      let line = try #require(domain.line(of: "PIIX4_PM.acpi-root"))
      #expect(
        report.effective?[.acpiRootHotplug]
          == EffectiveValue(value: false, source: .domain(line: line, spelling: "<qemu:commandline> -global")))
    }
    // Two -globals: QEMU applies the later.
    domain.devices = []
    domain.commandLine += ["-global", "driver=PIIX4_PM,property=acpi-root-pci-hotplug,value=off"]
    let line = try #require(domain.line(of: "driver=PIIX4_PM"))
    #expect(
      try Self.report(domain).effective?[.acpiRootHotplug]
        == EffectiveValue(value: false, source: .domain(line: line, spelling: "<qemu:commandline> -global")))
  }

  @Test("settings that conflict: no value, the setting QEMU would apply last, and an option.conflict error")
  func conflictingSettings() throws {
    let domain = EffectiveDomain(
      machine: "pc-q35-7.2", pm: ["<acpi-hotplug-bridge enabled='yes'/>"],
      commandLine: ["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"])
    let report = try Self.report(domain)
    #expect(report.diagnostics.contains { $0.code == .optionConflict })
    let line = try #require(domain.line(of: "ICH9-LPC"))
    #expect(
      report.effective?[.acpiHotplugBridge]
        == EffectiveValue(value: nil, source: .domain(line: line, spelling: "<qemu:commandline> -global")))
  }

  @Test("no setting: the machine type's default from the capability data, on every machine type with a PM device")
  func defaults() throws {
    let validator = try EffectiveDomain.validator("7.2.22")
    var compared = 0
    for machine in validator.capabilities.machines where machine.error == nil && machine.pmDevice != nil {
      let report = try validator.validate(domainXML: EffectiveDomain(machine: machine.name).xml)
      for option in HotplugOption.allCases {
        let expected =
          switch machine.option(option) {
          case .supported(let value): EffectiveValue(value: value, source: .default)
          case .unsupported(let reason): EffectiveValue(value: nil, source: .unsupported(reason: reason))
          case .unknown(let failure): EffectiveValue(value: nil, source: .unknown(failure: failure))
          }
        #expect(report.effective?[option] == expected, "\(machine.name) \(option)")
        compared += 1
      }
    }
    #expect(compared >= 40)
  }

  @Test("unsupported: a PM device without the property, no PM device, and i440fx without ACPI")
  func unsupported() throws {
    // QEMU 5.2's ICH9-LPC has no acpi-pci-hotplug-with-bridge-support; q35 none has acpi-root-pci-hotplug.
    let q35 = try Self.report(EffectiveDomain(machine: "pc-q35-5.2"), "5.2.0")
    for option in HotplugOption.allCases {
      #expect(q35.effective?[option]?.source.name == "unsupported", "\(option)")
      #expect(q35.effective?[option]?.value == nil)
    }
    // A setting the device cannot take does not make it effective.
    let set = try Self.report(
      EffectiveDomain(machine: "pc-q35-5.2", pm: ["<acpi-hotplug-bridge enabled='no'/>"]), "5.2.0")
    #expect(!set.isValid)
    #expect(set.effective?[.acpiHotplugBridge]?.source.name == "unsupported")
    let isapc = try Self.report(EffectiveDomain(machine: "isapc"))
    #expect(isapc.effective?.values.allSatisfy { $0.source.name == "unsupported" && $0.value == nil } == true)
    // Without <acpi/> libvirt starts i440fx with acpi=off, and QEMU creates no PIIX4_PM;
    // q35's ICH9-LPC stays (the LPC bridge), so its property keeps its value.
    let i440fx = try Self.report(
      EffectiveDomain(machine: "pc-i440fx-7.2", acpi: false, pm: ["<acpi-root-hotplug enabled='no'/>"]))
    #expect(i440fx.diagnostics.contains { $0.code == .acpiDisabled })
    for option in HotplugOption.allCases {
      guard case .unsupported(let reason) = i440fx.effective?[option]?.source else {
        Issue.record("\(option): \(String(describing: i440fx.effective?[option]))")
        continue
      }
      #expect(reason.contains("<features> has no <acpi/>") && reason.contains("PIIX4_PM"), "\(reason)")
    }
    let domain = EffectiveDomain(machine: "pc-q35-7.2", acpi: false, pm: ["<acpi-hotplug-bridge enabled='no'/>"])
    let line = try #require(domain.line(of: "<acpi-hotplug-bridge"))
    #expect(
      try Self.report(domain).effective?[.acpiHotplugBridge]
        == EffectiveValue(value: false, source: .domain(line: line, spelling: "<pm>")))
  }

  @Test("unknown: the machine type's probe failed, with or without a setting")
  func unknown() throws {
    let validator = try EffectiveDomain.validator("5.2.0")
    let failed = try #require(validator.capabilities.machines.first { $0.error != nil })
    for pm in [[], ["<acpi-root-hotplug enabled='no'/>"]] {
      let report = try validator.validate(domainXML: EffectiveDomain(machine: failed.name, pm: pm).xml)
      for option in HotplugOption.allCases {
        #expect(
          report.effective?[option]
            == EffectiveValue(value: nil, source: .unknown(failure: failed.error ?? "")), "\(failed.name) \(pm)")
      }
    }
  }

  @Test(
    "a <qemu:commandline> -global for another device, and a refused bus-0 controller's <target hotplug>, set nothing")
  func droppedSettings() throws {
    let ignored = try Self.report(
      EffectiveDomain(
        machine: "pc-i440fx-7.2", commandLine: ["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"]))
    #expect(ignored.diagnostics.contains { $0.code == .optionPassthroughIgnored })
    let bridge = try Self.capability(.acpiHotplugBridge, "pc-i440fx-7.2")
    #expect(ignored.effective?[.acpiHotplugBridge] == EffectiveValue(value: bridge.defaultValue, source: .default))
    #expect(bridge.defaultValue != nil)
    // libvirt refuses a pci-root as bus 0 of q35, so its <target hotplug> is not applied.
    let refused = try Self.report(
      EffectiveDomain(
        machine: "pc-q35-7.2",
        devices: ["<controller type='pci' index='0' model='pci-root'>", "<target hotplug='on'/>", "</controller>"]))
    #expect(refused.diagnostics.contains { $0.code == .controllerRootModel })
    #expect(!refused.diagnostics.contains { $0.code == .optionUnsupported })
    #expect(refused.effective?[.acpiRootHotplug]?.source.name == "unsupported")
  }

  @Test("a machine type that does not resolve has no effective values")
  func unresolved() throws {
    #expect(try Self.report(EffectiveDomain(machine: "pc-i440fx-0.1")).effective == nil)
    #expect(try Self.report(EffectiveDomain(machine: "pc-i440fx-7.2", arch: "aarch64")).effective == nil)
    #expect(try Self.report(EffectiveDomain(machine: "pc-i440fx-7.2")).effective?.count == 2)
  }
}
