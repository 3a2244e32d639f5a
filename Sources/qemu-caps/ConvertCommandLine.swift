import ArgumentParser
import QEMUCapsConvert
import QEMUCapsValidator
import QEMUCapsXML

/// `qemu-caps convert`: write a valid domain the way today's libvirt accepts it.
struct ConvertCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Validate a libvirt domain, then write it with its ACPI hotplug settings in libvirt's own syntax.",
    discussion: """
      Checks the domain exactly as validate does. When it is valid, writes it back with:
        - acpi-root-hotplug as <controller type='pci' index='0' model='pci-root'><target \
      hotplug='on|off'/></controller> (libvirt 7.9 and later) where the machine's bus 0 is \
      pci-root;
        - acpi-hotplug-bridge (which libvirt has no element for) as <qemu:commandline> \
      -global DEVICE.acpi-pci-hotplug-with-bridge-support=on|off, declaring \
      xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0' when that namespace has no \
      prefix yet; an existing <qemu:commandline> is extended, an identical -global is not \
      repeated, and one that sets the same property to another value is an error;
        - <pm><acpi-hotplug-bridge|acpi-root-hotplug>, <features><pci><acpi-bridge-hotplug> \
      and <hotplug require> removed (libvirt does not know them; they have been checked); \
      their comments move with the setting.
      Everything else stays as it was: element order, comments, attributes, whitespace, \
      line ends, byte order mark and XML declaration; every attribute is written in the \
      quote the input uses most (' in libvirt's own XML).

      Diagnostics go to standard error, as validate prints them; the domain goes to standard \
      output or --output (written atomically). Nothing is written when the domain is invalid.

      Exit status: 0 valid and written, 1 invalid (nothing written), 2 an input cannot be \
      read or parsed, or the output cannot be written, 3 unknown (the machine type's probe \
      failed; nothing written).

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

  func validate() throws {
    // Standard input can be read once: before, the second input read it empty.
    if domain == "-" && source.caps == "-" {
      throw ValidationError("only one input can be standard input ('-')")
    }
  }

  func run() throws {
    let logger = global.bootstrapLogging()
    let (input, capabilities) = try source.load(forDomain: domain, logger: logger)
    let conversion = try ExitFailure.wrap { () throws(XMLError) in
      try DomainConverter(validator: Validator(capabilities: capabilities)).convert(
        domainXML: input.bytes, file: input.name)
    }
    for diagnostic in conversion.report.diagnostics {
      Output.finding(
        file: input.name, line: diagnostic.line, severity: Output.Severity(diagnostic.severity),
        message: diagnostic.message, code: diagnostic.code.rawValue)
    }
    guard conversion.isValid, let bytes = conversion.output else {
      throw ExitCode(conversion.report.isUnknown ? 3 : 1)
    }
    try OutputDestination.write(bytes, to: output)
  }
}
