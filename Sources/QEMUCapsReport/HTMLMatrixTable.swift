import QEMUCapsModel

/// One view of the HTML report's matrix: the table of one option, or of both side
/// by side. The header is one sticky unit (`thead`), so its rows stay whole and in
/// order when the page scrolls, whatever the font size.
struct HTMLMatrixTable {
  /// The build columns and machine type rows.
  var matrix: CapabilityMatrix
  /// The options shown, one cell each per build.
  var options: [HotplugOption]

  /// The table's markup.
  var html: String {
    var html = ["<table class=\"matrix\">", "<thead>"]
    let span = options.count
    let rowspan = span > 1 ? " rowspan=\"2\"" : ""
    var top =
      "<tr><th\(rowspan) scope=\"col\" class=\"name\">machine type</th><th\(rowspan) scope=\"col\">PM device</th>"
    for column in matrix.columns {
      let package = column.package.isEmpty ? "" : "<br><span class=\"package\">\(escape(column.package))</span>"
      top += "<th colspan=\"\(span)\" scope=\"colgroup\" class=\"build\">QEMU \(escape(column.label))\(package)</th>"
    }
    html.append(top + "</tr>")
    if span > 1 {
      let names = options.map { option in
        "<th scope=\"col\" class=\"sub\" title=\"\(option.rawValue) (\(option.property))\">\(Self.shortName(option))</th>"
      }
      html.append("<tr>" + String(repeating: names.joined(), count: matrix.columns.count) + "</tr>")
    }
    html.append("</thead>")
    for group in matrix.groups {
      let heading = group.family == MachineFamily.standalone ? "other machine types" : group.family
      html.append("<tbody>")
      html.append(
        "<tr class=\"family\"><th colspan=\"\(2 + span * matrix.columns.count)\" scope=\"rowgroup\">\(escape(heading))</th></tr>"
      )
      for run in RowRun.runs(group.rows, options: options) { html.append(row(run)) }
      html.append("</tbody>")
    }
    html.append("</table>")
    return html.joined(separator: "\n")
  }

  /// `bridge` or `root`: the sub-header of an option.
  static func shortName(_ option: HotplugOption) -> String {
    option == .acpiHotplugBridge ? "bridge" : "root"
  }

  private func row(_ run: RowRun) -> String {
    let row = run.first
    var label = "<th scope=\"row\" class=\"name\">"
    if run.rows.count > 1 {
      let members = run.rows.map { escape($0.name) }.joined(separator: ", ")
      label +=
        "<details><summary>\(escape(run.label)) <span class=\"count\">(\(run.rows.count) machine types)</span></summary><div class=\"members\">\(members)</div></details>"
    } else {
      label += escape(row.name)
    }
    if let note = row.aliasNote(columns: matrix.columns) {
      label += " <span class=\"alias\">(alias \(escape(note)))</span>"
    }
    if let note = row.deprecationNote(columns: matrix.columns) {
      label += " <span class=\"deprecated\">\(escape(note))</span>"
    }
    label += "</th>"
    var cells = [label, "<td class=\"device\">\(escape(row.pmDeviceText))</td>"]
    for (index, matrixCell) in row.cells.enumerated() {
      let build = "QEMU \(matrix.columns[index].label)"
      let states = options.map { OptionCell(matrixCell, option: $0) }
      if let whole = states.first, whole.isWholeMachine {
        cells.append(cell(whole, option: nil, span: options.count, build: build, machine: run.label))
      } else {
        for (option, state) in zip(options, states) {
          cells.append(cell(state, option: option, span: 1, build: build, machine: run.label))
        }
      }
    }
    return "<tr>" + cells.joined() + "</tr>"
  }

  private func cell(_ state: OptionCell, option: HotplugOption?, span: Int, build: String, machine: String) -> String {
    let subject = option.map { "\($0.rawValue) on \(machine)" } ?? machine
    let title: String
    switch state {
    case .settable(let value): title = "\(subject) in \(build): can be set, default \(value ? "on" : "off")"
    case .notSettable(let reason):
      // The reason names one machine type; a run shows the first's.
      title = "\(subject) in \(build): cannot be set: \(reason)"
    case .noPMDevice: title = "\(machine) has no ACPI PM device in \(build): no ACPI PCI hotplug"
    case .failed(let message): title = "\(build) could not probe \(machine): \(message)"
    case .absent: title = "\(build) does not offer \(machine)"
    }
    let colspan = span > 1 ? " colspan=\"\(span)\"" : ""
    return "<td\(colspan) class=\"\(state.kind.style)\" title=\"\(escape(title))\">\(escape(state.text))</td>"
  }

  private func escape(_ text: String) -> String { HTMLReport.escape(text) }
}
