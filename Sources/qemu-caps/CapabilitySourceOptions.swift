import ArgumentParser
import Logging
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsSystem
import QEMUCapsValidator
import QEMUCapsXML

/// Where a command reads capability data from, the same way in every command that
/// reads it (validate, lookup, convert, list): the flags of a ``CapabilitySource``.
///
/// - `--caps FILE`: one capability file (from `qemu-caps probe`);
/// - `--caps DIR [--qemu-version V]`: a directory of them, such as
///   capabilities-data/; `V` is exact (7.2.22) or a prefix (7.2, newest match),
///   and may be left out when the directory holds one build;
/// - `--qemu BIN [--refresh] [--timeout S]`: a QEMU binary, answered from the
///   per-user probe cache and probed only for what the cache lacks;
/// - neither: the system QEMU, qemu-system-x86_64 on `PATH`, as `--qemu` does.
///
/// Use it as `@OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions`
/// in a ``CapabilityCommand`` (which checks it with the command's options), then call
/// ``load(covering:logger:)`` in `run()` (a ``DomainCommand``: ``DomainCommand/loadDomain()``). Errors come
/// back as ``ExitFailure`` (exit status 2) with the command line's hints added.
struct CapabilitySourceOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("A capability file (from qemu-caps probe), or a directory of them.", valueName: "path"),
    completion: .file())
  var caps: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --caps DIR: the QEMU version, exact (7.2.22) or a prefix (7.2, newest match).", valueName: "version"),
    completion: ValueCompletion.qemuVersion)
  var qemuVersion: String?

  @OptionGroup var binary: QEMUOptions

  @Flag(name: .long, help: "Without --caps: probe again even if the probe cache is valid.")
  var refresh = false

  /// Refuse flags that name two sources, or go with the other one.
  ///
  /// - Throws: ``UsageError``.
  func check() throws(UsageError) {
    if caps != nil && binary.qemu != nil { throw UsageError("give one of --caps FILE|DIR and --qemu BIN, not both") }
    if caps == nil && qemuVersion != nil { throw UsageError("--qemu-version goes with --caps") }
    if caps != nil && refresh { throw UsageError("--refresh goes with --qemu or the system QEMU, not with --caps") }
    if caps != nil && binary.timeout != nil {
      throw UsageError("--timeout goes with --qemu or the system QEMU, not with --caps")
    }
    try binary.check()
  }

  /// The source the flags name: `--caps`, else `--qemu` or the system QEMU resolved to a
  /// path, its probe cache logging to `logger`.
  ///
  /// - Throws: ``ExitFailure`` when `--caps` is `-` and standard input is closed, or the
  ///   binary cannot be found (code `qemu.bad-binary`; without `--qemu`, the advice to
  ///   install QEMU or give `--caps`).
  func source(logger: Logger) throws(ExitFailure) -> CapabilitySource {
    if let caps {
      try StandardInput.check(caps)
      return .files(path: caps, version: qemuVersion)
    }
    let path = try binary.binary(otherwise: "--caps FILE|DIR to answer from capability files")
    if binary.qemu == nil {
      logger.debug("no --caps or --qemu: answering for the system QEMU", metadata: ["binary": "\(path)"])
    }
    let cache = ProbeCache(
      directory: ProbeCache.defaultDirectory(environment: Syscalls.environment), logger: logger,
      inputs: QEMUCapsCommand.inputs)
    return .binary(path: path, cache: cache, refresh: refresh, timeouts: binary.timeouts)
  }

  /// Load the capability data that covers `machine`, every machine type when `nil` (a
  /// machine type a `--qemu` binary lacks is the caller's to report, as with `--caps`:
  /// ``CapabilitySource/load(covering:)``).
  ///
  /// - Parameter logger: for the probe cache (hits, misses, probes).
  /// - Throws: ``ExitFailure`` with status 2 and a stable error code when a file
  ///   cannot be read, no build matches the version, or the binary cannot be found or
  ///   probed.
  func load(covering machine: String?, logger: Logger) throws(ExitFailure) -> CapabilityDocument {
    let source = try source(logger: logger)
    return try ExitFailure.wrap(hint: Self.hint) { () throws(LookupError) in
      try source.load(covering: machine, inputs: QEMUCapsCommand.inputs)
    }
  }

  /// A domain read for a command that checks it: its bytes, the name to show, and its parse.
  struct Domain {
    /// The file's bytes (read once, so `-` works).
    var bytes: [UInt8]
    /// The path, or `standard input` for `-`.
    var name: String
    /// The parsed domain; its machine type picks what a `--qemu` binary must probe.
    var config: DomainConfig
  }

  /// Read the domain at `path` (`-`: standard input), then load the capability data
  /// for its machine type (every machine type when it names none, or one the binary
  /// lacks: that is then the domain's `machine.unknown` error, as with `--caps`).
  ///
  /// - Throws: ``ExitFailure`` with status 2 when the domain cannot be read or parsed,
  ///   or as ``load(covering:logger:)`` does.
  func load(forDomain path: String, logger: Logger) throws(ExitFailure) -> (
    domain: Domain, capabilities: CapabilityDocument
  ) {
    let name = XMLFile.name(path)
    try StandardInput.check(path)
    let (bytes, config) = try ExitFailure.wrap { () throws(XMLError) in
      let bytes = try XMLFile.read(path, limit: DomainReader.maximumSize, inputs: QEMUCapsCommand.inputs)
      return (bytes, try DomainReader.read(bytes, file: name))
    }
    let capabilities = try load(covering: config.machine, logger: logger)
    return (Domain(bytes: bytes, name: name, config: config), capabilities)
  }

  /// The command line's advice for a lookup error.
  private static func hint(_ error: LookupError) -> String? {
    switch error.code {
    case .ambiguousVersion: "choose one with --qemu-version"
    case .badVersion: "it was given with --qemu-version"
    case .probeFailed: ExitFailure.timeoutHint(error)
    default: nil
    }
  }
}
