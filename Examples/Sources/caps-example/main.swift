import Glibc
import QEMUCaps

// Usage: caps-example [CAPABILITY-FILE-OR-DIRECTORY]  (default: ../capabilities-data)
let path = CommandLine.arguments.dropFirst().first ?? "../capabilities-data"

do {
  // Look up an option: can acpi-hotplug-bridge be set on pc-q35-6.0 of QEMU 7.2, and to what default?
  let build = try CapabilityIndex(path: path).build(version: "7.2")
  guard let machine = build.machine("pc-q35-6.0") else {
    print("QEMU \(build.document.qemu.version) has no machine type pc-q35-6.0")
    exit(1)
  }
  switch machine.option(.acpiHotplugBridge) {
  case .supported(let value):
    print("QEMU \(build.document.qemu.version), \(machine.name): acpi-hotplug-bridge defaults to \(value.onOff)")
  case .unsupported(let reason):
    print("\(machine.name): acpi-hotplug-bridge cannot be set: \(reason)")
  case .unknown(let failure):
    print("\(machine.name) could not be probed: \(failure)")
  }

  // Validate a domain held in a string, and get the QEMU arguments it needs.
  let domain = """
    <domain type='kvm'>
      <os><type arch='x86_64' machine='pc-q35-6.0'>hvm</type></os>
      <features><acpi/></features>
      <pm><acpi-hotplug-bridge enabled='yes'/></pm>
    </domain>
    """
  let report = try Validator(capabilities: build.document).validate(domainXML: domain)
  for diagnostic in report.diagnostics { print(diagnostic) }
  print(report.isValid ? "valid: \(report.qemuArguments.joined(separator: " "))" : "invalid")
} catch let error as LookupError {
  print("cannot look up: \(error)")  // e.g. no capability file for QEMU 7.2
  exit(1)
} catch {
  print("cannot validate: \(error)")  // an XMLError naming the line
  exit(1)
}
