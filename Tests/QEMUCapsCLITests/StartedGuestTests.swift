import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// What qemu-caps predicts is what the started guest gets: libvirt's embedded driver
/// starts `convert`'s output of sampled domains (StartedGuestSample.swift) on every QEMU
/// build with a snapshot, with every libvirt that runs it; `qom-get` on the running
/// guest must equal `validate --json`'s `effective`, and a device hot-plugged into
/// bus 0 (and, on i440fx, behind a pci-bridge) must attach exactly when
/// `<hotplug require='yes'/>` there is valid. An invalid verdict is checked by starting
/// its raw `-global`s: QEMU refuses them, or the property is absent.
///
/// Each pair is one test case and one virsh session; Swift Testing runs the cases side by
/// side (two at a time on two cores). Each prints its counts.
@Suite("Started guests agree with qemu-caps", .timeLimit(.minutes(30)))
struct StartedGuestTests {
  @Test("qom-get and hot-plug on started guests equal validate's prediction", arguments: GuestPair.all)
  func startedGuestsAgree(_ pair: GuestPair) async throws {
    try pair.libvirt.require()
    let emulator = try pair.emulator()
    let snapshot = Fixtures.capabilitiesData(pair.snapshot)
    let document = try CapabilityXMLReader.read(file: snapshot)
    let version = try SystemQEMU.versionLine(of: emulator)
    try #require(
      version.contains("version \(document.qemu.version)"),
      "\(emulator) says '\(version)', but \(pair.snapshot) is QEMU \(document.qemu.version): run scripts/check-capabilities"
    )
    let cases = GuestCase.sample(of: document)
    var counts = Counts()
    let start = ContinuousClock.now
    try await TemporaryDirectory.with("started-guests") { scratch in
      var checks: [Check] = []
      for guestCase in cases {
        checks.append(try Check(guestCase, document: document, emulator: emulator, scratch: scratch.path, snapshot))
      }
      Self.expectCoverage(checks, document: document, pair: pair)
      let outcomes = try await LibvirtGuests.start(checks.map(\.guest), libvirt: pair.libvirt)
      for (check, outcome) in zip(checks, outcomes) {
        check.compare(with: outcome, pair: pair, counts: &counts)
      }
    }
    FileHandle.standardError.write(
      Data(
        ("qemu-caps tests: started guests, \(pair.libvirt) with QEMU \(document.qemu.version): "
          + "\(counts.started) started, \(counts.agreed) agreed; \(counts.refused) invalid verdicts confirmed "
          + "(\(counts.refusedAtStart) refused by QEMU, the rest without the property); "
          + "\(counts.hotplugs) hot-plugs agreed (\(counts.attached) attached, the rest refused); "
          + (counts.noACPI > 0 ? "\(counts.noACPI) without ACPI not started (QEMU refuses -no-acpi); " : "")
          + "\(Int((ContinuousClock.now - start) / .seconds(1))) s\n").utf8))
    #expect(counts.started > 0)
  }

  /// Every spelling with on and off of each option some sampled machine type takes is
  /// in a valid guest, so the sample cannot shrink unnoticed.
  private static func expectCoverage(_ checks: [Check], document: CapabilityDocument, pair: GuestPair) {
    let covered = Set(checks.filter(\.valid).flatMap { $0.guestCase.settings.map(\.description) })
    for option in HotplugOption.allCases {
      let settable = checks.contains {
        document.machine(named: $0.guestCase.machine)?.option(option).isSupported == true
      }
      guard settable else { continue }
      for spelling in Spelling.allCases {
        for value in [false, true] {
          let setting = Setting(option: option, spelling: spelling, value: value)
          #expect(covered.contains(setting.description), "\(pair): no valid guest has \(setting)")
        }
      }
    }
  }
}

/// What one pair's guests showed, for the closing note.
private struct Counts {
  var started = 0
  var agreed = 0
  var refused = 0
  var refusedAtStart = 0
  var hotplugs = 0
  var attached = 0
  /// Guests without ACPI that libvirt 9.0 could not start (it passes `-no-acpi`).
  var noACPI = 0
}

/// One sampled domain: qemu-caps' verdict on it and the guest that checks the verdict.
private struct Check {
  var guestCase: GuestCase
  var domain: String
  var valid: Bool
  /// Per option, the property's value the started guest has; `nil` where it has none.
  var expected: [HotplugOption: Bool?]
  /// Per hot-plug bus, whether qemu-caps accepts `<hotplug require='yes'/>` there.
  var hotplug: [Int: Bool]
  var guest: LibvirtGuests.Guest

