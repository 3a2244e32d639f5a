import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `validate --json`'s `effective` and `validate --explain`, end to end.
@Suite("qemu-caps validate: effective values")
struct ValidateEffectiveCLITests {
  static let caps = Fixtures.capabilitiesData("qemu-7.2.22.xml")
  static let options = ["acpi-hotplug-bridge", "acpi-root-hotplug"]

  /// A domain on `machine` with `devices` and `<features>` holding `<acpi/>` unless `acpi` is false.
  static func domain(_ machine: String, acpi: Bool = true, devices: String = "") -> String {
    """
    <domain type='qemu'>
      <name>g</name>
      <memory>65536</memory>
      <os><type arch='x86_64' machine='\(machine)'>hvm</type></os>
      \(acpi ? "<features><acpi/></features>" : "")
      <devices>
        \(devices)
      </devices>
    </domain>

    """
  }

  /// The default of `option` on `machine`, as `lookup --json` reads it from the same capability file.
  static func lookupDefault(_ machine: String, _ option: String) throws -> JSON? {
    let result = try Command.qemuCaps(["lookup", "--caps", caps, "--machine", machine, "--json"]).expect(status: 0)
    return try JSON.parse(result.standardOutput)["machine"]?["options"]?[option]?["default"]
  }

  @Test("every corpus verdict has effective, in option order, null exactly when the machine did not resolve")
  func corpusShape() throws {
    let corpus = Fixtures.repositoryRoot.appendingPathComponent("Tests/QEMUCapsValidatorTests/Corpus")
    var outputs: [String] = []
    var sources: Set<String> = []
    for folder in try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted() {
      let fixture = corpus.deletingLastPathComponent().appendingPathComponent("Fixtures/\(folder).xml").path
      let caps = FileManager.default.fileExists(atPath: fixture) ? fixture : Fixtures.capabilitiesData("\(folder).xml")
      let directory = corpus.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      where name.hasSuffix(".xml") {
        let result = try Command.qemuCaps(
          ["validate", directory.appendingPathComponent(name).path, "--caps", caps, "--json"])
        let json = try JSON.parse(result.standardOutput)
        outputs.append(result.standardOutput)
        guard json["error"] == nil else { continue }
        #expect(json["schemaVersion"] == 2)
        let effective = try #require(json["effective"], "\(folder)/\(name)")
        #expect((effective == .null) == (json["machine"] == .null), "\(folder)/\(name)")
        guard effective != .null else { continue }
        #expect(effective.objectValue?.keys == Self.options, "\(folder)/\(name)")
        for option in Self.options {
          let value = try #require(effective[option])
          let source = try #require(value["source"]?.stringValue)
          sources.insert(source)
          let keys = source == "domain" ? ["value", "source", "line", "spelling"] : ["value", "source"]
          #expect(value.objectValue?.keys == keys, "\(folder)/\(name) \(option)")
          if source == "unsupported" || source == "unknown" { #expect(value["value"] == .null) }
        }
      }
    }
    #expect(sources == ["domain", "default", "unsupported", "unknown"])
    #expect(outputs.count >= 40)
    #expect(try JSONSchema.violations(of: outputs, schema: "validate") == [], "\(outputs.count) outputs")
  }

  @Test("--json: a pci-root <target hotplug> is the root option's value, the bridge option the machine's default")
  func json() throws {
    try TemporaryDirectory.with("effective") { directory in
      let file = directory.appendingPathComponent("guest.xml")
      try Self.domain(
        "pc-i440fx-7.2",
        devices: "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>"
      ).write(to: file, atomically: true, encoding: .utf8)
      let result = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--json"]).expect(status: 0)
      let json = try JSON.parse(result.standardOutput)
      #expect(json.objectValue?.keys == ["schemaVersion", "valid", "machine", "diagnostics", "qemuArgs", "effective"])
      #expect(
        json["effective"]?["acpi-root-hotplug"]
          == JSON.object(
            JSONObject([
              ("value", .bool(false)), ("source", "domain"), ("line", 7),
              ("spelling", "<controller model='pci-root'><target hotplug>"),
            ])))
      let bridge = try #require(try Self.lookupDefault("pc-i440fx-7.2", "acpi-hotplug-bridge"))
      #expect(
        json["effective"]?["acpi-hotplug-bridge"]
          == JSON.object(JSONObject([("value", bridge), ("source", "default")])))
      #expect(try JSONSchema.violations(of: result.standardOutput, schema: "validate") == [])
    }
  }

  @Test("--explain: one line per option on stderr, after the findings; stdout keeps only the arguments")
  func explain() throws {
    try TemporaryDirectory.with("effective") { directory in
      let file = directory.appendingPathComponent("guest.xml")
      try Self.domain(
        "pc-i440fx-7.2",
        devices: "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>"
      ).write(to: file, atomically: true, encoding: .utf8)
      let result = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--explain"]).expect(status: 0)
      #expect(result.standardOutput == "-global PIIX4_PM.acpi-root-pci-hotplug=off\n")
      let bridge = try #require(try Self.lookupDefault("pc-i440fx-7.2", "acpi-hotplug-bridge")?.boolValue)
      #expect(
        result.standardError == """
          \(file.path): effective: acpi-hotplug-bridge=\(bridge ? "on" : "off") (default of machine type pc-i440fx-7.2)
          \(file.path): effective: acpi-root-hotplug=off (set by <controller model='pci-root'><target hotplug> on line 7)

          """)
      // Without <acpi/>, i440fx has no PIIX4_PM; q35 lacks the root property; an unknown machine type.
      try Self.domain("pc-i440fx-7.2", acpi: false).write(to: file, atomically: true, encoding: .utf8)
      let off = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--explain"]).expect(status: 0)
      #expect(
        off.standardError.contains(
          "effective: acpi-root-hotplug: absent (<features> has no <acpi/>, so machine type pc-i440fx-7.2 starts with ACPI off, and QEMU then creates no PIIX4_PM)\n"
        ), "\(off.standardError)")
      try Self.domain("pc-q35-7.2").write(to: file, atomically: true, encoding: .utf8)
      let q35 = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--explain"]).expect(status: 0)
      #expect(
        q35.standardError.hasSuffix(
          "effective: acpi-root-hotplug: absent (the ACPI PM device of machine type pc-q35-7.2, ICH9-LPC, has no property acpi-root-pci-hotplug in QEMU 7.2.22)\n"
        ), "\(q35.standardError)")
      try Self.domain("pc-i440fx-0.1").write(to: file, atomically: true, encoding: .utf8)
      let unknown = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--explain"]).expect(status: 1)
      #expect(
        unknown.standardError.hasSuffix(
          "\(file.path): effective: none: the domain's machine type did not resolve, so nothing is known of the started guest\n"
        ), "\(unknown.standardError)")
      // --quiet keeps errors only, so no effective lines.
      let quiet = try Command.qemuCaps(["validate", file.path, "--caps", Self.caps, "--explain", "--quiet"])
      #expect(!quiet.standardError.contains("effective:"))
    }
  }
}
