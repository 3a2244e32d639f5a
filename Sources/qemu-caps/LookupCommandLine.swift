import ArgumentParser
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe

/// `qemu-caps lookup`: answer one question from capability files or the probe cache.
struct LookupCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Ask whether a QEMU build's machine type supports a hotplug option, and its default.",
    discussion: """
      From capability files (--caps FILE or a directory of them, such as capabilities-data) \
      or from a QEMU binary (--qemu BIN), answered from a per-user cache \
      ($XDG_CACHE_HOME/qemu-caps) that is probed again only when the binary, its module \
      directory or qemu-caps change, and then only for the machine type asked for.

      Exit status with --option: 0 supported, 1 not supported, 2 error (unknown machine \
      type, no matching version, unreadable file, QEMU cannot be probed), 3 unknown: the \
      machine type's probe failed (QEMU's message is quoted; failures are never cached, so \
      the next lookup probes again). Without --option: 0 found, 2 error, 3 unknown.

      Examples:
        qemu-caps lookup --caps capabilities-data --qemu-version 7.2 --machine q35 --option acpi-hotplug-bridge
        qemu-caps lookup --qemu /usr/bin/qemu-system-x86_64 --machine pc-i440fx-1.7 --json
      """
  )

  @Option(name: .long, help: "A capability file, or a directory of them.")
  var caps: String?

  @Option(name: .long, help: "A QEMU binary (a path or a name on PATH), looked up through the probe cache.")
  var qemu: String?

  @Option(name: .long, help: "With --caps: the QEMU version, exact (7.2.22) or a prefix (7.2, newest match).")
  var qemuVersion: String?

  @Option(name: .long, help: "The machine type or alias (pc, q35, pc-q35-6.0, ...).")
  var machine: String

  @Option(name: .long, help: "The option: acpi-hotplug-bridge or acpi-root-hotplug.")
  var option: String?

  @Flag(name: .long, help: "Print {\"qemu\": {...}, \"machine\": {...}} as in the probe's JSON format.")
  var json = false

  @Flag(name: .long, help: "With --qemu: probe again even if the cache is valid.")
  var refresh = false

  @Option(name: .long, help: "With --qemu: seconds each QEMU session may take, from start to exit, 0.01 to 3600.")
  var timeout: Double?

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    guard (caps == nil) != (qemu == nil) else { throw ValidationError("give exactly one of --caps and --qemu") }
    if qemu != nil && qemuVersion != nil { throw ValidationError("--qemu-version goes with --caps") }
    if refresh && qemu == nil { throw ValidationError("--refresh goes with --qemu") }
    if let timeout {
      guard qemu != nil else { throw ValidationError("--timeout goes with --qemu") }
      try Limits.checkTimeout(timeout)
    }
  }

  func run() throws {
    var selectedOption: HotplugOption?
    if let option {
      guard let known = HotplugOption(rawValue: option) ?? HotplugOption(property: option) else {
        throw ExitFailure.usage(
          "unknown option '\(option)'; use \(HotplugOption.allCases.map(\.rawValue).joined(separator: " or "))")
      }
      selectedOption = known
    }
    let document = try ExitFailure.wrap { () throws(LookupError) in try load() }
    guard let found = document.machine(named: machine) else {
      throw ExitFailure.usage(
        "QEMU \(document.qemu.version) has no machine type '\(machine)'; it offers \(document.machines.map(\.name).joined(separator: ", "))"
      )
    }
    if json {
      let answer = JSON.object(
        JSONObject([
          ("qemu", CapabilityJSONWriter.qemu(document.qemu)), ("machine", CapabilityJSONWriter.machine(found)),
        ]))
      Terminal.print(answer.serialized())
    } else {
      for line in describe(found, in: document, only: selectedOption) { Terminal.line(line) }
    }
    // A failure is not an answer: a failed machine type, or an option the probe did not establish, is unknown.
    var failure = found.error
    if failure == nil, let selectedOption, case .unknown(let reason) = found.option(selectedOption) {
      failure = reason
    }
    if let failure {
      throw ExitFailure(
        message:
          "the answer is unknown: probing machine type \(found.name) of QEMU \(document.qemu.version) failed: \(failure)",
        code: ExitFailure.unknownStatus)
    }
    if let selectedOption, !found.option(selectedOption).isSupported {
      throw ExitCode(1)
    }
  }

  private func load() throws(LookupError) -> CapabilityDocument {
    if let caps {
      return try CapabilityIndex(path: caps).build(version: qemuVersion).document
    }
    let binary: String
    do {
      binary = try QEMULauncher.resolve(qemu ?? "qemu-system-x86_64", environment: Terminal.environment)
    } catch {
      throw LookupError(.probeFailed, error.description)
    }
    let logger = global.bootstrapLogging()
    let cache = ProbeCache(directory: ProbeCache.defaultDirectory(environment: Terminal.environment), logger: logger)
    var timeouts = QEMULauncher.Timeouts()
    if let timeout {
      timeouts = .init(session: Limits.duration(timeout), shutdown: timeouts.shutdown)
    }
    return try cache.capabilities(binary: binary, machine: machine, refresh: refresh, timeouts: timeouts).document
  }

  private func describe(_ machine: MachineCapabilities, in document: CapabilityDocument, only: HotplugOption?)
    -> [String]
  {
    var lines = [
      "QEMU \(document.qemu.version)\(document.qemu.package.isEmpty ? "" : " (\(document.qemu.package))"), machine type \(machine.name)\(machine.alias.map { " (\($0))" } ?? ""): ACPI PM device \(machine.pmDevice ?? "none")"
    ]
    if let error = machine.error {
      lines.append("  probe failed: \(error)")
    }
    for (option, capability) in machine.options where only == nil || option == only {
      switch capability {
      case .supported(let value):
        lines.append("  \(option): supported, default \(value.onOff) (\(option.property))")
      case .unsupported(let reason):
        lines.append("  \(option): not supported: \(reason)")
      case .unknown(let failure):
        lines.append("  \(option): unknown: \(failure)")
      }
    }
    return lines
  }
}
