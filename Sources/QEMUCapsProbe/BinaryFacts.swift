import QEMUCapsJSON
import QEMUCapsLauncher
import QEMUCapsModel
import QEMUCapsQMP

/// What one `-machine none` QEMU tells about the whole build.
struct BinaryFacts {
  /// One row of `query-machines`.
  struct Machine {
    var name: String
    var alias: String?
    var isDefault: Bool
    var isDeprecated: Bool
  }

  /// The most machine types a build may list (real builds list fewer than 150).
  static let maximumMachineCount = 1000
  /// The longest package string or static default accepted, in bytes.
  static let maximumTextLength = 4096

  /// The device types whose static properties are recorded.
  static let deviceTypes = ["PIIX4_PM", "ICH9-LPC"]

  var version: QEMUVersion
  var package: String
  var arch: String
  var machines: [Machine]
  /// What the probe changed in QEMU's answers so that its file reads back, for warnings.
  var notes: [String]
  var devices: [DeviceProperties]
  /// Whether the build has the seccomp sandbox with every suboption the launcher uses.
  var supportsSandbox: Bool
  /// The accelerators the build was built with (`kvm`, `tcg`, …), sorted; `nil` when
  /// `qom-list-types` failed or listed none (so unknown).
  var accelerators: [String]?

  /// The commands, sent in one batch ahead of the `none` machine's own probe.
  static let commands: [QMPCommand] =
    [QMPCommand("query-version"), QMPCommand("query-target"), QMPCommand("query-machines")]
    + deviceTypes.map { QMPCommand("device-list-properties", arguments: JSONObject([("typename", .string($0))])) }
    + [QMPCommand("query-command-line-options", arguments: JSONObject([("option", "sandbox")]))]
    + [QMPCommand("qom-list-types", arguments: JSONObject([("implements", "accel"), ("abstract", false)]))]

