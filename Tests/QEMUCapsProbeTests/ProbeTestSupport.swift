import Foundation
import Logging
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// Shared helpers for the prober's tests.
enum ProbeTestSupport {
  static let logger = Logger(label: "test")

  /// The system QEMU, or a failed requirement that says how to install it.
  static func systemQEMU() throws -> String {
    try Requirement.systemQEMU.require(SystemQEMU.path)
  }

  /// Probe `binary` with `jobs` parallel QEMUs.
  static func probe(
    _ binary: String, jobs: Int = 2, machines: [String] = [], record: String? = nil,
    timeouts: QEMULauncher.Timeouts = QEMULauncher.Timeouts()
  ) throws -> CapabilityDocument {
    var configuration = Prober.Configuration(binary: binary)
    configuration.jobs = jobs
    configuration.machinePatterns = machines
    configuration.recordDirectory = record
    configuration.timeouts = timeouts
    return try Prober(logger: logger).probe(configuration)
  }

  /// Check every machine type of `document` against BRIEF section 2.
  static func expectGroundTruth(_ document: CapabilityDocument, sourceLocation: SourceLocation = #_sourceLocation) {
    let version = (document.qemu.version.major, document.qemu.version.minor)
    var checked = 0
    for machine in document.machines {
      guard let expected = GroundTruth.expectation(machine: machine.name, qemuVersion: version) else { continue }
      checked += 1
      #expect(machine.error == nil, "\(machine.name) failed: \(machine.error ?? "")", sourceLocation: sourceLocation)
      #expect(machine.pmDevice == expected.device, "\(machine.name) PM device", sourceLocation: sourceLocation)
      for (option, expectation) in [
        (HotplugOption.acpiHotplugBridge, expected.bridge), (.acpiRootHotplug, expected.root),
      ] {
        let actual = machine.option(option).description
        #expect(actual == expectation.description, "\(machine.name) \(option)", sourceLocation: sourceLocation)
      }
    }
    #expect(checked > 0, "no machine type matched the ground truth", sourceLocation: sourceLocation)
  }
}

extension Result {
  /// The error of a failure; `nil` for a success.
  var failure: Failure? {
    guard case .failure(let error) = self else { return nil }
    return error
  }
}
