/// Renders a ``CapabilityMatrix`` as GitHub-flavoured Markdown: a table of the
/// builds, the legend, and the matrix with one bold heading row per family.
public enum MarkdownReport {
  /// The whole report, ending in a newline.
  public static func render(_ matrix: CapabilityMatrix) -> String {
    var lines: [String] = []
    lines.append("### QEMU builds")
    lines.append("")
    lines.append("| source | QEMU | package | arch | machine types | failed |")
    lines.append("|---|---|---|---|---|---|")
    for column in matrix.columns {
      lines.append(
        "| \(cell(column.source)) | \(column.version) | \(cell(column.package.isEmpty ? "upstream" : column.package)) | \(cell(column.arch)) | \(column.machineCount) | \(column.failedCount) |"
      )
    }
    lines.append("")
    lines.append("### ACPI PCI hotplug by machine type")
    lines.append("")
    lines.append(ReportLegend.cellLayout)
    lines.append("")
    for entry in ReportLegend.entries {
      lines.append("- `\(entry.symbol)`: \(entry.meaning)")
    }
    lines.append("")
    let headers = matrix.columns.map { column in
      cell("QEMU \(column.label)") + (column.package.isEmpty ? "" : "<br>\(cell(column.package))")
    }
    lines.append("| machine type | PM device | " + headers.joined(separator: " | ") + " |")
    lines.append("|---|---|" + String(repeating: "---|", count: matrix.columns.count))
    for group in matrix.groups {
      let title = group.family == MachineFamily.standalone ? "other machine types" : group.family
      lines.append(
        "| **\(cell(title))** | |" + String(repeating: " |", count: matrix.columns.count))
      for row in group.rows {
        var label = cell(row.name)
        if let note = row.aliasNote(columns: matrix.columns) { label += " (alias \(cell(note)))" }
        let devices = cell(row.pmDeviceText)
        let cells = row.cells.enumerated().map { index, value in
          value.text + (row.deprecated[index] ? " †" : "")
        }
        lines.append("| \(label) | \(devices) | " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Text from a capability file or its name, safe inside a table cell: shown as
  /// written, never read as Markdown or HTML (``MarkdownText/inert(_:)``).
  static func cell(_ text: String) -> String {
    MarkdownText.inert(text)
  }
}
