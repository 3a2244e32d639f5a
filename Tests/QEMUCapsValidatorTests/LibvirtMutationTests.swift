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
/// and are checked against Debian 12's libvirt 9.0 itself (`virsh domxml-to-native`
/// must print the quoted refusal, or for an accepted mutation the input's own
/// hotplug arguments).
@Suite("mutations of libvirt's ACPI hotplug inputs")
struct LibvirtMutationTests {
  struct Mutation: Sendable, CustomStringConvertible {
    var name: String
    var replacing: String
    var with: String
    /// `nil` when libvirt accepts the result (with the input's own hotplug arguments),
    /// else the code we report and what libvirt says.
    var error: (code: Diagnostic.Code, libvirt: String)?

    var description: String { name }
  }

  static let controller = "<controller type='pci' index='0' model='pci-root'>"
  /// Where new controllers go: before the input's USB controller, after its pci-root.
  static let beforeUSB = "    <controller type='usb'"
  static let mutations: [Mutation] = [
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
    .init(
      name: "qemu:del of libvirt's flag for the root option", replacing: "</devices>\n</domain>",
      with: "</devices>\n" + qemuCapabilities("<qemu:del capability='piix4.acpi-root-pci-hotplug'/>") + "</domain>",
      error: (
        .controllerHotplugCapabilityRemoved,
        "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"
      )),
    .init(
      name: "qemu:add of libvirt's flag for the root option", replacing: "</devices>\n</domain>",
      with: "</devices>\n" + qemuCapabilities("<qemu:add capability='piix4.acpi-root-pci-hotplug'/>") + "</domain>"),
    .init(
      name: "qemu:del after qemu:add of libvirt's flag", replacing: "</devices>\n</domain>",
      with: "</devices>\n"
        + qemuCapabilities(
          "<qemu:del capability='piix4.acpi-root-pci-hotplug'/><qemu:add capability='piix4.acpi-root-pci-hotplug'/>")
        + "</domain>",
      error: (
        .controllerHotplugCapabilityRemoved,
        "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"
      )),
    .init(
      name: "qemu:del without a capability", replacing: "</devices>\n</domain>",
      with: "</devices>\n" + qemuCapabilities("<qemu:del/>") + "</domain>",
      error: (.valueMissing, "missing capability name")),
  ]

  /// `<qemu:capabilities>` holding `content`, declaring libvirt's QEMU namespace itself.
  static func qemuCapabilities(_ content: String) -> String {
    "  <qemu:capabilities xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n    \(content)\n  </qemu:capabilities>\n"
  }

  /// The mutated texts of every ACPI input, with the input each comes from.
  static func mutated(_ mutation: Mutation) throws -> [(input: LibvirtSuite.Input, bytes: [UInt8])] {
    let suite = try LibvirtSuite.shared()
    let inputs = suite.inputs.filter {
      $0.isAcceptedX86Guest && $0.hotplugGlobals.contains { $0.contains("PIIX4_PM.") }
    }
    #expect(inputs.count >= 2, "libvirt 11.3.0 has pc-i440fx-acpi-root-hotplug-{disable,enable}")
    return try inputs.map { input in
      let text = String(decoding: input.bytes, as: UTF8.self)
      try #require(text.contains(mutation.replacing), "\(input.name) has no \(mutation.replacing)")
      return (input, Array(text.replacingOccurrences(of: mutation.replacing, with: mutation.with).utf8))
    }
  }

  @Test("libvirt itself (Debian 12's 9.0, virsh domxml-to-native) gives each expected verdict")
  func libvirtAgrees() throws {
    try Requirement.libvirt.require(Libvirt.isInstalled)
    try TemporaryDirectory.with("mutations") { directory in
      var cases: [(mutation: Mutation, input: LibvirtSuite.Input, file: String)] = []
      for mutation in Self.mutations {
        for (offset, (input, bytes)) in try Self.mutated(mutation).enumerated() {
          let file = directory.appendingPathComponent("\(cases.count)-\(offset).xml").path
          try Data(bytes).write(to: URL(fileURLWithPath: file))
          cases.append((mutation, input, file))
        }
      }
      let verdicts = try Libvirt.verdicts(of: cases.map(\.file))
      for (item, verdict) in zip(cases, verdicts) {
        let what = "\(item.input.name), \(item.mutation.name)"
        switch (verdict, item.mutation.error) {
        case (.success(let argv), nil):
          let properties = [HotplugAttribute.bridge, HotplugAttribute.root]
          #expect(
            Libvirt.globals(in: argv, properties: properties) == item.input.hotplugGlobals.filter { $0 != "-global" },
            "\(what): libvirt's hotplug arguments")
        case (.failure(let error), let expected?):
          #expect(error.message.contains(expected.libvirt), "\(what): libvirt says \(error.message)")
        case (.success, let expected?):
          Issue.record("\(what): libvirt accepts it, the test expects \"\(expected.libvirt)\"")
        case (.failure(let error), nil):
          Issue.record("\(what): libvirt refuses it (\(error.message)), the test expects it accepted")
        }
      }
    }
  }

  @Test("libvirt's verdict on each mutation", arguments: mutations)
  func mutation(_ mutation: Mutation) throws {
    for (input, mutated) in try Self.mutated(mutation) {
      let (validator, _) = try LibvirtSuiteTests.newestValidator(offering: input.machine)
      let report = try validator.validate(domainXML: mutated, file: "\(input.name) (\(mutation.name))")
      let errors = report.diagnostics.filter { $0.severity == .error }
      if let expected = mutation.error {
        #expect(
          errors.map(\.code) == [expected.code],
          "\(input.name), \(mutation.name): libvirt says \"\(expected.libvirt)\"; we say \(errors)")
        #expect(errors.allSatisfy { $0.line != nil }, "each error names its line")
      } else {
        #expect(errors.isEmpty, "\(input.name), \(mutation.name): libvirt accepts it; we say \(errors)")
        #expect(report.qemuArguments == input.hotplugGlobals, "\(input.name), \(mutation.name)")
      }
      let root = try XMLTree.parse(mutated, file: input.name)
      for attribute in HotplugAttribute.all(in: root) {
        if let problem = attribute.problem(in: report) { Issue.record("\(input.name), \(mutation.name): \(problem)") }
      }
    }
  }
}
