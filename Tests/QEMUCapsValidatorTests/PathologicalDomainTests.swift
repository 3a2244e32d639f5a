import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// Domain XML up to the 10 MiB limit is validated in bounded time: shapes that make
/// libxml2 or the rules do the most work per byte.
@Suite("Pathological domain XML", .serialized)
struct PathologicalDomainTests {
  static let validator: Validator? = try? Validator(
    capabilitiesFile: Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.xml").path)

  static let head =
    "<domain type='kvm'><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os><features><acpi/>"
  static let limit = DomainReader.maximumSize - 4096

  /// A domain of about 10 MiB made of `unit` repeated; `inFeatures` places it under <features>.
  static func domain(_ unit: String, inFeatures: Bool = false) -> [UInt8] {
    let body = String(repeating: unit, count: limit / unit.utf8.count)
    let text =
      inFeatures
      ? head + body + "</features><devices/></domain>" : head + "</features><devices>" + body + "</devices></domain>"
    return Array(text.utf8)
  }

  static let shapes: [(String, String, Bool)] = [
    ("64 attributes on every element", "<x " + (0..<64).map { "a\($0)=''" }.joined(separator: " ") + "/>", false),
    (
      "64 namespace declarations on every element",
      "<x " + (0..<64).map { "xmlns:n\($0)='u'" }.joined(separator: " ") + "/>", false
    ),
    (
      "devices requiring hotplug on bus 0",
      "<interface type='network'><hotplug require='yes'/><address type='pci' bus='0x00'/></interface>", false
    ),
    (
      "pci-root controllers with hotplug",
      "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>", false
    ),
    // libvirt numbers each one with the lowest free index: a fresh scan per
    // controller was quadratic (over 60 s at 10 MiB).
    ("PCI controllers without an index", "<controller type='pci' model='pci-bridge'/>", false),
    ("repeated bridge settings", "<pci><acpi-bridge-hotplug state='off'/></pci>", true),
    ("nesting 250 deep, repeated", String(repeating: "<a>", count: 250) + String(repeating: "</a>", count: 250), false),
    ("CDATA sections and text", "<t><![CDATA[x]]>y</t>", false),
  ]

  /// Release builds take under 0.6 s for each shape on a 2-core machine (docs/reliability.md);
  /// the debug build used by `swift test` is about twice as slow. The bound is on the
  /// thread's CPU time, which other processes on a shared machine do not inflate; a
  /// quadratic parse (9 s for 80,000 attributes before the pre-scan) still exceeds it.
  static let bound = 3.0

  /// CPU seconds this thread has used.
  static func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  @Test("each 10 MiB shape validates in bounded time", arguments: shapes.map(\.0))
  func shape(name: String) throws {
    let validator = try #require(Self.validator)
    let shape = try #require(Self.shapes.first { $0.0 == name })
    let bytes = Self.domain(shape.1, inFeatures: shape.2)
    #expect(bytes.count <= DomainReader.maximumSize)
    let start = Self.threadCPUSeconds()
    var refusal: String?
    do {
      _ = try validator.validate(domainXML: bytes, file: "pathological.xml")
    } catch {
      refusal = error.description
    }
    let elapsed = Self.threadCPUSeconds() - start
    #expect(elapsed < Self.bound, "\(name): \(elapsed) CPU seconds")
    // Every shape is validated in full, except where libxml2 itself gives up; that
    // refusal names the file and says why.
    if Self.refusedByLibxml2.contains(name) {
      #expect(
        refusal?.hasPrefix("pathological.xml") == true && refusal?.contains("10,000,000") == true,
        "\(name): \(refusal ?? "validated")")
    } else {
      #expect(refusal == nil, "\(name): \(refusal ?? "")")
    }
  }

  /// Shapes libxml2 refuses under the 10 MiB limit: its parser, without the "huge"
  /// option, will not keep more than 10,000,000 bytes of a line it cannot release.
  static let refusedByLibxml2: Set = ["64 namespace declarations on every element"]

  @Test("80,000 attributes on one element are refused at once, naming the line")
  func manyAttributes() throws {
    let validator = try #require(Self.validator)
    let element = "<x " + (0..<80_000).map { "a\($0)=''" }.joined(separator: " ") + "/>"
    let bytes = Array((Self.head + "</features>\n<devices>\n" + element + "</devices></domain>").utf8)
    let start = Self.threadCPUSeconds()
    #expect {
      _ = try validator.validate(domainXML: bytes, file: "attributes.xml")
    } throws: { error in
      guard let error = error as? XMLError else { return false }
      return error.code == .tooLarge && error.line == 3 && error.message.contains("more than 64 attributes")
    }
    #expect(Self.threadCPUSeconds() - start < 0.5)
  }

  @Test("a domain over 10 MiB is refused, as virsh refuses it")
  func sizeLimit() throws {
    let validator = try #require(Self.validator)
    let bytes = Array(
      (Self.head + "</features>" + String(repeating: " ", count: DomainReader.maximumSize) + "</domain>").utf8)
    #expect(throws: XMLError.self) { _ = try validator.validate(domainXML: bytes, file: "big.xml") }
  }
}
