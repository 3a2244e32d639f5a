import Foundation
import QEMUCapsJSON
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsReport
import QEMUCapsTestSupport
import Testing

/// The capability matrix, its Markdown and HTML forms, and the machine list, over
/// the committed snapshots.
@Suite("Capability report and machine list")
struct ReportTests {
  static let data = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data")

  static func snapshots() throws -> [(document: CapabilityDocument, source: String)] {
    try CapabilityIndex(path: data.path).builds.map { build in
      (build.document, String(build.source.split(separator: "/").last ?? ""))
    }
  }

  @Test("one column per snapshot in version order, one row per machine type any of them offers")
  func matrixShape() throws {
    let snapshots = try Self.snapshots()
    let matrix = CapabilityMatrix(documents: snapshots.reversed())
    #expect(matrix.columns.count == snapshots.count)
    #expect(matrix.columns.count >= 4)
    let versions = matrix.columns.map { $0.version.split(separator: ".").map { Int($0) ?? 0 } }
    #expect(zip(versions, versions.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    let union = Set(snapshots.flatMap { $0.document.machines.map(\.name) })
    #expect(matrix.rows.count == union.count)
    #expect(Set(matrix.rows.map(\.name)) == union)
    // Every machine type of every build is in its column, probed or failed, never absent.
    for (column, snapshot) in matrix.columns.enumerated() {
      let document = try #require(snapshots.first { $0.source == snapshot.source }?.document)
      for row in matrix.rows {
        let offered = document.machines.contains { $0.name == row.name }
        #expect((row.cells[column] != .absent) == offered, "\(row.name) in \(snapshot.version)")
      }
    }
  }

