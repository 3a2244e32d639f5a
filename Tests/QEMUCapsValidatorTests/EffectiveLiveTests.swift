import Foundation
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// `effective` against the real QEMU, without libvirt: the machine type started as
/// libvirt would start it (`acpi=off` without `<acpi/>`) with validate's `qemuArgs`,
/// and `qom-get` on `/machine/acpi-device` for both properties.
// No time limit: the wait for the other live tests (.liveQEMU) would count against it;
// each QEMU run is bounded by RawQMPReading.
@Suite("Effective values against the system QEMU", .liveQEMU)
struct EffectiveLiveTests {
  /// Machine types of both families where defaults differ, and ones without the property or device.
  static let machines = [
    "pc-i440fx-7.2", "pc-i440fx-2.0", "pc-i440fx-5.2", "pc-q35-6.0", "pc-q35-6.1", "pc-q35-7.2", "isapc",
  ]

  @Test("qom-get on the started machine equals effective: defaults, settings flipped, ACPI on and off")
  func startedMachineAgrees() async throws {
    let binary = try Requirement.systemQEMU.require(SystemQEMU.path)
    let validator = try EffectiveDomain.validator("7.2.22")
    let version = try SystemQEMU.versionLine(of: binary)
    try #require(
      version.contains("QEMU emulator version \(validator.capabilities.qemu.version) "),
      "the system QEMU (\(version)) is not the build of capabilities-data/qemu-7.2.22.xml")
    let properties = HotplugOption.allCases.map(\.property)
    var compared = 0
    for name in Self.machines {
      guard let machine = validator.capabilities.machine(named: name), machine.error == nil else {
        Issue.record("capabilities-data/qemu-7.2.22.xml has no probed machine type \(name)")
        continue
      }
      // Every supported option set to the opposite of its default, through <pm>.
      let flipped = machine.options.compactMap { option, capability in
        capability.defaultValue.map { "<\(option.rawValue) enabled='\($0 ? "no" : "yes")'/>" }
      }
      for acpi in [true, false] {
        for pm in [[], flipped] {
          let report = try validator.validate(domainXML: EffectiveDomain(machine: name, acpi: acpi, pm: pm).xml)
          #expect(report.isValid, "\(name) \(pm): \(report.diagnostics)")
          let effective = try #require(report.effective, "\(name)")
          let arguments = report.qemuArguments
          let live = try await Blocking.run {
            try RawQMPReading.read(
              binary: binary, machine: acpi ? name : "\(name),acpi=off", properties: properties, arguments: arguments)
          }
          #expect(live.failure == nil, "\(name) acpi=\(acpi): \(live.failure ?? "")")
          for option in HotplugOption.allCases {
            let predicted = try #require(effective[option])
            #expect(
              live.values[option.property] == predicted.value,
              "\(name) acpi=\(acpi.onOff) \(report.qemuArguments) \(option): live \(live.values[option.property].map(\.onOff) ?? "absent"), effective \(predicted)"
            )
            if predicted.value == nil { #expect(predicted.source.name == "unsupported", "\(name) \(option)") }
            compared += 1
          }
        }
      }
    }
    #expect(compared == Self.machines.count * 2 * 2 * HotplugOption.allCases.count)
  }
}
