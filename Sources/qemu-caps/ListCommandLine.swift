import ArgumentParser
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsReport

/// `qemu-caps list`: the machine types of one QEMU build, like `-machine help`.
struct ListCommandLine: CapabilityCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List a QEMU build's machine types with their ACPI PM device and both hotplug options.",
    discussion: """
      Like qemu-system-x86_64 -machine help: one heading line naming the build, then one line \
      per machine type with its ACPI PM device, bridge=on|off|n/a (acpi-hotplug-bridge), \
      root=on|off|n/a (acpi-root-hotplug), and its alias, default and deprecated marks.

      Exit status: 0 listed, 2 an error, 128 + N stopped by signal N. See docs/cli.md, "list".

      Examples:
        qemu-caps list --caps capabilities-data --qemu-version 11.1
        qemu-caps list --qemu /usr/bin/qemu-system-x86_64 --json
      """
  )

  @OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions

  @Flag(name: .long, help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var global: GlobalOptions

  /// The capability format's version: the objects are those of the probe's JSON format.
  static var jsonSchemaVersion: Int64 { Int64(CapabilityDocument.schemaVersion) }

  var wantsJSON: Bool { json }

  func run() throws {
    let document = try source.load(covering: nil, logger: global.bootstrapLogging())
    if json {
      Output.json(MachineList.json(document), pretty: true)
    } else {
      Output.resultText(MachineList.text(document))
    }
  }
}
