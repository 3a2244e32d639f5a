import Foundation
import QEMUCapsTestSupport
import Testing

/// docs/cli.md is the one contract of the command line; `--help`, the man pages and the
/// README point to it. These tests hold it to the tool: every command and option the tool
/// has (swift-argument-parser's `--experimental-dump-help`) is documented in that command's
/// section, every option the page names exists, and each command's exit-status table agrees
/// with its help, the shared table and what the built tool does.
@Suite("docs/cli.md agrees with the tool's help and exit statuses")
struct HelpAgreementTests {
  static let data = Fixtures.capabilitiesData()
  /// The section that documents the options every command has.
  static let commonSection = "Options of every command"

  // MARK: - The page

  /// docs/cli.md, split into its sections.
  struct Page {
    /// `### NAME` under `## Commands`: each command's section, subsections included.
    var commands: [String: String] = [:]
    /// Every other `## NAME` section.
    var sections: [String: String] = [:]

    init(_ text: String) {
      var level2: String?
      var level3: String?
      var fenced = false
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("```") { fenced.toggle() }
        if !fenced && line.hasPrefix("## ") {
          level2 = String(line.dropFirst(3))
          level3 = nil
          continue
        }
        if !fenced && level2 == "Commands" && line.hasPrefix("### ") {
          level3 = line.dropFirst(4).replacingOccurrences(of: "`", with: "")
          continue
        }
        if let level3 {
          commands[level3, default: ""] += line + "\n"
        } else if let level2, level2 != "Commands" {
          sections[level2, default: ""] += line + "\n"
        }
      }
    }

