import Logging
import QEMUCapsCapabilityFiles
import QEMUCapsFiles
import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsSystem
import QEMUCapsXML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A per-user cache of probe results, one entry per QEMU binary.
///
/// An entry is valid while the binary's path, size, modification and change
/// times, the QEMU module directory's modification time and the qemu-caps
/// version are unchanged. A missing machine type is probed on its own (with
/// the `-machine none` QEMU for the build's facts) and added to the entry.
/// A machine type whose probe failed is never stored: the next lookup probes it again.
/// Entries are written atomically, so concurrent runs never see a partial file, and a
/// miss is probed and merged into the entry under an exclusive lock (`ENTRY.lock`), so
/// concurrent lookups keep every answer and reuse each other's.
///
/// The directory must be the user's own (see ``PrivateDirectory``): created 0700,
/// owned by the effective user, not writable by group or others; otherwise no cache
/// is used. Entries must be regular files owned by the user, opened without
/// following links; anything else is ignored and replaced.
public struct ProbeCache: Sendable {
  /// The cache directory; `nil` means no cache (every lookup probes).
  public let directory: String?
  private let logger: Logger
  private let inputs: InputFiles?

  /// Use `directory` for cache entries (``defaultDirectory(environment:)`` when `nil`,
  /// which is itself `nil`, no cache, when the user has no home directory); warnings
  /// about refused directories and damaged or unwritable entries go to `logger`.
  public init(directory: String? = nil, logger: Logger = Logger(label: "qemu-caps")) {
    self.init(directory: directory, logger: logger, inputs: nil)
  }

  /// Use the cache as ``init(directory:logger:)`` does; a binary probed is noted in `inputs`.
  package init(directory: String? = nil, logger: Logger = Logger(label: "qemu-caps"), inputs: InputFiles?) {
    let directory =
      directory
      ?? Self.defaultDirectory(
        environment: ["XDG_CACHE_HOME", "HOME"].reduce(into: [:]) { table, name in
          table[name] = Syscalls.environmentVariable(name)
        })
    self.directory = directory
    self.logger = logger
    self.inputs = inputs
  }

