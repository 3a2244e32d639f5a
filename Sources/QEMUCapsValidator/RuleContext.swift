import QEMUCapsModel

/// Runs the rules over one domain, collecting diagnostics and arguments.
struct RuleContext {
  let capabilities: CapabilityDocument
  let domain: DomainConfig
  var diagnostics: [Diagnostic] = []
  var arguments: [String] = []
  /// The machine type the domain resolved to.
  private(set) var machine: MachineCapabilities?

  init(capabilities: CapabilityDocument, domain: DomainConfig) {
    self.capabilities = capabilities
    self.domain = domain
  }

  /// `QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`.
  var qemuName: String {
    let package = capabilities.qemu.package
    return "QEMU \(capabilities.qemu.version)\(package.isEmpty ? "" : " (\(package))")"
  }

  mutating func report(_ severity: Diagnostic.Severity, _ code: String, _ message: String, line: Int?) {
    diagnostics.append(Diagnostic(severity, code, message, line: line))
  }

  mutating func run() {
    diagnostics.append(contentsOf: domain.readDiagnostics)
    checkDomainType()
    checkArch()
    guard let machine = resolveMachine() else { return }
    self.machine = machine
    if machine.isDeprecated {
      report(
        .warning, "machine.deprecated",
        "machine type \(machine.name) is deprecated in \(qemuName) and may be removed from later builds; \(MachineSuggestions.newestSibling(of: machine, in: capabilities).map { "\($0) is the newest of its family" } ?? "choose a current machine type")",
        line: domain.machineLine)
    }
    if let error = machine.error {
      let used = !domain.settings.isEmpty || !domain.hotplugRequirements.isEmpty
      report(
        used ? .error : .warning, "machine.probe-failed",
        "\(qemuName) could not be probed on machine type \(machine.name), so its hotplug options are unknown: \(error)",
        line: domain.machineLine)
      if used { return }
    }
    checkOptions(on: machine)
    checkHotplugRequirements(on: machine)
  }

  private mutating func checkDomainType() {
    guard let type = domain.domainType else {
      report(.error, "domain.type-missing", "<domain> has no type attribute; use type='kvm' or type='qemu'", line: 1)
      return
    }
    guard type == "kvm" || type == "qemu" else {
      report(
        .error, "domain.type-unsupported",
        "domain type '\(type)' does not run on \(qemuName): ACPI PCI hotplug options apply to QEMU guests, use type='kvm' or type='qemu'",
        line: 1)
      return
    }
  }

  private mutating func checkArch() {
    guard let arch = domain.arch, arch != capabilities.qemu.arch else { return }
    report(
      .error, "arch.unsupported",
      "acpi-hotplug-bridge and acpi-root-hotplug are not available for architecture '\(arch)': the capability data describes \(qemuName) for \(capabilities.qemu.arch); use arch='\(capabilities.qemu.arch)' or the capability data of a QEMU for \(arch)",
      line: domain.machineLine)
  }

  private mutating func resolveMachine() -> MachineCapabilities? {
    guard let requested = domain.machine else {
      guard let fallback = capabilities.defaultMachine else {
        report(
          .error, "machine.unknown",
          "the domain names no machine type and \(qemuName) has no default one; set <os><type machine='…'>",
          line: domain.machineLine)
        return nil
      }
      report(
        .note, "machine.default",
        "no machine type given: \(qemuName) uses its default, \(fallback.name)", line: domain.machineLine)
      return fallback
    }
    guard let found = capabilities.machine(named: requested) else {
      let closest = MachineSuggestions.closest(to: requested, in: capabilities)
      let shown = requested.count > 80 ? "\(requested.prefix(80))…" : requested
      report(
        .error, "machine.unknown",
        "machine type '\(shown)' is not offered by \(qemuName); closest: \(closest.joined(separator: ", "))",
        line: domain.machineLine)
      return nil
    }
    if found.name != requested {
      report(
        .note, "machine.alias", "machine type \(requested) is \(found.name) in \(qemuName)", line: domain.machineLine)
    }
    return found
  }
}
