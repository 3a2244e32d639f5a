import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// `qemu-caps convert`, `report` and `list` end to end: outputs, files and exit statuses.
@Suite("qemu-caps convert, report and list")
struct ConvertReportListCLITests {
  static let data = Fixtures.capabilitiesData()
  static let corpus = Fixtures.repositoryRoot.appendingPathComponent("Tests/QEMUCapsConvertTests/Corpus")

  static func domain(_ name: String) -> String { corpus.appendingPathComponent("\(name).xml").path }

  @Test("convert: a valid domain exits 0, the domain on stdout, diagnostics on stderr")
  func convertValid() throws {
    let result = try Command.qemuCaps([
      "convert", Self.domain("commandline-root-duplicate"), "--caps", Self.data, "--qemu-version", "7.2",
    ]).expect(status: 0)
    let golden = try String(
      contentsOf: Self.corpus.appendingPathComponent("commandline-root-duplicate.out.xml"), encoding: .utf8)
    #expect(result.standardOutput == golden)
    #expect(result.standardError.contains(":18: note: -global PIIX4_PM.acpi-root-pci-hotplug=off is removed"))
  }

  @Test("convert: an invalid domain exits 1 and writes nothing, to stdout or to --output")
  func convertInvalid() throws {
    try TemporaryDirectory.with("cli") { directory in
      let target = directory.appendingPathComponent("out.xml")
      try "previous\n".write(to: target, atomically: true, encoding: .utf8)
      for name in ["commandline-conflict", "q35-root-invalid"] {
        let stdout = try Command.qemuCaps(["convert", Self.domain(name), "--caps", "\(Self.data)/qemu-7.2.22.xml"])
        #expect(stdout.status == 1, "\(name): \(stdout.standardError)")
        #expect(stdout.standardOutput.isEmpty)
        #expect(stdout.standardError.contains("\(Self.domain(name)):"), "\(stdout.standardError)")
        try Command.qemuCaps([
          "convert", Self.domain(name), "--caps", "\(Self.data)/qemu-7.2.22.xml", "--output", target.path,
        ]).expect(status: 1)
        #expect(try String(contentsOf: target, encoding: .utf8) == "previous\n")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.xml"])
    }
  }

  @Test("convert: --output writes the file; unreadable input, bad XML or bad caps exit 2 with nothing on stdout")
  func convertFiles() throws {
    try TemporaryDirectory.with("cli") { directory in
      let target = directory.appendingPathComponent("guest.xml")
      let written = try Command.qemuCaps([
        "convert", Self.domain("q35-bridge-off-features"), "--caps", "\(Self.data)/qemu-7.2.22.xml", "--output",
        target.path,
      ]).expect(status: 0)
      #expect(written.standardOutput.isEmpty)
      #expect(
        try String(contentsOf: target, encoding: .utf8).contains("ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"))
      let broken = directory.appendingPathComponent("broken.xml")
      try "<domain type='kvm'><name>x</name>".write(to: broken, atomically: true, encoding: .utf8)
      for arguments in [
        ["/no/such/domain.xml", "--caps", "\(Self.data)/qemu-7.2.22.xml"],
        [broken.path, "--caps", "\(Self.data)/qemu-7.2.22.xml"],
        [Self.domain("pc-both-off-pm"), "--caps", "/no/such/caps.xml"],
        [Self.domain("pc-both-off-pm"), "--caps", Self.data],
        [Self.domain("pc-both-off-pm"), "--qemu", "/no/such/qemu-system-x86_64"],
      ] {
        let result = try Command.qemuCaps(["convert"] + arguments).expect(status: 2)
        #expect(result.standardOutput.isEmpty, "\(arguments)")
        #expect(result.standardError.lowercased().contains("error"), "\(arguments): \(result.standardError)")
      }
    }
  }

