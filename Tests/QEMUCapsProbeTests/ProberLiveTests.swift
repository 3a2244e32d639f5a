import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// End-to-end probes of the real system QEMU.
@Suite("Prober against the real QEMU", .liveQEMU)
struct ProberLiveTests {
  /// This test is for one build and says so: elsewhere it fails rather than skips.
  @Test("Debian 12's QEMU 7.2 as the system QEMU: 59 machine types and the BRIEF's named defaults")
  func debian12QEMU72() throws {
    let document = try ProbeTestSupport.probe(try ProbeTestSupport.systemQEMU())
    try #require(
      document.qemu.version.matches("7.2"),
      "this test needs Debian 12's qemu-system-x86 7.2 as the system QEMU (apt-get install qemu-system-x86 on Debian 12); found QEMU \(document.qemu.version) \(document.qemu.package)"
    )
    #expect(document.machines.count == 59)
    let byName = Dictionary(uniqueKeysWithValues: document.machines.map { ($0.name, $0) })
    #expect(byName["pc-i440fx-1.7"]?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(byName["pc-q35-6.0"]?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(byName["pc-q35-6.1"]?.option(.acpiHotplugBridge).defaultValue == true)
    #expect(byName["pc-q35-4.0.1"]?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(document.machine(named: "pc")?.name == "pc-i440fx-7.2")
    #expect(document.machine(named: "q35")?.name == "pc-q35-7.2")
    #expect(document.defaultMachine?.name == "pc-i440fx-7.2")
    #expect(byName["pc-i440fx-1.4"]?.isDeprecated == true)
  }

  @Test("every machine type matches the ground truth of BRIEF section 2")
  func groundTruth() throws {
    let document = try ProbeTestSupport.probe(try ProbeTestSupport.systemQEMU())
    ProbeTestSupport.expectGroundTruth(document)

    for machine in document.machines where machine.name.hasPrefix("pc-q35-") {
      #expect(machine.option(.acpiRootHotplug).isSupported == false, "\(machine.name)")
    }
    // Every machine type appears exactly once, in natural order, `none` included.
    let names = document.machines.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(names.contains("none"))
    #expect(names == names.sorted(by: NaturalOrder.precedes))
    #expect(
      names.firstIndex(of: "pc-q35-2.9").map { names[$0 + 1] } == "pc-q35-2.10",
      "natural order puts 2.10 after 2.9")
    // Binary facts.
    #expect(document.qemu.arch == "x86_64")
    #expect(document.qemu.binarySHA256.count == 64)
    let piix = try #require(document.device("PIIX4_PM"))
    #expect(piix.property("acpi-root-pci-hotplug")?.staticDefault == "true")
    let lpc = try #require(document.device("ICH9-LPC"))
    #expect(lpc.property("acpi-root-pci-hotplug") == nil)
  }

  @Test("two probes of the same binary are byte-identical, whatever --jobs is")
  func deterministic() throws {
    let binary = try ProbeTestSupport.systemQEMU()
    let first = try ProbeTestSupport.probe(binary, jobs: 1)
    let second = try ProbeTestSupport.probe(binary, jobs: 3)
    #expect(CapabilityXMLWriter.xml(first) == CapabilityXMLWriter.xml(second))
    #expect(CapabilityJSONWriter.json(first).serialized() == CapabilityJSONWriter.json(second).serialized())
  }

  @Test("the written XML reads back into the same document")
  func roundTrip() throws {
    let document = try ProbeTestSupport.probe(try ProbeTestSupport.systemQEMU(), machines: ["pc-q35-6.*", "isapc"])
    let xml = CapabilityXMLWriter.xml(document)
    let read = try CapabilityXMLReader.read(Array(xml.utf8), file: "memory.xml")
    #expect(read == document)
    #expect(document.machines.map(\.name) == ["isapc", "pc-q35-6.0", "pc-q35-6.1", "pc-q35-6.2"])
    #expect(document.machineSelection == ["pc-q35-6.*", "isapc"])
  }

  @Test("a machine type that cannot start is reported as failed; the others are unaffected")
  func failingMachine() throws {
    let qemu = try ProbeTestSupport.systemQEMU()
    let wrapper = try FakeQEMU.make(
      "fake-qemu-wrapper",
      body: """
        case " $* " in
          *" -machine pc-i440fx-2.0 "*) echo "qemu-system-x86_64: simulated failure for pc-i440fx-2.0" >&2; exit 1 ;;
        esac
        exec \(qemu) "$@"
        """)
    defer { FakeQEMU.remove(wrapper) }
    let document = try ProbeTestSupport.probe(wrapper, machines: ["pc-i440fx-2.*"])
    let failed = document.machines.filter { $0.error != nil }
    #expect(failed.map(\.name) == ["pc-i440fx-2.0"])
    #expect(failed.first?.error?.contains("simulated failure for pc-i440fx-2.0") == true)
    #expect(failed.first?.error?.contains("exit status 1") == true)
    #expect(document.machines.count > 5)
    #expect(document.machines.filter { $0.error == nil }.allSatisfy { $0.pmDevice == "PIIX4_PM" })
  }

  @Test("a recorded probe replays to byte-identical output without QEMU")
  func recordAndReplay() throws {
    try TemporaryDirectory.with("probe") { directory in
      let live = try ProbeTestSupport.probe(
        try ProbeTestSupport.systemQEMU(), machines: ["pc", "q35", "isapc", "pc-i440fx-1.7"], record: directory.path)
      let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      #expect(files.contains("probe.json"))
      #expect(files.contains("none.replies"))
      #expect(files.contains("pc-i440fx-7.2.replies"))
      let replayed = try Prober(logger: ProbeTestSupport.logger).replay(
        directory: directory.path, machinePatterns: ["pc", "q35", "isapc", "pc-i440fx-1.7"])
      #expect(CapabilityXMLWriter.xml(replayed) == CapabilityXMLWriter.xml(live))
    }
  }

  @Test("no machine type matching the patterns is an error listing what exists")
  func noMatch() throws {
    let error = #expect(throws: ProbeError.self) {
      try ProbeTestSupport.probe(try ProbeTestSupport.systemQEMU(), machines: ["nothing-*", ""])
    }
    #expect(error?.code == .noMachinesSelected)
    #expect(error?.message.contains("pc-q35-7.2") == true)
    // The patterns are quoted: before, "matches nothing-* ;", an empty one was invisible.
    #expect(
      error?.message.contains("matches any of 'nothing-*', ''; it offers ") == true, "\(String(describing: error))")
  }
}
