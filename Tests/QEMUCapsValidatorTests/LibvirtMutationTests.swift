import Foundation
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// Mutations of libvirt's own ACPI hotplug inputs (those whose x86_64 command line
/// sets `PIIX4_PM.acpi-root-pci-hotplug`), made at test time from the fetched
/// suite and validated against the newest snapshot that has the input's machine
/// type, with libvirt's verdict on each. The verdicts follow libvirt 11.3.0's
/// source (virDomainControllerDefParseXML, qemuDomainDefAddDefaultDevices,
/// qemuValidateDomainDeviceDefControllerPCI, virDomainDefRejectDuplicateControllers)
/// and are checked against libvirt 9.0 and 11.3 themselves (`virsh domxml-to-native`
/// must print the quoted refusal, or for an accepted mutation hotplug `-global`s
/// with the same effect as `qemuArgs`).
@Suite("mutations of libvirt's ACPI hotplug inputs")
struct LibvirtMutationTests {
  static let controller = "<controller type='pci' index='0' model='pci-root'>"
  /// Where new controllers go: before the input's USB controller, after its pci-root.
  static let beforeUSB = "    <controller type='usb'"
  static let mutations: [LibvirtMutation] = [
    .init(name: "no index", replacing: controller, with: "<controller type='pci' model='pci-root'>"),
    .init(name: "index 00", replacing: controller, with: "<controller type='pci' index='00' model='pci-root'>"),
    .init(name: "index +0", replacing: controller, with: "<controller type='pci' index='+0' model='pci-root'>"),
    .init(name: "index ' 0'", replacing: controller, with: "<controller type='pci' index=' 0' model='pci-root'>"),
    .init(name: "arch i686", replacing: "arch='x86_64'", with: "arch='i686'"),
    .init(
      name: "a pci-bridge without index after it", replacing: beforeUSB,
      with: "    <controller type='pci' model='pci-bridge'/>\n" + beforeUSB),
    .init(
      name: "index 0x0", replacing: controller, with: "<controller type='pci' index='0x0' model='pci-root'>",
      error: (
        .valueInvalid, "Invalid value for attribute 'index' in element 'controller': '0x0'. Expected integer value"
      )),
    .init(
      name: "index 1", replacing: controller, with: "<controller type='pci' index='1' model='pci-root'>",
      error: (.controllerRootIndex, "pci-root and pcie-root controllers should have index 0")),
    .init(
      name: "no model", replacing: controller, with: "<controller type='pci' index='0'>",
      error: (
        .controllerRootModel,
        "The PCI controller with index='0' must be model='pci-root' for this machine type, but model='(null)' was found instead"
      )),
    .init(
      name: "pcie-root model", replacing: controller, with: "<controller type='pci' index='0' model='pcie-root'>",
      error: (
        .controllerRootModel,
        "The PCI controller with index='0' must be model='pci-root' for this machine type, but model='pcie-root' was found instead"
      )),
    .init(
      name: "two pci-root controllers with index 0", replacing: beforeUSB,
      with: "    " + controller + "\n      <target hotplug='off'/>\n    </controller>\n" + beforeUSB,
      error: (.controllerDuplicateIndex, "Multiple 'pci' controllers with index '0'")),
    .init(
      name: "a second pci-root without index", replacing: beforeUSB,
      with: "    <controller type='pci' model='pci-root'>\n      <target hotplug='on'/>\n    </controller>\n"
        + beforeUSB,
      error: (.controllerRootIndex, "pci-root and pcie-root controllers should have index 0")),
    .init(
      name: "hotplug maybe", replacing: "<target hotplug='o", with: "<target hotplug='maybe-o",
      error: (.valueInvalid, "Invalid value for attribute 'hotplug' in element 'target': 'maybe-o")),
    .init(
      name: "hotplug on a pci-bridge", replacing: beforeUSB,
      with:
        "    <controller type='pci' index='1' model='pci-bridge'>\n      <target hotplug='off'/>\n    </controller>\n"
        + beforeUSB,
      error: (
        .controllerHotplugNotSettable,
        "Option 'hotplug' is not valid for PCI controller with index '1', model 'pci-bridge' and modelName 'pci-bridge'"
      )),
    .init(
      name: "a PCI controller without a model", replacing: beforeUSB,
      with: "    <controller type='pci' index='1'>\n      <target hotplug='off'/>\n    </controller>\n" + beforeUSB,
      error: (.controllerModelMissing, "PCI controller model was not set correctly")),
    .init(
      name: "chassisNr on pci-root", replacing: "<target hotplug='o", with: "<target chassisNr='1' hotplug='o",
      error: (
        .controllerOptionInvalid,
        "Option 'chassisNr' is not valid for PCI controller with index '0', model 'pci-root'"
      )),
    .init(
      name: "memReserve on pci-root", replacing: "<target hotplug='o", with: "<target memReserve='1024' hotplug='o",
      error: (
        .controllerOptionInvalid,
        "Option 'memReserve' is not valid for PCI controller with index '0', model 'pci-root'"
      ), acceptedBy: ["9.0"]),
    .init(
      name: "an address on pci-root", replacing: controller,
      with: controller + "\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>",
      error: (.controllerOptionInvalid, "pci-root and pcie-root controllers should not have an address")),
    .init(
      name: "a model name on pci-root", replacing: controller, with: controller + "\n      <model name='pci-bridge'/>",
      error: (
        .controllerOptionInvalid,
        "Option 'modelName' is not valid for PCI controller with index '0', model 'pci-root'"
      )),
    .init(
      name: "no controller type", replacing: controller, with: "<controller index='0' model='pci-root'>",
      error: (.valueInvalid, "Unknown model type 'pci-root'")),
    .init(
      name: "a second <features> with <acpi/>", replacing: "  <clock ",
      with: "  <features>\n    <pae/>\n  </features>\n  <features>\n    <acpi/>\n  </features>\n  <clock "),
    .init(
      name: "type hvf", replacing: "<domain type='qemu'>", with: "<domain type='hvf'>",
      error: (.domainAcceleratorMissing, "Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'hvf'")),
    // <qemu:commandline> -globals: libvirt passes the words as written, after its own
    // -global for <target hotplug>; QEMU applies them in order.
    .init(
      name: "the bridge option, then the root option in QEMU's other form, on the command line",
      qemu: LibvirtMutation.commandline(
        "-global", "PIIX4_PM.acpi-pci-hotplug-with-bridge-support=yes", "-global",
        "driver=PIIX4_PM,property=acpi-root-pci-hotplug,value={root}"),
      sets: ["PIIX4_PM.acpi-pci-hotplug-with-bridge-support": "on"]),
    .init(
      name: "the root option again on the command line, as yes or no",
      qemu: LibvirtMutation.commandline("-global", "PIIX4_PM.acpi-root-pci-hotplug={root}")),
    .init(
      name: "the root option on the command line, the other way",
      qemu: LibvirtMutation.commandline(
        "-global", "PIIX4_PM.acpi-root-pci-hotplug={other}"), error: (.optionConflict, nil),
      deliberate: "QEMU applies the last -global silently; the domain says two things"),
    .init(
      name: "<features><pci><acpi-bridge-hotplug>", replacing: "  <clock ",
      with: "  <features>\n    <pci>\n      <acpi-bridge-hotplug state='on'/>\n    </pci>\n  </features>\n  <clock ",
      libvirtRefusal: "unexpected feature 'pci'",
      sets: ["PIIX4_PM.acpi-pci-hotplug-with-bridge-support": "on"],
      deliberate: "the later proposal's spelling, which qemu-caps reads and convert rewrites"),
    // <qemu:capabilities> overrides libvirt's per-binary flag for one domain.
    .init(
      name: "<qemu:capabilities> adds piix4.acpi-root-pci-hotplug",
      qemu: "  <qemu:capabilities>\n    <qemu:add capability='piix4.acpi-root-pci-hotplug'/>\n  </qemu:capabilities>\n"),
    .init(
      name: "<qemu:capabilities> deletes piix4.acpi-root-pci-hotplug",
      qemu: "  <qemu:capabilities>\n    <qemu:del capability='piix4.acpi-root-pci-hotplug'/>\n  </qemu:capabilities>\n",
      error: (
        .controllerHotplugCapabilityRemoved,
        "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"
      )),
    .init(
      name: "<qemu:capabilities> deletes piix4.acpi-root-pci-hotplug after adding it",
      qemu:
        "  <qemu:capabilities>\n    <qemu:del capability='piix4.acpi-root-pci-hotplug'/>\n    <qemu:add capability='piix4.acpi-root-pci-hotplug'/>\n  </qemu:capabilities>\n",
      error: (
        .controllerHotplugCapabilityRemoved,
        "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"
      )),
    .init(
      name: "<qemu:capabilities> deletes a capability without a name",
      qemu: "  <qemu:capabilities>\n    <qemu:del/>\n  </qemu:capabilities>\n",
      error: (.valueMissing, "missing capability name")),
    // ACPI off on the command line: every hotplug setting does nothing.
    .init(
      name: "<acpi/> and -no-acpi on the command line", replacing: "  <clock ",
      with: "  <features>\n    <acpi/>\n  </features>\n  <clock ", qemu: LibvirtMutation.commandline("-no-acpi"),
      warning: "-no-acpi"),
    .init(
      name: "<acpi/> and -machine acpi=off on the command line", replacing: "  <clock ",
      with: "  <features>\n    <acpi/>\n  </features>\n  <clock ",
      qemu: LibvirtMutation.commandline("-machine", "acpi=off"), warning: "acpi=off"),
  ]