  /// Read the replies to ``commands``.
  ///
  /// - Throws: ``ProbeError`` with code `binaryFacts` or `unexpectedReply`.
  init(_ results: ArraySlice<Result<JSON, QMPError>>, binary: String) throws(ProbeError) {
    let replies = Array(results)
    func value(_ index: Int, _ what: String) throws(ProbeError) -> JSON {
      switch replies[index] {
      case .success(let value): return value
      case .failure(let error): throw ProbeError(.binaryFacts, "\(binary): \(what) failed: \(error)")
      }
    }
    let versionReply = try value(0, "query-version")
    guard let version = QEMUVersion(qmpVersion: versionReply) else {
      throw ProbeError(.unexpectedReply, "\(binary): query-version gave no version number")
    }
    self.version = version
    self.package = versionReply["package"]?.stringValue ?? ""
    // Bounds keep what the prober writes within what its reader accepts (16 MiB).
    guard package.utf8.count <= Self.maximumTextLength else {
      throw ProbeError(
        .unexpectedReply,
        "\(binary): query-version gave a package string of \(package.utf8.count) bytes; at most \(Self.maximumTextLength) are accepted"
      )
    }
    guard let arch = try value(1, "query-target")["arch"]?.stringValue else {
      throw ProbeError(.unexpectedReply, "\(binary): query-target gave no arch")
    }
    guard QOMName.isValid(arch) else {
      throw ProbeError(.unexpectedReply, "\(binary): query-target gave an invalid arch '\(arch)'")
    }
    self.arch = arch
    guard let machineList = try value(2, "query-machines").arrayValue else {
      throw ProbeError(.unexpectedReply, "\(binary): query-machines did not return a list")
    }
    var machines: [Machine] = []
    var selfAliases: [String] = []
    for entry in machineList {
      guard let name = entry["name"]?.stringValue else {
        throw ProbeError(.unexpectedReply, "\(binary): query-machines has an entry without a name: \(entry)")
      }
      var alias = entry["alias"]?.stringValue
      // An alias equal to the machine's own name names nothing else: dropped, so the
      // file holds what QEMU's -machine resolves, in the form its reader accepts.
      if alias == name {
        alias = nil
        selfAliases.append(name)
      }
      machines.append(
        Machine(
          name: name, alias: alias, isDefault: entry["is-default"]?.boolValue ?? false,
          isDeprecated: entry["deprecated"]?.boolValue ?? false))
    }
    guard machines.count <= Self.maximumMachineCount else {
      throw ProbeError(
        .unexpectedReply,
        "\(binary): query-machines lists \(machines.count) machine types; at most \(Self.maximumMachineCount) are accepted"
      )
    }
    // QEMU started without -machine asserts ("Multiple default machines") when two are
    // default: the build has no usable default, which is what the file then says.
    let defaults = machines.filter(\.isDefault).map(\.name)
    if defaults.count > 1 {
      for index in machines.indices { machines[index].isDefault = false }
    }
    // The model's invariants, checked on the whole list before any machine type is
    // started: what the prober writes, its reader must accept. A name that could mean
    // two machine types (a duplicate, an alias shared or equal to another name) is
    // refused: which one QEMU's -machine picks depends on an order the file cannot keep.
    do {
      try CapabilityDocument.validate(
        machines: machines.map {
          MachineCapabilities(
            name: $0.name, alias: $0.alias, isDefault: $0.isDefault, isDeprecated: $0.isDeprecated,
            outcome: .failed("not probed"))
        })
    } catch {
      throw ProbeError(
        .unexpectedReply,
        "\(binary): query-machines: \(error.message); its answers cannot be trusted, so nothing is written")
    }
    self.machines = machines
    // Worded only now that the names are known to be QOM names.
    notes =
      selfAliases.map {
        "query-machines gives machine type \($0) its own name as alias; the alias is not recorded (it names no other machine type)"
      }
      + (defaults.count > 1
        ? [
          "query-machines marks \(defaults.count) machine types as the default (\(defaults.prefix(5).joined(separator: ", "))\(defaults.count > 5 ? ", …" : "")); QEMU started without -machine aborts on that (\"Multiple default machines\"), so none is recorded as the default"
        ] : [])

    var devices: [DeviceProperties] = []
    for (offset, type) in Self.deviceTypes.enumerated() {
      switch replies[3 + offset] {
      case .success(.array(let entries)):
        var properties: [DeviceProperties.Property] = []
        for entry in entries {
          guard let name = entry["name"]?.stringValue else { continue }
          let propertyType = entry["type"]?.stringValue ?? ""
          let staticDefault = entry["default-value"].map(Self.text)
          guard (staticDefault?.utf8.count ?? 0) <= Self.maximumTextLength else {
            throw ProbeError(
              .unexpectedReply,
              "\(binary): device-list-properties \(type) gives property \(name) a default of more than \(Self.maximumTextLength) bytes"
            )
          }
          properties.append(
            DeviceProperties.Property(
              name: name, type: propertyType, staticDefault: staticDefault))
        }
        devices.append(
          DeviceProperties(type: type, isPresent: true, properties: properties.sorted { $0.name < $1.name }))
      case .success(let other):
        throw ProbeError(.unexpectedReply, "\(binary): device-list-properties \(type) gave \(other.kindName)")
      case .failure:
        // DeviceNotFound (or a build without the type at all): the device is absent.
        devices.append(DeviceProperties(type: type, isPresent: false, properties: []))
      }
    }
    do {
      try CapabilityDocument.validate(devices: devices)
    } catch {
      throw ProbeError(.unexpectedReply, "\(binary): device-list-properties: \(error.message); nothing is written")
    }
    self.devices = devices

    // Builds without seccomp do not know the option (an error reply).
    let sandboxReply = (try? replies[3 + Self.deviceTypes.count].get())?.arrayValue?.first
    let suboptions = Set(sandboxReply?["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
    self.supportsSandbox = QEMULauncher.sandboxSuboptions.isSubset(of: suboptions)

    // The accelerators: concrete QOM types implementing "accel", named NAME-accel.
    switch replies[4 + Self.deviceTypes.count] {
    case .success(.array(let types)):
      var names: Set<String> = []
      for type in types {
        guard let name = type["name"]?.stringValue, name.hasSuffix("-accel") else { continue }
        let accelerator = String(name.dropLast("-accel".count))
        guard QOMName.isValid(accelerator), names.count < Self.maximumAcceleratorCount else {
          throw ProbeError(
            .unexpectedReply,
            "\(binary): qom-list-types lists the accelerator type '\(name)', which is not a QOM name or one too many; nothing is written"
          )
        }
        names.insert(accelerator)
      }
      self.accelerators = names.isEmpty ? nil : names.sorted()
    case .success(let other):
      throw ProbeError(.unexpectedReply, "\(binary): qom-list-types gave \(other.kindName)")
    case .failure:
      self.accelerators = nil
    }
  }

  /// The most accelerators a build may list (real builds list at most five).
  static let maximumAcceleratorCount = 64

  /// A static default as text: `true`, `0`, a string as itself, anything else as JSON.
  static func text(_ value: JSON) -> String {
    switch value {
    case .bool(let flag): flag ? "true" : "false"
    case .string(let string): string
    default: value.serialized()
    }
  }
}
