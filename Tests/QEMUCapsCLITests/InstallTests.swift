import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `scripts/install` into a temporary prefix, and the installed tool in a clean
/// environment. It builds qemu-caps twice in release mode (the static binary and the
/// man pages), so it runs only when asked: `scripts/test --install` (CI does), or
/// `QEMU_CAPS_TEST_INSTALL=1 swift test --filter InstallTests`.
@Suite(
  "scripts/install", .serialized,
  .enabled(
    if: ProcessInfo.processInfo.environment["QEMU_CAPS_TEST_INSTALL"] == "1",
    "release builds: run with scripts/test --install"))
struct InstallTests {
  static let root = Fixtures.repositoryRoot.path

  /// The subcommands, from the tool's own help.
  static func subcommands() throws -> [String] {
    let help = try Command.qemuCaps(["--help"]).standardOutput
    let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
    return section.split(separator: "\n").compactMap { line in
      let words = line.split(separator: " ")
      // "  validate   Check ..." (wrapped text is indented further).
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let first = words.first, first.allSatisfy({ $0.isLowercase })
      else { return nil }
      return String(first)
    }
  }

  @Test("installs the static binary, man pages, completions, schemas, snapshots and docs; runs with env -i")
  func install() throws {
    try TemporaryDirectory.with("install") { work in
      // A relative --prefix is the caller's.
      let started = ContinuousClock.now
      let result = try Command.run(
        "/bin/sh", ["-c", "cd \"$1\" && exec \"$2\"/scripts/install --prefix prefix", "sh", work.path, Self.root],
        // Two release builds: minutes on a busy machine; the limit only bounds a hang.
        timeout: .seconds(3600))
      print("scripts/install took \(ContinuousClock.now - started)")
      #expect(result.status == 0, "\(result.standardError)")
      let prefix = work.appendingPathComponent("prefix").path
      let binary = "\(prefix)/bin/qemu-caps"
      #expect(FileManager.default.isExecutableFile(atPath: binary))

      // No toolchain: no Swift runtime library, nothing from the toolchain's directories.
      let ldd = try Command.run("/usr/bin/ldd", [binary])
      #expect(ldd.status == 0)
      for line in ldd.standardOutput.split(separator: "\n") {
        #expect(!line.contains("libswift") && !line.contains("not found"), "\(line)")
        #expect(!line.contains("/opt/swift") && !line.contains("/usr/share/swift"), "\(line)")
      }

      // The installed tool in a clean environment: no toolchain on PATH, no HOME.
      let clean = ["PATH": "/usr/bin:/bin"]
      let version = try Command.run(binary, ["--version"], environment: clean)
      #expect(version.status == 0 && !version.standardOutput.isEmpty, "\(version.standardError)")
      let caps = "\(Self.root)/capabilities-data/qemu-7.2.22.xml"
      let domain = "\(Self.root)/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/q35-6.0-bridge-off-default.xml"
      let validate = try Command.run(binary, ["validate", domain, "--caps", caps, "-q"], environment: clean)
      #expect(validate.status == 0, "\(validate.standardError)")
      #expect(validate.standardOutput == "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off\n")
      let lookup = try Command.run(
        binary, ["lookup", "--caps", caps, "--machine", "q35", "--option", "acpi-bridge-hotplug", "--json"],
        environment: clean)
      #expect(lookup.status == 0, "\(lookup.standardError)")
      #expect(try JSONSchema.violations(of: lookup.standardOutput, schema: "lookup") == [])

      // From an empty directory with an empty environment (env -i: no PATH, no HOME): report
      // reads the installed snapshots, lookup answers for the system QEMU, and its JSON
      // answer names the option asked for by an alias.
      let empty = work.appendingPathComponent("empty").path
      try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
      func bare(_ arguments: [String]) throws -> Command.Result {
        try Command.run(
          "/usr/bin/env", ["-i", "/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", empty, binary] + arguments)
      }
      let report = try bare(["report"])
      #expect(report.status == 0, "\(report.standardError)")
      for snapshot in try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/capabilities-data")
      where snapshot.hasSuffix(".xml") {
        #expect(report.standardOutput.contains(snapshot), "report without a path lacks \(snapshot)")
        let installed = "\(prefix)/share/qemu-caps/capabilities-data/\(snapshot)"
        #expect(
          FileManager.default.contentsEqual(atPath: installed, andPath: "\(Self.root)/capabilities-data/\(snapshot)"))
      }
      if let qemu = SystemQEMU.path, qemu.hasPrefix("/usr/bin/") || qemu.hasPrefix("/bin/") {
        let answer = try bare(["lookup", "--machine", "pc", "--option", "piix4.acpi-root-pci-hotplug", "--json"])
        #expect(answer.status == 0, "\(answer.standardError)")
        #expect(try JSON.parse(answer.standardOutput)["option"]?["name"] == "acpi-root-hotplug")
        #expect(try JSONSchema.violations(of: answer.standardOutput, schema: "lookup") == [])
      } else {
        try Requirement.systemQEMU.unmet("no qemu-system-x86_64 in /usr/bin, where env -i finds it")
      }

      // One man page per subcommand, rendered by man without a warning.
      let manual = "\(prefix)/share/man/man1"
      let commands = try Self.subcommands()
      #expect(commands.contains("validate") && commands.contains("lookup"), "\(commands)")
      let cli = try HelpAgreementTests.Page.read()
      #expect(HelpAgreementTests.exitStatusTable(cli).count == 5)
      for page in ["qemu-caps"] + commands.map({ "qemu-caps-\($0)" }) {
        let path = "\(manual)/\(page).1"
        #expect(FileManager.default.fileExists(atPath: path), "\(page).1 is missing")
        let rendered = try Command.run(
          "/usr/bin/man", ["--warnings", "-l", path], environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "80"])
        #expect(rendered.status == 0, "\(page): \(rendered.standardError)")
        #expect(rendered.standardError.isEmpty, "\(page): \(rendered.standardError)")
        #expect(rendered.standardOutput.contains("NAME"), "\(page)")
        if page != "qemu-caps" { #expect(rendered.standardOutput.contains("--quiet"), "\(page)") }
        // Before: mdoc's generic "exits 0 on success, and >0 if an error occurs", and then
        // one table for all, in which validate's page said status 3 was lookup's.
        let text = rendered.standardOutput.replacingOccurrences(of: "\n", with: " ").replacing(/\s+/, with: " ")
        #expect(!text.contains(">0 if an error occurs"), "\(page)")
        #expect(!text.contains("Commands: "), "\(page)")
        // EXIT STATUS is the page's own table in docs/cli.md: its items, in its order.
        let command = page == "qemu-caps" ? nil : String(page.dropFirst("qemu-caps-".count))
        let rows =
          command.map { HelpAgreementTests.documentedStatuses(cli.commands[$0] ?? "") ?? [] }
          ?? HelpAgreementTests.statusRows((cli.sections["Exit status"] ?? "")[...])
        #expect(rows.count >= 3, "\(page): \(rows.map(\.status))")
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let section = source.split(separator: "\n").drop { !($0.hasPrefix(".Sh ") && $0.contains("EXIT STATUS")) }
          .dropFirst().prefix { !$0.hasPrefix(".Sh ") }
        let items = section.filter { $0.hasPrefix(".It ") }.map { String($0.dropFirst(4)) }
        #expect(items == rows.map(\.status), "\(page): EXIT STATUS items \(items)")
        for row in rows {
          let first = row.meaning.replacingOccurrences(of: "`", with: "").prefix(24)
          #expect(text.localizedCaseInsensitiveContains(first), "\(page): EXIT STATUS lacks '\(first)'")
        }
        // SEE ALSO: every page, a subcommand's naming qemu-caps(1); the qemu-caps pages
        // found where they were installed. Before: no SEE ALSO on a subcommand's page.
        let references = source.split(separator: "\n").compactMap { $0.wholeMatch(of: /\.Xr (\S+) 1( ,)?/)?.output.1 }
          .map(String.init)
        #expect(source.contains("\n.Sh \"SEE ALSO\"\n"), "\(page): no SEE ALSO")
        #expect(
          page == "qemu-caps" ? references.count >= commands.count : references.contains("qemu-caps"),
          "\(page): \(references)")
        for reference in references where reference.hasPrefix("qemu-caps") {
          let found = try Command.run(
            "/usr/bin/man", ["-w", reference], environment: ["MANPATH": "\(prefix)/share/man", "PATH": "/usr/bin:/bin"])
          #expect(found.status == 0, "\(page) refers to \(reference)(1), which man cannot find")
        }
        let others = Set(references.filter { !$0.hasPrefix("qemu-caps") })
        #expect(others.isSubset(of: ["qemu-system-x86_64", "virsh", "virt-xml-validate"]), "\(page): \(others)")
      }
      let byName = try Command.run(
        "/usr/bin/man", ["-w", "qemu-caps-validate"],
        environment: ["MANPATH": "\(prefix)/share/man", "PATH": "/usr/bin:/bin"])
      #expect(byName.standardOutput == "\(manual)/qemu-caps-validate.1\n", "\(byName.standardError)")

