import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// The output contract of every command (docs/cli.md, "Output for scripts"): stdout carries
/// only the result, stderr everything else; `--json` prints one object, also on errors.
@Suite("output contract: stdout, stderr, --json, --quiet")
struct OutputContractTests {
  static let data = Fixtures.capabilitiesData()
  static let caps = "\(data)/qemu-7.2.22.xml"

  /// The versions of the committed snapshots (capabilities-data/qemu-VERSION.xml).
  static var snapshots: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []
    return names.filter { $0.hasPrefix("qemu-") && $0.hasSuffix(".xml") }.map { String($0.dropFirst(5).dropLast(4)) }
      .sorted()
  }

  /// Parse stdout as exactly one JSON object and check it against `schema`.
  @discardableResult
  static func checkJSON(_ result: Command.Result, schema: String) throws -> JSON {
    let json = try JSON.parse(result.standardOutput)
    #expect(json.objectValue != nil, "not one JSON object: \(result.standardOutput)")
    #expect(json["schemaVersion"]?.intValue != nil, "no schemaVersion: \(result.standardOutput)")
    #expect(try JSONSchema.violations(of: result.standardOutput, schema: schema) == [])
    return json
  }

  @Test("validate: stdout is one -global pair per line or nothing; every finding goes to stderr")
  func validateSplit() throws {
    let noOptions = try Command.qemuCaps(["validate", Fixtures.domain("no-options"), "--caps", Self.caps]).expect(
      status: 0)
    #expect(noOptions.standardOutput == "")
    let invalid = try Command.qemuCaps(["validate", Fixtures.domain("q35-root-hotplug-pm"), "--caps", Self.caps])
      .expect(
        status: 1)
    #expect(invalid.standardOutput == "")
    #expect(invalid.standardError.contains("\(Fixtures.domain("q35-root-hotplug-pm")):11: error: "))
    for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.domainCorpus.path).sorted()
    where name.hasSuffix(".xml") && !name.hasPrefix("broken-") {
      let result = try Command.qemuCaps([
        "validate", Fixtures.domainCorpus.appendingPathComponent(name).path, "--caps", Self.caps,
      ])
      for line in result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        #expect(
          line.wholeMatch(of: /-global [A-Za-z0-9_-]+\.[a-z0-9-]+=(on|off)/) != nil, "\(name): stdout line '\(line)'")
      }
      #expect(result.standardOutput.isEmpty || result.standardOutput.hasSuffix("\n"))
      for line in result.standardError.split(separator: "\n") {
        #expect(
          line.contains(/^[^:]+\.xml:([0-9]+:)? (error|warning|note): .* \[[a-z0-9.-]+\]$/),
          "\(name): stderr line '\(line)'")
      }
    }
  }

  @Test("validate takes a directory with --qemu-version, and asks for one when several builds are there")
  func validateDirectory() throws {
    let domain = Fixtures.domain("q35-6.0-bridge-off-default")
    let chosen = try Command.qemuCaps(["validate", domain, "--caps", Self.data, "--qemu-version", "7.2"]).expect(
      status: 0)
    #expect(chosen.standardOutput == "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off\n")
    let ambiguous = try Command.qemuCaps(["validate", domain, "--caps", Self.data]).expect(status: 2)
    #expect(ambiguous.standardOutput == "")
    #expect(ambiguous.standardError.contains("7.2.22"))
    #expect(ambiguous.standardError.hasSuffix("; choose one with --qemu-version\n"), "\(ambiguous.standardError)")
    let missing = try Command.qemuCaps(["validate", domain, "--caps", Self.data, "--qemu-version", "3.1"]).expect(
      status: 2)
    #expect(missing.standardError.contains("no capability file for QEMU 3.1"))
  }

  @Test("validate reads the same inputs as lookup: --caps or --qemu, not both")
  func validateInputs() throws {
    let domain = Fixtures.domain("no-options")
    let result = try Command.qemuCaps(["validate", domain, "--caps", Self.caps, "--qemu", "qemu-system-x86_64"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("give one of --caps FILE|DIR and --qemu BIN, not both"))
  }

  @Test("--json prints exactly one object, also on errors, with error.code and error.message")
  func jsonErrors() throws {
    let cases: [([String], String, String)] = [
      (["validate", "/no/such/domain.xml", "--caps", Self.caps, "--json"], "validate", "xml.unreadable"),
      (["validate", Fixtures.domain("broken-not-xml"), "--caps", Self.caps, "--json"], "validate", "xml.malformed"),
      (
        ["validate", Fixtures.domain("no-options"), "--caps", "/no/such.xml", "--json"], "validate", "lookup.unreadable"
      ),
      (
        ["validate", Fixtures.domain("no-options"), "--caps", Self.data, "--json"], "validate",
        "lookup.ambiguous-version"
      ),
      (["validate", "--json"], "validate", "usage"),
      (["lookup", "--caps", Self.caps, "--machine", "pc-q35-99.0", "--json"], "lookup", "lookup.unknown-machine"),
      (
        ["lookup", "--caps", Self.caps, "--machine", "pc", "--option", "x", "--json"], "lookup", "lookup.unknown-option"
      ),
      (
        ["lookup", "--caps", Self.data, "--qemu-version", "3", "--machine", "pc", "--json"], "lookup",
        "lookup.no-matching-version"
      ),
      (["diff", "/no/such.xml", Self.caps, "--json"], "diff", "lookup.unreadable"),
      (
        ["diff", Self.data, Self.data, "--old-version", "7.2", "--new-version", "7.", "--json"], "diff",
        "lookup.bad-version"
      ),
      (
        ["validate", Fixtures.domain("no-options"), "--caps", Self.data, "--qemu-version", "", "--json"], "validate",
        "lookup.bad-version"
      ),
      (["list", "--caps", "/no/such.xml", "--json"], "list", "lookup.unreadable"),
      (["list", "--caps", Self.data, "--qemu-version", "3", "--json"], "list", "lookup.no-matching-version"),
      (["probe", "--qemu", "/no/such/qemu", "--format", "json"], "probe", "qemu.bad-binary"),
    ]
    for (arguments, schema, code) in cases {
      let result = try Command.qemuCaps(arguments)
      #expect(result.status != 0 && result.status != 1, "\(arguments)")
      let json = try Self.checkJSON(result, schema: schema)
      #expect(json.objectValue?.keys == ["schemaVersion", "error"], "\(arguments)")
      #expect(json["error"]?["code"] == .string(code), "\(arguments): \(result.standardOutput)")
      let message = try #require(json["error"]?["message"]?.stringValue)
      #expect(result.standardError.contains("qemu-caps: error: \(message)"), "\(arguments)")
    }
  }

  @Test(
    "option aliases: QEMU property names and libvirt's spellings answer like the canonical name",
    arguments: [
      ("acpi-hotplug-bridge", ["acpi-pci-hotplug-with-bridge-support", "acpi-bridge-hotplug"]),
      ("acpi-root-hotplug", ["acpi-root-pci-hotplug", "piix4.acpi-root-pci-hotplug"]),
    ])
  func optionAliases(canonical: String, aliases: [String]) throws {
    for machine in ["pc-i440fx-1.7", "pc-q35-6.1"] {
      let base = ["lookup", "--caps", Self.caps, "--machine", machine, "--option"]
      let expected = try Command.qemuCaps(base + [canonical])
      #expect(expected.standardOutput.contains(canonical))
      for alias in aliases {
        let result = try Command.qemuCaps(base + [alias])
        #expect(result.status == expected.status, "\(alias) on \(machine)")
        #expect(result.standardOutput == expected.standardOutput, "\(alias) on \(machine)")
      }
    }
    let help = try Command.qemuCaps(["lookup", "--help"])
    for alias in aliases { #expect(help.standardOutput.contains(alias)) }
  }

  @Test("--quiet keeps errors only: no failed-machine warnings, no validator notes; errors stay")
  func quiet() throws {
    let replay = "\(Self.data)/qemu-5.2.0.transcripts"
    let loud = try Command.qemuCaps(["probe", "--replay", replay, "--format", "json"]).expect(status: 0)
    #expect(loud.standardError.contains("qemu-caps: warning: machine type xenfv-3.1 failed: "))
    for flags in [["--quiet"], ["-q"], ["--log-level", "critical"], ["--log-level", "error"]] {
      let quiet = try Command.qemuCaps(["probe", "--replay", replay, "--format", "json"] + flags).expect(status: 0)
      #expect(quiet.standardError == "")
      #expect(quiet.standardOutput == loud.standardOutput)
    }
    let note = try Command.qemuCaps(
      ["validate", Fixtures.domain("q35-6.0-bridge-off-default"), "--caps", Self.caps, "-q"]).expect(status: 0)
    #expect(note.standardError == "")
    let invalid = try Command.qemuCaps(
      ["validate", Fixtures.domain("q35-root-hotplug-pm"), "--caps", Self.caps, "-q"]).expect(status: 1)
    #expect(invalid.standardError.contains(": error: "))
    #expect(!invalid.standardError.contains(": note: ") && !invalid.standardError.contains(": warning: "))
    let broken = try Command.qemuCaps(["lookup", "--caps", "/no/such.xml", "--machine", "pc", "--quiet"]).expect(
      status: 2)
    #expect(broken.standardError.hasPrefix("qemu-caps: error: "))
    for command in ["probe", "validate", "lookup", "diff", "qmp", "convert", "list", "report"] {
      let help = try Command.qemuCaps([command, "--help"])
      #expect(help.standardOutput.contains("--quiet"), "\(command)")
      #expect(help.standardOutput.contains("--log-level"), "\(command)")
    }
  }

  @Test("diff with a directory asks for its own flag, not another command's")
  func diffDirectory() throws {
    let ambiguous = try Command.qemuCaps(["diff", Self.data, Self.caps]).expect(status: 2)
    #expect(ambiguous.standardError.hasSuffix("; choose one with --old-version\n"), "\(ambiguous.standardError)")
    #expect(!ambiguous.standardError.contains("--qemu-version"))
    let chosen = try Command.qemuCaps([
      "diff", Self.data, Self.data, "--old-version", "7.2", "--new-version", "7.2.22",
    ]).expect(status: 0)
    #expect(chosen.standardOutput == "no differences\n")
  }

  @Test("diff shows a missing alias as (none) in text and null in JSON, flags as booleans")
  func diffValues() throws {
    let text = try Command.qemuCaps(
      ["diff", "\(Self.data)/qemu-7.2.22.xml", "\(Self.data)/qemu-10.0.13.xml"]).expect(status: 1)
    #expect(!text.standardOutput.contains("-> none") && !text.standardOutput.contains("none ->"))
    #expect(text.standardOutput.contains("~ pc-i440fx-7.2 alias: pc -> (none)"), "\(text.standardOutput)")
    let result = try Command.qemuCaps([
      "diff", "\(Self.data)/qemu-7.2.22.xml", "\(Self.data)/qemu-10.0.13.xml", "--json",
    ])
    let json = try Self.checkJSON(result, schema: "diff")
    let changes = try #require(json["changes"]?.arrayValue)
    #expect(changes.contains { $0["machine"] == "pc-i440fx-7.2" && $0["field"] == "alias" && $0["new"] == .null })
    #expect(changes.contains { $0["field"] == "default" && $0["old"] == true && $0["new"] == false })
  }

  @Test("diff: reworded reasons alone are no difference (exit 0); --reasons shows them and exits 1")
  func diffReasons() throws {
    try TemporaryDirectory.with("cli-diff") { directory in
      let original = try String(contentsOfFile: Self.caps, encoding: .utf8)
      let reworded = original.replacingOccurrences(of: "does not exist in QEMU 7.2.22", with: "does not exist in it")
      try #require(reworded != original)
      let file = directory.appendingPathComponent("reworded.xml").path
      try reworded.write(toFile: file, atomically: true, encoding: .utf8)
      let plain = try Command.qemuCaps(["diff", Self.caps, file])
      #expect(plain.status == 0, "\(plain.standardOutput)\(plain.standardError)")
      #expect(plain.standardOutput == "no differences\n")
      let json = try Self.checkJSON(try Command.qemuCaps(["diff", Self.caps, file, "--json"]), schema: "diff")
      #expect(json["equal"] == true && json["changes"] == [])
      let shown = try Command.qemuCaps(["diff", Self.caps, file, "--reasons"]).expect(status: 1)
      #expect(
        shown.standardOutput.contains("~ isapc acpi-hotplug-bridge.reason: machine type isapc has no ACPI PM device"))
      #expect(!shown.standardOutput.contains("unsupported -> unsupported"))
      let shownJSON = try Command.qemuCaps(["diff", Self.caps, file, "--reasons", "--json"])
      let changes = try #require(try Self.checkJSON(shownJSON, schema: "diff")["changes"]?.arrayValue)
      #expect(changes.allSatisfy { $0["field"]?.stringValue?.hasSuffix(".reason") == true }, "\(changes)")
    }
  }

  @Test("every JSON output matches its schema in docs/schemas/")
  func schemas() throws {
    var outputs: [String: [String]] = [:]
    func collect(_ arguments: [String], schema: String, statuses: Set<Int32>) throws {
      let result = try Command.qemuCaps(arguments)
      #expect(statuses.contains(result.status), "\(arguments): \(result.standardError)")
      let json = try JSON.parse(result.standardOutput)
      #expect(json["schemaVersion"]?.intValue != nil, "\(arguments)")
      outputs[schema, default: []].append(result.standardOutput)
    }
    // probe, from the recorded sessions of every snapshot (failed machine types included),
    // and lookup for every machine type of each build.
    #expect(Self.snapshots.count >= 4, "capabilities-data lost its snapshots: \(Self.snapshots)")
    for version in Self.snapshots {
      let replay = "\(Self.data)/qemu-\(version).transcripts"
      try collect(["probe", "--replay", replay, "--format", "json"], schema: "probe", statuses: [0])
      let probe = try JSON.parse(outputs["probe"]?.last ?? "{}")
      let names = try #require(probe["machines"]?.arrayValue?.compactMap { $0["name"]?.stringValue })
      try collect(["list", "--caps", "\(Self.data)/qemu-\(version).xml", "--json"], schema: "list", statuses: [0])
      for name in names {
        try collect(
          ["lookup", "--caps", "\(Self.data)/qemu-\(version).xml", "--machine", name, "--json"], schema: "lookup",
          statuses: [0, 3])
      }
    }
    // validate, for every domain of the corpus (valid, invalid and broken ones).
    for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.domainCorpus.path).sorted()
    where name.hasSuffix(".xml") {
      try collect(
        ["validate", Fixtures.domainCorpus.appendingPathComponent(name).path, "--caps", Self.caps, "--json"],
        schema: "validate",
        statuses: [0, 1, 2])
    }
    // diff, between every pair of snapshots, with and without the binary fields.
    let files = Self.snapshots.map { "\(Self.data)/qemu-\($0).xml" }
    for old in files {
      for new in files {
        for extra in [[], ["--include-binary"], ["--reasons"]] {
          try collect(["diff", old, new, "--json"] + extra, schema: "diff", statuses: old == new ? [0] : [1])
        }
      }
    }
    #expect(outputs.keys.sorted() == ["diff", "list", "lookup", "probe", "validate"])
    for (schema, documents) in outputs.sorted(by: { $0.key < $1.key }) {
      #expect(try JSONSchema.violations(of: documents, schema: schema) == [], "\(schema): \(documents.count) outputs")
    }
  }
}
