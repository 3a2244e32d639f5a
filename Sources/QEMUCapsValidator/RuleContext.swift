import QEMUCapsModel

/// Runs the rules over one domain, collecting diagnostics and arguments.
struct RuleContext {
  let capabilities: CapabilityDocument
  let domain: DomainConfig
  /// The option settings that apply: the domain's, less those of a bus-0 controller libvirt refuses.
  var settings: [DomainConfig.OptionSetting]
  var diagnostics: [Diagnostic] = []
  var arguments: [String] = []
  /// The machine type the domain resolved to.
  private(set) var machine: MachineCapabilities?

  init(capabilities: CapabilityDocument, domain: DomainConfig) {
    self.capabilities = capabilities
    self.domain = domain
    self.settings = domain.settings
  }

  /// `QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`.
  var qemuName: String {
    let package = capabilities.qemu.package
    return "QEMU \(capabilities.qemu.version)\(package.isEmpty ? "" : " (\(package))")"
  }

  mutating func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, _ message: String, line: Int?) {
    diagnostics.append(Diagnostic(severity, code, message, line: line))
  }

  mutating func run() {
    diagnostics.append(contentsOf: domain.readDiagnostics)
    // One error per root cause: a guest this build cannot run at all gets no
    // machine-level findings (and no x86 machine suggestions for an aarch64 guest).
    checkOSType()
    let typeRuns = checkDomainType()
    let archRuns = checkArch()
    guard typeRuns, archRuns, let machine = resolveMachine() else { return }
    self.machine = machine
    if machine.isDeprecated {
      report(
        .warning, .machineDeprecated,
        "machine type \(machine.name) is deprecated in \(qemuName) and may be removed from later builds; \(MachineSuggestions.newestSibling(of: machine, in: capabilities).map { "\($0) is the newest of its family" } ?? "choose a current machine type")",
        line: domain.machineLine)
    }
    if let error = machine.error {
      let used = !settings.isEmpty || !domain.hotplugRequirements.isEmpty || domain.rootController?.hotplugLine != nil
      report(
        used ? .error : .warning, .machineProbeFailed,
        "\(qemuName) could not be probed on machine type \(machine.name), so its hotplug options are unknown: \(error)",
        line: domain.machineLine)
      if used { return }
    }
    checkRootController(on: machine)
    checkPassthroughDevices(on: machine)
    checkPortHotplugs(on: machine)
    checkOptions(on: machine)
    checkHotplugRequirements(on: machine)
  }

  /// libvirt needs `<os><type>` and runs x86 QEMU guests only as `hvm`.
  private mutating func checkOSType() {
    guard let osType = domain.osType else {
      report(
        .error, .osTypeMissing,
        "the domain has no <os><type>: libvirt refuses it (\"an os <type> must be specified\"); add <os><type arch='x86_64'>hvm</type></os>, with machine='…' for a machine type other than the default",
        line: domain.machineLine)
      return
    }
    guard osType == "hvm" else {
      report(
        .error, .osTypeUnsupported,
        "<os><type>\(shown(osType))</type> is not an OS type libvirt runs on \(qemuName) (\"Emulator does not support os type '\(shown(osType))'\"): x86 QEMU guests are <type>hvm</type>",
        line: domain.machineLine)
      return
    }
  }

  /// Whether the build can run the domain's type; reports why not.
  private mutating func checkDomainType() -> Bool {
    guard let type = domain.domainType else {
      report(.error, .domainTypeMissing, "<domain> has no type attribute; use type='kvm' or type='qemu'", line: 1)
      return false
    }
    let available = accelerators
    guard let accelerator = Self.accelerator(forDomainType: type) else {
      report(
        .error, .domainTypeUnsupported,
        "domain type '\(shown(type))' does not run on \(qemuName): libvirt runs QEMU guests as type='qemu' (TCG), 'kvm' or 'hvf'; \(Self.typeAdvice(available))",
        line: 1)
      return false
    }
    guard available.contains(accelerator) else {
      report(
        .error, .domainAcceleratorMissing,
        "domain type '\(type)' needs QEMU's \(accelerator) accelerator, but this build has no \(accelerator) accelerator (it has \(available.joined(separator: ", "))\(capabilities.qemu.accelerators == nil ? ", assumed: this capability file, schema version 1, does not record accelerators; regenerate it with qemu-caps probe" : "")): \(qemuName); \(Self.typeAdvice(available))",
        line: 1)
      return false
    }
    return true
  }

  /// Whether the build runs guests of the domain's architecture; reports why not.
  private mutating func checkArch() -> Bool {
    let supported = guestArchitectures
    guard let arch = domain.arch, !supported.contains(arch) else { return true }
    let list =
      (supported.count > 1 ? supported.dropLast().joined(separator: ", ") + " and " : "")
      + "\(supported.last ?? "no") guests"
    report(
      .error, .archUnsupported,
      "acpi-hotplug-bridge and acpi-root-hotplug are not available for architecture '\(shown(arch))': the capability data describes \(qemuName), which runs \(list); use \(supported.map { "arch='\($0)'" }.joined(separator: " or ")), or the capability data of a QEMU for \(shown(arch))",
      line: domain.machineLine)
    return false
  }

  /// The QEMU accelerator libvirt uses for a domain type (`qemu` is TCG), or `nil`
  /// when libvirt's QEMU driver does not take that type.
  static func accelerator(forDomainType type: String) -> String? {
    switch type {
    case "qemu": "tcg"
    case "kvm": "kvm"
    case "hvf": "hvf"
    default: nil
    }
  }

  /// What to write instead, from the accelerators the build has.
  private static func typeAdvice(_ accelerators: [String]) -> String {
    let types = ["kvm", "qemu", "hvf"].filter { type in
      accelerator(forDomainType: type).map(accelerators.contains) ?? false
    }
    guard !types.isEmpty else { return "no domain type libvirt knows runs on this build" }
    return "use " + types.map { "type='\($0)'" }.joined(separator: " or ")
  }

  /// A value from the domain quoted in a message, cut short when hostile.
  func shown(_ text: String) -> String {
    text.truncated(to: 80)
  }

  private mutating func resolveMachine() -> MachineCapabilities? {
    guard let requested = domain.machine else {
      guard let fallback = capabilities.defaultMachine else {
        report(
          .error, .machineUnknown,
          "the domain names no machine type and \(qemuName) has no default one; set <os><type machine='…'>",
          line: domain.machineLine)
        return nil
      }
      report(
        .note, .machineDefault,
        "no machine type given: \(qemuName) uses its default, \(fallback.name)", line: domain.machineLine)
      return fallback
    }
    guard let found = capabilities.machine(named: requested) else {
      let closest = MachineSuggestions.closest(to: requested, in: capabilities)
      report(
        .error, .machineUnknown,
        "machine type '\(shown(requested))' is not offered by \(qemuName); \(closest)",
        line: domain.machineLine)
      return nil
    }
    if found.name != requested {
      report(
        .note, .machineAlias, "machine type \(requested) is \(found.name) in \(qemuName)", line: domain.machineLine)
    }
    return found
  }
}
