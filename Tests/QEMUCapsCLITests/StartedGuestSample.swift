import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// A libvirt and a QEMU build with a snapshot in capabilities-data/ that it runs.
struct GuestPair: Sendable, CustomStringConvertible {
  var libvirt: LibvirtBuild
  /// The snapshot's file name, `qemu-VERSION.xml`.
  var snapshot: String
  /// The snapshot's QEMU release, `major.minor`.
  var series: (major: Int, minor: Int)

  var description: String { "\(libvirt), \(snapshot)" }

  /// Every snapshot with every libvirt that runs its QEMU.
  static var all: [GuestPair] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.capabilitiesData())) ?? []
    let snapshots = files.filter { $0.hasPrefix("qemu-") && $0.hasSuffix(".xml") }.sorted {
      NaturalOrder.precedes($0, $1)
    }
    return LibvirtBuild.all.flatMap { libvirt in
      snapshots.compactMap { snapshot -> GuestPair? in
        let numbers = snapshot.dropFirst("qemu-".count).dropLast(".xml".count).split(separator: ".").compactMap {
          Int($0)
        }
        guard numbers.count >= 2, libvirt.runs(qemuMajor: numbers[0], minor: numbers[1]) else { return nil }
        return GuestPair(libvirt: libvirt, snapshot: snapshot, series: (numbers[0], numbers[1]))
      }
    }
  }

  /// The QEMU binary the snapshot was taken of: the system QEMU (7.2) or one of the
  /// side-by-side builds; skips (fails under scripts/test) when it is not installed.
  func emulator() throws -> String {
    let series = "\(series.major).\(series.minor)"
    if let suite = QEMUBuilds.suites.first(where: { $0.1 == series })?.0 {
      return try Requirement.qemuBuilds.require(QEMUBuilds.wrapper(suite))
    }
    return try Requirement.systemQEMU.require(SystemQEMU.path)
  }
}

/// How a hotplug option is written in a domain (docs/validation.md, "What is read").
enum Spelling: String, CaseIterable, Sendable {
  /// `<pm><acpi-…-hotplug enabled='yes|no'/>`.
  case pm
  /// libvirt's own: a pci-root `<target hotplug>` (root), `<features><pci>` (bridge).
  case native
  /// `<qemu:commandline>` `-global DEVICE.PROPERTY=on|off`.
  case commandline
}

/// One setting of one option in a sampled domain.
struct Setting: Sendable, CustomStringConvertible {
  var option: HotplugOption
  var spelling: Spelling
  var value: Bool

  var description: String { "\(option)=\(value.onOff) by \(spelling)" }
}

/// One domain to validate, convert and start.
struct GuestCase: Sendable {
  var name: String
  /// The machine type as the domain writes it (an alias included).
  var machine: String
  var settings: [Setting]
  /// Whether the domain has a pci-bridge (bus 1) to hot-plug behind.
  var bridge = false
  /// Whether `<features>` has `<acpi/>`; without it libvirt starts the guest with ACPI off.
  var acpi = true

  /// The settings' combinations a pair covers: every spelling with on and off for each
  /// option (both options set in one guest), and no setting at all.
  static let variants: [[Setting]] =
    (0..<6).map { index in
      let spelling = Spelling.allCases[index % 3]
      return [
        Setting(option: .acpiRootHotplug, spelling: spelling, value: index >= 3),
        Setting(option: .acpiHotplugBridge, spelling: spelling, value: index % 2 == 0),
      ]
    } + [[]]