  @Test("docs/convert.md says attributes keep the quote the input uses most, as convert writes them")
  func convertHelpQuotes() throws {
    let help = try Command.qemuCaps(["convert", "--help"]).expect(status: 0)
    #expect(!help.standardOutput.contains("double quote"), "\(help.standardOutput)")
    // The help points to docs/convert.md, which says how attributes are quoted.
    let page = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/convert.md"), encoding: .utf8)
    let text = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(!text.contains("double quote"))
    #expect(text.contains("every attribute is written with the quote the input uses most"))
    // What the code does: a domain in double quotes comes out in double quotes.
    let input = try String(contentsOfFile: Self.domain("pc-both-off-pm"), encoding: .utf8)
      .replacingOccurrences(of: "'", with: "\"")
    try TemporaryDirectory.with("cli") { directory in
      let file = directory.appendingPathComponent("double.xml")
      try input.write(to: file, atomically: true, encoding: .utf8)
      let converted = try Command.qemuCaps(["convert", file.path, "--caps", "\(Self.data)/qemu-7.2.22.xml"]).expect(
        status: 0)
      #expect(converted.standardOutput.contains("<target hotplug=\"off\"/>"), "\(converted.standardOutput)")
      #expect(!converted.standardOutput.contains("'"), "\(converted.standardOutput)")
    }
  }

  @Test(
    "list: one line per machine type of the snapshot, heading first; --json has them all", arguments: ["5.2", "11.1"])
  func listFromFiles(version: String) throws {
    let text = try Command.qemuCaps(["list", "--caps", Self.data, "--qemu-version", version]).expect(status: 0)
    let json = try Command.qemuCaps(["list", "--caps", Self.data, "--qemu-version", version, "--json"]).expect(
      status: 0)
    let machines = try #require(try JSON.parse(json.standardOutput)["machines"]?.arrayValue)
    let lines = text.standardOutput.split(separator: "\n")
    #expect(lines.count == machines.count + 1)
    #expect(lines.first?.hasPrefix("Machine types of QEMU \(version).") == true)
    #expect(lines.contains { $0.contains("deprecated") })
  }