  init(_ guestCase: GuestCase, document: CapabilityDocument, emulator: String, scratch: String, _ snapshot: String)
    throws
  {
    self.guestCase = guestCase
    let machine = document.machine(named: guestCase.machine)
    let pmDevice = machine?.pmDevice
    domain = guestCase.domain(emulator: emulator, pmDevice: pmDevice)
    let file = "\(scratch)/\(guestCase.name).xml"
    try domain.write(toFile: file, atomically: true, encoding: .utf8)
    let verdict = try Command.qemuCaps(["validate", file, "--caps", snapshot, "--json"])
    try #require(verdict.status == 0 || verdict.status == 1, "validate \(file): \(verdict.standardError)")
    let json = try JSON.parse(verdict.standardOutput)
    valid = json["valid"] == true
    expected = try Self.effective(json)
    if valid {
      let effective = try #require(json["effective"], "validate --json: no effective: \(json)")
      for option in HotplugOption.allCases {
        // Without ACPI an i440fx machine has no PIIX4_PM at all (docs/validation.md, "effective").
        let hasProperty = machine?.option(option).isSupported == true && (guestCase.acpi || pmDevice != "PIIX4_PM")
        let source =
          !hasProperty ? "unsupported" : guestCase.settings.contains { $0.option == option } ? "domain" : "default"
        #expect(
          effective[option.rawValue]?["source"]?.stringValue == source,
          "effective.\(option) of \(guestCase.machine), \(guestCase.settings): \(json)")
      }
    }
    hotplug = [:]
    guard valid else {
      // The raw -globals: what a libvirt that passes them on would start.
      let raw = GuestCase(
        name: guestCase.name, machine: guestCase.machine,
        settings: guestCase.settings.map {
          Setting(option: $0.option, spelling: .commandline, value: $0.value)
        }, acpi: guestCase.acpi)
      guest = LibvirtGuests.Guest(
        name: guestCase.name, domain: raw.domain(emulator: emulator, pmDevice: pmDevice),
        properties: guestCase.settings.map(\.option.property))
      return
    }
    for bus in guestCase.hotplugBuses {
      let requiring = "\(scratch)/\(guestCase.name)-hotplug\(bus).xml"
      try guestCase.domain(emulator: emulator, pmDevice: pmDevice, devices: [GuestCase.rng(bus: bus, required: true)])
        .write(toFile: requiring, atomically: true, encoding: .utf8)
      let answer = try Command.qemuCaps(["validate", requiring, "--caps", snapshot, "--json"])
      hotplug[bus] = try JSON.parse(answer.standardOutput)["valid"] == true
    }
    let converted = try Command.qemuCaps(["convert", file, "--caps", snapshot]).expect(status: 0)
    guest = LibvirtGuests.Guest(
      name: guestCase.name, domain: converted.standardOutput,
      properties: HotplugOption.allCases.map(\.property),
      devices: guestCase.hotplugBuses.map { GuestCase.rng(bus: $0) })
  }

  /// `validate --json`'s `effective` per option: its `value`, `nil` for null.
  static func effective(_ json: JSON) throws -> [HotplugOption: Bool?] {
    let effective = try #require(json["effective"], "validate --json: no effective: \(json)")
    var result: [HotplugOption: Bool?] = [:]
    for option in HotplugOption.allCases {
      let entry = try #require(effective[option.rawValue], "validate --json: no effective.\(option): \(json)")
      result[option] = .some(entry["value"]?.boolValue)
    }
    return result
  }

  /// Compare what the guest showed with the verdict, and count it.
  func compare(with outcome: LibvirtGuests.Outcome, pair: GuestPair, counts: inout Counts) {
    let context = "\(pair), \(guestCase.machine), \(guestCase.settings), valid: \(valid)\n\(domain)"
    guard valid else {
      // QEMU names the property it cannot apply: "can't apply global D.P=V: Property 'D.P' not found".
      let refused = guestCase.settings.contains { outcome.startError?.contains($0.option.property) == true }
      let absent = outcome.properties.values.contains(.absent)
      let message =
        "qemu-caps says invalid, but the raw -globals \(outcome.started ? "started" : "failed for another reason") "
        + "and the guest has \(outcome.properties): \(outcome.startError ?? ""); \(context)"
      #expect(refused || absent, Comment(rawValue: message))
      if refused || absent { counts.refused += 1 }
      if refused { counts.refusedAtStart += 1 }
      return
    }
    guard outcome.started else {
      // libvirt 9.0 turns ACPI off with -no-acpi, which QEMU 10.0 and later refuse; 11.3
      // writes -machine acpi=off (docs/validation.md, "effective"). Not a hotplug verdict.
      if !guestCase.acpi, pair.libvirt.version == "9.0",
        outcome.startError?.contains("-no-acpi: invalid option") == true
      {
        counts.noACPI += 1
        return
      }
      Issue.record(
        "qemu-caps says valid, but the converted domain did not start: \(outcome.startError ?? ""); \(context)")
      return
    }
    counts.started += 1
    var agrees = true
    for option in HotplugOption.allCases {
      let observed = outcome.properties[option.property] ?? .failed("not read")
      let predicted: LibvirtGuests.Reading = (expected[option] ?? nil).map { .value($0) } ?? .absent
      if observed != predicted {
        agrees = false
        let message =
          "\(option.property): on the started guest it is \(observed), qemu-caps predicts \(predicted); \(context)"
        Issue.record(Comment(rawValue: message))
      }
    }
    for (index, bus) in guestCase.hotplugBuses.enumerated() {
      let attached = outcome.attachErrors[index] == nil
      if attached == hotplug[bus] {
        counts.hotplugs += 1
        if attached { counts.attached += 1 }
      } else {
        agrees = false
        let message =
          "hot-plug on bus \(bus): attach-device \(attached ? "succeeded" : "failed (\(outcome.attachErrors[index] ?? ""))"), "
          + "but qemu-caps says <hotplug require='yes'/> there is \(hotplug[bus] == true ? "valid" : "invalid"); \(context)"
        Issue.record(Comment(rawValue: message))
      }
    }
    if agrees { counts.agreed += 1 }
  }
}
