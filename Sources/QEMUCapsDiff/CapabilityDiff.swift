import QEMUCapsJSON
import QEMUCapsModel

/// The semantic differences between two capability documents: what a
/// management tool would see change, not how the files differ.
///
/// A change is a change of support, default, ACPI PM device, presence, alias,
/// default machine, deprecation or probe status. The words that explain them (why an
/// option is unsupported, why a probe failed) name the QEMU version and so differ
/// between any two builds: they are left out unless ``Options/includeReasons`` is
/// set. Binary path, size, modification time, SHA-256, tool version and generation
/// time are left out unless ``Options/includeBinary`` is set, so probes of the same
/// build on two machines compare equal.
public struct CapabilityDiff: Sendable, Hashable {
  /// What to compare.
  public struct Options: Sendable, Hashable {
    /// Also compare the binary's path, size, modification time and SHA-256.
    public var includeBinary = false
    /// Also compare the reason an option is unsupported (fields `OPTION.reason`) and
    /// the message of a failed probe (field `failure`).
    public var includeReasons = false
    /// Create options.
    public init(includeBinary: Bool = false, includeReasons: Bool = false) {
      self.includeBinary = includeBinary
      self.includeReasons = includeReasons
    }
  }

  /// The value of a compared field, typed so that JSON carries real booleans and nulls.
  public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// A name, version, path or other text.
    case text(String)
    /// A number (binary size, modification time).
    case number(Int64)
    /// A list of names (guest architectures, accelerators).
    case list([String])
    /// A yes/no field (`default`, `deprecated`).
    case flag(Bool)
    /// No value: no alias, no ACPI PM device, a list the file does not record.
    case absent
    /// An option's support and, when supported, its default.
    case option(OptionCapability)

    /// The value for people: `yes`/`no`, `on`/`off`, `unsupported`, `(none)` for no value
    /// (a parenthesis cannot start a machine type or device name, so it is never ambiguous).
    public var description: String {
      switch self {
      case .text(let text): text
      case .number(let number): String(number)
      case .list(let names): names.joined(separator: " ")
      case .flag(let flag): flag ? "yes" : "no"
      case .absent: "(none)"
      case .option(let capability): capability.description
      }
    }

    /// The value as JSON: a string, number, array of strings, boolean, `null`, or `{"supported", "default"}` for
    /// an option (`supported` is `null` when the machine type could not be probed).
    package var json: JSON {
      switch self {
      case .text(let text): .string(text)
      case .number(let number): .int(number)
      case .list(let names): .array(names.map(JSON.string))
      case .flag(let flag): .bool(flag)
      case .absent: .null
      case .option(.unknown):
        .object(JSONObject([("supported", .null), ("default", .null)]))
      case .option(let capability):
        .object(
          JSONObject([
            ("supported", .bool(capability.isSupported)), ("default", capability.defaultValue.map(JSON.bool) ?? .null),
          ]))
      }
    }
  }

  /// One changed field.
  public struct Change: Sendable, Hashable {
    /// The machine type, or `nil` for build-wide fields.
    public var machine: String?
    /// What changed, e.g. `acpi-hotplug-bridge`, `pmDevice`, `version`; with
    /// ``Options/includeReasons`` also `acpi-hotplug-bridge.reason` or `failure`.
    public var field: String
    /// The old value.
    public var old: Value
    /// The new value.
    public var new: Value

    /// Create a change.
    public init(machine: String?, field: String, old: Value, new: Value) {
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
    func compare(_ machine: String?, _ field: String, _ a: Value, _ b: Value, same: Bool? = nil) {
      if !(same ?? (a == b)) { changes.append(Change(machine: machine, field: field, old: a, new: b)) }
    }
    func text(_ value: String?) -> Value { value.map(Value.text) ?? .absent }
    compare(nil, "version", .text(old.qemu.version.description), .text(new.qemu.version.description))
    compare(nil, "package", .text(old.qemu.package), .text(new.qemu.package))
    compare(nil, "arch", .text(old.qemu.arch), .text(new.qemu.arch))
    func list(_ names: [String]?) -> Value { names.map(Value.list) ?? .absent }
    compare(nil, "guestArchitectures", list(old.qemu.guestArchitectures), list(new.qemu.guestArchitectures))
    compare(nil, "accelerators", list(old.qemu.accelerators), list(new.qemu.accelerators))
    if options.includeBinary {
      compare(nil, "binary.path", .text(old.qemu.binaryPath), .text(new.qemu.binaryPath))
      compare(nil, "binary.size", .number(old.qemu.binarySize), .number(new.qemu.binarySize))
      compare(
        nil, "binary.mtime", .number(old.qemu.binaryModificationTime),
        .number(new.qemu.binaryModificationTime))
      compare(nil, "binary.sha256", .text(old.qemu.binarySHA256), .text(new.qemu.binarySHA256))
    }
    let oldMachines = Dictionary(old.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    let newMachines = Dictionary(new.machines.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    added = new.machines.map(\.name).filter { oldMachines[$0] == nil }
    removed = old.machines.map(\.name).filter { newMachines[$0] == nil }
    for machine in new.machines {
      guard let before = oldMachines[machine.name] else { continue }
      let name = machine.name
      compare(name, "alias", text(before.alias), text(machine.alias))
      compare(name, "default", .flag(before.isDefault), .flag(machine.isDefault))
      compare(name, "deprecated", .flag(before.isDeprecated), .flag(machine.isDeprecated))
      compare(
        name, "status", .text(before.error == nil ? "probed" : "failed"),
        .text(machine.error == nil ? "probed" : "failed"))
      compare(name, "pmDevice", text(before.pmDevice), text(machine.pmDevice))
      for option in HotplugOption.allCases {
        let was = before.option(option)
        let now = machine.option(option)
        // The values keep their reasons, for a library user; only the states are compared.
        compare(name, option.rawValue, .option(was), .option(now), same: Self.state(was) == Self.state(now))
      }
      guard options.includeReasons else { continue }
      compare(name, "failure", text(before.error), text(machine.error))
      for option in HotplugOption.allCases {
        compare(
          name, option.rawValue + ".reason", text(Self.reason(before.option(option))),
          text(Self.reason(machine.option(option))))
      }
    }
    self.changes = changes
  }

  /// What a change of an option compares: supported with which default, unsupported, or unknown.
  private static func state(_ capability: OptionCapability) -> String {
    capability.description
  }

  /// Why an option is unsupported, or `nil` (supported; unknown, whose failure is the machine type's).
  private static func reason(_ capability: OptionCapability) -> String? {
    if case .unsupported(let reason) = capability { return reason }
    return nil
  }

  /// The differences as JSON: `{"equal", "added", "removed", "changes": [{"machine", "field", "old", "new"}]}`,
  /// each value typed as ``Value/json`` says.
  package var json: JSON {
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
                  ("old", change.old.json), ("new", change.new.json),
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
