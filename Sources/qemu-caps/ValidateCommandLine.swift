import ArgumentParser
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsValidator
import QEMUCapsXML

/// `qemu-caps validate`: check a libvirt domain against the capabilities of a QEMU build.
struct ValidateCommandLine: DomainCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a libvirt domain's ACPI hotplug settings against a QEMU build's capabilities.",
    discussion: """
      Checks the domain's ACPI hotplug settings, in every spelling, and <hotplug require/> on \
      its devices against what the capabilities say of its machine type. Standard output \
      carries only the QEMU arguments, one -global DEVICE.PROPERTY=on|off pair per line; \
      findings go to standard error as FILE:LINE: severity: message [code]; with \
      --explain, also what each option will be on the started guest (in --json: \
      "effective").

      Exit status: 0 valid, 1 invalid, 2 an error, 3 unknown (the machine type's probe \
      failed), 128 + N stopped by signal N. See docs/cli.md, "validate", and docs/validation.md.

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

  @Flag(
    name: .long,
    help: "Also say on standard error what each option will be on the started guest, and why.")
  var explain = false

  @OptionGroup var global: GlobalOptions

  static var jsonSchemaVersion: Int64 { 2 }

  var wantsJSON: Bool { json }

  func run() throws {
    let (input, capabilities) = try loadDomain()
    let report = Validator(capabilities: capabilities).validate(input.config)
    if json {
      Output.json(report.json)
    } else {
      Output.findings(report, file: input.name)
      if explain { Output.effective(report, file: input.name) }
      for pair in stride(from: 0, to: report.qemuArguments.count, by: 2) {
        Output.result(report.qemuArguments[pair..<min(pair + 2, report.qemuArguments.count)].joined(separator: " "))
      }
    }
    if !report.isValid { throw ExitCode(report.isUnknown ? 3 : 1) }
  }
}
