import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsXML
import Testing

/// The capability file formats, on hand-built documents.
@Suite("Capability XML and JSON formats")
struct CapabilityFormatTests {
  static let info = SampleCapabilities.info
  static let document = SampleCapabilities.document

  @Test("machines come out in natural order")
  func naturalOrder() {
    let names = ["pc-q35-2.10", "pc-q35-2.9", "pc-q35-10.0", "isapc", "pc-q35-4.0.1", "pc-q35-4.0", "none"]
    #expect(
      names.sorted(by: NaturalOrder.precedes) == [
        "isapc", "none", "pc-q35-2.9", "pc-q35-2.10", "pc-q35-4.0", "pc-q35-4.0.1", "pc-q35-10.0",
      ])
    #expect(Self.document.machines.map(\.name) == ["isapc", "pc-i440fx-7.2", "xenfv"])
  }

  @Test("XML round-trips, strings with markup and control characters included")
  func xmlRoundTrip() throws {
    let xml = CapabilityXMLWriter.xml(Self.document)
    #expect(xml.contains("Debian &lt;&amp;'&quot;&gt; \\x01x"))
    let read = try CapabilityXMLReader.read(Array(xml.utf8), file: "memory.xml")
    #expect(read.qemu.package == "Debian <&'\"> \u{1}x")
    #expect(read == Self.document)
    #expect(CapabilityXMLWriter.xml(read) == xml)
  }

  @Test("JSON has exactly the documented shape")
  func jsonShape() throws {
    let json = CapabilityJSONWriter.json(Self.document)
    #expect(json.objectValue?.keys == ["schemaVersion", "qemu", "machines"])
    #expect(json["schemaVersion"] == 2)
    #expect(
      json["qemu"]?.objectValue?.keys == ["binary", "version", "package", "arch", "guestArchitectures", "accelerators"])
    #expect(json["qemu"]?["accelerators"] == .array(["kvm", "tcg"]))
    let machines = try #require(json["machines"]?.arrayValue)
    #expect(machines.map { $0["name"] } == ["isapc", "pc-i440fx-7.2", "xenfv"])
    let pc = machines[1]
    #expect(pc.objectValue?.keys == ["name", "alias", "isDefault", "deprecated", "pmDevice", "options"])
    #expect(pc["alias"] == "pc")
    #expect(pc["options"]?.objectValue?.keys == ["acpi-hotplug-bridge", "acpi-root-hotplug"])
    #expect(
      pc["options"]?["acpi-hotplug-bridge"]
        == ["property": "acpi-pci-hotplug-with-bridge-support", "supported": true, "default": false])
    let isapc = machines[0]
    #expect(isapc["alias"] == .null)
    #expect(isapc["pmDevice"] == .null)
    #expect(isapc["options"]?["acpi-root-hotplug"] == ["supported": false, "reason": "none"])
    let xen = machines[2]
    // No pmDevice: the probe failed, so whether it has one is unknown (null would say it has none).
    #expect(xen.objectValue?.keys == ["name", "alias", "isDefault", "deprecated", "error"])
    #expect(xen["options"] == nil)
    // Through json-c and back.
    #expect(try JSON.parse(json.serialized(.pretty)) == json)
  }

  @Test("schema version 1 files still read, without guest architectures and accelerators")
  func schemaVersion1() throws {
    let xml = CapabilityXMLWriter.xml(Self.document)
    let version1 = xml.replacingOccurrences(of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
      .replacing(#/\n *<(guestArch|accelerator) name="[^"]*"\/>/#, with: "")
      .replacingOccurrences(of: "arch=\"x86_64\">\n  </qemu>", with: "arch=\"x86_64\"/>")
    #expect(!version1.contains("guestArch") && !version1.contains("</qemu>"), "\(version1)")
    let read = try CapabilityXMLReader.read(Array(version1.utf8), file: "v1.xml")
    #expect(read.qemu.guestArchitectures == nil)
    #expect(read.qemu.accelerators == nil)
    #expect(read.machines == Self.document.machines)
    // Written again, it is a version 2 file without the new elements.
    #expect(CapabilityXMLWriter.xml(read).contains("schemaVersion=\"2\""))

    let misplaced = xml.replacingOccurrences(of: "schemaVersion=\"2\"", with: "schemaVersion=\"1\"")
    let error = #expect(throws: XMLError.self) { try CapabilityXMLReader.read(Array(misplaced.utf8), file: "v1.xml") }
    #expect(error?.message.contains("<guestArch> needs schema version 2") == true, "\(String(describing: error))")
  }

  @Test(
    "bad capability files are errors naming the file and line",
    arguments: [
      ("<domain/>", "root element is <domain>", 1),
      ("<qemuCapabilities schemaVersion='3'/>", "schema version 3 is not supported", 1),
      ("<qemuCapabilities schemaVersion='1'>\n<generator/>", "not well-formed", 2),
      ("not xml at all", "not well-formed", 1),
      ("<qemuCapabilities schemaVersion='1'>\n</qemuCapabilities>", "lacks the element <generator>", 1),
      (
        "<qemuCapabilities schemaVersion='1'>\n<generator name='qemu-caps' version='0'/>\n<binary path='/q' size='1' mtime='-001-01-01T00:00:00Z' sha256='00'/>\n<qemu version='7.2.0' package='' arch='x86_64'/>\n</qemuCapabilities>",
        "is not a time like", 3
      ),
    ])
  func badFiles(text: String, message: String, line: Int) {
    let error = #expect(throws: XMLError.self) {
      try CapabilityXMLReader.read(Array(text.utf8), file: "bad.xml")
    }
    #expect(error?.description.hasPrefix("bad.xml:\(line):") == true, "\(String(describing: error))")
    #expect(error?.message.contains(message) == true, "\(String(describing: error))")
  }

  @Test("the probe's JSON given as a capability file is named as such, not as malformed XML")
  func jsonIsNotCapabilityXML() throws {
    let json = Array((CapabilityJSONWriter.json(Self.document).serialized(.pretty) + "\n").utf8)
    // Before: "caps.json:1: not well-formed XML: Start tag expected, '<' not found".
    let error = #expect(throws: XMLError.self) {
      try CapabilityXMLReader.read(Array("\n  ".utf8) + json, file: "caps.json")
    }
    #expect(error?.code == .invalid)
    #expect(
      error?.description
        == "caps.json: it holds JSON (the probe's JSON output), not a capability file: capability files are read in their XML form; probe again with the XML format",
      "\(String(describing: error))")
  }

  @Test("a DOCTYPE or entity is refused, so no file is read into the document")
  func refusesEntities() {
    let text = """
      <?xml version="1.0"?>
      <!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <qemuCapabilities schemaVersion="1">&x;</qemuCapabilities>
      """
    let error = #expect(throws: XMLError.self) { try CapabilityXMLReader.read(Array(text.utf8), file: "evil.xml") }
    #expect(error?.code == .forbiddenConstruct)
    #expect(error?.description.contains("root:") == false)
  }

  @Test("a damaged option is an error with its line")
  func damagedOption() throws {
    let xml = CapabilityXMLWriter.xml(Self.document).replacingOccurrences(
      of: "default=\"off\"", with: "default=\"maybe\"")
    let error = #expect(throws: XMLError.self) { try CapabilityXMLReader.read(Array(xml.utf8), file: "x.xml") }
    #expect(error?.message.contains("'maybe' is neither 'on' nor 'off'") == true)
    #expect(error?.line != nil)
  }
}
