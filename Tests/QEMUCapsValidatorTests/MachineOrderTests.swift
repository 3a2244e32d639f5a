import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// Suggestions name the newest machine type of a family whatever order the capability
/// data lists machine types in: a probe-cache entry grows in the order machine types
/// were first asked for (`validate --qemu` on pc-i440fx-5.2, then on pc-i440fx-11.0,
/// …), and a capability file may be written by hand.
@Suite("Machine suggestions do not depend on the order of the capability data")
struct MachineOrderTests {
  /// The QEMU 7.2 snapshot with its machine types in reverse order.
  static func reversed() throws -> Validator {
    let url = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.xml")
    var document = try CapabilityXMLReader.read(file: url.path)
    document.machines.reverse()
    return Validator(capabilities: document)
  }

  static func messages(_ validator: Validator, machine: String) throws -> [String] {
    let domain = """
      <domain type='kvm'>
        <os><type arch='x86_64' machine='\(machine)'>hvm</type></os>
        <features><acpi/></features>
      </domain>
      """
    return try validator.validate(domainXML: Array(domain.utf8), file: "guest.xml").diagnostics.map(\.message)
  }

  @Test("a deprecated machine type's hint names the newest current one of its family")
  func deprecatedHint() throws {
    let messages = try Self.messages(try Self.reversed(), machine: "pc-i440fx-1.7")
    #expect(messages.contains { $0.contains("pc-i440fx-7.2 is the newest of its family") }, "\(messages)")
  }

  @Test("an unknown machine type's suggestions start with the newest current one of its family")
  func unknownMachine() throws {
    let messages = try Self.messages(try Self.reversed(), machine: "pc-q35-9.9")
    #expect(messages.contains { $0.contains("closest of its family (pc-q35): pc-q35-7.2,") }, "\(messages)")
  }

  @Test("an unsupported option lists the current machine types that have it, newest first")
  func unsupportedOption() throws {
    let domain = """
      <domain type='kvm'>
        <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
        <features><acpi/></features>
        <pm><acpi-root-hotplug enabled='no'/></pm>
      </domain>
      """
    let forward = try Validator(
      capabilitiesFile: Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.xml").path)
    let file = "guest.xml"
    let expected = try forward.validate(domainXML: Array(domain.utf8), file: file).diagnostics.map(\.message)
    let actual = try Self.reversed().validate(domainXML: Array(domain.utf8), file: file).diagnostics.map(\.message)
    #expect(actual == expected)
  }
}
