import ArgumentParser
import Logging
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsQMP
import QEMUCapsSystem
import QEMUCapsValidator
import QEMUCapsXML

/// Where a command reads capability data from, the same way in every command that
/// reads it (validate, lookup, convert, list):
///
/// - `--caps FILE`: one capability file (from `qemu-caps probe`);
/// - `--caps DIR [--qemu-version V]`: a directory of them, such as
///   capabilities-data/; `V` is exact (7.2.22) or a prefix (7.2, newest match),
///   and may be left out when the directory holds one build;
/// - `--qemu BIN [--refresh] [--timeout S]`: a QEMU binary, answered from the
///   per-user probe cache and probed only for what the cache lacks.
///
/// Use it as `@OptionGroup(title: "Capabilities") var source: CapabilitySourceOptions`,
/// then call ``load(_:logger:)`` in `run()` (or ``load(forDomain:logger:)`` for a
/// command that reads a domain first). Errors come back as ``ExitFailure`` (exit
/// status 2) with the command line's hints added.
struct CapabilitySourceOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("A capability file (from qemu-caps probe), or a directory of them.", valueName: "path"),
    completion: .file())
  var caps: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --caps DIR: the QEMU version, exact (7.2.22) or a prefix (7.2, newest match).", valueName: "version"))
  var qemuVersion: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A QEMU binary (a path or a name on PATH), answered through the per-user probe cache.", valueName: "binary"),
    completion: .file())
  var qemu: String?

  @Flag(name: .long, help: "With --qemu: probe again even if the cache is valid.")
  var refresh = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --qemu: seconds each QEMU session may take, from start to exit, a decimal number from 0.01 to 3600 (default 10).",
      valueName: "seconds"))
  var timeout: Seconds?

  /// Which machine types a command needs from a `--qemu` binary.
  enum Machines: Sendable {
    /// One machine type (a name or an alias): only it is probed if the cache lacks it.
    case one(String)
    /// Every machine type of the build.
    case all
  }

  func validate() throws {
    guard (caps == nil) != (qemu == nil) else {
      throw ValidationError("give exactly one of --caps FILE|DIR and --qemu BIN")
    }
    if qemu != nil && qemuVersion != nil { throw ValidationError("--qemu-version goes with --caps") }
    if refresh && qemu == nil { throw ValidationError("--refresh goes with --qemu") }
    if let timeout {
      guard qemu != nil else { throw ValidationError("--timeout goes with --qemu") }
      try Limits.checkTimeout(timeout)
    }
  }

  /// What the user named, for messages: the file or directory, or the binary.
  var sourceDescription: String {
    if let caps { return qemuVersion.map { "\(caps) (QEMU \($0))" } ?? caps }
    return qemu ?? "qemu-system-x86_64"
  }

  /// Load the capability data.
  ///
  /// - Parameters:
  ///   - machines: what the command needs from a `--qemu` binary; files are read whole.
  ///   - logger: for the probe cache (hits, misses, probes).
  /// - Throws: ``ExitFailure`` with status 2 and a stable error code when a file
  ///   cannot be read, no build matches the version, the binary cannot be found or
  ///   probed, or the build has no such machine type.
  func load(_ machines: Machines, logger: Logger) throws(ExitFailure) -> CapabilityDocument {
    if let caps {
      try StandardInput.check(caps)
      return try ExitFailure.wrap(hint: Self.hint) { () throws(LookupError) in
        try CapabilityIndex(path: caps, inputs: QEMUCapsCommand.inputs).build(version: qemuVersion).document
      }
    }
    // --qemu was given (it or --caps is required): no "or pass --qemu" hint.
    let binary = try ExitFailure.wrap { () throws(QEMUError) in
      try QEMULauncher.resolve(qemu ?? "qemu-system-x86_64", environment: Syscalls.environment)
    }
    let cache = ProbeCache(
      directory: ProbeCache.defaultDirectory(environment: Syscalls.environment), logger: logger,
      inputs: QEMUCapsCommand.inputs)
    var timeouts = QEMULauncher.Timeouts()
    if let timeout {
      timeouts = .init(session: Limits.duration(timeout), shutdown: timeouts.shutdown)
    }
    return try ExitFailure.wrap(hint: Self.hint) { () throws(LookupError) in
      switch machines {
      case .one(let machine):
        try cache.capabilities(binary: binary, machine: machine, refresh: refresh, timeouts: timeouts).document
      case .all:
        try cache.allCapabilities(binary: binary, refresh: refresh, timeouts: timeouts).document
      }
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
  ///   or as ``load(_:logger:)`` does.
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

  /// Load the capability data for `machine` (every machine type when `nil`). A
  /// machine type a `--qemu` binary lacks is not an error here: the data of every
  /// machine type is returned (probed once, then cached), so that the caller reports
  /// it as with `--caps`, with suggestions from the build's machine types.
  ///
  /// - Throws: as ``load(_:logger:)`` does.
  func load(covering machine: String?, logger: Logger) throws(ExitFailure) -> CapabilityDocument {
    do {
      return try load(machine.map { .one($0) } ?? .all, logger: logger)
    } catch  where error.errorCode == LookupError.Code.unknownMachine.rawValue {
      return try load(.all, logger: logger)
    }
  }

  /// The command line's advice for a lookup error.
  private static func hint(_ error: LookupError) -> String? {
    switch error.code {
    case .ambiguousVersion: "choose one with --qemu-version"
    case .badVersion: "it was given with --qemu-version"
    case .probeFailed: ExitFailure.timeoutHint(error.message)
    default: nil
    }
  }
}
