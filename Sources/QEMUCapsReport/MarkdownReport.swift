import QEMUCapsModel

/// Renders a ``CapabilityMatrix`` as GitHub-flavoured Markdown that also reads as
/// plain text: a table of the builds, the legend, then one table per option, with
/// padded columns and nothing but words in the cells.
public enum MarkdownReport {
  /// The whole report, ending in a newline.
  public static func render(_ matrix: CapabilityMatrix) -> String {
    var lines: [String] = []
    lines.append("### QEMU builds")
    lines.append("")
    var builds = MarkdownTable(header: ["source", "QEMU", "package", "arch", "machine types", "failed"])
    for column in matrix.columns {
      builds.rows.append([
        cell(column.source), column.version, cell(column.package.isEmpty ? "upstream" : column.package),
        cell(column.arch), "\(column.machineCount)", "\(column.failedCount)",
      ])
    }
    lines += builds.lines
    lines.append("")
    lines.append("### How to read the tables")
    lines.append("")
    lines += wrapped(ReportLegend.cellLayout)
    lines.append("")
    for entry in ReportLegend.entries {
      lines += wrapped("- `\(entry.symbol)`: \(entry.meaning)", indent: "  ")
    }
    lines.append("")
    lines += wrapped(ReportLegend.rowNotes)
    for option in HotplugOption.allCases {
      lines.append("")
      lines.append("### \(option.rawValue) (QEMU property \(option.property))")
      lines.append("")
      lines += table(matrix, option: option).lines
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The table of `option`: one row per machine type or run of alike ones, one
  /// column per build, and the notes (alias, deprecation) last.
  private static func table(_ matrix: CapabilityMatrix, option: HotplugOption) -> MarkdownTable {
    var table = MarkdownTable(
      header: ["machine type", "PM device"] + matrix.columns.map(header) + ["notes"])
    for group in matrix.groups {
      for run in RowRun.runs(group.rows, options: [option]) {
        let row = run.first
        let notes = [
          row.aliasNote(columns: matrix.columns).map { "alias \($0)" }, row.deprecationNote(columns: matrix.columns),
        ].compactMap { $0 }.joined(separator: "; ")
        table.rows.append(
          [cell(run.label), cell(row.pmDeviceText)] + row.cells.map { OptionCell($0, option: option).text }
            + [cell(notes)])
      }
    }
    return table
  }

  /// A build's column header: its version (digits and dots, written as is: a table
  /// cell cannot start a list), then the source that tells it apart, made inert.
  private static func header(_ column: CapabilityMatrix.Column) -> String {
    guard column.label.hasPrefix(column.version) else { return cell(column.label) }
    return column.version + cell(String(column.label.dropFirst(column.version.count)))
  }

  /// `text` (the report's own prose) wrapped at 100 characters, for reading as text.
  private static func wrapped(_ text: String, indent: String = "") -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > 100 {
        lines.append(line)
        line = indent + word
      } else {
        line += (line.isEmpty ? "" : " ") + word
      }
    }
    return lines + [line]
  }

  /// Text from a capability file or its name, safe inside a table cell: shown as
  /// written, never read as Markdown or HTML (``MarkdownText/inert(_:)``).
  static func cell(_ text: String) -> String {
    MarkdownText.inert(text)
  }
}
