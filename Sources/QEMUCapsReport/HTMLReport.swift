import QEMUCapsXML

/// Renders a ``CapabilityMatrix`` as one self-contained HTML page: inline CSS, no
/// scripts, nothing fetched. Colour marks each state and the same state is always
/// written in words too, so the page reads in grey scale and to screen readers.
public enum HTMLReport {
  /// The whole page.
  public static func render(_ matrix: CapabilityMatrix, title: String = "qemu-caps: ACPI PCI hotplug by machine type")
    -> String
  {
    var html: [String] = []
    html.append("<!DOCTYPE html>")
    html.append("<html lang=\"en\">")
    html.append("<head>")
    html.append("<meta charset=\"utf-8\">")
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    html.append("<title>\(escape(title))</title>")
    html.append("<style>\(style)</style>")
    html.append("</head>")
    html.append("<body>")
    html.append("<h1>\(escape(title))</h1>")
    html.append("<h2>QEMU builds</h2>")
    html.append("<table class=\"builds\">")
    html.append(
      "<thead><tr><th>source</th><th>QEMU</th><th>package</th><th>arch</th><th>machine types</th><th>failed</th></tr></thead>"
    )
    html.append("<tbody>")
    for column in matrix.columns {
      html.append(
        "<tr><td>\(escape(column.source))</td><td>\(escape(column.version))</td><td>\(escape(column.package.isEmpty ? "upstream" : column.package))</td><td>\(escape(column.arch))</td><td>\(column.machineCount)</td><td>\(column.failedCount)</td></tr>"
      )
    }
    html.append("</tbody></table>")
    html.append("<h2>Legend</h2>")
    html.append("<p>\(escape(ReportLegend.cellLayout)) Hover over a cell for the full reason.</p>")
    html.append("<ul class=\"legend\">")
    for entry in ReportLegend.entries {
      html.append(
        "<li><span class=\"swatch \(entry.style)\">\(escape(entry.symbol))</span> \(escape(entry.meaning))</li>")
    }
    html.append("</ul>")
    html.append("<h2>Matrix</h2>")
    html.append("<table class=\"matrix\">")
    html.append("<thead><tr><th rowspan=\"2\" class=\"name\">machine type</th><th rowspan=\"2\">PM device</th>")
    for column in matrix.columns {
      let package = column.package.isEmpty ? "" : "<br><span class=\"package\">\(escape(column.package))</span>"
      html.append("<th colspan=\"2\" class=\"build\">QEMU \(escape(column.label))\(package)</th>")
    }
    html.append("</tr><tr>")
    for _ in matrix.columns {
      html.append(
        "<th class=\"sub\" title=\"acpi-hotplug-bridge (acpi-pci-hotplug-with-bridge-support)\">bridge</th><th class=\"sub\" title=\"acpi-root-hotplug (acpi-root-pci-hotplug)\">root</th>"
      )
    }
    html.append("</tr></thead>")
    for group in matrix.groups {
      let heading = group.family == MachineFamily.standalone ? "other machine types" : group.family
      html.append("<tbody>")
      html.append(
        "<tr class=\"family\"><th colspan=\"\(2 + 2 * matrix.columns.count)\" scope=\"rowgroup\">\(escape(heading))</th></tr>"
      )
      for row in group.rows {
        html.append(render(row, columns: matrix.columns))
      }
      html.append("</tbody>")
    }
    html.append("</table>")
    html.append("</body>")
    html.append("</html>")
    return html.joined(separator: "\n") + "\n"
  }

  private static func render(_ row: CapabilityMatrix.Row, columns: [CapabilityMatrix.Column]) -> String {
    var label = "<th scope=\"row\" class=\"name\">\(escape(row.name))"
    if let note = row.aliasNote(columns: columns) {
      label += " <span class=\"alias\">(alias \(escape(note)))</span>"
    }
    label += "</th>"
    var cells = [label, "<td class=\"device\">\(escape(row.pmDeviceText))</td>"]
    for (index, cell) in row.cells.enumerated() {
      let build = "QEMU \(columns[index].label)"
      let dagger =
        row.deprecated[index] ? " <span class=\"dagger\" title=\"deprecated in \(escape(build))\">†</span>" : ""
      switch cell {
      case .absent:
        cells.append(
          "<td colspan=\"2\" class=\"absent\" title=\"\(escape(build)) does not offer \(escape(row.name))\">·</td>")
      case .failed(let message):
        cells.append(
          "<td colspan=\"2\" class=\"failed\" title=\"\(escape("\(build): \(message)"))\">FAILED\(dagger)</td>")
      case .noPMDevice:
        cells.append(
          "<td colspan=\"2\" class=\"nopm\" title=\"\(escape(row.name)) has no ACPI PM device in \(escape(build))\">no PM device\(dagger)</td>"
        )
      case .probed(_, let bridge, let root):
        cells.append(option(bridge, name: "acpi-hotplug-bridge", build: build, suffix: dagger))
        cells.append(option(root, name: "acpi-root-hotplug", build: build, suffix: dagger))
      }
    }
    return "<tr>" + cells.joined() + "</tr>"
  }

  private static func option(
    _ state: MatrixCell.OptionState, name: String, build: String, suffix: String = ""
  ) -> String {
    switch state {
    case .on: return "<td class=\"on\" title=\"\(name): default on in \(escape(build))\">on\(suffix)</td>"
    case .off: return "<td class=\"off\" title=\"\(name): default off in \(escape(build))\">off\(suffix)</td>"
    case .unsupported(let reason):
      return "<td class=\"na\" title=\"\(name): \(escape(reason))\">n/a\(suffix)</td>"
    }
  }

  /// Text safe in HTML content and in double-quoted attributes.
  static func escape(_ text: String) -> String {
    // Line breaks stay (a title attribute shows them); other control characters are
    // written out as \x1b and so on.
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { DisplayText.escaped(String($0)) }.joined(separator: "\n")
      .markupEscaped { $0 == ">" || $0 == "\"" || $0 == "'" }
  }

  private static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
    h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
    table{border-collapse:collapse;font-size:.85rem}
    th,td{border:1px solid #c8c8c8;padding:.2rem .45rem;text-align:center;white-space:nowrap}
    table.builds td,table.builds th{text-align:left}
    thead th{background:#f0f0f0;position:sticky;top:0}
    th.name{text-align:left;font-weight:normal;font-family:ui-monospace,Menlo,Consolas,monospace}
    thead th.name{font-family:inherit;font-weight:bold}
    td.device{font-family:ui-monospace,Menlo,Consolas,monospace;color:#444}
    .package,.alias{font-weight:normal;color:#555;font-size:.8em}
    th.sub{font-weight:normal;font-size:.8em}
    tr.family th{background:#e3e9f3;text-align:left;font-weight:bold}
    .on{background:#c9efd2;color:#0b4d1c}
    .off{background:#ffe3a3;color:#5c3b00;font-weight:bold}
    .na{background:#e4e4e4;color:#555}
    .nopm{background:#8a8a8a;color:#fff}
    .failed{background:#f5b5b5;color:#7a0000;font-weight:bold}
    .absent{background:#fff;color:#aaa}
    .deprecated{background:#fff;color:#000}
    .dagger{font-weight:bold}
    ul.legend{list-style:none;padding:0}
    ul.legend li{margin:.3rem 0}
    .swatch{display:inline-block;min-width:6.5rem;text-align:center;border:1px solid #c8c8c8;padding:.1rem .3rem;margin-right:.5rem}
    """
}
