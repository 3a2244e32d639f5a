import Logging
import QEMUCapsCapabilityFiles
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
/// Entries are written atomically, so concurrent runs never see a partial file.
public struct ProbeCache: Sendable {
  /// The cache directory.
  public let directory: String
  private let logger: Logger

  /// Use `directory` for cache entries (``defaultDirectory(environment:)`` when `nil`);
  /// warnings about damaged or unwritable entries go to `logger`.
  public init(directory: String? = nil, logger: Logger = Logger(label: "qemu-caps")) {
    let directory =
      directory
      ?? Self.defaultDirectory(
        environment: ["XDG_CACHE_HOME", "HOME"].reduce(into: [:]) { table, name in
          table[name] = getenv(name).map { String(cString: $0) }
        })
    self.directory = directory
    self.logger = logger
  }

  /// `$XDG_CACHE_HOME/qemu-caps`, else `$HOME/.cache/qemu-caps`.
  public static func defaultDirectory(environment: [String: String]) -> String {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return "\(cache)/qemu-caps" }
    return "\(environment["HOME"] ?? "/tmp")/.cache/qemu-caps"
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
  /// - Throws: ``LookupError``: `unknownMachine` when the build has no such
  ///   machine type, `probeFailed` when QEMU cannot be probed.
  public func capabilities(
    binary: String, machine: String, refresh: Bool = false, timeouts: QEMULauncher.Timeouts = .init()
  ) throws(LookupError) -> Result {
    let key = try Self.key(for: binary)
    let path = entryPath(for: binary)
    var cached = refresh ? nil : readEntry(path, key: key)
    if let document = cached, document.machine(named: machine) != nil {
      return Result(document: document, probed: false)
    }
    var configuration = Prober.Configuration(binary: binary)
    configuration.machinePatterns = [machine]
    configuration.timeouts = timeouts
    let probed: CapabilityDocument
    do {
      probed = try Prober(logger: logger).probe(configuration)
    } catch  where error.code == .noMachinesSelected {
      throw LookupError(.unknownMachine, error.message)
    } catch {
      throw LookupError(.probeFailed, error.message)
    }
    if let previous = cached, previous.qemu == probed.qemu {
      cached = Self.merge(previous, probed)
    } else {
      cached = probed
    }
    let document = cached ?? probed
    writeEntry(document, key: key, to: path)
    return Result(document: document, probed: true)
  }

  // MARK: - Entries

  /// The cache key of a binary: what must not change for an entry to stay valid.
  static func key(for binary: String) throws(LookupError) -> JSON {
    let status: FileStatus
    do {
      status = try Syscalls.fileStatus(binary)
    } catch {
      throw LookupError(.probeFailed, "cannot read the QEMU binary \(binary): \(error.message)")
    }
    // QEMU loads device modules from here; an upgrade can change them without the binary.
    let moduleDirectory = getenv("QEMU_MODULE_DIR").map { String(cString: $0) } ?? "/usr/lib/x86_64-linux-gnu/qemu"
    let moduleTime = (try? Syscalls.fileStatus(moduleDirectory))?.modificationTime ?? 0
    return .object(
      JSONObject([
        ("path", .string(binary)), ("size", .int(status.size)), ("mtime", .int(status.modificationTime)),
        ("ctime", .int(status.changeTime)), ("moduleDirectoryMtime", .int(moduleTime)),
        ("tool", .string(ToolVersion.current)),
      ]))
  }

  func entryPath(for binary: String) -> String {
    // FNV-1a of the path keeps one entry per binary with a short, safe file name.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in binary.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let name = binary.split(separator: "/").last.map(String.init) ?? "qemu"
    let safe = String(
      name.unicodeScalars.filter {
        $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0))
      })
    return "\(directory)/\(safe)-\(String(hash, radix: 16)).json"
  }

  private func readEntry(_ path: String, key: JSON) -> CapabilityDocument? {
    guard let bytes = try? FileContents.read(path, limit: XMLTree.maximumSize),
      let entry = try? bytes.withUnsafeBufferPointer({ try JSON.parse($0) }),
      entry["key"] == key, let xml = entry["capabilities"]?.stringValue
    else { return nil }
    do {
      return try CapabilityXMLReader.read(Array(xml.utf8), file: path)
    } catch {
      logger.warning("ignoring a damaged cache entry", metadata: ["file": "\(path)", "error": "\(error)"])
      return nil
    }
  }

  private func writeEntry(_ document: CapabilityDocument, key: JSON, to path: String) {
    let entry = JSON.object(
      JSONObject([("key", key), ("capabilities", .string(CapabilityXMLWriter.xml(document)))]))
    do {
      try Syscalls.makeDirectories(directory)
      try AtomicFile.write(entry.serialized() + "\n", to: path)
    } catch {
      // A cache that cannot be written only costs a probe next time.
      logger.warning("cannot write the probe cache", metadata: ["file": "\(path)", "error": "\(error)"])
    }
  }

  static func merge(_ old: CapabilityDocument, _ new: CapabilityDocument) -> CapabilityDocument {
    var machines = Dictionary(old.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    for machine in new.machines { machines[machine.name] = machine }
    var selection = old.machineSelection
    for pattern in new.machineSelection where !selection.contains(pattern) { selection.append(pattern) }
    return CapabilityDocument(
      toolVersion: new.toolVersion, qemu: new.qemu, devices: new.devices, machines: Array(machines.values),
      machineSelection: selection)
  }
}
