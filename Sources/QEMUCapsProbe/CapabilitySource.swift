import QEMUCapsFiles
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel

/// Where capability data comes from: capability files, or a QEMU binary answered through
/// the per-user probe cache. Every program that answers questions about a build makes
/// this choice; ``load(_:)`` carries it out.
///
/// ```swift
/// let source = CapabilitySource.files(path: "capabilities-data", version: "7.2")
/// let document = try source.load()
/// ```
public enum CapabilitySource: Sendable {
  /// One capability file (`-`: standard input), or a directory of them such as
  /// capabilities-data/. `version` chooses the build, exact (`7.2.22`) or a prefix
  /// (`7.2`, the newest match); `nil` when the path holds one build only.
  case files(path: String, version: String? = nil)
  /// A QEMU binary (a path; ``QEMULauncher/resolve(_:environment:)`` finds a name on
  /// `PATH`), answered from `cache` and probed only for what it lacks (everything, with
  /// `refresh`), each QEMU within `timeouts`.
  case binary(
    path: String, cache: ProbeCache = ProbeCache(), refresh: Bool = false,
    timeouts: QEMULauncher.Timeouts = .init())

  /// Which machine types a caller needs; capability files are always read whole.
  public enum Machines: Sendable, Hashable {
    /// One machine type (a name or an alias): a binary probes only it when the cache lacks it.
    case one(String)
    /// Every machine type of the build.
    case all
  }

  /// Load the capability data of one build.
  ///
  /// - Parameter machines: what is needed from a binary.
  /// - Throws: ``LookupError``: from files, `unreadable`, `badVersion`,
  ///   `noMatchingVersion`, `ambiguousVersion` or `duplicateVersion`; from a binary,
  ///   `probeFailed`, or `unknownMachine` when the build has no such machine type (the
  ///   probe's error is the `underlying` one).
  public func load(_ machines: Machines = .all) throws(LookupError) -> CapabilityDocument {
    try load(machines, inputs: nil)
  }

  /// Load as ``load(_:)`` does, noting each file read in `inputs`.
  package func load(_ machines: Machines, inputs: InputFiles?) throws(LookupError) -> CapabilityDocument {
    switch self {
    case .files(let path, let version):
      return try CapabilityIndex(path: path, inputs: inputs).build(version: version).document
    case .binary(let path, let cache, let refresh, let timeouts):
      switch machines {
      case .one(let machine):
        return try cache.capabilities(binary: path, machine: machine, refresh: refresh, timeouts: timeouts).document
      case .all:
        return try cache.allCapabilities(binary: path, refresh: refresh, timeouts: timeouts).document
      }
    }
  }

  /// Load the capability data that covers `machine` (every machine type when `nil`).
  ///
  /// A machine type a binary lacks is not an error here: the data of every machine
  /// type is returned (probed once, then cached), so that the caller reports the
  /// machine type as missing exactly as it does for capability files, where
  /// ``CapabilityDocument/machine(named:)`` finds nothing.
  ///
  /// - Throws: ``LookupError``, as ``load(_:)`` does.
  public func load(covering machine: String?) throws(LookupError) -> CapabilityDocument {
    try load(covering: machine, inputs: nil)
  }

  /// Load as ``load(covering:)`` does, noting each file read in `inputs`.
  package func load(covering machine: String?, inputs: InputFiles?) throws(LookupError) -> CapabilityDocument {
    do {
      return try load(machine.map { .one($0) } ?? .all, inputs: inputs)
    } catch  where error.code == .unknownMachine {
      return try load(.all, inputs: inputs)
    }
  }
}
