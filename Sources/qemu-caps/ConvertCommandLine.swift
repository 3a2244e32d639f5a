import ArgumentParser
import QEMUCapsConvert
import QEMUCapsValidator
import QEMUCapsXML

/// `qemu-caps convert`: write a valid domain the way today's libvirt accepts it.
struct ConvertCommandLine: DomainCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Validate a libvirt domain, then write it with its ACPI hotplug settings in libvirt's own syntax.",
    discussion: """
      Checks the domain as validate does; when it is valid, writes it back with \
      acpi-root-hotplug as the pci-root controller's <target hotplug/>, acpi-hotplug-bridge as \
      a <qemu:commandline> -global, and the other spellings removed. Everything else stays as it \
      was. Diagnostics go to standard error; nothing is written when the domain is invalid.

      Exit status: 0 valid and written, 1 invalid, 2 an error, 3 unknown (the machine type's \
      probe failed), 128 + N stopped by signal N. See docs/cli.md, "convert", and docs/convert.md.

      Examples:
        qemu-caps convert guest.xml --caps capabilities-data --qemu-version 7.2 --output guest-libvirt.xml
        qemu-caps convert guest.xml --qemu /usr/bin/qemu-system-x86_64 | virsh define /dev/stdin
      """
  )

  @Argument(help: "The libvirt domain XML file (- reads standard input).", completion: .file(extensions: ["xml"]))
  var domain: String

  @OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions

  @Option(
    name: .long, help: "Write the domain here (atomically; - is standard output) instead of standard output.",
    completion: .file())
  var output: String?

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let (input, capabilities) = try loadDomain()
    let conversion = try ExitFailure.wrap { () throws(XMLError) in
      try DomainConverter(validator: Validator(capabilities: capabilities)).convert(
        domainXML: input.bytes, file: input.name)
    }
    Output.findings(conversion.report, file: input.name)
    guard conversion.isValid, let bytes = conversion.output else {
      throw ExitCode(conversion.report.isUnknown ? 3 : 1)
    }
    try OutputDestination.write(bytes, to: output)
  }
}
