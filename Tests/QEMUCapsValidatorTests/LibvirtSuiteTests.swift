import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// The validator against libvirt's own test suite (libvirt 11.3.0's
/// tests/qemuxmlconfdata, fetched by scripts/fetch-libvirt-tests) and the newest
/// capability snapshot: where libvirt builds a QEMU command line for an x86 guest,
/// the domain is valid and the hotplug arguments are libvirt's; where libvirt
/// refuses an ACPI hotplug setting, the domain is invalid. The counts are the table
/// in docs/validation.md, which this suite checks.
@Suite("libvirt's qemuxmlconfdata suite", .serialized)
struct LibvirtSuiteTests {
  /// The outcome of one input.
  struct Outcome {
    var input: LibvirtSuite.Input
    var report: ValidationReport?
    var readError: String?
  }

  /// Validate every input against the newest snapshot.
  static func run() throws -> (outcomes: [Outcome], snapshot: CapabilityDocument, snapshotName: String) {
    let suite = try LibvirtSuite.shared()
    let snapshotURL = try LibvirtSuite.newestSnapshot(in: Fixtures.repositoryRoot)
    let validator = try Validator(capabilitiesFile: snapshotURL.path)
    let outcomes = suite.inputs.map { input in
      do {
        let report = try validator.validate(domainXML: input.bytes, file: input.url.lastPathComponent)
        return Outcome(input: input, report: report)
      } catch {
        return Outcome(input: input, readError: "\(error)")
      }
    }
    return (outcomes, validator.capabilities, snapshotURL.lastPathComponent)
  }

  /// A validator for the newest snapshot that offers `machine` (the newest of all
  /// when `machine` is `nil` or no snapshot has it), and the snapshot's file name.
  static func newestValidator(offering machine: String?) throws -> (Validator, String) {
    var fallback: (Validator, String)?
    for url in try LibvirtSuite.snapshots(in: Fixtures.repositoryRoot).reversed() {
      let validator = try Validator(capabilitiesFile: url.path)
      fallback = fallback ?? (validator, url.lastPathComponent)
      if let machine, validator.capabilities.machine(named: machine) != nil {
        return (validator, url.lastPathComponent)
      }
      if machine == nil { break }
    }
    guard let fallback else { throw CocoaError(.fileNoSuchFile) }
    return fallback
  }

  /// Whether every error is `machine.unknown` for a machine type the snapshot lacks.
  static func onlyMissingMachine(_ report: ValidationReport, _ input: LibvirtSuite.Input, _ caps: CapabilityDocument)
    -> Bool
  {
    let errors = report.diagnostics.filter { $0.severity == .error }
    guard let machine = input.machine, caps.machine(named: machine) == nil else { return false }
    return errors.count == 1 && errors[0].code == .machineUnknown
  }

  @Test("the whole suite: no crash; accepted x86 guests valid; hotplug arguments equal libvirt's")
  func conformance() throws {
    let (outcomes, caps, snapshotName) = try Self.run()
    #expect(outcomes.count >= 1000, "libvirt 11.3.0 has 1,208 inputs; found \(outcomes.count)")

    // Every input libvirt accepts for an x86 guest is valid, or lacks only its machine type.
    let accepted = outcomes.filter(\.input.isAcceptedX86Guest)
    var valid = 0
    var missingMachine = 0
    for outcome in accepted {
      guard let report = outcome.report else {
        Issue.record("\(outcome.input.name): libvirt accepts it, but it could not be read: \(outcome.readError ?? "")")
        continue
      }
      if report.isValid {
        valid += 1
      } else if Self.onlyMissingMachine(report, outcome.input, caps) {
        missingMachine += 1
      } else {
        Issue.record(
          "\(outcome.input.name): libvirt accepts it, \(snapshotName) does not: \(report.diagnostics.filter { $0.severity == .error })"
        )
      }
    }

    // Where libvirt's command line sets an ACPI hotplug property, ours is the same,
    // with the newest snapshot that has the input's machine type (libvirt's inputs
    // use old ones, such as pc-i440fx-2.5, that the newest QEMU may have dropped).
    let withHotplug = accepted.filter { !$0.input.hotplugGlobals.isEmpty }
    #expect(!withHotplug.isEmpty, "the suite has inputs whose .args set an ACPI hotplug property")
    var sameArguments = 0
    var usedSnapshots: Set<String> = []
    for outcome in withHotplug {
      let (validator, name) = try Self.newestValidator(offering: outcome.input.machine)
      usedSnapshots.insert(name)
      let report = try validator.validate(domainXML: outcome.input.bytes, file: outcome.input.url.lastPathComponent)
      #expect(report.isValid, "\(outcome.input.name) against \(name): \(report.diagnostics)")
      #expect(report.qemuArguments == outcome.input.hotplugGlobals, "\(outcome.input.name) against \(name)")
      if report.isValid && report.qemuArguments == outcome.input.hotplugGlobals { sameArguments += 1 }
    }

    // Where libvirt refuses a domain that has an ACPI hotplug setting, so do we.
    let refusedWithHotplug = outcomes.filter { outcome in
      outcome.input.x86Error != nil && outcome.input.root.map { !HotplugAttribute.all(in: $0).isEmpty } == true
    }
    var refusedInvalid = 0
    for outcome in refusedWithHotplug {
      let invalid = outcome.report.map { !$0.isValid } ?? true
      #expect(invalid, "\(outcome.input.name): libvirt refuses it (\(outcome.input.x86Error ?? "")), we accept it")
      if invalid { refusedInvalid += 1 }
    }

    // No hotplug setting anywhere in the suite is silently dropped.
    var settings = 0
    for outcome in outcomes {
      guard let report = outcome.report, let root = outcome.input.root else { continue }
      for attribute in HotplugAttribute.all(in: root) {
        settings += 1
        if let problem = attribute.problem(in: report) { Issue.record("\(outcome.input.name): \(problem)") }
      }
    }

    // The table in docs/validation.md says the same.
    let rows = [
      ("inputs (`NAME.xml`)", outcomes.count),
      (
        "accepted by libvirt for x86_64 (`NAME.x86_64-latest.args`)",
        outcomes.filter { $0.input.x86Arguments != nil }.count
      ),
      ("… of them x86 guests (arch x86_64, i686 or none; no other emulator)", accepted.count),
      ("… valid against \(snapshotName)", valid),
      ("… whose only error is `machine.unknown` (machine type not in \(snapshotName))", missingMachine),
      ("… whose .args set an ACPI hotplug property", withHotplug.count),
      (
        "… of those valid, with the same `qemuArgs` as libvirt's (against \(usedSnapshots.sorted().joined(separator: ", ")), the newest with their machine types)",
        sameArguments
      ),
      ("refused by libvirt for x86_64 (`NAME.x86_64-latest.err`)", outcomes.filter { $0.input.x86Error != nil }.count),
      ("… of them with an ACPI hotplug setting", refusedWithHotplug.count),
      ("… of those invalid here", refusedInvalid),
      ("ACPI hotplug settings in all inputs, each applied or reported", settings),
    ]
    let table = rows.map { "| \($0.0) | \($0.1) |" }.joined(separator: "\n")
    let documentation = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/validation.md"), encoding: .utf8)
    let documented = documentation.contains(table)
    #expect(documented, "docs/validation.md must hold this table:\n\(table)")
  }
}
