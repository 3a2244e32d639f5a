import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsConvert
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// libvirt checks what `convert` writes: its schema accepts the domain, and the
/// command line its QEMU driver builds carries exactly the validator's `-global`s.
@Suite("Converted domains through libvirt itself", .serialized, .liveQEMU)
struct ConvertLibvirtTests {
  static let properties = HotplugOption.allCases.map(\.property)
  /// Corpus inputs libvirt's schema refuses already (two `<qemu:commandline>`
  /// elements, which libvirt's parser reads as one list of arguments; attributes in a
  /// namespace, which its parser reads as any other): their output
  /// is checked by virsh only, and the test checks that the schema does refuse them.
  static let schemaInvalidInputs: Set<String> = ["commandline-split-bridge-same", "namespaced-attributes-read"]

  /// Every valid corpus domain, and domains made here for a spread of the 7.2
  /// snapshot's machine types with each option on, off or unset in each spelling.
  static func domains() throws -> [(name: String, xml: String)] {
    var result: [(String, String)] = []
    for name in ConvertCorpusTests.cases {
      let xml = try String(
        contentsOf: ConvertCorpusTests.corpus.appendingPathComponent("\(name).xml"), encoding: .utf8)
      result.append((name, xml))
    }
    // What convert keeps of the bytes (ConvertFidelityTests): libvirt reads it too.
    for name in ["pc-pm-comments-move-with-settings", "commandline-default-namespace-qemu-rebound"] {
      let xml = try String(
        contentsOf: ConvertCorpusTests.corpus.appendingPathComponent("\(name).xml"), encoding: .utf8)
      let declared = "\u{FEFF}<?xml version='1.0' encoding='ISO-8859-1'?>\n" + xml
      result.append(("crlf-bom-latin1-\(name)", declared.replacingOccurrences(of: "\n", with: "\r\n")))
    }
    let url = URL(fileURLWithPath: ConvertCorpusTests.caps)
    let capabilities = try CapabilityXMLReader.read(Array(try Data(contentsOf: url)), file: url.path)
    let machines = capabilities.machines.filter { $0.pmDevice != nil }
    let values: [Bool?] = [true, false, nil]
    for (index, machine) in machines.enumerated() where index % 3 == 0 {
      let bridge = values[index % 3 == 0 ? (index / 3) % 3 : 0]
      let root = values[(index / 9) % 3]
      result.append(("made-\(machine.name)", made(machine: machine, bridge: bridge, root: root, spelling: index)))
    }
    return result
  }

  /// A domain for `machine` setting the supported options, in spelling `spelling % 3`.
  static func made(machine: MachineCapabilities, bridge: Bool?, root: Bool?, spelling: Int) -> String {
    var pm: [String] = []
    var features: [String] = []
    var devices: [String] = []
    if let bridge, machine.option(.acpiHotplugBridge).isSupported {
      if spelling % 2 == 0 {
        pm.append("    <acpi-hotplug-bridge enabled='\(bridge ? "yes" : "no")'/>")
      } else {
        features.append("    <pci>\n      <acpi-bridge-hotplug state='\(bridge ? "on" : "off")'/>\n    </pci>")
      }
    }
    if let root, machine.option(.acpiRootHotplug).isSupported {
      if spelling % 3 == 0 {
        devices.append(
          "    <controller type='pci' index='0' model='pci-root'>\n      <target hotplug='\(root ? "on" : "off")'/>\n    </controller>"
        )
      } else {
        pm.append("    <acpi-root-hotplug enabled='\(root ? "yes" : "no")'/>")
      }
    }
    return """
      <domain type='qemu'>
        <name>made</name>
        <memory unit='MiB'>256</memory>
        <os>
          <type arch='x86_64' machine='\(machine.name)'>hvm</type>
        </os>
        <features>
          <acpi/>
      \(features.map { $0 + "\n" }.joined())  </features>
      \(pm.isEmpty ? "" : "  <pm>\n" + pm.map { $0 + "\n" }.joined() + "  </pm>\n")  <devices>
          <memballoon model='none'/>
      \(devices.map { $0 + "\n" }.joined())  </devices>
      </domain>

      """
  }

  /// Both libvirts run the 7.2 snapshot's QEMU (Debian 12's, which libvirt 11.3 also runs: it needs 6.2).
  @Test(
    "virt-xml-validate accepts every converted domain, and virsh domxml-to-native passes exactly validate's -globals",
    arguments: LibvirtBuild.all)
  func libvirtAgrees(_ libvirt: LibvirtBuild) async throws {
    try Requirement.libvirt.require(Libvirt.isInstalled)
    try libvirt.require()
    let converter = DomainConverter(validator: try Validator(capabilitiesFile: ConvertCorpusTests.caps))
    try await TemporaryDirectory.with("convert") { directory in
      var files: [String] = []
      var expected: [[String]] = []
      for (name, xml) in try Self.domains() {
        let conversion = try converter.convert(domainXML: Array(xml.utf8), file: name)
        guard let output = conversion.output else { continue }
        let file = directory.appendingPathComponent("\(name).xml")
        try Data(output).write(to: file)
        let schema = try Libvirt.validateSchema(file.path, libvirt: libvirt)
        if Self.schemaInvalidInputs.contains(name) {
          let input = directory.appendingPathComponent("\(name).input.xml")
          try Data(xml.utf8).write(to: input)
          #expect(
            try Libvirt.validateSchema(input.path, libvirt: libvirt).status != 0,
            "\(libvirt), \(name): its schema accepts the input")
        } else {
          #expect(schema.status == 0, "\(libvirt), \(name): \(schema.standardError)\(schema.standardOutput)")
        }
        files.append(file.path)
        expected.append(QEMUGlobal.parse(arguments: conversion.report.qemuArguments).map(\.description))
      }
      #expect(files.count >= 25)
      // Some domains set both options (two -globals), so that their order is checked too.
      #expect(expected.contains { $0.count == 2 } && expected.contains { $0.isEmpty })
      let argvs = try await Libvirt.qemuArguments(of: files, libvirt: libvirt)
      for (index, argv) in argvs.enumerated() {
        let actual = Libvirt.globals(in: argv, properties: Self.properties)
        // In order: libvirt's argv has the root option first, then <qemu:commandline>.
        #expect(actual == expected[index], "\(libvirt): \(files[index])")
      }
    }
  }
}
