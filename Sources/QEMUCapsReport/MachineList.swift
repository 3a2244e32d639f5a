import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel

/// The machine types of one QEMU build, one line each, like
/// `qemu-system-x86_64 -machine help`, with the ACPI PM device and both options.
///
/// Text form: one heading line naming the build, then exactly one line per machine
/// type (grouped by ``MachineFamily``, newest first):
/// `NAME  PM-DEVICE  bridge=on|off|n/a  root=on|off|n/a  (alias pc, default, deprecated)`,
/// with `none` for a machine without a PM device and `FAILED (notes): message` for
/// a machine type that could not be probed.
public enum MachineList {
  /// The text form, ending in a newline.
  public static func text(_ document: CapabilityDocument) -> String {
    let machines = MachineFamily.ordered(document)
    let nameWidth = max(20, (machines.map(\.name.count).max() ?? 0) + 1)
    let package = document.qemu.package.isEmpty ? "" : " (\(singleLine(document.qemu.package)))"
    let accelerators = document.qemu.accelerators.map { " (accelerators: \($0.joined(separator: ", ")))" } ?? ""
    var lines = [
      "Machine types of QEMU \(document.qemu.version)\(package), \(document.qemu.arch)\(accelerators): \(machines.count); columns: name, ACPI PM device, acpi-hotplug-bridge, acpi-root-hotplug (default on/off, n/a: cannot be set)"
    ]
    for machine in machines {
      var line = pad(machine.name, nameWidth)
      var notes: [String] = []
      if let alias = machine.alias { notes.append("alias \(alias)") }
      if machine.isDefault { notes.append("default") }
      if machine.isDeprecated { notes.append("deprecated") }
      let noted = notes.isEmpty ? "" : "(\(notes.joined(separator: ", ")))"
      switch machine.outcome {
      case .failed(let message):
        line += "FAILED\(noted.isEmpty ? "" : " \(noted)"): \(singleLine(message))"
      case .probed(let device, _):
        line += pad(device ?? "none", 10)
        line += pad("bridge=\(state(machine.option(.acpiHotplugBridge)))", 12)
        line += pad("root=\(state(machine.option(.acpiRootHotplug)))", 10)
        line += noted
      }
      while line.last == " " { line.removeLast() }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The JSON form: `{"qemu": {...}, "machines": [...]}`, the objects of the probe's
  /// JSON format, machines in the same order as the text.
  package static func json(_ document: CapabilityDocument) -> JSON {
    .object(
      JSONObject([
        ("qemu", CapabilityJSONWriter.qemu(document.qemu)),
        ("machines", .array(MachineFamily.ordered(document).map(CapabilityJSONWriter.machine))),
      ]))
  }

  private static func state(_ capability: OptionCapability) -> String {
    capability.defaultValue?.onOff ?? "n/a"
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private static func singleLine(_ text: String) -> String {
    DisplayText.singleLine(text)
  }
}
