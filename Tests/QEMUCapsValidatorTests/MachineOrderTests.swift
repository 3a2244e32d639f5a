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
    var document = try CapabilityXMLReader.read(file: Fixtures.capabilitiesData("qemu-7.2.22.xml"))
    document.machines.reverse()
    return Validator(capabilities: document)
  }

  /// The diagnostics of a domain of machine type `machine` with `pm` (a `<pm>` element, or nothing).
  static func messages(_ validator: Validator, machine: String, pm: String = "") throws -> [String] {
    let domain = """
      <domain type='kvm'>
        <os><type arch='x86_64' machine='\(machine)'>hvm</type></os>
        <features><acpi/></features>\(pm)
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
    let forward = try Validator(capabilitiesFile: Fixtures.capabilitiesData("qemu-7.2.22.xml"))
    let pm = "<pm><acpi-root-hotplug enabled='no'/></pm>"
    let expected = try Self.messages(forward, machine: "pc-q35-7.2", pm: pm)
    #expect(try Self.messages(Self.reversed(), machine: "pc-q35-7.2", pm: pm) == expected)
  }
}
