import Foundation
import QEMUCapsConvert
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// convert never writes what libvirt refuses: the elements it rewrites (`<pm>`,
/// `<features><pci>`, the pci-root `<target hotplug>` under `<qemu:capabilities>`)
/// come out as libvirt 9.0 and 11.3 take them, or convert fails with an error naming
/// the line; and it says when its `<qemu:commandline>` taints the domain.
@Suite("convert's output is what libvirt accepts")
struct ConvertAcceptanceTests {
  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var features = ""
    var pm = ""
    var devices = ""
    var tail = ""
    /// The error convert reports (nothing written), or `nil` when it converts.
    var error: Diagnostic.Code?
    /// What libvirt says about the input, when it refuses it.
    var inputRefusal: String?
    /// Whether convert notes `convert.custom-argv`.
    var customArgv = false

    var description: String { name }

    var xml: String {
      """
      <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
        <name>accepted</name>
        <memory unit='MiB'>64</memory>
        <os>
          <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
        </os>
        <features>
          <acpi/>\(features)
        </features>
        \(pm)
        <devices>
          <emulator>/usr/bin/qemu-system-x86_64</emulator>
          \(devices)
          <memballoon model='none'/>
        </devices>
        \(tail)
      </domain>

      """
    }
  }

  static let unexpectedPCI = "unexpected feature 'pci'"
  static let del =
    "<qemu:capabilities><qemu:del capability='piix4.acpi-root-pci-hotplug'/></qemu:capabilities>"

  static let cases: [Case] = [
    .init(
      name: "an unknown child of <features><pci>",
      features: "<pci><acpi-root-hotplug state='off'/></pci>", error: .convertFeaturesPCIUnknown,
      inputRefusal: unexpectedPCI),
    .init(
      name: "an unknown child next to acpi-bridge-hotplug",
      features: "<pci><acpi-bridge-hotplug state='off'/><x/></pci>", error: .convertFeaturesPCIUnknown,
      inputRefusal: unexpectedPCI),
    .init(name: "an empty <features><pci/>", features: "<pci/>", inputRefusal: unexpectedPCI),
    .init(
      name: "attributes on <pci>", features: "<pci x='1'><acpi-bridge-hotplug state='off'/></pci>",
      inputRefusal: unexpectedPCI, customArgv: true),
    .init(
      name: "<pm> with suspend and an unknown child",
      pm: "<pm><suspend-to-mem enabled='no'/><x/><acpi-root-hotplug enabled='no'/></pm>"),
    .init(name: "<pm> with attributes", pm: "<pm x='1'><acpi-hotplug-bridge enabled='no'/></pm>", customArgv: true),
    .init(
      name: "the root option in <pm> with libvirt's flag deleted",
      pm: "<pm><acpi-root-hotplug enabled='no'/></pm>",
      devices: "<controller type='pci' index='0' model='pci-root'/>", tail: del, customArgv: true),
    .init(
      name: "both options in <pm> with libvirt's flag deleted",
      pm: "<pm><acpi-root-hotplug enabled='yes'/><acpi-hotplug-bridge enabled='no'/></pm>", tail: del,
      customArgv: true),
    .init(
      name: "a pci-root <target hotplug> with libvirt's flag deleted",
      devices: "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>", tail: del,
      error: .controllerHotplugCapabilityRemoved,
      inputRefusal: "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"),
  ]

  static func converter() throws -> DomainConverter {
    DomainConverter(validator: try Validator(capabilitiesFile: ConvertCorpusTests.caps))
  }

  @Test("convert's verdict and notes", arguments: cases)
  func verdict(_ item: Case) throws {
    let conversion = try Self.converter().convert(domainXML: Array(item.xml.utf8), file: item.name)
    let errors = conversion.report.diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.code) == (item.error.map { [$0] } ?? []), "\(item.name): \(errors)")
    #expect(errors.allSatisfy { $0.line != nil })
    #expect((conversion.output == nil) == (item.error != nil))
    #expect(conversion.report.diagnostics.contains { $0.code == .convertCustomArgv } == item.customArgv)
    guard let output = conversion.output else { return }
    let text = String(decoding: output, as: UTF8.self)
    #expect(!text.contains("<pci"), "\(item.name): \(text)")
    if item.tail == Self.del {
      #expect(!text.contains("<target hotplug"), "no <target hotplug> under a deleted flag: \(text)")
    }
  }

  @Test("a domain that needs no change still comes out byte for byte, without a note")
  func unchanged() throws {
    let item = Case(name: "plain")
    let conversion = try Self.converter().convert(domainXML: Array(item.xml.utf8), file: item.name)
    #expect(conversion.output == Array(item.xml.utf8))
    #expect(conversion.report.diagnostics.allSatisfy { $0.code != .convertCustomArgv })
  }

  @Test("libvirt 9.0 and 11.3 accept every output with exactly validate's -globals, and refuse the inputs we say")
  func libvirtAccepts() async throws {
    let converter = try Self.converter()
    for libvirt in LibvirtBuild.all {
      try libvirt.require()
      try await TemporaryDirectory.with("accepted") { directory in
        var outputs: [(item: Case, file: String, globals: [String])] = []
        var inputs: [(item: Case, file: String)] = []
        for (index, item) in Self.cases.enumerated() {
          let input = directory.appendingPathComponent("\(index).input.xml")
          try Data(item.xml.utf8).write(to: input)
          inputs.append((item, input.path))
          let conversion = try converter.convert(domainXML: Array(item.xml.utf8), file: item.name)
          guard let output = conversion.output else { continue }
          let file = directory.appendingPathComponent("\(index).xml")
          try Data(output).write(to: file)
          outputs.append(
            (item, file.path, QEMUGlobal.parse(arguments: conversion.report.qemuArguments).map(\.description)))
        }
        #expect(outputs.count >= 5)
        let verdicts = try await Libvirt.verdicts(of: outputs.map(\.file) + inputs.map(\.file), libvirt: libvirt)
        for (output, verdict) in zip(outputs, verdicts) {
          switch verdict {
          case .success(let argv):
            let properties = HotplugOption.allCases.map(\.property)
            #expect(
              Set(Libvirt.globals(in: argv, properties: properties)) == Set(output.globals),
              "\(libvirt), \(output.item.name)")
          case .failure(let error):
            Issue.record("\(libvirt) refuses convert's output for \(output.item.name): \(error.message)")
          }
        }
        for (input, verdict) in zip(inputs, verdicts.dropFirst(outputs.count)) {
          switch (verdict, input.item.inputRefusal) {
          case (.success, nil): break
          case (.failure(let error), let expected?):
            #expect(error.message.contains(expected), "\(libvirt), \(input.item.name): \(error.message)")
          case (.success, let expected?):
            Issue.record("\(libvirt) accepts the input \(input.item.name), expected \"\(expected)\"")
          case (.failure(let error), nil):
            Issue.record("\(libvirt) refuses the input \(input.item.name): \(error.message)")
          }
        }
      }
    }
  }
}