    static func read() throws -> Page {
      Page(try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8))
    }
  }

  /// The long options `text` names (`--caps`, not the `---format` of an anchor).
  static func namedOptions(_ text: String) -> Set<String> {
    let pattern = try! NSRegularExpression(pattern: "(?<![\\w-])--([a-z][a-z0-9-]*[a-z0-9])")
    let range = NSRange(text.startIndex..., in: text)
    return Set(
      pattern.matches(in: text, range: range).compactMap { match in
        Range(match.range(at: 1), in: text).map { String(text[$0]) }
      })
  }

  // MARK: - The tool

  /// One command of `--experimental-dump-help`.
  struct CommandInfo: Decodable {
    struct Argument: Decodable {
      struct Name: Decodable {
        var kind: String
        var name: String
      }
      var kind: String
      var names: [Name]?
    }
    var commandName: String
    var discussion: String?
    var arguments: [Argument]?
    var subcommands: [CommandInfo]?

    /// The long names of its options and flags.
    var longOptions: Set<String> {
      Set((arguments ?? []).flatMap { ($0.names ?? []).filter { $0.kind == "long" }.map(\.name) })
    }
  }

  /// The root command, as the built tool describes itself.
  static func tool() throws -> CommandInfo {
    struct ToolInfo: Decodable { var command: CommandInfo }
    let result = try Command.qemuCaps(["--experimental-dump-help"]).expect(status: 0)
    return try JSONDecoder().decode(ToolInfo.self, from: Data(result.standardOutput.utf8)).command
  }

  /// The tool's subcommands, without swift-argument-parser's own `help`.
  static func subcommands(of root: CommandInfo) -> [CommandInfo] {
    (root.subcommands ?? []).filter { $0.commandName != "help" }
  }

  // MARK: - Exit statuses

  /// An exit status as the page and the help write it: `0` … `3`, or `128 + N`.
  static func statuses(in text: String) -> Set<String> {
    var rest = text
    var found: Set<String> = []
    if rest.contains("128 + N") {
      found.insert("128 + N")
      rest = rest.replacingOccurrences(of: "128 + N", with: "")
    }
    for word in rest.split(whereSeparator: { !$0.isNumber }) { found.insert(String(word)) }
    return found
  }

  /// The rows of the first Markdown table in `text`: each status and its meaning.
  static func statusRows(_ text: Substring) -> [(status: String, meaning: String)] {
    var rows: [(String, String)] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).drop(while: { !$0.hasPrefix("|") })
      .prefix(while: { $0.hasPrefix("|") }) where line.hasPrefix("| `")
    {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count >= 3 else { continue }
      rows.append((cells[1].replacingOccurrences(of: "`", with: ""), cells[2]))
    }
    return rows
  }

  /// The statuses of `## Exit status`, every command's.
  static func exitStatusTable(_ page: Page) -> Set<String> {
    Set(statusRows((page.sections["Exit status"] ?? "")[...]).map(\.status))
  }

  /// The statuses a command's section lists in its `**Exit status:**` table, with their
  /// meanings; `nil` when it has none.
  static func documentedStatuses(_ section: String) -> [(status: String, meaning: String)]? {
    guard let start = section.range(of: "**Exit status:**") else { return nil }
    let rows = statusRows(section[start.upperBound...])
    return rows.isEmpty ? nil : rows
  }

  /// The statuses a command's help lists in its `Exit status:` sentence.
  static func helpStatuses(_ discussion: String) -> Set<String>? {
    guard let start = discussion.range(of: "Exit status:") else { return nil }
    let sentence = discussion[start.upperBound...].components(separatedBy: ". ")[0].components(separatedBy: ".\n")[0]
    return statuses(in: sentence)
  }

  // MARK: - Tests

  @Test("every command has a section; every option of a command is named there, and only those")
  func options() throws {
    let page = try Page.read()
    let root = try Self.tool()
    let commands = Self.subcommands(of: root)
    #expect(commands.count >= 8, "\(commands.map(\.commandName))")
    let common = commands.map(\.longOptions).reduce(commands.first?.longOptions ?? []) { $0.intersection($1) }
    #expect(common.isSuperset(of: ["help", "quiet", "log-level"]), "\(common)")
    let commonSection = try #require(page.sections[Self.commonSection], "docs/cli.md has no ## \(Self.commonSection)")
    for option in common.sorted() {
      #expect(Self.namedOptions(commonSection).contains(option), "## \(Self.commonSection) does not name --\(option)")
    }
    for command in commands {
      let name = command.commandName
      guard let section = page.commands[name] else {
        Issue.record("docs/cli.md has no section ### \(name) under ## Commands")
        continue
      }
      let named = Self.namedOptions(section)
      for option in command.longOptions.subtracting(common).sorted() {
        #expect(named.contains(option), "docs/cli.md, ### \(name), does not name --\(option)")
      }
      for option in named.subtracting(command.longOptions).sorted() {
        Issue.record("docs/cli.md, ### \(name), names --\(option), which qemu-caps \(name) does not have")
      }
      #expect(
        section.contains("(#options-of-every-command)"),
        "docs/cli.md, ### \(name), does not link to the options of every command")
    }
    // No section for a command the tool does not have, and no option nobody has.
    let names = Set(commands.map(\.commandName))
    for stale in Set(page.commands.keys).subtracting(names).sorted() {
      Issue.record("docs/cli.md has a section ### \(stale), but qemu-caps has no such command")
    }
    let everyOption = commands.reduce(root.longOptions) { $0.union($1.longOptions) }
    for (heading, text) in page.sections {
      for option in Self.namedOptions(text).subtracting(everyOption).sorted() {
        Issue.record("docs/cli.md, ## \(heading), names --\(option), which no command has")
      }
    }
  }

  @Test("each command's exit-status table agrees with its help; together they are the shared table and the root help")
  func exitStatusesAgree() throws {
    let page = try Page.read()
    let root = try Self.tool()
    let commands = Self.subcommands(of: root)
    let table = Self.exitStatusTable(page)
    #expect(table == ["0", "1", "2", "3", "128 + N"], "docs/cli.md's exit statuses: \(table.sorted())")
    #expect(
      Self.helpStatuses(root.discussion ?? "") == table,
      "qemu-caps --help lists other exit statuses than docs/cli.md: \(root.discussion ?? "")")
    var used: Set<String> = []
    for command in commands {
      let name = command.commandName
      let rows = Self.documentedStatuses(page.commands[name] ?? "")
      #expect(rows != nil, "docs/cli.md, ### \(name), has no **Exit status:** table")
      let section = Set((rows ?? []).map(\.status))
      #expect(section.count == rows?.count, "docs/cli.md, ### \(name): a status twice")
      #expect(
        section.isSubset(of: table), "docs/cli.md, ### \(name): \(section.subtracting(table)) is not in the table")
      #expect(section.contains("0") && section.contains("2") && section.contains("128 + N"), "### \(name): \(section)")
      let help = Self.helpStatuses(command.discussion ?? "")
      #expect(help == section, "qemu-caps \(name) --help: exit statuses \(help ?? []), docs/cli.md \(section)")
      used.formUnion(section)
    }
    #expect(used == table, "statuses no command exits with: \(table.subtracting(used).sorted())")
  }

  @Test("every exit status a command's table gives is one the built tool exits with, and back")
  func exitStatusesHappen() throws {
    let page = try Page.read()
    let names = Self.subcommands(of: try Self.tool()).map(\.commandName)
    var table: [String: Set<String>] = [:]
    for name in names {
      for row in Self.documentedStatuses(page.commands[name] ?? "") ?? [] {
        table[row.status, default: []].insert(name)
      }
    }
    try TemporaryDirectory.with("help-agreement") { directory in
      let domain = Fixtures.domain("q35-6.0-bridge-off-default")
      // The same domain on a machine type whose probe failed (nitro, QEMU 11.1).
      let unknown = directory.appendingPathComponent("nitro.xml").path
      try String(contentsOfFile: domain, encoding: .utf8).replacingOccurrences(of: "pc-q35-6.0", with: "nitro")
        .write(toFile: unknown, atomically: true, encoding: .utf8)
      let caps72 = ["--caps", Self.data, "--qemu-version", "7.2"]
      let caps52 = ["--caps", Self.data, "--qemu-version", "5.2"]
      let caps111 = ["--caps", Self.data, "--qemu-version", "11.1"]
      let answering = try FakeQEMU.responder()
      defer { FakeQEMU.remove(answering) }
      let refusing = try FakeQEMU.make(
        "fake-qemu-error",
        body: """
          printf '%s\\r\\n' '\(FakeQEMU.greeting)'
          while IFS= read -r line; do
            id=$(printf '%s\\n' "$line" | sed -n 's/.*"id": *"\\([^"]*\\)".*/\\1/p')
            case "$line" in
              *qmp_capabilities*) printf '{"return": {}, "id": "%s"}\\r\\n' "$id" ;;
              *'"quit"'*) printf '{"return": {}}\\r\\n'; exit 0 ;;
              *) printf '{"error": {"class": "GenericError", "desc": "refused"}, "id": "%s"}\\r\\n' "$id" ;;
            esac
          done
          """)
      defer { FakeQEMU.remove(refusing) }
      // One run per (command, status), 128 + N aside (InterruptTests.signal sends the signals).
      let witnesses: [(arguments: [String], status: Int32)] = [
        (["probe", "--replay", "\(Self.data)/qemu-7.2.22.transcripts"], 0),
        (["probe", "--jobs", "0"], 2),
        (["validate", domain] + caps72, 0),
        (["validate", domain] + caps52, 1),
        (["validate", "/no/such/domain.xml"] + caps72, 2),
        (["validate", unknown] + caps111, 3),
        (["convert", domain] + caps72, 0),
        (["convert", domain] + caps52, 1),
        (["convert", "/no/such/domain.xml"] + caps72, 2),
        (["convert", unknown] + caps111, 3),
        (["lookup", "--machine", "q35", "--option", "acpi-hotplug-bridge"] + caps72, 0),
        (["lookup", "--machine", "pc-q35-5.2", "--option", "acpi-hotplug-bridge"] + caps52, 1),
        (["lookup", "--machine", "no-such-machine"] + caps72, 2),
        (["lookup", "--machine", "nitro", "--option", "acpi-hotplug-bridge"] + caps111, 3),
        (["list"] + caps72, 0),
        (["list", "--caps", Self.data], 2),
        (["report", Self.data], 0),
        (["report", "/no/such/directory"], 2),
        (["diff", Self.data, Self.data, "--old-version", "7.2", "--new-version", "7.2"], 0),
        (["diff", Self.data, Self.data, "--old-version", "7.2", "--new-version", "10.0"], 1),
        (["diff", "/no/such.xml", Self.data], 2),
        (["qmp", "--qemu", answering, "query-version"], 0),
        (["qmp", "--qemu", refusing, "query-version"], 1),
        (["qmp", "--qemu", "/no/such/qemu", "query-version"], 2),
      ]
      var seen: Set<String> = []
      for witness in witnesses {
        let result = try Command.qemuCaps(witness.arguments)
        #expect(
          result.status == witness.status,
          "qemu-caps \(witness.arguments.joined(separator: " ")): \(result.status), not \(witness.status): \(result.standardError)"
        )
        seen.insert("\(witness.arguments[0]) \(result.status)")
      }
      let documented = Set(
        table.filter { $0.key != "128 + N" }.flatMap { status, commands in commands.map { "\($0) \(status)" } })
      #expect(
        documented == seen,
        "docs/cli.md's table only: \(documented.subtracting(seen).sorted()); the tool only: \(seen.subtracting(documented).sorted())"
      )
    }
  }
}
