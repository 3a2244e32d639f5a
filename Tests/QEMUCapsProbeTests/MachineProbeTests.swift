import Logging
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsTestSupport
import Testing

@testable import QEMUCapsProbe

/// A fake QMP peer that answers each command from a table, as a scripted QEMU.
enum ScriptedQEMU {
  /// An answer: a `return` value, or an error class and description.
  enum Answer {
    case value(JSON)
    case error(String, String)
  }

  /// Run `commands` through a real ``QMPClient`` against a peer answering with `answer`.
  static func run(_ commands: [QMPCommand], answer: @escaping (String, JSON?) -> Answer) throws -> [Result<
    JSON, QMPError
  >] {
    let peer = FakeQMPPeer { message in
      guard let name = message["execute"]?.stringValue else { return [] }
      if name == "qmp_capabilities" { return FakeQMPPeer.succeedAll(message) }
      switch answer(name, message["arguments"]) {
      case .value(let value): return [FakeQMPPeer.reply(to: message, return: value)]
      case .error(let errorClass, let description):
        return [FakeQMPPeer.error(to: message, class: errorClass, desc: description)]
      }
    }
    let client = QMPClient(transport: peer, logger: Logger(label: "test"))
    try client.negotiate()
    return try client.execute(commands)
  }
}

/// ``MachineProbe`` against scripted replies: no QEMU needed.
@Suite("Machine probe against a fake QMP peer")
struct MachineProbeTests {
  static let version = QEMUVersion(major: 7, minor: 2, micro: 22)
  static let bridge = HotplugOption.acpiHotplugBridge.property
  static let root = HotplugOption.acpiRootHotplug.property

  /// A started machine whose `/machine/acpi-device` is `device` with `properties` (name → value).
  static func machine(device: String?, properties: [String: JSON]) -> (String, JSON?) -> ScriptedQEMU.Answer {
    { name, arguments in
      guard let device else { return .error("DeviceNotFound", "Device '/machine/acpi-device' not found") }
      let property = arguments?["property"]?.stringValue ?? ""
      switch name {
      case "qom-get" where property == "type": return .value(.string(device))
      case "qom-get":
        return properties[property].map { .value($0) } ?? .error("GenericError", "Property '\(property)' not found")
      case "qom-list":
        return .value(.array(properties.keys.sorted().map { .object(JSONObject([("name", .string($0))])) }))
      default: return .error("CommandNotFound", name)
      }
    }
  }

  static func probe(_ answer: @escaping (String, JSON?) -> ScriptedQEMU.Answer, machine: String = "pc-q35-7.2")
    throws -> MachineCapabilities.Outcome
  {
    let results = try ScriptedQEMU.run(MachineProbe.commands, answer: answer)
    return try MachineProbe.interpret(results[...], machine: machine, qemuVersion: version)
  }

  @Test("a property the device has is supported with its live value; one it lacks is unsupported, saying why")
  func q35Like() throws {
    let outcome = try Self.probe(Self.machine(device: "ICH9-LPC", properties: [Self.bridge: false, "noreboot": true]))
    guard case .probed(let device, let options) = outcome else {
      Issue.record("expected a probed outcome, got \(outcome)")
      return
    }
    #expect(device == "ICH9-LPC")
    #expect(options[.acpiHotplugBridge] == .supported(default: false))
    guard case .unsupported(let reason)? = options[.acpiRootHotplug] else {
      Issue.record("expected acpi-root-hotplug unsupported, got \(String(describing: options[.acpiRootHotplug]))")
      return
    }
    #expect(reason.contains("pc-q35-7.2"))
    #expect(reason.contains("ICH9-LPC, has no property acpi-root-pci-hotplug in QEMU 7.2.22"))
  }

  @Test("both options on an i440fx-like device")
  func i440fxLike() throws {
    let outcome = try Self.probe(
      Self.machine(device: "PIIX4_PM", properties: [Self.bridge: true, Self.root: true]), machine: "pc-i440fx-7.2")
    #expect(
      outcome
        == .probed(
          pmDevice: "PIIX4_PM",
          options: [.acpiHotplugBridge: .supported(default: true), .acpiRootHotplug: .supported(default: true)]))
  }

  @Test("a machine without /machine/acpi-device has both options unsupported, saying so")
  func noDevice() throws {
    let outcome = try Self.probe(Self.machine(device: nil, properties: [:]), machine: "isapc")
    guard case .probed(nil, let options) = outcome else {
      Issue.record("expected a probed outcome without a device, got \(outcome)")
      return
    }
    #expect(options.count == HotplugOption.allCases.count)
    for (_, capability) in options {
      guard case .unsupported(let reason) = capability else {
        Issue.record("expected unsupported, got \(capability)")
        continue
      }
      #expect(reason.contains("machine type isapc has no ACPI PM device"))
    }
  }

  @Test(
    "answers that make no sense are errors naming the machine type",
    arguments: [
      ("a non-boolean option value", "expected a boolean"),
      ("a non-string device type", "expected a string"),
      ("a qom-list that is not an array", "expected an array"),
      ("an error reading a listed property", "reading ICH9-LPC.acpi-pci-hotplug-with-bridge-support failed"),
    ])
  func nonsense(case name: String, message: String) throws {
    let base = Self.machine(device: "ICH9-LPC", properties: [Self.bridge: false])
    let answer: (String, JSON?) -> ScriptedQEMU.Answer = { command, arguments in
      let property = arguments?["property"]?.stringValue
      switch (name, command, property) {
      case ("a non-boolean option value", "qom-get", Self.bridge): return .value("yes")
      case ("a non-string device type", "qom-get", "type"): return .value(1)
      case ("a qom-list that is not an array", "qom-list", _): return .value(.object(JSONObject()))
      case ("an error reading a listed property", "qom-get", Self.bridge): return .error("GenericError", "boom")
      default: return base(command, arguments)
      }
    }
    let error = #expect(throws: ProbeError.self) { try Self.probe(answer) }
    #expect(error?.code == .unexpectedReply)
    #expect(error?.message.contains("machine type pc-q35-7.2") == true, "\(String(describing: error))")
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
  }

  @Test("too few replies is an error")
  func replyCount() throws {
    let results = try ScriptedQEMU.run(
      Array(MachineProbe.commands.dropLast()), answer: Self.machine(device: "PIIX4_PM", properties: [:]))
    let error = #expect(throws: ProbeError.self) {
      try MachineProbe.interpret(results[...], machine: "pc", qemuVersion: Self.version)
    }
    #expect(error?.message.contains("expected \(MachineProbe.commands.count) replies") == true)
  }
}