  @Test("list --qemu: as many rows as qemu-system-x86_64 -machine help has machine types", .liveQEMU)
  func listLive() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let help = try Command.run(qemu, ["-machine", "help"])
    let expected = help.standardOutput.split(separator: "\n").dropFirst().filter { !$0.contains("(alias of ") }
    try TemporaryDirectory.with("list") { cacheDirectory in
      let cache = cacheDirectory.path
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = cache
      let result = try Command.qemuCaps(["list", "--qemu", qemu], environment: environment).expect(status: 0)
      let rows = result.standardOutput.split(separator: "\n").dropFirst()
      #expect(rows.count == expected.count)
      #expect(
        Set(rows.map { String($0.split(separator: " ")[0]) })
          == Set(expected.map { String($0.split(separator: " ")[0]) })
      )
    }
  }

  @Test("report without a path, run where there is no capabilities-data, says to name files")
  func reportDefaultMissing() throws {
    try Unattended.withDirectory { directory in
      let outcome = try Unattended.run("cd $T && \"$QC\" report", in: directory)
      #expect(outcome.status == 2)
      // Before: "capabilities-data: cannot read: No such file or directory".
      // The built binary has no installed snapshots beside it (DefaultSourceCLITests installs some).
      #expect(
        outcome.error.hasPrefix(
          "qemu-caps: error: no capability file was named and there is no capabilities-data directory here, nor installed snapshots at "
        ), "\(outcome.error)")
      #expect(
        outcome.error.hasSuffix(
          "; name capability files or directories of them, or install qemu-caps with scripts/install\n"))
    }
  }

  @Test("report: Markdown by default, self-contained HTML with --format html --output; a bad path exits 2")
  func report() throws {
    let markdown = try Command.qemuCaps(["report", Self.data]).expect(status: 0)
    #expect(markdown.standardOutput.contains("| machine type "))
    #expect(markdown.standardOutput.contains("### acpi-root-hotplug (QEMU property acpi-root-pci-hotplug)"))
    try TemporaryDirectory.with("cli") { directory in
      let page = directory.appendingPathComponent("matrix.html")
      try Command.qemuCaps([
        "report", "\(Self.data)/qemu-7.2.22.xml", "\(Self.data)/qemu-11.1.3.xml", "--format", "html", "--output",
        page.path,
      ]).expect(status: 0)
      let text = try String(contentsOf: page, encoding: .utf8)
      #expect(text.hasPrefix("<!DOCTYPE html>"))
      #expect(text.contains("QEMU 7.2.22") && text.contains("QEMU 11.1.3") && !text.contains("QEMU 5.2.0"))
      let missing = try Command.qemuCaps(["report", "/no/such/dir"]).expect(status: 2)
      #expect(missing.standardOutput.isEmpty)
    }
  }

  @Test("report: two different files of one version are two columns headed apart; a copy of one is no column")
  func reportSameVersion() throws {
    try TemporaryDirectory.with("cli-report") { directory in
      let original = try String(contentsOfFile: "\(Self.data)/qemu-7.2.22.xml", encoding: .utf8)
      // The same build probed from another path: same version and package, another file.
      let moved = original.replacingOccurrences(of: "path=\"/usr/bin/qemu-system-x86_64\"", with: "path=\"/opt/q\"")
      try #require(moved != original)
      for (name, text) in [("a", original), ("b", moved), ("c", original)] {
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent("qemu-7.2.22.xml"), atomically: true, encoding: .utf8)
      }
      let paths = ["a", "b", "c"].map { directory.appendingPathComponent($0).path }
      for format in ["markdown", "html"] {
        let result = try Command.qemuCaps(["report", "--format", format] + paths).expect(status: 0)
        let headers =
          format == "html"
          ? result.standardOutput.matches(of: /<th colspan="2" scope="colgroup" class="build">([^<]*)/).map {
            String($0.output.1)
          }
          : (result.standardOutput.split(separator: "\n").first { $0.hasPrefix("| machine type ") } ?? "")
            .split(separator: "|").dropFirst(2).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        // Before: three columns (c/ is a copy of a/), all headed "QEMU 7.2.22<br>Debian …".
        #expect(headers.count == 2, "\(format): \(headers)")
        #expect(Set(headers).count == headers.count, "\(format): \(headers)")
        #expect(headers.allSatisfy { $0.contains("qemu-7.2.22.xml") }, "\(format): \(headers)")
      }
    }
  }

  @Test(
    "report --format html in a real browser: Chromium builds every row and cell, and draws each state in its colour")
  func reportInBrowser() throws {
    try Requirement.browser.require(Browser.path != nil)
    try TemporaryDirectory.with("browser") { directory in
      let page = directory.appendingPathComponent("matrix.html")
      try Command.qemuCaps(["report", Self.data, "--format", "html", "--output", page.path]).expect(
        status: 0)
      let source = try String(contentsOf: page, encoding: .utf8)

      // The browser's DOM has what the file says: no row or cell lost to a markup error.
      let dom = try Browser.dom(of: page)
      let count = { (text: String, marker: String) in text.components(separatedBy: marker).count - 1 }
      let states = ["settable", "fixed", "failed", "absent"]
      #expect(count(source, #"scope="row""#) >= 80)
      for marker in [#"scope="row""#, "<tr", "<td"] + states.map({ #"class="\#($0)""# }) {
        #expect(count(dom, marker) == count(source, marker), "\(marker) in the DOM and in the file")
      }
      #expect(dom.contains("Legend") && dom.contains("QEMU 11.1.3"))

      // Drawn: every state's colour, taken from the page's own style sheet, covers cells.
      let image = directory.appendingPathComponent("matrix.png")
      try Browser.screenshot(of: page, to: image, width: 1600, height: 4000)
      var colours: [String: String] = [:]
      for state in states.dropLast() {
        let rule = try #require(source.range(of: ".\(state){background:#"), "no style for .\(state)")
        colours[state] = String(source[rule.upperBound...].prefix(6))
      }
      let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/QEMUCapsCLITests/Fixtures/png-colours.py")
      let counted = try Command.run(
        "/usr/bin/python3", [script.path, image.path] + states.dropLast().compactMap { colours[$0] })
      #expect(counted.status == 0, "\(counted.standardError)")
      let pixels = try JSON.parse(counted.standardOutput)
      #expect(pixels["width"]?.intValue == 1600)
      for state in states.dropLast() {
        let colour = try #require(colours[state])
        let covered = pixels[colour]?.intValue ?? 0
        // A legend swatch alone is about 1,600 pixels; cells add more.
        #expect(covered > (state == "settable" ? 50_000 : 2_000), "\(state) (#\(colour)): \(covered) pixels")
      }
    }
  }
}
