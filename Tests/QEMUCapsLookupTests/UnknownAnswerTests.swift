import Foundation
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// When capability data answers a question, and when a failed probe leaves it unknown.
@Suite("Unknown answers over capabilities-data")
struct UnknownAnswerTests {
  /// The committed QEMU 5.2 snapshot: its Xen machine types failed to probe.
  static func qemu52() throws -> CapabilityDocument {
    try CapabilityIndex(path: Fixtures.capabilitiesData("qemu-5.2.0.xml")).build(version: nil).document
  }

  @Test("a probed machine type answers, for it and for each option")
  func answered() throws {
    let document = try Self.qemu52()
    let pc = try #require(document.machine(named: "pc"))
    #expect(document.unknownAnswer(for: pc) == nil)
    for option in HotplugOption.allCases {
      #expect(document.unknownAnswer(for: pc, option: option) == nil)
    }
  }

  @Test("a machine type whose probe failed has no answer; the error quotes the failure")
  func failed() throws {
    let document = try Self.qemu52()
    let xen = try #require(document.machine(named: "xenfv-3.1"))
    let failure = try #require(xen.error)
    for option in [nil] + HotplugOption.allCases.map(Optional.some) {
      let error = try #require(document.unknownAnswer(for: xen, option: option))
      #expect(error.code == .unknownAnswer)
      #expect(error.message == "the answer is unknown: probing machine type xenfv-3.1 of QEMU 5.2.0 failed: \(failure)")
    }
  }

  @Test("an option the probe did not establish has no answer, though the machine type has")
  func optionUnknown() throws {
    var machine = try #require(SampleCapabilities.document.machines.first { !$0.outcome.isFailure })
    machine.outcome = .probed(pmDevice: "PIIX4_PM", options: [.acpiHotplugBridge: .supported(default: true)])
    let document = SampleCapabilities.document
    #expect(document.unknownAnswer(for: machine) == nil)
    #expect(document.unknownAnswer(for: machine, option: .acpiHotplugBridge) == nil)
    let error = try #require(document.unknownAnswer(for: machine, option: .acpiRootHotplug))
    #expect(error.message.hasSuffix("failed: the probe did not report acpi-root-hotplug"))
  }
}
