import QEMUCapsModel

/// Machine types (rows) by QEMU builds (columns): what each build says of each
/// machine type. Rows are grouped by ``MachineFamily``, newest first; columns are
/// in version order.
public struct CapabilityMatrix: Sendable {
  /// One QEMU build.
  public struct Column: Sendable, Hashable {
    /// `7.2.22`.
    public var version: String
    /// The distribution package string, empty upstream.
    public var package: String
    /// The target architecture.
    public var arch: String
    /// Where the capability data came from (a file name).
    public var source: String
    /// How many machine types the build offers, and how many failed to probe.
    public var machineCount: Int
    /// How many of them failed to probe.
    public var failedCount: Int
    /// How the report names the build in headers and alias notes: the version, with
    /// the source added when another column has the same version (two packages of
    /// one release, or two probes of one binary), so that no two columns look alike.
    public var label: String
  }

  /// One machine type across every build.
  public struct Row: Sendable, Hashable {
    /// The machine type name.
    public var name: String
    /// Its family (``MachineFamily``).
    public var family: String
    /// One cell per column.
    public var cells: [MatrixCell]
    /// Per column: whether that build marks the machine type deprecated.
    public var deprecated: [Bool]
    /// Per column: the alias the machine type carries there (`pc`, `q35`), if any.
    public var aliases: [String?]

    /// The ACPI PM devices the machine type has in the builds that probed it.
    public var pmDevices: [String] {
      var seen: [String] = []
      for case .probed(let device, _, _) in cells where !seen.contains(device) { seen.append(device) }
      return seen
    }

    /// The PM devices for the report's column: the devices, `none` when every
    /// build that probed the machine type found none, empty when none probed it.
    public var pmDeviceText: String {
      if !pmDevices.isEmpty { return pmDevices.joined(separator: ", ") }
      return cells.contains(.noPMDevice) ? "none" : ""
    }

    /// `pc (in 7.2.22, 10.0.13)`-style alias notes, given the columns.
    public func aliasNote(columns: [Column]) -> String? {
      var byAlias: [(String, [String])] = []
      for (index, alias) in aliases.enumerated() {
        guard let alias else { continue }
        if let at = byAlias.firstIndex(where: { $0.0 == alias }) {
          byAlias[at].1.append(columns[index].label)
        } else {
          byAlias.append((alias, [columns[index].label]))
        }
      }
      guard !byAlias.isEmpty else { return nil }
      return byAlias.map { "\($0.0) in \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
    }

    /// `deprecated` when every build that offers the machine type marks it so,
    /// `deprecated in 10.0.13, 11.1.3` when only some do, `nil` when none does: the
    /// report says it once per row rather than in every cell.
    package func deprecationNote(columns: [Column]) -> String? {
      let offering = cells.indices.filter { cells[$0] != .absent }
      let marking = offering.filter { deprecated[$0] }
      if marking.isEmpty { return nil }
      if marking.count == offering.count { return "deprecated" }
      return "deprecated in " + marking.map { columns[$0].label }.joined(separator: ", ")
    }
  }

  /// The builds, in version order.
  public var columns: [Column]
  /// The machine types, grouped by family.
  public var groups: [(family: String, rows: [Row])]

  /// Every row, in display order.
  public var rows: [Row] { groups.flatMap(\.rows) }

  /// Build the matrix of `documents`, each with the name of its source.
  public init(documents: [(document: CapabilityDocument, source: String)]) {
    let ordered = documents.sorted { lhs, rhs in
      if lhs.document.qemu.version != rhs.document.qemu.version {
        return lhs.document.qemu.version < rhs.document.qemu.version
      }
      if lhs.document.qemu.package != rhs.document.qemu.package {
        return lhs.document.qemu.package < rhs.document.qemu.package
      }
      return lhs.source < rhs.source
    }
    columns = Self.labelled(
      ordered.map { entry in
        let version = entry.document.qemu.version.description
        return Column(
          version: version, package: entry.document.qemu.package,
          arch: entry.document.qemu.arch,
          source: entry.source, machineCount: entry.document.machines.count,
          failedCount: entry.document.machines.filter { $0.error != nil }.count, label: version)
      })
    let lookups = ordered.map { entry in
      Dictionary(entry.document.machines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
    var names: [String] = []
    var seen: Set<String> = []
    for entry in ordered {
      for machine in entry.document.machines where seen.insert(machine.name).inserted { names.append(machine.name) }
    }
    groups = MachineFamily.grouped(names).map { group in
      (
        group.family,
        group.names.map { name in
          let machines = lookups.map { $0[name] }
          return Row(
            name: name, family: group.family, cells: machines.map(MatrixCell.init),
            deprecated: machines.map { $0?.isDeprecated ?? false }, aliases: machines.map { $0?.alias })
        }
      )
    }
  }

  /// `columns` with each label told apart: a version that several columns share gets
  /// the source, and sources that are the same too (documents built in memory) get
  /// the column's position.
  private static func labelled(_ columns: [Column]) -> [Column] {
    var result = columns
    for index in result.indices where columns.filter({ $0.version == columns[index].version }).count > 1 {
      result[index].label = "\(columns[index].version) (\(columns[index].source))"
    }
    let labels = result.map(\.label)
    for index in result.indices where labels.filter({ $0 == labels[index] }).count > 1 {
      result[index].label += " #\(index + 1)"
    }
    return result
  }
}
