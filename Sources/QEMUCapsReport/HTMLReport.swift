import QEMUCapsModel
import QEMUCapsXML

/// Renders a ``CapabilityMatrix`` as one self-contained HTML page: inline CSS, no
/// scripts, nothing fetched. A cell's colour says whether the option can be set on
/// that machine type in that build, its text gives the default; every colour has its
/// own words too, so the page reads in grey scale and to screen readers.
///
/// The matrix comes in three views, both options and each alone, chosen with radio
/// buttons and CSS only. Consecutive machine types that every build treats alike are
/// one row (``RowRun``) that opens to list them.
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
    html.append("<p>\(escape(ReportLegend.rowNotes))</p>")
    html.append("<h2>Matrix</h2>")
    html.append("<fieldset class=\"views\"><legend>Show</legend>")
    for (index, view) in views.enumerated() {
      let checked = index == 0 ? " checked" : ""
      html.append(
        "<label><input type=\"radio\" name=\"view\" id=\"view-\(view.id)\" value=\"\(view.id)\"\(checked)> \(view.title)</label>"
      )
    }
    html.append("</fieldset>")
    for view in views {
      html.append("<section class=\"view\" id=\"matrix-\(view.id)\" aria-label=\"\(view.title)\">")
      html.append(HTMLMatrixTable(matrix: matrix, options: view.options).html)
      html.append("</section>")
    }
    html.append("</body>")
    html.append("</html>")
    return html.joined(separator: "\n") + "\n"
  }

  /// The views of the matrix: both options, then each alone; the first is shown first.
  static let views: [(id: String, title: String, options: [HotplugOption])] =
    [("both", "both options", HotplugOption.allCases)]
    + HotplugOption.allCases.map { (HTMLMatrixTable.shortName($0), "\($0.rawValue) (\($0.property))", [$0]) }

  /// Text safe in HTML content and in double-quoted attributes.
  static func escape(_ text: String) -> String {
    // Line breaks stay (a title attribute shows them); other control characters are
    // written out as \x1b and so on.
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { DisplayText.escaped(String($0)) }.joined(separator: "\n")
      .markupEscaped { $0 == ">" || $0 == "\"" || $0 == "'" }
  }

  /// Every view but the first is hidden until its radio button is checked (`:has`;
  /// a browser without it keeps showing the first).
  private static let viewStyle =
    ".view{display:none}#matrix-both{display:block}"
    + views.dropFirst().map { view in
      "body:has(#view-\(view.id):checked) #matrix-both{display:none}"
        + "body:has(#view-\(view.id):checked) #matrix-\(view.id){display:block}"
    }.joined()

  private static let style =
    """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fff}
    h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
    table{border-collapse:collapse;font-size:.85rem}
    th,td{border:1px solid #c8c8c8;padding:.2rem .45rem;text-align:center;white-space:nowrap}
    table.builds td,table.builds th{text-align:left}
    thead th{background:#f0f0f0}
    table.matrix{border-collapse:separate;border-spacing:0;border-left:1px solid #c8c8c8;border-top:1px solid #c8c8c8}
    table.matrix th,table.matrix td{border-width:0 1px 1px 0}
    table.matrix thead{position:sticky;top:0;z-index:1}
    th.name{text-align:left;font-weight:normal;font-family:ui-monospace,Menlo,Consolas,monospace}
    thead th.name{font-family:inherit;font-weight:bold}
    td.device{font-family:ui-monospace,Menlo,Consolas,monospace;color:#444}
    .package,.alias,.count{font-weight:normal;color:#555;font-size:.8em;font-family:system-ui,sans-serif}
    .deprecated{font-family:system-ui,sans-serif;font-size:.8em;font-style:italic;color:#8a4b00}
    details summary{cursor:pointer}
    .members{white-space:normal;max-width:24rem;color:#444;font-size:.9em}
    th.sub{font-weight:normal;font-size:.8em}
    tr.family th{background:#e3e9f3;text-align:left;font-weight:bold}
    .settable{background:#c9efd2;color:#0b4d1c}
    .fixed{background:#f3c4c0;color:#6b1010}
    .failed{background:#dccff5;color:#3d1a78;font-weight:bold}
    .absent{background:#fff;color:#999}
    fieldset.views{border:1px solid #c8c8c8;display:inline-block;margin-bottom:.8rem}
    fieldset.views label{margin-right:1rem}
    ul.legend{list-style:none;padding:0}
    ul.legend li{margin:.3rem 0}
    .swatch{display:inline-block;min-width:6.5rem;text-align:center;border:1px solid #c8c8c8;padding:.1rem .3rem;margin-right:.5rem}

    """ + viewStyle
}
