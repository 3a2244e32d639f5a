import ArgumentParser
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsValidator

/// `qemu-caps lookup`: answer one question from capability files or the probe cache.
struct LookupCommandLine: CapabilityCommand {
  static let configuration = CommandConfiguration(
    commandName: "lookup",
    abstract: "Ask whether a QEMU build's machine type supports a hotplug option, and its default.",
    discussion: """
      Answers from a capability file (--caps FILE), a directory of them such as \
      capabilities-data (--caps DIR --qemu-version V), or a QEMU binary through the per-user \
      probe cache (--qemu BIN; without --caps and --qemu, qemu-system-x86_64 on PATH), which \
      probes only the machine type asked for when the cache lacks it.

      Exit status: 0 supported (without --option: found), 1 not supported, 2 an error, 3 \
      unknown (the machine type's probe failed), 128 + N stopped by signal N. See docs/cli.md, \
      "lookup".

      Examples:
        qemu-caps lookup --caps capabilities-data --qemu-version 7.2 --machine q35 --option acpi-hotplug-bridge
        qemu-caps lookup --machine pc-i440fx-1.7 --option piix4.acpi-root-pci-hotplug --json
      """
  )

  @OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions

  @Option(
    name: .long, help: "The machine type or alias (pc, q35, pc-q35-6.0, ...).", completion: ValueCompletion.machine)
  var machine: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The option: acpi-hotplug-bridge or acpi-root-hotplug (aliases: \(HotplugOption.aliasList)).",
      valueName: "name"),
    completion: .list(HotplugOption.allNames))
  var option: String?

  @Flag(
    name: .long,
    help:
      "Print {\"schemaVersion\", \"qemu\": {...}, \"machine\": {...}} as in the probe's JSON format, with --option also \"option\": {\"name\", \"supported\", ...}."
  )
  var json = false

  @OptionGroup var global: GlobalOptions

  /// 3: with `--option`, the answer as `"option"` beside the probe's objects (2, the
  /// capability format's version, had those only).
  static var jsonSchemaVersion: Int64 { 3 }

  var wantsJSON: Bool { json }

  func run() throws {
    let logger = global.bootstrapLogging()
    var selectedOption: HotplugOption?
    if let option {
      guard let known = HotplugOption(name: option) else {
        throw ExitFailure(
          message:
            "unknown option '\(option)'; use \(HotplugOption.allCases.map(\.rawValue).joined(separator: " or ")) (aliases: \(HotplugOption.aliasList))",
          code: ExitFailure.errorStatus, errorCode: LookupError.Code.unknownOption.rawValue)
      }
      selectedOption = known
    }
    let document = try source.load(covering: machine, logger: logger)
    guard let found = document.machine(named: machine) else {
      let shown = machine.truncated(to: 80)
      throw ExitFailure(
        message:
          "QEMU \(document.qemu.version) has no machine type '\(shown)'; \(MachineSuggestions.closest(to: machine, in: document))",
        code: ExitFailure.errorStatus, errorCode: LookupError.Code.unknownMachine.rawValue)
    }
    if json {
      var answer = JSONObject([
        ("qemu", CapabilityJSONWriter.qemu(document.qemu)), ("machine", CapabilityJSONWriter.machine(found)),
      ])
      if let selectedOption { answer["option"] = Self.json(found.answer(selectedOption), of: selectedOption) }
      Output.json(.object(answer))
    } else {
      for line in describe(found, in: document, only: selectedOption) { Output.result(line) }
    }
    if let unknown = document.unknownAnswer(for: found, option: selectedOption) {
      let failure = ExitFailure(
        unknown, status: ExitFailure.unknownStatus, hint: ExitFailure.timeoutHint(recordedFailure: unknown.message))
      // Under --json the answer object above already carries the failure: one object only.
      guard !json else {
        Output.error(failure.message)
        throw ExitCode(failure.code)
      }
      throw failure
    }
    if let selectedOption, !found.option(selectedOption).isSupported {
      throw ExitCode(1)
    }
  }

  private func describe(_ machine: MachineCapabilities, in document: CapabilityDocument, only: HotplugOption?)
    -> [String]
  {
    // "none" means the machine type has no PM device; a failed probe does not know.
    let device = machine.outcome.isFailure ? "unknown (probe failed)" : machine.pmDevice ?? "none"
    var lines = [
      "QEMU \(document.qemu.version)\(document.qemu.package.isEmpty ? "" : " (\(document.qemu.package))"), machine type \(machine.name)\(machine.alias.map { " (\($0))" } ?? ""): ACPI PM device \(device)"
    ]
    if let error = machine.error {
      lines.append("  probe failed: \(error)")
    }
    for option in machine.options.map(\.option) where only == nil || option == only {
      switch machine.answer(option) {
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

  /// The answer about `option` under `--json`: its canonical name, then the probe's
  /// option object (`supported` and `default`, or `reason`, or `failure`).
  private static func json(_ capability: OptionCapability, of option: HotplugOption) -> JSON {
    var object = JSONObject([("name", .string(option.rawValue))])
    if case .object(let fields) = CapabilityJSONWriter.option(capability, of: option) {
      for (key, value) in fields { object[key] = value }
    }
    return .object(object)
  }
}