  @Test("failed, absent and no-PM-device cells are told apart")
  func distinctCells() throws {
    let matrix = CapabilityMatrix(documents: try Self.snapshots())
    let column = try #require(matrix.columns.firstIndex { $0.version.hasPrefix("11.1.") })
    let cell = { (name: String) in matrix.rows.first { $0.name == name }?.cells[column] }
    guard case .failed = try #require(cell("nitro")) else {
      Issue.record("nitro is not failed in 11.1")
      return
    }
    #expect(cell("isapc") == .noPMDevice)
    #expect(cell("pc-i440fx-1.4") == .absent)
    guard case .probed("ICH9-LPC", .off, .unsupported) = try #require(cell("pc-q35-6.0")) else {
      Issue.record("pc-q35-6.0 in 11.1: \(String(describing: cell("pc-q35-6.0")))")
      return
    }
    let texts = Set([cell("nitro"), cell("isapc"), cell("pc-i440fx-1.4"), cell("pc-q35-6.0")].compactMap { $0?.text })
    #expect(texts.count == 4)
  }

  @Test("families are grouped and newest first; names without a family come last")
  func families() {
    let names = [
      "pc-q35-4.0", "pc-q35-4.0.1", "pc-q35-10.0", "pc-q35-9.2", "isapc", "pc-i440fx-focal", "pc-i440fx-2.10",
      "pc-i440fx-2.9", "none", "pc-1.0",
    ]
    let groups = MachineFamily.grouped(names)
    #expect(groups.map(\.family) == ["pc", "pc-i440fx", "pc-q35", MachineFamily.standalone])
    #expect(groups[1].names == ["pc-i440fx-focal", "pc-i440fx-2.10", "pc-i440fx-2.9"])
    #expect(groups[2].names == ["pc-q35-10.0", "pc-q35-9.2", "pc-q35-4.0.1", "pc-q35-4.0"])
    #expect(groups[3].names == ["isapc", "none"])
  }

  @Test("capabilities-data/README.md carries the Markdown matrix of every snapshot, as report writes it")
  func readmeHasNoDrift() throws {
    let readme = try String(contentsOf: Self.data.appendingPathComponent("README.md"), encoding: .utf8)
    let begin = "<!-- BEGIN qemu-caps report -->\n"
    let end = "<!-- END qemu-caps report -->"
    let start = try #require(readme.range(of: begin), "README.md has no \(begin)")
    let stop = try #require(readme.range(of: end), "README.md has no \(end)")
    let embedded = String(readme[start.upperBound..<stop.lowerBound])
    let expected = MarkdownReport.render(CapabilityMatrix(documents: try Self.snapshots()))
    #expect(
      embedded == expected,
      "capabilities-data/README.md has drifted from the snapshots: run scripts/regenerate-capabilities --readme-only")
    for snapshot in try Self.snapshots() {
      #expect(embedded.contains("| \(snapshot.document.qemu.version) "))
    }
  }

  @Test("the HTML page is self-contained, has a legend and three views, and says every state in words")
  func html() throws {
    let matrix = CapabilityMatrix(documents: try Self.snapshots())
    let page = HTMLReport.render(matrix)
    for remote in ["http://", "https://", "src=", "<script", "url(", "@import", "<link"] {
      #expect(!page.contains(remote), "the page references \(remote)")
    }
    for entry in ReportLegend.entries {
      #expect(page.contains(HTMLReportText.escape(entry.meaning)), "legend: \(entry.symbol)")
    }
    // Three views (both options, bridge, root), each a table with one sticky header.
    for view in ["both", "bridge", "root"] {
      #expect(page.contains(#"id="view-\#(view)""#) && page.contains(#"<section class="view" id="matrix-\#(view)""#))
    }
    #expect(page.components(separatedBy: "<thead>").count - 1 == 4)
    #expect(page.contains("table.matrix thead{position:sticky;top:0"))
    #expect(!page.contains("thead th{background:#f0f0f0;position:sticky"))
    // Every machine type is named once in every view: alone, or in the member list of a run.
    let sections = page.components(separatedBy: "<section class=\"view\"").dropFirst()
    #expect(sections.count == 3)
    for section in sections {
      let alone = section.matches(of: /<th scope="row" class="name">([^<]+?)(?: <|<\/th>)/).map { String($0.output.1) }
      let members = section.matches(of: /<div class="members">([^<]*)<\/div>/).flatMap {
        $0.output.1.components(separatedBy: ", ")
      }
      #expect((alone + members).sorted() == matrix.rows.map(\.name).sorted(), "\(section.prefix(200))")
    }
    for (style, words) in [
      ("settable", [">on<", ">off<"]), ("fixed", [">n/a<", ">no PM<"]), ("failed", [">FAILED<"]),
      ("absent", [">·<"]),
    ] {
      let cells = page.components(separatedBy: "class=\"\(style)\" title=").dropFirst()
      #expect(!cells.isEmpty, "no \(style) cell")
      #expect(
        cells.allSatisfy { cell in words.contains { cell.prefix(while: { $0 != "\n" }).contains($0) } },
        "a \(style) cell without its word")
      // The colour says whether the option can be set, the text the default: both defaults are one colour.
      for word in words { #expect(cells.contains { $0.contains(word) }, "no \(style) cell says \(word)") }
    }
    // Deprecation is said once per row, not per cell.
    #expect(!page.contains("†"))
    #expect(page.contains(#"<span class="deprecated">deprecated"#))
  }

  @Test("runs: consecutive machine types of one family that every build treats alike, and nothing else, are one row")
  func runs() throws {
    let matrix = CapabilityMatrix(documents: try Self.snapshots())
    for options in [HotplugOption.allCases, [.acpiHotplugBridge], [.acpiRootHotplug]] {
      var total = 0
      for group in matrix.groups {
        let runs = RowRun.runs(group.rows, options: options)
        #expect(runs.flatMap(\.rows).map(\.name) == group.rows.map(\.name))
        for run in runs {
          total += 1
          for row in run.rows.dropFirst() {
            #expect(row.deprecated == run.first.deprecated && row.pmDevices == run.first.pmDevices)
            for option in options {
              #expect(RowRun.shown(row, option) == RowRun.shown(run.first, option))
            }
          }
        }
        // Neighbouring runs differ: each run is as long as it can be.
        for (one, next) in zip(runs, runs.dropFirst()) where one.rows.count > 1 && next.rows.count > 1 {
          #expect(
            options.contains { RowRun.shown(one.first, $0) != RowRun.shown(next.first, $0) }
              || one.first.deprecated != next.first.deprecated || one.first.pmDevices != next.first.pmDevices)
        }
      }
      #expect(total < matrix.rows.count / 2, "\(options): \(total) rows for \(matrix.rows.count) machine types")
    }
    let i440fx = try #require(matrix.groups.first { $0.family == "pc-i440fx" })
    let labels = RowRun.runs(i440fx.rows, options: HotplugOption.allCases).map(\.label)
    #expect(labels.contains { $0.hasPrefix("pc-i440fx-2.") && $0.contains(" – 2.") }, "\(labels)")
    #expect(labels.contains("pc-i440fx-11.1"), "the alias pc stays a row of its own: \(labels)")
  }

  @Test("two builds of one version are two columns told apart by their sources, in Markdown and HTML")
  func sameVersion() throws {
    let document = try CapabilityIndex(path: Self.data.path).build(version: "7.2").document
    var moved = document
    moved.qemu.binaryPath = "/opt/qemu/bin/qemu-system-x86_64"
    let newer = try CapabilityIndex(path: Self.data.path).build(version: "10.0").document
    let matrix = CapabilityMatrix(documents: [(newer, "qemu-10.0.13.xml"), (moved, "opt.xml"), (document, "deb.xml")])
    #expect(matrix.columns.map(\.label) == ["7.2.22 (deb.xml)", "7.2.22 (opt.xml)", "10.0.13"])
    let markdown = MarkdownReport.render(matrix)
    let header = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| machine type ") })
    let cells = header.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(cells.contains(#"7.2.22 \(deb.xml\)"#) && cells.contains("10.0.13"), "\(header)")
    #expect(Set(cells).count == cells.count, "\(header)")
    #expect(markdown.contains(#"alias pc in 7.2.22 \(deb.xml\), 7.2.22 \(opt.xml\)"#))
    let page = HTMLReport.render(matrix)
    let headings = page.matches(of: /<th colspan="2" scope="colgroup" class="build">([^<]*)/).map {
      String($0.output.1)
    }
    #expect(headings == ["QEMU 7.2.22 (deb.xml)", "QEMU 7.2.22 (opt.xml)", "QEMU 10.0.13"])
    // The sources are the same too (documents built in memory): the position tells them apart.
    let twice = CapabilityMatrix(documents: [(document, "x.xml"), (moved, "x.xml")])
    #expect(twice.columns.map(\.label) == ["7.2.22 (x.xml) #1", "7.2.22 (x.xml) #2"])
  }

  @Test(
    "list: one heading line, then one line per machine type; JSON has every machine type",
    arguments: [
      "5.2", "7.2", "10.0", "11.1",
    ])
  func list(version: String) throws {
    let document = try CapabilityIndex(path: Self.data.path).build(version: version).document
    let lines = MachineList.text(document).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == document.machines.count + 1)
    #expect(Set(lines.dropFirst().map { String($0.split(separator: " ")[0]) }) == Set(document.machines.map(\.name)))
    for machine in document.machines where machine.isDeprecated {
      #expect(lines.contains { $0.hasPrefix(machine.name + " ") && $0.contains("deprecated") }, "\(machine.name)")
    }
    #expect(MachineList.json(document)["machines"]?.arrayValue?.count == document.machines.count)
  }

  @Test("text from a hostile file or QEMU cannot reach a terminal or a page raw: list, Markdown and HTML escape it")
  func hostileText() throws {
    var document = try CapabilityIndex(path: Self.data.path).build(version: "7.2").document
    let hostile = "evil\u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31m\u{202E}<script>alert(1)</script>|x&y\nforged line"
    document.qemu.package = hostile
    let failed = try #require(document.machines.firstIndex { $0.name == "pc-i440fx-7.2" })
    document.machines[failed].outcome = .failed(hostile)

    let list = MachineList.text(document)
    let forbidden: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]
    for text in [list, MarkdownReport.render(CapabilityMatrix(documents: [(document, "hostile.xml")]))] {
      #expect(!text.unicodeScalars.contains { forbidden.contains($0) }, "a raw control character: \(text.prefix(300))")
      #expect(!text.contains("\nforged line"), "text from the file started a line of its own")
    }
    #expect(list.contains(#"evil\x1b]0;owned\x07\x1b[2J\x9b31m\u{202e}"#), "\(list.prefix(300))")
    #expect(list.split(separator: "\n").count == document.machines.count + 1)
    let markdown = MarkdownReport.render(CapabilityMatrix(documents: [(document, "hostile.xml")]))
    #expect(!markdown.contains("<script>"))
    #expect(markdown.contains(#"&lt;script&gt;alert\(1\)&lt;/script&gt;\|x&amp;y forged line"#))

    let page = HTMLReport.render(CapabilityMatrix(documents: [(document, "hostile.xml")]), title: "t")
    #expect(!page.unicodeScalars.contains { forbidden.contains($0) })
    #expect(!page.contains("<script>"))
    #expect(page.contains(#"evil\x1b]0;owned\x07\x1b[2J"#))
  }
}

/// HTML escaping as the report does it, for comparisons.
enum HTMLReportText {
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&apos;")
  }
}
