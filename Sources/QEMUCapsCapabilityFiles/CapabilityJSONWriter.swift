import QEMUCapsJSON
import QEMUCapsModel

/// Writes a ``CapabilityDocument`` in the probe's JSON format (`--format json`).
///
/// The shape is fixed because other tools read it:
/// `{"schemaVersion", "qemu": {...}, "machines": [{name, alias, isDefault,
/// deprecated, pmDevice, options | error}]}`.
public enum CapabilityJSONWriter {
  /// The whole document as a JSON value.
  public static func json(_ document: CapabilityDocument) -> JSON {
    .object(
      JSONObject([
        ("schemaVersion", .int(Int64(CapabilityDocument.schemaVersion))),
        ("qemu", qemu(document.qemu)),
        ("machines", .array(document.machines.map(machine))),
      ]))
  }

  /// The `qemu` object: binary, version, package, arch.
  public static func qemu(_ info: QEMUBuildInfo) -> JSON {
    .object(
      JSONObject([
        ("binary", .string(info.binaryPath)), ("version", .string(info.version)),
        ("package", .string(info.package)), ("arch", .string(info.arch)),
      ]))
  }

  /// One machine object, with `options` when probed or `error` when the probe failed.
  public static func machine(_ machine: MachineCapabilities) -> JSON {
    var object = JSONObject([
      ("name", .string(machine.name)),
      ("alias", machine.alias.map(JSON.string) ?? .null),
      ("isDefault", .bool(machine.isDefault)),
      ("deprecated", .bool(machine.isDeprecated)),
      ("pmDevice", machine.pmDevice.map(JSON.string) ?? .null),
    ])
    switch machine.outcome {
    case .failed(let message):
      object["error"] = .string(message)
    case .probed(_, let options):
      object["options"] = .object(
        JSONObject(options.sorted { $0.option < $1.option }.map { ($0.option.rawValue, option($0)) }))
    }
    return .object(object)
  }

  /// One option object: `{property, supported: true, default: true|false}` or
  /// `{supported: false, reason}`.
  public static func option(_ option: OptionCapability) -> JSON {
    if option.isSupported, let value = option.defaultValue {
      return .object(
        JSONObject([
          ("property", .string(option.property)), ("supported", .bool(true)), ("default", .bool(value)),
        ]))
    }
    return .object(JSONObject([("supported", .bool(false)), ("reason", .string(option.reason ?? "unsupported"))]))
  }
}
