import Logging
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// One probe's sessions: the binary's facts from the `-machine none` QEMU, then the
/// selected machine types on up to `jobs` threads, each failure worded for the
/// capability file.
struct ProbeRun: Sendable {
  /// What the probe learns before the binary's fingerprint is needed.
  struct Probed {
    var facts: BinaryFacts
    var selected: [BinaryFacts.Machine]
    var outcomes: [String: MachineCapabilities.Outcome]
    var failures: [String: String]
  }

  let source: any SessionSource
  let binary: String
  let jobs: Int
  let cancellation: ProbeCancellation
  let progress: Prober.Progress?
  let logger: Logger

  /// The longest failure message kept per machine type, in bytes: QEMU's stderr can hold
  /// 64 KiB, and a capability file must stay within what its reader accepts.
  static var maximumFailureLength: Int { 2048 }

  /// Read the binary's facts from the `none` QEMU, then probe the machine types that
  /// match `patterns` (glob patterns on names or aliases; empty means all).
  func probeMachines(patterns: [String]) throws(ProbeError) -> Probed {
    let started = ContinuousClock.now
    let noneResults = try readNone()
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
    try probeInParallel(selected.filter { $0.name != "none" }.map(\.name), facts: facts, table: table)
    logger.debug(
      "machine types probed",
      metadata: ["seconds": "\((ContinuousClock.now - started) / .seconds(1))", "jobs": "\(jobs)"])
    let (outcomes, failures) = table.snapshot()
    return Probed(facts: facts, selected: selected, outcomes: outcomes, failures: failures)
  }

  /// One round trip to the `none` QEMU: the binary facts, then its own machine probe.
  private func readNone() throws(ProbeError) -> [Result<JSON, QMPError>] {
    do {
      // Whether the build has the sandbox is not known yet: this QEMU runs without it.
      return try source.withSession(machine: "none", sandbox: false) { client in
        try client.execute(BinaryFacts.commands + MachineProbe.commands)
      }
    } catch {
      throw ProbeError(
        .binaryFacts,
        "cannot read what \(binary) supports: its -machine none QEMU failed: \(Self.failureMessage(error))",
        underlying: error as? QEMUError)
    }
  }

  /// Probe `queue` on up to `jobs` threads until done or cancelled, into `table`.
  ///
  /// - Throws: ``ProbeError`` `unreadableInput` when an input (a replayed transcript) cannot be read.
  private func probeInParallel(_ queue: [String], facts: BinaryFacts, table: OutcomeTable) throws(ProbeError) {
    let sandbox = facts.supportsSandbox
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
          outcome = try probeMachine(machine, qemuVersion: facts.version, sandbox: sandbox)
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

  /// - Throws: ``ProbeError`` with code `unreadableInput` only: every other failure is the machine type's outcome.
  private func probeMachine(
    _ machine: String, qemuVersion: QEMUVersion, sandbox: Bool
  ) throws(ProbeError) -> MachineCapabilities.Outcome {
    do {
      let results = try source.run(machine: machine, sandbox: sandbox, commands: MachineProbe.commands)
      return try MachineProbe.interpret(results[...], machine: machine, qemuVersion: qemuVersion)
    } catch let error as ProbeError where error.code == .unreadableInput {
      throw error
    } catch {
      return .failed(Self.shortened(Self.failureMessage(error)))
    }
  }

  /// A machine type's failure message, without the binary path (the document names it once).
  static func failureMessage(_ error: any Error) -> String {
    (error as? QEMUError)?.reason ?? "\(error)"
  }

  /// `message` cut to ``maximumFailureLength`` bytes, on a character boundary.
  static func shortened(_ message: String) -> String {
    guard message.utf8.count > maximumFailureLength else { return message }
    var result = ""
    for character in message {
      if result.utf8.count + character.utf8.count > maximumFailureLength - 40 { break }
      result.append(character)
    }
    return result + " … (\(message.utf8.count) bytes, shortened)"
  }

  private static func matches(_ machine: BinaryFacts.Machine, _ patterns: [String]) -> Bool {
    guard !patterns.isEmpty else { return true }
    return patterns.contains { pattern in
      fnmatch(pattern, machine.name, 0) == 0 || machine.alias.map { fnmatch(pattern, $0, 0) == 0 } == true
    }
  }
}
