import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsQMP

/// Finds a started machine's ACPI PM device and reads each hotplug option on it,
/// in one pipelined QMP round trip.
///
/// The device is found through the `/machine/acpi-device` link, never by QOM
/// path or index; reading through the link reads the live device, so the value
/// is the machine type's effective default (compat properties applied).
enum MachineProbe {
  static let devicePath = "/machine/acpi-device"

  /// The commands: the device's type, its property list, then each option's property.
  static let commands: [QMPCommand] =
    [
      .qomGet(path: devicePath, property: "type"),
      QMPCommand("qom-list", arguments: JSONObject([("path", .string(devicePath))])),
    ]
    + HotplugOption.allCases.map { .qomGet(path: devicePath, property: $0.property) }

  /// The outcome for `machine` from the replies to ``commands``.
  ///
  /// - Throws: ``ProbeError`` with code `unexpectedReply` when QEMU's answers make no sense.
  static func interpret(
    _ results: ArraySlice<Result<JSON, QMPError>>, machine: String, qemuVersion: QEMUVersion
  ) throws(ProbeError) -> MachineCapabilities.Outcome {
    let replies = Array(results)
    guard replies.count == commands.count else {
      throw ProbeError(
        .unexpectedReply, "machine type \(machine): expected \(commands.count) replies, got \(replies.count)")
    }
    let device: String
    switch replies[0] {
    case .success(.string(let type)) where QOMName.isValid(type):
      device = type
    case .success(.string(let type)):
      throw ProbeError(
        .unexpectedReply, "machine type \(machine): the type of \(devicePath), '\(type)', is not a QOM type name")
    case .success(let other):
      throw ProbeError(
        .unexpectedReply, "machine type \(machine): the type of \(devicePath) is \(other.kindName), expected a string")
    case .failure(let error) where error.errorClass == "DeviceNotFound":
      let reason =
        "machine type \(machine) has no ACPI PM device (\(devicePath) does not exist in QEMU \(qemuVersion)), so it has no ACPI PCI hotplug to configure"
      return .probed(
        pmDevice: nil,
        options: Dictionary(uniqueKeysWithValues: HotplugOption.allCases.map { ($0, .unsupported(reason: reason)) }))
    case .failure(let error):
      throw ProbeError(.unexpectedReply, "machine type \(machine): reading the type of \(devicePath) failed: \(error)")
    }

    let properties: Set<String>
    switch replies[1] {
    case .success(.array(let entries)):
      properties = Set(entries.compactMap { $0["name"]?.stringValue })
    case .success(let other):
      throw ProbeError(
        .unexpectedReply, "machine type \(machine): qom-list of \(devicePath) gave \(other.kindName), expected an array"
      )
    case .failure(let error):
      throw ProbeError(.unexpectedReply, "machine type \(machine): qom-list of \(devicePath) failed: \(error)")
    }

    var options: [HotplugOption: OptionCapability] = [:]
    for (index, option) in HotplugOption.allCases.enumerated() {
      guard properties.contains(option.property) else {
        options[option] = .unsupported(
          reason:
            "the ACPI PM device of machine type \(machine), \(device), has no property \(option.property) in QEMU \(qemuVersion)"
        )
        continue
      }
      switch replies[2 + index] {
      case .success(.bool(let value)):
        options[option] = .supported(default: value)
      case .success(let other):
        throw ProbeError(
          .unexpectedReply,
          "machine type \(machine): \(device).\(option.property) is \(other.kindName), expected a boolean")
      case .failure(let error):
        throw ProbeError(
          .unexpectedReply, "machine type \(machine): reading \(device).\(option.property) failed: \(error)")
      }
    }
    return .probed(pmDevice: device, options: options)
  }
}
