import Foundation
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// The corpus for Debian 12's QEMU 7.2 (the QEMU both libvirts run here) through
/// libvirt 9.0 and 11.3 themselves (`virsh domxml-to-native`, one session each): which
/// verdicts each libvirt shares, as the table in docs/validation.md says.
@Suite("The validator corpus through libvirt 9.0 and 11.3", .serialized)
struct LibvirtCorpusTests {
  static let folder = "qemu-7.2.22"

  /// How many domains with one verdict a libvirt refuses.
  struct Tally: Equatable {
    var refused = 0
    var total = 0

    var cell: String {
      switch refused {
      case total: "refuses all \(total)"
      case 0: "accepts all \(total)"
      default: "refuses \(refused) of \(total)"
      }
    }
  }

  @Test("libvirt refuses what qemu-caps cannot read; its -globals agree with qemuArgs; the table holds")
  func libvirtAgrees() async throws {
    for libvirt in LibvirtBuild.all { try libvirt.require() }
    let directory = ValidatorCorpusTests.corpus.appendingPathComponent(Self.folder)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".xml") }
      .sorted().map { directory.appendingPathComponent($0) }
    let validator = try Validator(capabilitiesFile: ValidatorCorpusTests.capabilities(for: Self.folder).path)
    var verdicts: [[Result<[String], LibvirtError>]] = []
    for libvirt in LibvirtBuild.all {
      verdicts.append(try await Libvirt.verdicts(of: files.map(\.path), libvirt: libvirt))
    }

    // A row for valid domains and one per error code (domains with that error alone);
    // a column per libvirt.
    var tallies: [String: [Tally]] = [:]
    // What each libvirt said per row, for the message when the table does not hold.
    var said: [String: [String]] = [:]
    func count(_ key: String, _ column: Int, refused: Bool) {
      var row = tallies[key, default: Array(repeating: Tally(), count: LibvirtBuild.all.count)]
      row[column].total += 1
      if refused { row[column].refused += 1 }
      tallies[key] = row
    }
    for (index, file) in files.enumerated() {
      let name = file.lastPathComponent
      let report: ValidationReport
      do {
        report = try validator.validate(domainXML: Array(try Data(contentsOf: file)), file: name)
      } catch {
        for (column, libvirt) in LibvirtBuild.all.enumerated() {
          if case .success = verdicts[column][index] {
            Issue.record("\(libvirt) accepts \(name), which qemu-caps cannot read: \(error)")
          }
        }
        continue
      }
      let errors = Set(report.diagnostics.filter { $0.severity == .error }.map(\.code.rawValue))
      let rows = errors.isEmpty ? ["valid"] : errors
      for (column, libvirt) in LibvirtBuild.all.enumerated() {
        let verdict = verdicts[column][index]
        if errors.count <= 1 {
          for row in rows {
            count(row, column, refused: (try? verdict.get()) == nil)
            let answer: String
            switch verdict {
            case .success: answer = "accepts"
            case .failure(let error): answer = "refuses: \(error.message)"
            }
            said[row, default: []].append("\(libvirt), \(name): \(answer)")
          }
        }
        // Where both accept the domain, each value libvirt's -globals give is qemuArgs'
        // (libvirt ignores <pm>, so it may set fewer).
        guard case .success(let argv) = verdict, report.isValid else { continue }
        let device = report.machine.flatMap { validator.capabilities.machine(named: $0)?.pmDevice }
        let ours = Libvirt.hotplugEffect(of: report.qemuArguments)
        for (property, value) in Libvirt.hotplugEffect(of: argv, device: device ?? "none") {
          #expect(
            ours[property] == value, "\(libvirt), \(name): \(property)=\(value); qemuArgs \(report.qemuArguments)")
        }
      }
    }

    // The table in docs/validation.md: its rows begin with these cells, then say why.
    let rows = Self.rows(tallies)
    let documentation = try String(
      contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/validation.md"), encoding: .utf8)
    let lines = documentation.split(separator: "\n").map(String.init)
    let documented = lines.filter { $0.hasPrefix("| [`") && $0.contains("](#rules) | ") }
    for row in rows where !lines.contains(where: { $0.hasPrefix(row) }) {
      let key = tallies.keys.first { row.hasPrefix("| [`\($0)`]") || (row.hasPrefix("| valid") && $0 == "valid") }
      Issue.record(
        """
        docs/validation.md lacks the row beginning \(row)
        What libvirt said for it:
        \(key.map { (said[$0] ?? []).joined(separator: "\n") } ?? "")
        All rows:
        \(rows.joined(separator: "\n"))
        """)
    }
    for line in documented where !rows.contains(where: { line.hasPrefix($0) }) {
      Issue.record("docs/validation.md has a row the corpus does not give: \(line)")
    }
  }

  /// The table's first cells, a row per verdict (valid domains first, then by code).
  static func rows(_ tallies: [String: [Tally]]) -> [String] {
    let codes = tallies.keys.filter { $0 != "valid" }.sorted()
    let header = "| verdict | " + LibvirtBuild.all.map { "libvirt \($0.version)" }.joined(separator: " | ") + " |"
    let labels = [("valid (no error)", "valid")] + codes.map { ("[`\($0)`](#rules)", $0) }
    return [header]
      + labels.compactMap { label, key in
        tallies[key].map { "| \(label) | " + $0.map(\.cell).joined(separator: " | ") + " |" }
      }
  }
}