  /// The mutated texts of every ACPI input, with the input each comes from.
  static func mutated(_ mutation: LibvirtMutation) throws -> [(input: LibvirtSuite.Input, bytes: [UInt8])] {
    let suite = try LibvirtSuite.shared()
    let inputs = suite.inputs.filter {
      $0.isAcceptedX86Guest && $0.hotplugGlobals.contains { $0.contains("PIIX4_PM.") }
    }
    #expect(inputs.count >= 2, "libvirt 11.3.0 has pc-i440fx-acpi-root-hotplug-{disable,enable}")
    return try inputs.map { input in
      let text = String(decoding: input.bytes, as: UTF8.self)
      let mutated = try #require(mutation.apply(to: text), "\(input.name) has no \(mutation.replacing ?? "</devices>")")
      return (input, Array(mutated.utf8))
    }
  }

  /// Debian 12's QEMU 7.2, which both libvirts run here (`/usr/bin/qemu-system-x86_64`).
  static func systemValidator() throws -> Validator {
    let snapshots = try LibvirtSuite.snapshots(in: Fixtures.repositoryRoot)
    let snapshot = try #require(snapshots.first { $0.lastPathComponent.hasPrefix("qemu-7.2.") })
    return try Validator(capabilitiesFile: snapshot.path)
  }

