import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// Capability files are data, not code: names must be QOM names, and QEMU arguments
/// are built only from validated tokens.
@Suite("Hostile capability files")
struct HostileCapabilityTests {
  static let snapshot = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data/qemu-7.2.22.xml")
  static let machineLine =
    #"<machine name="pc-i440fx-7.2" alias="pc" default="yes" deprecated="no" status="probed" pmDevice="PIIX4_PM">"#

  static let domain = Array(
    """
    <domain type='kvm'>
      <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
      <features><acpi/></features>
      <pm><acpi-hotplug-bridge enabled='no'/><acpi-root-hotplug enabled='no'/></pm>
    </domain>
    """.utf8)

  /// The snapshot with the pc-i440fx-7.2 line's pmDevice replaced by `value` (XML-escaped).
  static func capabilities(pmDevice value: String) throws -> [UInt8] {
    let text = try String(contentsOf: snapshot, encoding: .utf8)
    let escaped = value.markupEscaped { "\"\n\t".unicodeScalars.contains($0) }
    let line = machineLine.replacingOccurrences(of: #"pmDevice="PIIX4_PM""#, with: "pmDevice=\"\(escaped)\"")
    let changed = text.replacingOccurrences(of: machineLine, with: line)
    #expect(changed != text || value == "PIIX4_PM")
    return Array(changed.utf8)
  }

  @Test(
    "a pmDevice with a newline and more words is refused, naming the file and line",
    arguments: [
      "PIIX4_PM\n-chardev socket,id=x,path=/tmp/x", "PIIX4_PM -chardev", "PIIX4_PM,x=y", "-PIIX4_PM", "",
      "a=b", "PIIX4_PM/x",
    ])
  func hostilePMDevice(value: String) throws {
    let bytes = try Self.capabilities(pmDevice: value)
    let text = try String(contentsOf: Self.snapshot, encoding: .utf8)
    let machineLineNumber = try #require(text.components(separatedBy: Self.machineLine).first)
      .split(separator: "\n", omittingEmptySubsequences: false).count
    #expect {
      _ = try CapabilityXMLReader.read(bytes, file: "hostile.xml")
    } throws: { error in
      guard let error = error as? XMLError else { return false }
      return error.code == .invalid && error.line == machineLineNumber && error.message.contains("pmDevice")
    }
  }

  @Test(
    "hostile names anywhere are refused",
    arguments: [
      (#"<machine name="pc-i440fx-7.2""#, #"<machine name="pc-i440fx-7.2 -daemonize""#),
      (#"alias="pc" default="yes""#, #"alias="pc,accel=kvm" default="yes""#),
      (#"<device type="PIIX4_PM""#, #"<device type="PIIX4_PM -S""#),
      (#"<qemu version="7.2.22""#, #"<qemu version="7.2.22 -x""#),
      (#"<binary path="#, #"<binary size="-1" path="#),
    ])
  func hostileNames(original: String, replacement: String) throws {
    let text = try String(contentsOf: Self.snapshot, encoding: .utf8)
    let changed = text.replacingOccurrences(of: original, with: replacement)
    #expect(changed != text)
    #expect(throws: XMLError.self) { _ = try CapabilityXMLReader.read(Array(changed.utf8), file: "hostile.xml") }
  }

  @Test(
    "an alias on two machine types, an alias that is its own or another machine type's name, or two defaults are refused, each with its own message",
    arguments: [
      (#"<machine name="pc-q35-7.2" alias="q35""#, #"<machine name="pc-q35-7.2" alias="pc""#, "given to machine types"),
      (
        #"<machine name="pc-q35-7.2" alias="q35""#, #"<machine name="pc-q35-7.2" alias="pc-i440fx-7.1""#,
        "is the name of another machine type"
      ),
      (
        #"<machine name="pc-q35-7.2" alias="q35""#, #"<machine name="pc-q35-7.2" alias="pc-q35-7.2""#,
        "the alias of machine type pc-q35-7.2 is its own name"
      ),
      (
        #"<machine name="pc-q35-7.2" alias="q35" default="no""#,
        #"<machine name="pc-q35-7.2" alias="q35" default="yes""#,
        "both marked default"
      ),
    ])
  func ambiguousMachines(original: String, replacement: String, expected: String) throws {
    let text = try String(contentsOf: Self.snapshot, encoding: .utf8)
    let changed = text.replacingOccurrences(of: original, with: replacement)
    #expect(changed != text)
    #expect {
      _ = try CapabilityXMLReader.read(Array(changed.utf8), file: "ambiguous.xml")
    } throws: { error in
      guard let error = error as? XMLError else { return false }
      // The line of the later row: the reader names where the file breaks the rule.
      let line = changed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains(#"<machine name="pc-q35-7.2""#)
      }
      return error.code == .invalid && error.line == line.map { $0 + 1 } && error.message.contains(expected)
        && !(expected.contains("own name") && error.message.contains("another machine type"))
    }
  }

  @Test("real distribution names are accepted: pc-q35-rhel9.6.0, pc-i440fx-focal, names with '+'")
  func distributionNames() throws {
    for name in ["pc-q35-rhel9.6.0", "pc-i440fx-focal", "pc-q35-8.2+vendor", "PIIX4_PM"] {
      _ = try CapabilityXMLReader.read(try Self.capabilities(pmDevice: name), file: "ok.xml")
    }
  }

  @Test("no capability file can add an argv word: 3,000 generated pmDevice values")
  func noArgumentInjection() throws {
    let pieces = [
      "PIIX4_PM", "ICH9-LPC", "a", "9", "-", "_", ".", "+", " ", "\n", "\t", ",", "=", "-chardev", "\u{1B}", "'",
      "\"", "<", "&", "\\", "/", ":", "é", "\u{0}", "[", "]",
    ]
    var state: UInt64 = 42
    var accepted = 0
    let wordPattern = try Regex(
      #"^[A-Za-z0-9_.+-]+\.(acpi-pci-hotplug-with-bridge-support|acpi-root-pci-hotplug)=(on|off)$"#)
    for iteration in 0..<3000 {
      var value = ""
      // Half the values draw only from the first eight (safe) pieces, so many are accepted.
      let choices = iteration % 2 == 0 ? 8 : pieces.count
      for _ in 0..<(1 + Int(state % 4)) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        value += pieces[Int((state >> 33) % UInt64(choices))]
      }
      let validator: Validator
      do {
        validator = Validator(
          capabilities: try CapabilityXMLReader.read(try Self.capabilities(pmDevice: value), file: "generated.xml"))
      } catch {
        continue
      }
      accepted += 1
      let arguments = try validator.validate(domainXML: Self.domain, file: "domain.xml").qemuArguments
      #expect(arguments.count % 2 == 0)
      for (index, word) in arguments.enumerated() {
        if index % 2 == 0 {
          #expect(word == "-global", "pmDevice \(value.debugDescription)")
        } else {
          #expect(word.wholeMatch(of: wordPattern) != nil, "pmDevice \(value.debugDescription) gave \(word)")
          #expect(word.hasPrefix(value + "."), "pmDevice \(value.debugDescription) gave \(word)")
        }
      }
    }
    #expect(accepted > 300, "too few generated values were valid names to test anything")
  }
}
