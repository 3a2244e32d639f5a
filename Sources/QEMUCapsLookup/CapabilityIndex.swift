import QEMUCapsCapabilityFiles
import QEMUCapsFiles
import QEMUCapsModel
import QEMUCapsSystem
import QEMUCapsXML

/// Capability documents of one or more QEMU builds, indexed for questions like
/// "does QEMU 7.2, machine q35, support acpi-hotplug-bridge, and what is its default?".
public struct CapabilityIndex: Sendable {
  /// One loaded build, with its machine types indexed by name and alias.
  public struct Build: Sendable {
    /// The document.
    public let document: CapabilityDocument
    /// Where it was loaded from.
    public let source: String
    private let machinesByName: [String: Int]

    init(document: CapabilityDocument, source: String) {
      self.document = document
      self.source = source
      var table: [String: Int] = [:]
      for (index, machine) in document.machines.enumerated() {
        table[machine.name] = index
      }
      for (index, machine) in document.machines.enumerated() {
        if let alias = machine.alias, table[alias] == nil { table[alias] = index }
      }
      self.machinesByName = table
    }

    /// The machine type called `name`, or whose alias is `name`.
    public func machine(_ name: String) -> MachineCapabilities? {
      machinesByName[name].map { document.machines[$0] }
    }
  }

  /// The builds, oldest version first.
  public let builds: [Build]

  /// Index documents already in memory.
  public init(documents: [(CapabilityDocument, source: String)]) {
    builds = documents.map { Build(document: $0.0, source: $0.source) }.sorted {
      $0.document.qemu.version < $1.document.qemu.version
    }
  }

  /// Load a capability file (`-`: standard input), or every `*.xml` file in a directory;
  /// each must be a regular file.
  ///
  /// - Throws: ``LookupError`` naming the file that cannot be read.
  public init(path: String) throws(LookupError) {
    try self.init(path: path, inputs: nil)
  }

  /// Load as ``init(path:)`` does, noting each file read in `inputs`.
  package init(path: String, inputs: InputFiles?) throws(LookupError) {
    var documents: [(CapabilityDocument, source: String)] = []
    for file in try Self.files(at: path) {
      let document: CapabilityDocument
      do {
        document = try CapabilityXMLReader.read(XMLFile.read(file, inputs: inputs), file: XMLFile.name(file))
      } catch {
        throw LookupError(.unreadable, error.description)
      }
      // A symbolic link to a file, or a copy of it, is the same build once.
      if documents.contains(where: { $0.0 == document }) { continue }
      documents.append((document, file))
    }
    self.init(documents: documents)
  }

  /// The build whose version is `version` exactly, else the newest whose version
  /// starts with `version` as whole components (`7.2` matches `7.2.22`, not `7.20.0`).
  /// With `nil`, the only build loaded. Identical files (symbolic links, copies) are
  /// one build; two different files of the chosen version are an error.
  ///
  /// - Throws: ``LookupError`` listing the versions available.
  public func build(version: String?) throws(LookupError) -> Build {
    guard let version else {
      guard builds.count == 1, let only = builds.first else {
        throw LookupError(
          builds.isEmpty ? .noMatchingVersion : .ambiguousVersion,
          builds.isEmpty
            ? "no capability files were found"
            : "\(builds.count) QEMU builds are loaded and no version was chosen: \(available)")
      }
      return only
    }
    guard QEMUVersion.isPattern(version) else {
      let shown = version.truncated(to: 80)
      throw LookupError(
        .badVersion,
        "'\(shown)' is not a QEMU version: give one to three decimal numbers separated by dots, such as 7, 7.2 or 7.2.22"
      )
    }
    guard let newest = builds.last(where: { $0.document.qemu.version.matches(version) }) else {
      throw LookupError(.noMatchingVersion, "no capability file for QEMU \(version); available: \(available)")
    }
    let same = builds.filter { $0.document.qemu.version == newest.document.qemu.version }
    guard same.count == 1 else {
      let listed = same.map { build in
        let package = build.document.qemu.package
        return "\(build.source) (\(package.isEmpty ? "no package" : package), binary \(build.document.qemu.binaryPath))"
      }
      throw LookupError(
        .duplicateVersion,
        "\(same.count) different capability files describe QEMU \(newest.document.qemu.version): \(listed.joined(separator: ", ")); keep one of them in the directory, or name the file itself"
      )
    }
    return newest
  }

  private var available: String {
    builds.isEmpty ? "none" : builds.map { "\($0.document.qemu.version) (\($0.source))" }.joined(separator: ", ")
  }

  private static func files(at path: String) throws(LookupError) -> [String] {
    if path == "-" { return [path] }
    let status: FileStatus
    do {
      status = try Syscalls.fileStatus(path)
    } catch {
      // The real reason: a link loop or a missing permission is not a missing file.
      throw LookupError(.unreadable, "\(path): cannot read: \(error.message)")
    }
    // Anything but a directory is read as a file, which refuses FIFOs, devices and sockets.
    if status.kind != .directory { return [path] }
    let names: [String]
    do {
      names = try Syscalls.listDirectory(path).filter { $0.hasSuffix(".xml") && !$0.hasPrefix(".") }
    } catch {
      throw LookupError(.unreadable, "\(path): cannot read the directory: \(error.message)")
    }
    guard !names.isEmpty else {
      throw LookupError(.noMatchingVersion, "\(path): the directory holds no capability files (*.xml)")
    }
    return names.map { "\(path)/\($0)" }
  }
}
