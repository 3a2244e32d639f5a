import Foundation
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// `<qemu:capabilities>` (libvirt's per-domain override of its probed flags) and the
/// `<qemu:commandline>` words that turn ACPI off, each against libvirt 9.0 and 11.3.
@Suite("passthrough overrides: <qemu:capabilities> and ACPI off by <qemu:commandline>")
struct PassthroughOverrideTests {
  static let caps = Fixtures.capabilitiesData("qemu-7.2.22.xml")
  static let namespace = "http://libvirt.org/schemas/domain/qemu/1.0"

  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var machine = "pc-i440fx-7.2"
    var acpi = true
    var pm = ""
    var devices = ""
    var tail = ""
    /// The error code we report, or `nil` when the domain is valid.
    var error: Diagnostic.Code?
    /// Whether we warn `acpi.disabled`.
    var acpiWarning = false
    /// What libvirt 9.0 and 11.3 say when they refuse it; `nil` when they accept it.
    var libvirt: String?

    var description: String { name }

    var xml: String {
      """
      <domain type='qemu' xmlns:qemu='\(PassthroughOverrideTests.namespace)'>
        <name>override</name>
        <memory unit='MiB'>64</memory>
        <os>
          <type arch='x86_64' machine='\(machine)'>hvm</type>
        </os>
        <features>\(acpi ? "<acpi/>" : "")</features>
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

  static let rootOff =
    "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>"
  static func capabilities(_ content: String) -> String {
    "<qemu:capabilities>\(content)</qemu:capabilities>"
  }
  static func commandline(_ words: [String]) -> String {
    "<qemu:commandline>" + words.map { "<qemu:arg value='\($0)'/>" }.joined() + "</qemu:commandline>"
  }
  static let del = "<qemu:del capability='piix4.acpi-root-pci-hotplug'/>"
  static let add = "<qemu:add capability='piix4.acpi-root-pci-hotplug'/>"
  static let refusal = "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary"

  static let cases: [Case] = [
    .init(
      name: "del with a pci-root <target hotplug>", devices: rootOff, tail: capabilities(del),
      error: .controllerHotplugCapabilityRemoved, libvirt: refusal),
    .init(
      name: "add then del, in two <qemu:capabilities>", devices: rootOff,
      tail: capabilities(add) + capabilities(del), error: .controllerHotplugCapabilityRemoved, libvirt: refusal),
    .init(name: "del without <target hotplug>", tail: capabilities(del)),
    .init(
      name: "del with the option in <pm>", pm: "<pm><acpi-root-hotplug enabled='no'/></pm>", tail: capabilities(del)),
    .init(name: "add with a pci-root <target hotplug>", devices: rootOff, tail: capabilities(add)),
    .init(
      name: "del without a capability", tail: capabilities("<qemu:del/>"), error: .valueMissing,
      libvirt: "missing capability name"),
    .init(
      name: "-no-acpi", devices: rootOff, tail: commandline(["-no-acpi"]), acpiWarning: true),
    .init(
      name: "-machine acpi=off", devices: rootOff, tail: commandline(["-machine", "acpi=off"]), acpiWarning: true),
    .init(
      name: "-M with the type and acpi=off", devices: rootOff,
      tail: commandline(["-M", "pc-i440fx-7.2,acpi=off"]), acpiWarning: true),
    .init(
      name: "acpi=off then acpi=on", devices: rootOff,
      tail: commandline(["-machine", "acpi=off", "-machine", "acpi=on"])),
    .init(
      name: "no <acpi/> but -machine acpi=on", acpi: false, devices: rootOff,
      tail: commandline(["-machine", "acpi=on"])),
    .init(name: "no <acpi/>", acpi: false, devices: rootOff, acpiWarning: true),
    .init(
      name: "-machine acpi=off on q35", machine: "pc-q35-7.2",
      tail: commandline(["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off", "-machine", "acpi=off"]),
      acpiWarning: true),
    .init(
      name: "require='yes' on bus 0 with -machine acpi=off",
      devices:
        "<interface type='user'><model type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/><hotplug require='yes'/></interface>",
      tail: commandline(["-machine", "acpi=off"]), error: .hotplugBusNotHotpluggable),
  ]

  @Test("what qemu-caps says", arguments: cases)
  func verdict(_ item: Case) throws {
    let validator = try Validator(capabilitiesFile: Self.caps)
    let report = try validator.validate(domainXML: Array(item.xml.utf8), file: item.name)
    let errors = report.diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.code) == (item.error.map { [$0] } ?? []), "\(item.name): \(errors)")
    #expect(errors.allSatisfy { $0.line != nil })
    #expect(
      report.diagnostics.contains { $0.code == .acpiDisabled } == item.acpiWarning,
      "\(item.name): \(report.diagnostics)")
  }

  @Test("a pci-root <target hotplug> that libvirt refuses is not applied, nor its argument emitted")
  func removedSettingNotApplied() throws {
    let item = try #require(Self.cases.first)
    let report = try Validator(capabilitiesFile: Self.caps).validate(domainXML: Array(item.xml.utf8), file: "d")
    #expect(report.qemuArguments.isEmpty)
  }

  @Test("-machine values read as QEMU reads them")
  func machineValues() throws {
    let lines = Array(repeating: 1, count: 8)
    func acpi(_ words: [String]) -> Bool? { PassthroughReading.acpi(words, lines: lines)?.enabled }
    #expect(acpi(["-machine", "pc,acpi=off"]) == false)
    #expect(acpi(["--machine", "acpi=auto"]) == true)
    #expect(acpi(["-M", "pc,acpi=no"]) == nil, "QEMU refuses acpi=no")
    #expect(acpi(["-M", "pc,,acpi=off"]) == nil, ",, is a comma in the type name")
    #expect(acpi(["-M", "acpi=off,acpi=on"]) == true)
    #expect(acpi(["-no-acpi", "-M", "acpi=on"]) == true)
    #expect(acpi(["-M", "acpi=on", "--no-acpi"]) == false)
    #expect(acpi(["-device", "-no-acpi"]) == nil, "-no-acpi as the value of -device")
  }

  @Test("libvirt 9.0 and 11.3 refuse exactly the domains we refuse, with the reason we quote")
  func libvirtAgrees() async throws {
    for libvirt in LibvirtBuild.all {
      try libvirt.require()
      try await TemporaryDirectory.with("overrides") { directory in
        var files: [String] = []
        for (index, item) in Self.cases.enumerated() {
          let file = directory.appendingPathComponent("\(index).xml")
          try Data(item.xml.utf8).write(to: file)
          files.append(file.path)
        }
        let verdicts = try await Libvirt.verdicts(of: files, libvirt: libvirt)
        for (item, verdict) in zip(Self.cases, verdicts) {
          switch (verdict, item.libvirt) {
          case (.success, nil): break
          case (.failure(let error), let expected?):
            #expect(error.message.contains(expected), "\(libvirt), \(item.name): \(error.message)")
          case (.success, let expected?):
            Issue.record("\(libvirt), \(item.name): accepted, expected \"\(expected)\"")
          case (.failure(let error), nil):
            Issue.record("\(libvirt), \(item.name): refused (\(error.message))")
          }
        }
      }
    }
  }
}