  /// The sample of `document`: for each family, machine types chosen by
  /// ``sampleMachines(of:)``, each started with two variants in turn so the family
  /// covers them all; each setting of an option the machine type cannot take as a
  /// guest of its own (an invalid verdict); on i440fx, a pci-bridge with the bridge
  /// option on and off; and the newest machine type of each family with ACPI off, once
  /// with libvirt's spellings and once with `<qemu:commandline>`.
  static func sample(of document: CapabilityDocument) -> [GuestCase] {
    var cases: [GuestCase] = []
    for (family, machines) in sampleMachines(of: document) {
      for (index, written) in machines.enumerated() {
        guard let machine = document.machine(named: written) else { continue }
        let supported = HotplugOption.allCases.filter { machine.option($0).isSupported }
        for variant in [variants[(2 * index) % variants.count], variants[(2 * index + 1) % variants.count]] {
          cases.append(
            GuestCase(
              name: "g\(cases.count)", machine: written,
              settings: variant.filter { supported.contains($0.option) }))
        }
        for option in HotplugOption.allCases where !supported.contains(option) {
          // libvirt's own root spelling needs a pci-root bus 0, which only PIIX4_PM machines have.
          let spellings: [Spelling] =
            option == .acpiRootHotplug && machine.pmDevice != "PIIX4_PM" ? [.pm, .commandline] : Spelling.allCases
          let setting = Setting(
            option: option, spelling: spellings[cases.count % spellings.count], value: cases.count % 2 == 0)
          cases.append(GuestCase(name: "g\(cases.count)", machine: written, settings: [setting]))
        }
      }
      if family == "pc-i440fx", let newest = machines.last(where: { document.machine(named: $0)?.name == $0 }) {
        for (spelling, value) in [(Spelling.native, true), (.commandline, false)] {
          let setting = Setting(option: .acpiHotplugBridge, spelling: spelling, value: value)
          cases.append(GuestCase(name: "g\(cases.count)", machine: newest, settings: [setting], bridge: true))
        }
      }
      if let newest = machines.last(where: { document.machine(named: $0)?.name == $0 }),
        let machine = document.machine(named: newest)
      {
        for variant in [variants[4], variants[5]] {
          let settings = variant.filter { machine.option($0.option).isSupported }
          cases.append(GuestCase(name: "g\(cases.count)", machine: newest, settings: settings, acpi: false))
        }
      }
    }
    return cases
  }

  /// Per family (`pc-i440fx`, `pc-q35`), from the capability data: the oldest, middle
  /// and newest machine type, both sides of every place where a default of either
  /// option changes between neighbours (by version), and the family's aliases.
  static func sampleMachines(of document: CapabilityDocument) -> [(String, [String])] {
    ["pc-i440fx", "pc-q35"].map { family in
      let members = document.machines.filter { machine in
        guard !machine.outcome.isFailure, machine.name.hasPrefix(family + "-") else { return false }
        return machine.name.dropFirst(family.count + 1).allSatisfy { $0.isNumber || $0 == "." }
      }.sorted { NaturalOrder.precedes($0.name, $1.name) }
      var picked: Set<Int> = members.isEmpty ? [] : [0, members.count / 2, members.count - 1]
      for index in members.indices.dropFirst() {
        let changes = HotplugOption.allCases.contains {
          members[index - 1].option($0).defaultValue != members[index].option($0).defaultValue
        }
        if changes { picked.formUnion([index - 1, index]) }
      }
      let names = picked.sorted().map { members[$0].name }
      return (family, names + members.compactMap(\.alias))
    }
  }

  /// The domain XML: the settings in their spellings, `device` (XML) among the devices.
  func domain(emulator: String, pmDevice: String?, devices extra: [String] = []) -> String {
    var features: [String] = []
    var pm: [String] = []
    var devices: [String] = []
    var commandline: [String] = []
    for setting in settings {
      switch (setting.spelling, setting.option) {
      case (.pm, _):
        pm.append("<\(setting.option.rawValue) enabled='\(setting.value ? "yes" : "no")'/>")
      case (.native, .acpiRootHotplug):
        devices.append(
          "<controller type='pci' index='0' model='pci-root'><target hotplug='\(setting.value.onOff)'/></controller>")
      case (.native, .acpiHotplugBridge):
        features.append("<pci><acpi-bridge-hotplug state='\(setting.value.onOff)'/></pci>")
      case (.commandline, _):
        commandline += ["-global", "\(pmDevice ?? "PIIX4_PM").\(setting.option.property)=\(setting.value.onOff)"]
      }
    }
    if bridge { devices.append("<controller type='pci' index='1' model='pci-bridge'/>") }
    return LibvirtGuests.domain(
      name: name, machine: machine, emulator: emulator, acpi: acpi, features: features, pm: pm,
      devices: devices + extra, commandline: commandline)
  }

  /// The buses a device is hot-plugged into once the guest runs: bus 0, and the
  /// pci-bridge's bus 1 when there is one.
  var hotplugBuses: [Int] { bridge ? [0, 1] : [0] }

  /// A virtio-rng on PCI bus `bus`, with `<hotplug require='yes'/>` when `required`.
  static func rng(bus: Int, required: Bool = false) -> String {
    "<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
      + "<address type='pci' domain='0x0000' bus='0x0\(bus)' slot='0x0a' function='0x0'/>"
      + (required ? "<hotplug require='yes'/>" : "") + "</rng>"
  }
}
