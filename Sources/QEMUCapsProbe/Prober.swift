import Logging
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsSystem
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

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
      try Self.makeDirectory(directory)
      try ProbeRecording.discardManifest(directory: directory)
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
    try Self.checkDirectory(directory) {
      "cannot replay \(directory): \($0); give the directory a recording probe wrote"
    }
    let manifestPath = "\(directory)/\(ProbeRecording.manifestName)"
    do {
      _ = try Syscalls.fileStatus(manifestPath)
    } catch  where error.errno == ENOENT {
      throw ProbeError(
        .replay,
        "\(directory) holds no complete recording: \(ProbeRecording.manifestName) is missing (it is written last, so the probe that recorded there was interrupted or failed, or the directory is not a recording)"
      )
    } catch {
      // Reading it below reports any other reason with the path.
    }
    let manifest: JSON
    do {
      manifest = try JSON.parse(try ProbeRecording.read(manifestPath, inputs: inputs))
    } catch let error as ProbeError {
      throw error
    } catch {
      throw ProbeError(.replay, "\(manifestPath): \(error)")
    }
    guard let binary = manifest["binary"], let path = binary["path"]?.stringValue,
      let size = binary["size"]?.intValue, let mtime = binary["mtime"]?.intValue,
      let sha256 = binary["sha256"]?.stringValue
    else {
      throw ProbeError(.replay, "\(manifestPath): the manifest lacks binary path, size, mtime or sha256")
    }
    // Numbers from a file are checked: nanoseconds since 1970 must fit (years up to 2262).
    guard size >= 0, (0...9_223_372_035).contains(mtime) else {
      throw ProbeError(
        .replay,
        "\(manifestPath): binary size \(size) or mtime \(mtime) is out of range (size at least 0, mtime from 0 to 9223372035 seconds)"
      )
    }
    guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else {
      throw ProbeError(.replay, "\(manifestPath): binary sha256 '\(sha256)' is not hexadecimal")
    }
    let fingerprint = BinaryFingerprint(
      path: path, size: size, modificationTimeNanoseconds: mtime * 1_000_000_000, changeTimeNanoseconds: 0,
      sha256: sha256)
    let failures = (manifest["failures"]?.objectValue ?? JSONObject()).reduce(into: [String: String]()) {
      $0[$1.key] = $1.value.stringValue ?? ""
    }
    let source = ReplaySessionSource(directory: directory, failures: failures, logger: logger, inputs: inputs)
    return try run(
      source: source, binary: path, fingerprint: { () throws(ProbeError) in fingerprint }, patterns: machinePatterns,
      jobs: 1,
      cancellation: ProbeCancellation(), progress: nil
    ).document
  }

  // MARK: - The probe itself

  /// What ``run(source:binary:fingerprint:patterns:jobs:cancellation:progress:)`` produces.
  private typealias Outcome = (document: CapabilityDocument, failures: [String: String], fingerprint: BinaryFingerprint)

  /// What the probe learns before the binary's fingerprint is needed.
  private struct Probed {
    var facts: BinaryFacts
    var selected: [BinaryFacts.Machine]
    var outcomes: [String: MachineCapabilities.Outcome]
    var failures: [String: String]
  }

  /// Hash the binary on its own thread while the machine types are probed (it is
  /// off the critical path), then build the document from both.
  private func run(
    source: some SessionSource, binary: String,
    fingerprint computeFingerprint: @escaping @Sendable () throws(ProbeError) -> BinaryFingerprint,
    patterns: [String], jobs: Int, cancellation: ProbeCancellation, progress: Progress?
  ) throws(ProbeError) -> Outcome {
    let fingerprintResult = LockedState<Result<BinaryFingerprint, ProbeError>?>(nil)
    let hashing = WorkerThreads.start {
      let result = Result { () throws(ProbeError) in try computeFingerprint() }
      fingerprintResult.withLock { $0 = result }
    }
    let probed = Result { () throws(ProbeError) in
      try probeMachines(
        source: source, binary: binary, patterns: patterns, jobs: jobs, cancellation: cancellation,
        progress: progress)
    }
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

  /// Read the binary's facts from the `none` QEMU, then probe the selected machine types.
  private func probeMachines(
    source: some SessionSource, binary: String, patterns: [String], jobs: Int, cancellation: ProbeCancellation,
    progress: Progress?
  ) throws(ProbeError) -> Probed {
    let started = ContinuousClock.now
    let noneResults = try Self.readNone(source: source, binary: binary)
    logger.debug("binary facts read", metadata: ["seconds": "\((ContinuousClock.now - started) / .seconds(1))"])
    let facts = try BinaryFacts(noneResults.prefix(BinaryFacts.commands.count), binary: binary)
    for note in facts.notes { logger.warning("\(note)", metadata: ["binary": "\(binary)"]) }
    let selected = facts.machines.filter { Self.matches($0, patterns) }
    guard !selected.isEmpty else {
      throw ProbeError(
        .noMachinesSelected,
        "no machine type of \(binary) matches any of \(patterns.map { "'\($0)'" }.joined(separator: ", ")); it offers \(facts.machines.map(\.name).sorted(by: NaturalOrder.precedes).joined(separator: ", "))"
      )
    }
    let table = OutcomeTable(total: selected.count, progress: progress)
    if selected.contains(where: { $0.name == "none" }) {
      do {
        table.record(
          "none",
          try MachineProbe.interpret(
            noneResults.dropFirst(BinaryFacts.commands.count), machine: "none", qemuVersion: facts.version))
      } catch {
        table.record("none", .failed(error.message))
      }
    }
    try probeInParallel(
      selected.filter { $0.name != "none" }.map(\.name), facts: facts, source: source, table: table, jobs: jobs,
      cancellation: cancellation)
    logger.debug(
      "machine types probed",
      metadata: ["seconds": "\((ContinuousClock.now - started) / .seconds(1))", "jobs": "\(jobs)"])
    let (outcomes, failures) = table.snapshot()
    return Probed(facts: facts, selected: selected, outcomes: outcomes, failures: failures)
  }

  /// One round trip to the `none` QEMU: the binary facts, then its own machine probe.
  private static func readNone(source: some SessionSource, binary: String) throws(ProbeError)
    -> [Result<JSON, QMPError>]
  {
    do {
      // Whether the build has the sandbox is not known yet: this QEMU runs without it.
      return try source.withSession(machine: "none", sandbox: false) { client in
        try client.execute(BinaryFacts.commands + MachineProbe.commands)
      }
    } catch {
      throw ProbeError(
        .binaryFacts, "cannot read what \(binary) supports: its -machine none QEMU failed: \(message(for: error))",
        underlying: error as? QEMUError)
    }
  }

  /// Probe `queue` on up to `jobs` threads until done or cancelled, into `table`.
  ///
  /// - Throws: ``ProbeError`` `unreadableInput` when an input (a replayed transcript) cannot be read.
  private func probeInParallel(
    _ queue: [String], facts: BinaryFacts, source: some SessionSource, table: OutcomeTable, jobs: Int,
    cancellation: ProbeCancellation
  ) throws(ProbeError) {
    let version = facts.version
    let sandbox = facts.supportsSandbox
    let logger = self.logger
    if !sandbox { logger.notice("this QEMU has no seccomp sandbox; probing without -sandbox") }
    // An input that cannot be read (a replayed transcript that is a FIFO) ends the whole run.
    let unreadable = LockedState<ProbeError?>(nil)
    WorkerThreads.run(count: max(1, min(jobs, queue.count))) { _ in
      while !cancellation.isCancelled && unreadable.withLock({ $0 == nil }) {
        let index = table.takeNextIndex()
        guard index < queue.count else { return }
        let machine = queue[index]
        let machineStarted = ContinuousClock.now
        let outcome: MachineCapabilities.Outcome
        do throws(ProbeError) {
          outcome = try Self.probeMachine(machine, source: source, qemuVersion: version, sandbox: sandbox)
        } catch {
          unreadable.withLock { if $0 == nil { $0 = error } }
          return
        }
        logger.debug(
          "probed machine type",
          metadata: [
            "machine": "\(machine)", "seconds": "\((ContinuousClock.now - machineStarted) / .seconds(1))",
            "failed": "\(outcome.isFailure)",
          ])
        table.record(machine, outcome)
      }
    }
    if let error = unreadable.withLock({ $0 }) { throw error }
  }

  /// The capability document of a finished probe.
  private static func document(
    _ probed: Probed, binary: String, fingerprint: BinaryFingerprint, patterns: [String]
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

  /// - Throws: ``ProbeError`` with code `unreadableInput` only: every other failure is the machine type's outcome.
  private static func probeMachine(
    _ machine: String, source: some SessionSource, qemuVersion: QEMUVersion, sandbox: Bool
  ) throws(ProbeError) -> MachineCapabilities.Outcome {
    do {
      let results = try source.run(machine: machine, sandbox: sandbox, commands: MachineProbe.commands)
      return try MachineProbe.interpret(results[...], machine: machine, qemuVersion: qemuVersion)
    } catch let error as ProbeError where error.code == .unreadableInput {
      throw error
    } catch {
      return .failed(shortened(message(for: error)))
    }
  }

  private static func matches(_ machine: BinaryFacts.Machine, _ patterns: [String]) -> Bool {
    guard !patterns.isEmpty else { return true }
    return patterns.contains { pattern in
      fnmatch(pattern, machine.name, 0) == 0 || machine.alias.map { fnmatch(pattern, $0, 0) == 0 } == true
    }
  }

  private static func makeDirectory(_ path: String) throws(ProbeError) {
    do {
      try Syscalls.makeDirectory(path)
    } catch {
      throw ProbeError(.recording, "cannot create the recording directory \(path): \(error.message)")
    }
    // An existing file of that name is no error of mkdir.
    guard let status = try? Syscalls.fileStatus(path), status.kind != .directory else { return }
    throw ProbeError(.recording, "cannot record into \(path): it is \(status.kind.phrase), not a directory")
  }

  /// Throw a `replay` error, worded by `message`, unless `path` is a directory (or
  /// cannot be examined: reading it reports that reason with the path).
  private static func checkDirectory(_ path: String, message: (String) -> String) throws(ProbeError) {
    let kind: FileStatus.Kind
    do {
      kind = try Syscalls.fileStatus(path).kind
    } catch  where error.errno == ENOENT {
      throw ProbeError(.replay, message("no such directory"))
    } catch {
      return
    }
    guard kind == .directory else { throw ProbeError(.replay, message("it is \(kind.phrase), not a directory")) }
  }
}
