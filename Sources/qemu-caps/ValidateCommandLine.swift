import ArgumentParser
import QEMUCapsJSON
import QEMUCapsValidator
import QEMUCapsXML

/// `qemu-caps validate`: check a libvirt domain against a capability file.
struct ValidateCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a libvirt domain's ACPI hotplug settings against a QEMU capability file.",
    discussion: """
      Reads the domain's machine type (<os><type machine>), <features><acpi/>, the hotplug \
      options in any of their spellings (<pm><acpi-hotplug-bridge enabled/>, \
      <pm><acpi-root-hotplug enabled/>, <controller type='pci' model='pci-root'><target \
      hotplug/>, <features><pci><acpi-bridge-hotplug state/>) and <hotplug require/> on \
      devices, checks them against what the capability file says of that machine type, and \
      prints diagnostics then the QEMU arguments. QEMU itself is never started.

      Exit status: 0 valid (warnings and notes allowed), 1 invalid, 2 an input cannot be \
      read or parsed.
      """
  )

  @Argument(help: "The libvirt domain XML file.")
  var domain: String

  @Option(name: .long, help: "The capability file of the QEMU the domain will run on (from qemu-caps probe).")
  var caps: String

  @Flag(name: .long, help: "Print the verdict as one JSON object.")
  var json = false

  func run() throws {
    let validator: Validator
    let report: ValidationReport
    do {
      validator = try Validator(capabilitiesFile: caps)
      report = try validator.validate(domainFile: domain)
    } catch {
      throw ExitFailure(message: error.description, code: 2)
    }
    if json {
      Terminal.print(report.json.serialized())
    } else {
      for diagnostic in report.diagnostics {
        let location = diagnostic.line.map { "\(domain):\($0):" } ?? "\(domain):"
        Terminal.line("\(location) \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]")
      }
      if report.isValid {
        Terminal.line(
          report.qemuArguments.isEmpty ? "(no QEMU arguments needed)" : report.qemuArguments.joined(separator: " "))
      }
    }
    if !report.isValid { throw ExitCode(1) }
  }
}