  /// `$XDG_CACHE_HOME/qemu-caps`, else `$HOME/.cache/qemu-caps`, else the effective
  /// user's home directory from the password database; `nil` when there is none
  /// (never a shared directory such as /tmp). Relative paths are ignored.
  public static func defaultDirectory(environment: [String: String]) -> String? {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return "\(cache)/qemu-caps" }
    if let home = environment["HOME"], home.hasPrefix("/") { return "\(home)/.cache/qemu-caps" }
    guard let home = passwordDatabaseHome(), home.hasPrefix("/"), home != "/" else { return nil }
    return "\(home)/.cache/qemu-caps"
  }

  /// The effective user's home directory from the password database.
  static func passwordDatabaseHome() -> String? {
    Syscalls.homeDirectory(ofUser: Syscalls.effectiveUserID())
  }

  /// The outcome of a cached lookup.
  public struct Result: Sendable {
    /// The capability data, holding at least the machine type asked for.
    public var document: CapabilityDocument
    /// Whether QEMU had to be started.
    public var probed: Bool
  }

  /// Return capability data of `binary` that covers `machine` (a name or alias),
  /// probing only what the cache lacks; `refresh` ignores the cache.
  ///
  /// A miss is probed under the entry's lock (see ``lockEntry(_:_:timeouts:wait:)``), so
  /// concurrent lookups of one binary probe one at a time: each waiting lookup first
  /// reads the entry again and reuses what the others stored, and each merges its own
  /// answer into the entry, so every answer persists.
  ///
  /// The machine type may be failed in the result (it was probed and failed now);
  /// failures are never stored, nor do they replace a stored answer.
  ///
  /// - Throws: ``LookupError``: `unknownMachine` when the build has no such
  ///   machine type, `probeFailed` when QEMU cannot be probed; either carries the
  ///   ``ProbeError`` (or, when the binary cannot be examined, the `SystemError`) as its
  ///   `underlying` error.
  public func capabilities(
    binary: String, machine: String, refresh: Bool = false, timeouts: QEMULauncher.Timeouts = .init()
  ) throws(LookupError) -> Result {
    try lookUp(
      binary: binary, machine: machine, refresh: refresh, timeouts: timeouts,
      answers: { $0.machine(named: machine).map { !$0.outcome.isFailure } ?? false },
      probe: { () throws(LookupError) in
        var configuration = Prober.Configuration(binary: binary)
        configuration.machinePatterns = [machine]
        configuration.timeouts = timeouts
        do throws(ProbeError) {
          return try Prober(logger: logger, inputs: inputs).probe(configuration)
        } catch  where error.code == .noMachinesSelected {
          throw LookupError(.unknownMachine, error.message, underlying: error)
        } catch {
          throw LookupError(.probeFailed, error.message, underlying: error)
        }
      },
      merge: { probed, entry in
        var stored = probed
        stored.machines.removeAll { $0.outcome.isFailure }
        let current = mergeBase(entry, for: [probed, stored], binary: binary)
        // A failure alone adds nothing to store.
        return (stored.machines.isEmpty ? nil : Self.merge(current, stored), Self.merge(current, probed))
      })
  }

  /// Return capability data of `binary` for every machine type it offers,
  /// probing all of them unless the cache holds a complete entry; `refresh`
  /// ignores the cache. Machine types whose probe failed are in the result but
  /// not stored, and an entry that lacks them is not complete. Probed under the
  /// entry's lock, as ``capabilities(binary:machine:refresh:timeouts:)`` is.
  ///
  /// - Throws: ``LookupError`` `probeFailed` when QEMU cannot be probed, with the
  ///   ``ProbeError`` (or `SystemError`) as its `underlying` error.
  public func allCapabilities(
    binary: String, refresh: Bool = false, timeouts: QEMULauncher.Timeouts = .init()
  ) throws(LookupError) -> Result {
    try lookUp(
      binary: binary, machine: "*", refresh: refresh, timeouts: timeouts, answers: { $0.machineSelection.isEmpty },
      probe: { () throws(LookupError) in
        var configuration = Prober.Configuration(binary: binary)
        configuration.timeouts = timeouts
        configuration.jobs = Syscalls.onlineProcessorCount()
        do throws(ProbeError) {
          return try Prober(logger: logger, inputs: inputs).probe(configuration)
        } catch {
          throw LookupError(.probeFailed, error.message, underlying: error)
        }
      },
      merge: { probed, _ in
        var stored = probed
        stored.machines.removeAll { $0.outcome.isFailure }
        if stored.machines.count < probed.machines.count { stored.machineSelection = stored.machines.map(\.name) }
        return (stored, probed)
      })
  }

  /// The machine types a valid entry of `binary` holds, without probing, locking or
  /// writing anything (shell completion asks this on every Tab); `nil` when there is
  /// no valid entry.
  package func cachedDocument(binary: String) -> CapabilityDocument? {
    guard let key = try? Self.key(for: binary), let store = openDirectory() else { return nil }
    return readEntry(store, entryName(for: binary), key: key)
  }

  /// What both lookups share: the entry's answer when `answers` accepts it; else, under
  /// the entry's lock, the entry read again (another lookup may have stored the answer
  /// while this one waited), else `probe`, whose result `merge` combines with the entry
  /// as it stands then into what to store (if anything) and what to return.
  private func lookUp(
    binary: String, machine: String, refresh: Bool, timeouts: QEMULauncher.Timeouts,
    answers: (CapabilityDocument) -> Bool, probe: () throws(LookupError) -> CapabilityDocument,
    merge: (_ probed: CapabilityDocument, _ entry: CapabilityDocument?) -> (
      stored: CapabilityDocument?, result: CapabilityDocument
    )
  ) throws(LookupError) -> Result {
    let key = try Self.key(for: binary)
    let name = entryName(for: binary)
    let store = openDirectory()
    func cachedAnswer() -> CapabilityDocument? {
      guard let store, !refresh, let document = readEntry(store, name, key: key), answers(document) else { return nil }
      logger.debug("probe cache hit", metadata: ["file": "\(store.path)/\(name)", "machine": "\(machine)"])
      return document
    }
    // A hit needs no lock: entries are replaced atomically.
    if let document = cachedAnswer() { return Result(document: document, probed: false) }
    let lock = store.map { lockEntry($0, name, timeouts: timeouts) }
    defer { lock?.release() }
    if lock?.isHeld == true, let document = cachedAnswer() { return Result(document: document, probed: false) }
    logger.debug(
      "probe cache miss",
      metadata: [
        "file": "\(store.map { "\($0.path)/\(name)" } ?? "none (no usable cache directory)")",
        "machine": "\(machine)", "reason": "\(refresh ? "refresh requested" : "not in a valid entry")",
      ])
    let probed = try probe()
    guard let store, let lock else { return Result(document: probed, probed: true) }
    let writing = relock(lock, store, name, timeouts: timeouts)
    defer { writing.release() }
    guard writing.mayWrite else { return Result(document: probed, probed: true) }
    // Read again under the lock: the entry as the last lookup left it.
    let (stored, result) = merge(probed, readEntry(store, name, key: key))
    if let stored { writeEntry(stored, key: key, to: store, name) }
    return Result(document: result, probed: true)
  }

  // MARK: - Entries

  /// The cache key of a binary: what must not change for an entry to stay valid.
  static func key(for binary: String) throws(LookupError) -> JSON {
    let status: FileStatus
    do {
      status = try Syscalls.fileStatus(binary)
    } catch {
      throw LookupError(.probeFailed, "cannot read the QEMU binary \(binary): \(error.message)", underlying: error)
    }
    // QEMU loads device modules from here; an upgrade can change them without the binary.
    let moduleDirectory = QEMULauncher.moduleDirectory ?? "/usr/lib/x86_64-linux-gnu/qemu"
    let moduleTime = (try? Syscalls.fileStatus(moduleDirectory))?.modificationTime ?? 0
    return .object(
      JSONObject([
        ("path", .string(binary)), ("size", .int(status.size)), ("mtime", .int(status.modificationTime)),
        ("ctime", .int(status.changeTime)), ("moduleDirectoryMtime", .int(moduleTime)),
        ("tool", .string(ToolVersion.current)),
      ]))
  }

  /// The file name of a binary's entry.
  func entryName(for binary: String) -> String {
    // FNV-1a of the path keeps one entry per binary with a short, safe file name.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in binary.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let name = binary.split(separator: "/").last.map(String.init) ?? "qemu"
    let safe = String(
      name.unicodeScalars.filter {
        $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0))
      }.prefix(64))
    return "\(safe.hasPrefix(".") ? "q" : "")\(safe)-\(String(hash, radix: 16)).json"
  }

  /// Whether a lookup holds the lock of its entry.
  enum EntryLock {
    /// Held: read, probe, merge and write without another qemu-caps in between.
    case held(DirectoryLock)
    /// The lock cannot be taken at all (say, a file system without `flock`): the entry
    /// is used unlocked, as before locks, where the last writer wins.
    case unavailable
    /// Another qemu-caps held it for longer than its probe could take (a stopped
    /// process): this lookup probes on its own and does not write.
    case busy

    var isHeld: Bool {
      if case .held = self { return true }
      return false
    }

    var mayWrite: Bool {
      if case .busy = self { return false }
      return true
    }

    func release() {
      if case .held(let lock) = self { lock.release() }
    }
  }

  /// Take the lock of entry `name` (the lock file `NAME.lock` beside it), waiting at most
  /// `wait`, by default as long as the lookup ahead could take (it probes two QEMUs, each
  /// within the session limit) and then some for the lookups queued behind it.
  func lockEntry(
    _ store: PrivateDirectory, _ name: String, timeouts: QEMULauncher.Timeouts, wait: Duration? = nil
  ) -> EntryLock {
    let deadline = ContinuousClock.now + (wait ?? timeouts.session * 2 + .seconds(10))
    do {
      guard let lock = try store.lock("\(name).lock", until: deadline) else {
        logger.debug("probe cache entry still locked; probing without it", metadata: ["file": "\(store.path)/\(name)"])
        return .busy
      }
      return .held(lock)
    } catch {
      logger.warning("cannot lock the probe cache entry; using it unlocked", metadata: ["reason": "\(error)"])
      return .unavailable
    }
  }

  /// The lock to store a new answer under: `lock`, or when it was busy, another try.
  private func relock(_ lock: EntryLock, _ store: PrivateDirectory, _ name: String, timeouts: QEMULauncher.Timeouts)
    -> EntryLock
  {
    guard case .busy = lock else { return lock }
    // The holder outlasted a whole wait already, so it is probably stuck: a short second try.
    let second = lockEntry(store, name, timeouts: timeouts, wait: .seconds(1))
    if !second.mayWrite {
      logger.warning(
        "the probe cache entry stayed locked by another process (a stopped qemu-caps?); this answer is not stored",
        metadata: ["file": "\(store.path)/\(name)"])
    }
    return second
  }

  private func openDirectory() -> PrivateDirectory? {
    guard let directory else {
      logger.debug("no probe cache: no home directory (HOME unset and none in the password database)")
      return nil
    }
    do {
      return try PrivateDirectory(path: directory)
    } catch {
      logger.warning("not using the probe cache", metadata: ["reason": "\(error)"])
      return nil
    }
  }

  private func readEntry(_ store: PrivateDirectory, _ name: String, key: JSON) -> CapabilityDocument? {
    let bytes: [UInt8]
    do {
      guard let read = try store.read(name, limit: XMLTree.maximumSize) else { return nil }
      bytes = read
    } catch {
      logger.debug("ignoring a cache entry; it will be replaced", metadata: ["reason": "\(error)"])
      return nil
    }
    let path = "\(store.path)/\(name)"
    guard let entry = try? bytes.withUnsafeBufferPointer({ try JSON.parse($0) }), entry["key"] == key,
      let xml = entry["capabilities"]?.stringValue
    else {
      logger.debug("ignoring a stale cache entry", metadata: ["file": "\(path)"])
      return nil
    }
    do {
      var document = try CapabilityXMLReader.read(Array(xml.utf8), file: path)
      document.machines.removeAll { $0.outcome.isFailure }
      return document
    } catch {
      logger.warning("ignoring a damaged cache entry", metadata: ["file": "\(path)", "error": "\(error)"])
      return nil
    }
  }

  private func writeEntry(_ document: CapabilityDocument, key: JSON, to store: PrivateDirectory, _ name: String) {
    let entry = JSON.object(
      JSONObject([("key", key), ("capabilities", .string(CapabilityXMLWriter.xml(document)))]))
    do {
      try store.write(Array((entry.serialized() + "\n").utf8), to: name)
      logger.debug("probe cache entry written", metadata: ["file": "\(store.path)/\(name)"])
    } catch {
      // A cache that cannot be written only costs a probe next time.
      logger.warning("cannot write the probe cache", metadata: ["file": "\(store.path)/\(name)", "error": "\(error)"])
    }
  }

  /// The entry `old` when each of `documents` (a new probe, and what of it is stored) can
  /// be merged into it: the same build, and a result that keeps the model's invariants.
  /// A QEMU whose answers change between runs (an alias moved to another machine type)
  /// could break them: then `nil`, and the new probe replaces the entry, as an entry the
  /// reader refuses is one every later lookup would probe again.
  func mergeBase(_ old: CapabilityDocument?, for documents: [CapabilityDocument], binary: String)
    -> CapabilityDocument?
  {
    guard let old, documents.allSatisfy({ $0.qemu == old.qemu }) else { return nil }
    do {
      for document in documents { try Self.merge(old, document).validate() }
      return old
    } catch {
      logger.warning(
        "the cache entry and a new probe disagree; keeping the new probe only",
        metadata: ["binary": "\(binary)", "error": "\(error)"])
      return nil
    }
  }

  /// `new` merged into `old`, or `new` alone when there is no `old`.
  static func merge(_ old: CapabilityDocument?, _ new: CapabilityDocument) -> CapabilityDocument {
    old.map { merge($0, new) } ?? new
  }

  static func merge(_ old: CapabilityDocument, _ new: CapabilityDocument) -> CapabilityDocument {
    var machines = Dictionary(old.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    for machine in new.machines { machines[machine.name] = machine }
    // An empty selection means every machine type: the merged entry stays complete.
    var selection = old.machineSelection
    for pattern in new.machineSelection where !selection.contains(pattern) { selection.append(pattern) }
    if old.machineSelection.isEmpty || new.machineSelection.isEmpty { selection = [] }
    return CapabilityDocument(
      toolVersion: new.toolVersion, qemu: new.qemu, devices: new.devices, machines: Array(machines.values),
      machineSelection: selection)
  }
}
