import ArgumentParser
import Logging
import QEMUCapsCapabilityFiles
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// `qemu-caps probe`: probe every machine type of a QEMU binary and write its capability file.
struct ProbeCommandLine: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Probe every machine type of a QEMU binary and write its capability file.",
    discussion: """
      One QEMU with -machine none reads the build; then each machine type is started (paused, \
      no devices, TCG) and its ACPI PM device is read through /machine/acpi-device. A machine \
      type QEMU cannot start is written as failed with QEMU's message; the others are \
      unaffected. The same binary gives the same bytes.

      Exit status: 0 written, 2 an error, 128 + N stopped by signal N. See docs/cli.md, \
      "probe", and docs/capabilities-format.md.

      Examples:
        qemu-caps probe --output caps.xml
        qemu-caps probe --qemu /opt/qemu/bin/qemu-system-x86_64 --format json --machines 'pc-q35-*'
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case xml, json
  }

  @OptionGroup var binary: QEMUOptions

  @Option(
    name: .long,
    help: "Write here instead of standard output ('-'), atomically (see docs/cli.md, \"Output files\").",
    completion: .file())
  var output: String?

  @Option(name: .long, help: "Output format: xml (the capability file) or json.")
  var format: Format = .xml

  @Option(
    name: .long, parsing: .upToNextOption,
    help: "Probe only machine types whose name or alias matches one of these globs (e.g. 'pc-q35-*').")
  var machines: [String] = []

  @Option(name: .long, help: "How many QEMU processes to run at once, 1 to 256 (default: the number of CPUs).")
  var jobs: Int?

  @Option(
    name: .long, help: "Record every QMP session into this directory (one .replies file per QEMU).",
    completion: .directory)
  var record: String?

  @Option(
    name: .long, help: "Rebuild the output from a directory made by --record, without running QEMU.",
    completion: .directory)
  var replay: String?

  @Flag(name: .long, help: "Add the probe time to the output (it is left out so that output is reproducible).")
  var timestamp = false

  @OptionGroup var global: GlobalOptions

  /// The capability format's version: the JSON is the probe's JSON format.
  static var jsonSchemaVersion: Int64 { Int64(CapabilityDocument.schemaVersion) }

  /// `--format json` without `--output FILE` prints JSON on standard output, as `--json` does.
  var wantsJSON: Bool { format == .json && OutputDestination.isStandardOutput(output) }

  static func wantsJSON(_ invocation: Invocation) -> Bool {
    invocation.json
      || (invocation.format == Format.json.rawValue && OutputDestination.isStandardOutput(invocation.output))
  }

  func check() throws(UsageError) {
    try binary.check()
    if let jobs, !Limits.jobs.contains(jobs) {
      throw UsageError("--jobs must be from \(Limits.jobs.lowerBound) to \(Limits.jobs.upperBound), not \(jobs)")
    }
    if replay != nil && record != nil { throw UsageError("--record and --replay cannot be combined") }
  }

  func run() throws {
    let logger = global.bootstrapLogging()
    let prober = Prober(logger: logger, inputs: QEMUCapsCommand.inputs)
    var document: CapabilityDocument
    if let replay {
      document = try ExitFailure.wrap { () throws(ProbeError) in
        try prober.replay(directory: replay, machinePatterns: machines)
      }
    } else {
      document = try probeLive(with: prober)
    }
    if timestamp { document.generatedAt = Timestamp.now() }
    let usage = Syscalls.ownResourceUsage()
    logger.debug(
      "qemu-caps' own resources (QEMU excluded)",
      metadata: [
        "cpuUserSeconds": "\(usage.userSeconds)", "cpuSystemSeconds": "\(usage.systemSeconds)",
        "peakRSSKiB": "\(usage.peakRSSKiB)",
      ])
    for machine in document.machines {
      if let error = machine.error {
        Output.warning("machine type \(machine.name) failed: \(error)")
      }
    }
    try write(document)
  }

  /// Probe the binary, with progress on a terminal; a signal stops it and writes nothing.
  private func probeLive(with prober: Prober) throws -> CapabilityDocument {
    var configuration = Prober.Configuration(binary: try binary.binary())
    configuration.machinePatterns = machines
    configuration.jobs = jobs ?? min(Limits.jobs.upperBound, Syscalls.onlineProcessorCount())
    configuration.timeouts = binary.timeouts
    configuration.recordDirectory = record
    let cancellation = ProbeCancellation()
    SignalHandling.onSignal { cancellation.cancel() }
    var progress: Prober.Progress?
    if Terminal.standardErrorIsTerminal && !global.quiet {
      progress = { @Sendable done, total in
        Output.progress("probing machine types: \(done)/\(total)")
      }
    }
    let result = Result { () throws(ProbeError) in
      try prober.probe(configuration, cancellation: cancellation, progress: progress)
    }
    if progress != nil { Output.clearProgress() }
    // Writing the output (perhaps waiting for a FIFO's reader) is not cancellable: a signal ends it at once.
    SignalHandling.endOnSignalAction()
    if let signal = SignalHandling.receivedSignal {
      throw ExitFailure(
        message: "interrupted by \(SignalHandling.describe(signal)); no output was written",
        code: 128 + signal, errorCode: "interrupted")
    }
    return try ExitFailure.wrap(hint: ExitFailure.timeoutHint) { () throws(ProbeError) in try result.get() }
  }

  /// Write the document in the chosen format to `--output` (atomically) or standard output.
  private func write(_ document: CapabilityDocument) throws {
    let text =
      switch format {
      case .xml: CapabilityXMLWriter.xml(document)
      case .json: CapabilityJSONWriter.json(document).serialized(.pretty) + "\n"
      }
    try OutputDestination.write(Array(text.utf8), to: output)
  }
}
