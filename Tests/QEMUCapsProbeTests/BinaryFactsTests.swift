import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsTestSupport
import Testing

@testable import QEMUCapsProbe

/// ``BinaryFacts`` against scripted replies of a `-machine none` QEMU: no QEMU needed.
@Suite("Binary facts against a fake QMP peer")
struct BinaryFactsTests {
  /// Replies of a small QEMU 7.2-like build; `override` replaces chosen answers.
  static func answers(
    _ override: [String: ScriptedQEMU.Answer] = [:]
  ) -> (String, JSON?) -> ScriptedQEMU.Answer {
    { name, arguments in
      let key = name + (arguments?["typename"]?.stringValue.map { " " + $0 } ?? "")
      if let answer = override[key] { return answer }
      switch key {
      case "query-version":
        return .value(
          try! JSON.parse(#"{"qemu": {"major": 7, "minor": 2, "micro": 22}, "package": "Debian 1:7.2+dfsg-7"}"#))
      case "query-target": return .value(try! JSON.parse(#"{"arch": "x86_64"}"#))
      case "query-machines":
        return .value(
          try! JSON.parse(
            #"[{"name": "pc-i440fx-7.2", "alias": "pc", "is-default": true}, {"name": "pc-i440fx-1.4", "deprecated": true}, {"name": "none"}]"#
          ))
      case "device-list-properties PIIX4_PM":
        return .value(
          try! JSON.parse(
            #"[{"name": "acpi-root-pci-hotplug", "type": "bool", "default-value": true}, {"name": "acpi-pci-hotplug-with-bridge-support", "type": "bool", "default-value": true}, {"name": "smb_io_base", "type": "uint32", "default-value": 0}]"#
          ))
      case "device-list-properties ICH9-LPC": return .error("DeviceNotFound", "Device 'ICH9-LPC' not found")
      case "query-command-line-options":
        return .value(
          try! JSON.parse(
            #"[{"option": "sandbox", "parameters": [{"name": "obsolete"}, {"name": "elevateprivileges"}, {"name": "spawn"}, {"name": "resourcecontrol"}, {"name": "enable"}]}]"#
          ))
      default: return .error("CommandNotFound", name)
      }
    }
  }

  static func facts(_ override: [String: ScriptedQEMU.Answer] = [:]) throws -> BinaryFacts {
    let results = try ScriptedQEMU.run(BinaryFacts.commands, answer: answers(override))
    return try BinaryFacts(results[...], binary: "/usr/bin/qemu-system-x86_64")
  }

  @Test("reads version, package, arch, machine types, device properties and sandbox support")
  func complete() throws {
    let facts = try Self.facts()
    #expect(facts.version == QEMUVersion(major: 7, minor: 2, micro: 22))
    #expect(facts.package == "Debian 1:7.2+dfsg-7")
    #expect(facts.arch == "x86_64")
    #expect(facts.machines.map(\.name) == ["pc-i440fx-7.2", "pc-i440fx-1.4", "none"])
    #expect(facts.machines[0].alias == "pc" && facts.machines[0].isDefault && !facts.machines[0].isDeprecated)
    #expect(facts.machines[1].isDeprecated && !facts.machines[1].isDefault)
    let piix = try #require(facts.devices.first { $0.type == "PIIX4_PM" })
    #expect(piix.isPresent)
    #expect(piix.properties.map(\.name) == piix.properties.map(\.name).sorted())
    #expect(piix.property("acpi-root-pci-hotplug")?.staticDefault == "true")
    #expect(piix.property("smb_io_base")?.staticDefault == "0")
    #expect(facts.devices.first { $0.type == "ICH9-LPC" }?.isPresent == false)
    #expect(facts.supportsSandbox)
  }

  @Test("a build without seccomp, or without one suboption, probes without the sandbox")
  func sandbox() throws {
    #expect(try !Self.facts(["query-command-line-options": .error("GenericError", "invalid option")]).supportsSandbox)
    let partial = try JSON.parse(#"[{"option": "sandbox", "parameters": [{"name": "obsolete"}, {"name": "spawn"}]}]"#)
    #expect(try !Self.facts(["query-command-line-options": .value(partial)]).supportsSandbox)
  }

  @Test(
    "missing or malformed facts are errors naming the binary",
    arguments: [
      (
        "query-version", ScriptedQEMU.Answer.error("GenericError", "no"), ProbeError.Code.binaryFacts,
        "query-version failed"
      ),
      ("query-version", .value(.object(JSONObject())), .unexpectedReply, "gave no version number"),
      ("query-target", .value(.object(JSONObject())), .unexpectedReply, "gave no arch"),
      ("query-machines", .value(.object(JSONObject())), .unexpectedReply, "did not return a list"),
      ("query-machines", .value(.array([.object(JSONObject())])), .unexpectedReply, "an entry without a name"),
      ("device-list-properties PIIX4_PM", .value(.string("x")), .unexpectedReply, "device-list-properties PIIX4_PM"),
    ])
  func failures(command: String, answer: ScriptedQEMU.Answer, code: ProbeError.Code, message: String) throws {
    let error = #expect(throws: ProbeError.self) { try Self.facts([command: answer]) }
    #expect(error?.code == code, "\(String(describing: error))")
    #expect(error?.message.contains("/usr/bin/qemu-system-x86_64") == true, "\(String(describing: error))")
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
  }
}
