import QEMUCapsJSON
import QEMUCapsModel

/// Writes a ``CapabilityDocument`` in the probe's JSON format (`--format json`).
///
/// The shape is fixed because other tools read it:
/// `{"schemaVersion", "qemu": {...}, "machines": [{name, alias, isDefault,
/// deprecated, pmDevice and options | error}]}`.
package enum CapabilityJSONWriter {
  /// The whole document as a JSON value.
  package static func json(_ document: CapabilityDocument) -> JSON {
    .object(
      JSONObject([
        ("schemaVersion", .int(Int64(CapabilityDocument.schemaVersion))),
        ("qemu", qemu(document.qemu)),
        ("machines", .array(document.machines.map(machine))),
      ]))
  }

  /// The `qemu` object: binary, version, package, arch, guest architectures and
  /// accelerators (`null` when unknown).
  package static func qemu(_ info: QEMUBuildInfo) -> JSON {
    .object(
      JSONObject([
        ("binary", .string(info.binaryPath)), ("version", .string(info.version.description)),
        ("package", .string(info.package)), ("arch", .string(info.arch)),
        ("guestArchitectures", info.guestArchitectures.map { .array($0.map(JSON.string)) } ?? .null),
        ("accelerators", info.accelerators.map { .array($0.map(JSON.string)) } ?? .null),
      ]))
  }

  /// One machine object: `pmDevice` (`null`: the machine type has none) and `options`
  /// when probed; `error` and no `pmDevice` when the probe failed, since then the PM
  /// device is unknown, which `null` would deny.
  package static func machine(_ machine: MachineCapabilities) -> JSON {
    var object = JSONObject([
      ("name", .string(machine.name)),
      ("alias", machine.alias.map(JSON.string) ?? .null),
      ("isDefault", .bool(machine.isDefault)),
      ("deprecated", .bool(machine.isDeprecated)),
    ])
    switch machine.outcome {
    case .failed(let message):
      object["error"] = .string(message)
    case .probed(let device, _):
      object["pmDevice"] = device.map(JSON.string) ?? .null
      object["options"] = .object(
        JSONObject(machine.options.map { ($0.option.rawValue, option($0.capability, of: $0.option)) }))
    }
    return .object(object)
  }

  /// One option object: `{property, supported: true, default}`, `{supported: false, reason}`,
  /// or `{supported: null, failure}` when the machine type could not be probed.
  package static func option(_ capability: OptionCapability, of option: HotplugOption) -> JSON {
    switch capability {
    case .supported(let value):
      .object(
        JSONObject([
          ("property", .string(option.property)), ("supported", .bool(true)), ("default", .bool(value)),
        ]))
    case .unsupported(let reason):
      .object(JSONObject([("supported", .bool(false)), ("reason", .string(reason))]))
    case .unknown(let failure):
      .object(JSONObject([("supported", .null), ("failure", .string(failure))]))
    }
  }
}
