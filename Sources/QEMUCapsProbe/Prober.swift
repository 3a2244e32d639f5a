import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsSystem
import Synchronization

/// Probes a QEMU binary: binary-level facts from one `-machine none` QEMU, then
/// one QEMU per machine type, in parallel, for the ACPI PM device and the
/// hotplug options' live defaults.
public struct Prober: Sendable {
  /// What to probe and how.
  public struct Configuration: Sendable {
    /// The binary path (already resolved; see `QEMULauncher.resolve`).
    public var binary: String
    /// Glob patterns (`fnmatch`) on machine names or aliases; empty means all.
    public var machinePatterns: [String] = []
    /// How many QEMU processes run at once.
    public var jobs: Int = 1
    /// Time limits of each QEMU session (``QEMULauncher/Timeouts/session`` is `--timeout`).
    public var timeouts = QEMULauncher.Timeouts()
    /// A directory to record every QMP session into (see ``ProbeRecording``).
    public var recordDirectory: String?

    /// Create a configuration for `binary`.
    public init(binary: String) { self.binary = binary }
  }

  /// Called after each machine type: (done, total).
  public typealias Progress = @Sendable (Int, Int) -> Void

  private let logger: Logger
  private let inputs: InputFiles?

  /// Create a prober that logs to `logger` (by default the `qemu-caps` label of
  /// whatever logging backend the program bootstrapped).
  public init(logger: Logger = Logger(label: "qemu-caps")) {
    self.init(logger: logger, inputs: nil)
  }

  /// Create a prober that also notes in `inputs` every file it reads (the binary, a
  /// recording) or records, so that the command's output cannot replace one.
  package init(logger: Logger = Logger(label: "qemu-caps"), inputs: InputFiles?) {
    self.logger = logger
    self.inputs = inputs
  }

  /// Probe a live QEMU binary.
  ///
  /// A machine type that cannot be started is reported as failed and does not
  /// fail the others; only a failure of the `-machine none` QEMU fails the probe.
  /// `cancellation` stops this probe alone (its QEMUs are in its own registry):
  /// give each probe its own token.
  ///
  /// - Throws: ``ProbeError``.
  public func probe(
    _ configuration: Configuration, cancellation: ProbeCancellation = ProbeCancellation(), progress: Progress? = nil
  ) throws(ProbeError) -> CapabilityDocument {
    let launcher = QEMULauncher(
      binary: configuration.binary, timeouts: configuration.timeouts, registry: cancellation.registry, logger: logger)
    if let directory = configuration.recordDirectory {
      try ProbeRecording.prepare(directory: directory)
    }
    let source = LiveSessionSource(
      launcher: launcher, recordDirectory: configuration.recordDirectory, inputs: inputs)
    let binary = configuration.binary
    let (document, failures, fingerprint) = try run(
      source: source, binary: binary,
      fingerprint: { () throws(ProbeError) in
        try BinaryFingerprint.compute(path: binary, isCancelled: { cancellation.isCancelled }, inputs: inputs)
      },
      patterns: configuration.machinePatterns, jobs: configuration.jobs, cancellation: cancellation,
      progress: progress)
    if let failure = source.writeFailure.withLock({ $0 }) { throw failure }
    if let directory = configuration.recordDirectory {
      try ProbeRecording.writeManifest(
        directory: directory, fingerprint: fingerprint, failures: failures, inputs: inputs)
    }
    return document
  }

  /// Rebuild a capability document from a recording directory, without QEMU.
  ///
  /// - Throws: ``ProbeError`` with code `replay` when the recording is missing,
  ///   unreadable or does not match what the prober asks.
  public func replay(directory: String, machinePatterns: [String] = []) throws(ProbeError) -> CapabilityDocument {
    let (fingerprint, failures) = try ProbeRecording.readManifest(directory: directory, inputs: inputs)
    let source = ReplaySessionSource(directory: directory, failures: failures, logger: logger, inputs: inputs)
    return try run(
      source: source, binary: fingerprint.path, fingerprint: { () throws(ProbeError) in fingerprint },
      patterns: machinePatterns, jobs: 1, cancellation: ProbeCancellation(), progress: nil
    ).document
  }

  // MARK: - The probe itself

  /// What ``run(source:binary:fingerprint:patterns:jobs:cancellation:progress:)`` produces.
  private typealias Outcome = (document: CapabilityDocument, failures: [String: String], fingerprint: BinaryFingerprint)

  /// Hash the binary on its own thread while the machine types are probed (it is
  /// off the critical path), then build the document from both.
  private func run(
    source: any SessionSource, binary: String,
    fingerprint computeFingerprint: @escaping @Sendable () throws(ProbeError) -> BinaryFingerprint,
    patterns: [String], jobs: Int, cancellation: ProbeCancellation, progress: Progress?
  ) throws(ProbeError) -> Outcome {
    let fingerprintResult = LockedState<Result<BinaryFingerprint, ProbeError>?>(nil)
    let hashing = WorkerThreads.start {
      let result = Result { () throws(ProbeError) in try computeFingerprint() }
      fingerprintResult.withLock { $0 = result }
    }
    let machines = ProbeRun(
      source: source, binary: binary, jobs: jobs, cancellation: cancellation, progress: progress, logger: logger)
    let probed = Result { () throws(ProbeError) in try machines.probeMachines(patterns: patterns) }
    hashing.join()
    if cancellation.isCancelled {
      throw ProbeError(.cancelled, "the probe of \(binary) was interrupted")
    }
    let fingerprint =
      fingerprintResult.withLock { $0 }
      ?? .failure(
        ProbeError(.badBinary, "cannot read the QEMU binary \(binary): the hashing thread did not finish"))
    // An unreadable binary explains a failed `none` QEMU better than QEMU's own message.
    if case .failure(let error) = probed, error.code == .binaryFacts, case .failure(let unreadable) = fingerprint {
      throw unreadable
    }
    let result = try probed.get()
    let hash = try fingerprint.get()
    let document = Self.document(result, binary: binary, fingerprint: hash, patterns: patterns)
    // The one check of the model, as the reader makes it: never write what it refuses.
    do {
      try document.validate()
    } catch {
      throw ProbeError(.unexpectedReply, "\(binary): \(error.message); nothing is written")
    }
    return (document, result.failures, hash)
  }

  /// The capability document of a finished probe.
  private static func document(
    _ probed: ProbeRun.Probed, binary: String, fingerprint: BinaryFingerprint, patterns: [String]
  ) -> CapabilityDocument {
    let machines = probed.selected.map { machine in
      MachineCapabilities(
        name: machine.name, alias: machine.alias, isDefault: machine.isDefault, isDeprecated: machine.isDeprecated,
        outcome: probed.outcomes[machine.name] ?? .failed("not probed"))
    }
    let facts = probed.facts
    let info = QEMUBuildInfo(
      binaryPath: binary, binarySize: fingerprint.size,
      binaryModificationTime: fingerprint.modificationTimeNanoseconds / 1_000_000_000,
      binarySHA256: fingerprint.sha256, version: facts.version, package: facts.package, arch: facts.arch,
      guestArchitectures: QEMUBuildInfo.guestArchitectures(ofTarget: facts.arch), accelerators: facts.accelerators)
    return CapabilityDocument(
      toolVersion: ToolVersion.current, qemu: info, devices: facts.devices, machines: machines,
      machineSelection: patterns)
  }
}