      // Completions, schemas and docs.
      for file in [
        "share/bash-completion/completions/qemu-caps", "share/zsh/site-functions/_qemu-caps",
        "share/fish/vendor_completions.d/qemu-caps.fish", "share/qemu-caps/schemas/capabilities.rng",
        "share/doc/qemu-caps/README.md", "share/doc/qemu-caps/docs/validation.md",
        "share/doc/qemu-caps/docs/schemas/validate.schema.json",
        // The README's link to the snapshots' README.
        "share/doc/qemu-caps/capabilities-data/README.md",
        "share/qemu-caps/capabilities-data/qemu-7.2.22.transcripts/probe.json",
      ] {
        #expect(FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "\(file) is missing")
      }
      for schema in ["probe", "lookup", "list", "validate", "diff"] {
        let installed = try String(
          contentsOfFile: "\(prefix)/share/qemu-caps/schemas/\(schema).schema.json", encoding: .utf8)
        #expect(installed == (try String(contentsOfFile: JSONSchema.path(schema), encoding: .utf8)))
      }
      let bash = try String(contentsOfFile: "\(prefix)/share/bash-completion/completions/qemu-caps", encoding: .utf8)
      #expect(bash.contains("'acpi-hotplug-bridge'$'\\n''acpi-root-hotplug'"))
    }
  }
}
