import ArgumentParser
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsValidator
import QEMUCapsXML

/// `qemu-caps validate`: check a libvirt domain against the capabilities of a QEMU build.
struct ValidateCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a libvirt domain's ACPI hotplug settings against a QEMU build's capabilities.",
    discussion: """
      Reads the domain's machine type (<os><type machine>), <features><acpi/>, the hotplug \
      options in any of their spellings (<pm><acpi-hotplug-bridge enabled/>, \
      <pm><acpi-root-hotplug enabled/>, <controller type='pci' model='pci-root'><target \
      hotplug/>, <features><pci><acpi-bridge-hotplug state/>) and <hotplug require/> on \
      devices, and checks them against what the capabilities say of that machine type. The \
      capabilities come from a capability file (--caps FILE), a directory of them (--caps DIR \
      --qemu-version V) or a QEMU binary through the probe cache (--qemu BIN, which probes \
      only the domain's machine type when the cache lacks it).

      Standard output carries only the QEMU arguments, one pair per line \
      (-global DEVICE.PROPERTY=on|off), and nothing when none is needed or the domain is \
      invalid; findings go to standard error as FILE:LINE: severity: message [code]. With \
      --json, standard output carries one JSON object, also on errors.

      Exit status: 0 valid (warnings and notes allowed), 1 invalid, 2 an input cannot be \
      read or parsed, 3 unknown (the machine type's probe failed, so there is no answer).

      Examples:
        qemu-caps validate guest.xml --caps capabilities-data/qemu-7.2.22.xml
        qemu-caps validate guest.xml --caps capabilities-data --qemu-version 7.2
        qemu-caps validate guest.xml --qemu /usr/bin/qemu-system-x86_64 --json
      """
  )

  @Argument(help: "The libvirt domain XML file.", completion: .file(extensions: ["xml"]))
  var domain: String

  @OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions

  @Flag(name: .long, help: "Print the verdict as one JSON object.")
  var json = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    // Standard input can be read once: before, the second input read it empty.
    if domain == "-" && source.caps == "-" {
      throw ValidationError("only one input can be standard input ('-')")
    }
  }

  func run() throws {
    let logger = global.bootstrapLogging(json: json)
    let (input, capabilities) = try source.load(forDomain: domain, logger: logger)
    let report = Validator(capabilities: capabilities).validate(input.config)
    if json {
      Output.json(report.json)
    } else {
      for diagnostic in report.diagnostics {
        Output.finding(
          file: input.name, line: diagnostic.line,
          severity: Output.Severity(diagnostic.severity),
          message: diagnostic.message, code: diagnostic.code.rawValue)
      }
      for pair in stride(from: 0, to: report.qemuArguments.count, by: 2) {
        Output.result(report.qemuArguments[pair..<min(pair + 2, report.qemuArguments.count)].joined(separator: " "))
      }
    }
    if !report.isValid { throw ExitCode(report.isUnknown ? 3 : 1) }
  }
}

extension Output.Severity {
  /// The output severity of a validator finding.
  init(_ severity: Diagnostic.Severity) {
    switch severity {
    case .error: self = .error
    case .warning: self = .warning
    case .note: self = .note
    }
  }
}
