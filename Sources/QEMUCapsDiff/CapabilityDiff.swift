import QEMUCapsJSON
import QEMUCapsModel

/// The semantic differences between two capability documents: what a
/// management tool would see change, not how the files differ.
///
/// Binary path, size, modification time, SHA-256, tool version and generation
/// time are left out unless ``Options/includeBinary`` is set, so probes of the
/// same build on two machines compare equal.
public struct CapabilityDiff: Sendable, Hashable {
  /// What to compare.
  public struct Options: Sendable, Hashable {
    /// Also compare the binary's path, size, modification time and SHA-256.
    public var includeBinary = false
    /// Create options.
    public init(includeBinary: Bool = false) { self.includeBinary = includeBinary }
  }

  /// One changed field.
  public struct Change: Sendable, Hashable {
    /// The machine type, or `nil` for build-wide fields.
    public var machine: String?
    /// What changed, e.g. `acpi-hotplug-bridge`, `pmDevice`, `version`.
    public var field: String
    /// The old value, as text (`unsupported`, `on`, `off`, a name, …).
    public var old: String
    /// The new value.
    public var new: String

    /// Create a change.
    public init(machine: String?, field: String, old: String, new: String) {
      self.machine = machine
      self.field = field
      self.old = old
      self.new = new
    }
  }

  /// Machine types only in the new document.
  public var added: [String]
  /// Machine types only in the old document.
  public var removed: [String]
  /// Changed fields, build-wide first, then by machine type in natural order.
  public var changes: [Change]

  /// Whether the documents are equal in what was compared.
  public var isEqual: Bool { added.isEmpty && removed.isEmpty && changes.isEmpty }

  /// Compare `old` with `new`.
  public init(old: CapabilityDocument, new: CapabilityDocument, options: Options = Options()) {
    var changes: [Change] = []
    func compare(_ machine: String?, _ field: String, _ a: String, _ b: String) {
      if a != b { changes.append(Change(machine: machine, field: field, old: a, new: b)) }
    }
    compare(nil, "version", old.qemu.version.description, new.qemu.version.description)
    compare(nil, "package", old.qemu.package, new.qemu.package)
    compare(nil, "arch", old.qemu.arch, new.qemu.arch)
    func list(_ names: [String]?) -> String { names.map { $0.joined(separator: " ") } ?? "unknown" }
    compare(nil, "guestArchitectures", list(old.qemu.guestArchitectures), list(new.qemu.guestArchitectures))
    compare(nil, "accelerators", list(old.qemu.accelerators), list(new.qemu.accelerators))
    if options.includeBinary {
      compare(nil, "binary.path", old.qemu.binaryPath, new.qemu.binaryPath)
      compare(nil, "binary.size", String(old.qemu.binarySize), String(new.qemu.binarySize))
      compare(nil, "binary.mtime", String(old.qemu.binaryModificationTime), String(new.qemu.binaryModificationTime))
      compare(nil, "binary.sha256", old.qemu.binarySHA256, new.qemu.binarySHA256)
    }
    let oldMachines = Dictionary(old.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    let newMachines = Dictionary(new.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    added = new.machines.map(\.name).filter { oldMachines[$0] == nil }
    removed = old.machines.map(\.name).filter { newMachines[$0] == nil }
    for machine in new.machines {
      guard let before = oldMachines[machine.name] else { continue }
      let name = machine.name
      compare(name, "alias", before.alias ?? "none", machine.alias ?? "none")
      compare(name, "default", before.isDefault ? "yes" : "no", machine.isDefault ? "yes" : "no")
      compare(name, "deprecated", before.isDeprecated ? "yes" : "no", machine.isDeprecated ? "yes" : "no")
      compare(name, "status", before.error == nil ? "probed" : "failed", machine.error == nil ? "probed" : "failed")
      compare(name, "pmDevice", before.pmDevice ?? "none", machine.pmDevice ?? "none")
      for option in HotplugOption.allCases {
        compare(name, option.rawValue, "\(before.option(option))", "\(machine.option(option))")
      }
    }
    self.changes = changes
  }

  /// The differences as JSON: `{"equal", "added", "removed", "changes": [{"machine", "field", "old", "new"}]}`.
  public var json: JSON {
    .object(
      JSONObject([
        ("equal", .bool(isEqual)),
        ("added", .array(added.map(JSON.string))),
        ("removed", .array(removed.map(JSON.string))),
        (
          "changes",
          .array(
            changes.map { change in
              .object(
                JSONObject([
                  ("machine", change.machine.map(JSON.string) ?? .null), ("field", .string(change.field)),
                  ("old", .string(change.old)), ("new", .string(change.new)),
                ]))
            })
        ),
      ]))
  }

  /// The differences as lines for people, one per change.
  public var lines: [String] {
    var lines: [String] = []
    for change in changes where change.machine == nil {
      lines.append("\(change.field): \(change.old) -> \(change.new)")
    }
    lines += added.map { "+ machine type \($0)" }
    lines += removed.map { "- machine type \($0)" }
    for change in changes {
      guard let machine = change.machine else { continue }
      lines.append("~ \(machine) \(change.field): \(change.old) -> \(change.new)")
    }
    return lines
  }
}