  @Test("libvirt itself (virsh domxml-to-native) gives each expected verdict", arguments: LibvirtBuild.all)
  func libvirtAgrees(_ libvirt: LibvirtBuild) async throws {
    try libvirt.require()
    let validator = try Self.systemValidator()
    try await TemporaryDirectory.with("mutations") { directory in
      var cases: [(mutation: LibvirtMutation, input: LibvirtSuite.Input, file: String, bytes: [UInt8])] = []
      for mutation in Self.mutations {
        for (offset, (input, bytes)) in try Self.mutated(mutation).enumerated() {
          let file = directory.appendingPathComponent("\(cases.count)-\(offset).xml").path
          try Data(bytes).write(to: URL(fileURLWithPath: file))
          cases.append((mutation, input, file, bytes))
        }
      }
      let verdicts = try await Libvirt.verdicts(of: cases.map(\.file), libvirt: libvirt)
      for (item, verdict) in zip(cases, verdicts) {
        let what = "\(libvirt), \(item.input.name), \(item.mutation.name)"
        let refusal = item.mutation.acceptedBy.contains(libvirt.version) ? nil : item.mutation.libvirtRefusal
        switch (verdict, refusal) {
        case (.success(let argv), nil):
          // qemuArgs is the normalised effect of libvirt's -globals (docs/validation.md).
          let report = try validator.validate(domainXML: item.bytes, file: what)
          guard report.isValid else { continue }
          #expect(LibvirtMutation.isCanonical(report.qemuArguments), "\(what): \(report.qemuArguments)")
          #expect(
            Libvirt.hotplugEffect(of: report.qemuArguments) == Libvirt.hotplugEffect(of: argv),
            "\(what): qemuArgs \(report.qemuArguments), libvirt's -globals \(Libvirt.globals(in: argv, properties: Libvirt.hotplugProperties))"
          )
        case (.failure(let error), let expected?):
          #expect(error.message.contains(expected), "\(what): libvirt says \(error.message)")
        case (.success, let expected?):
          Issue.record("\(what): libvirt accepts it, the test expects \"\(expected)\"")
        case (.failure(let error), nil):
          Issue.record("\(what): libvirt refuses it (\(error.message)), the test expects it accepted")
        }
      }
    }
  }

  @Test("where qemu-caps and libvirt decide differently, the mutation says why")
  func differencesExplained() {
    for mutation in Self.mutations where mutation.refused != (mutation.libvirtRefusal != nil) {
      #expect(mutation.deliberate != nil, "\(mutation.name)")
    }
  }

  @Test("qemu-caps's verdict on each mutation", arguments: mutations)
  func mutation(_ mutation: LibvirtMutation) throws {
    for (input, mutated) in try Self.mutated(mutation) {
      let (validator, _) = try LibvirtSuiteTests.newestValidator(offering: input.machine)
      let report = try validator.validate(domainXML: mutated, file: "\(input.name) (\(mutation.name))")
      let errors = report.diagnostics.filter { $0.severity == .error }
      let what = "\(input.name), \(mutation.name)"
      do {
        if let code = mutation.code {
          #expect(
            errors.map(\.code) == [code], "\(what): libvirt says \"\(mutation.libvirtRefusal ?? "")\"; we say \(errors)"
          )
        } else if mutation.refused {
          #expect(!errors.isEmpty, "\(what): libvirt says \"\(mutation.libvirtRefusal ?? "")\"; we accept it")
        } else {
          #expect(errors.isEmpty, "\(what): we say \(errors)")
          #expect(LibvirtMutation.isCanonical(report.qemuArguments), "\(what): \(report.qemuArguments)")
          let effect = Libvirt.hotplugEffect(of: input.hotplugGlobals).merging(mutation.sets) { $1 }
          #expect(Libvirt.hotplugEffect(of: report.qemuArguments) == effect, "\(what): \(report.qemuArguments)")
        }
        #expect(errors.allSatisfy { $0.line != nil }, "each error names its line")
      }
      if let warning = mutation.warning {
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains(warning) }, "\(what)")
      }
      let root = try XMLTree.parse(mutated, file: input.name)
      for attribute in HotplugAttribute.all(in: root) {
        if let problem = attribute.problem(in: report) { Issue.record("\(what): \(problem)") }
      }
    }
  }
}
