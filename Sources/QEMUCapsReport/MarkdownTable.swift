/// A GitHub-flavoured Markdown table that also reads as plain text: every column
/// padded to its widest cell, the delimiter row as wide as the column.
struct MarkdownTable {
  /// The header cells, already made inert.
  var header: [String]
  /// The body rows, each as many cells as the header, already made inert.
  var rows: [[String]] = []

  /// The table's lines.
  var lines: [String] {
    // A delimiter cell needs three dashes, so no column is narrower.
    let widths = header.indices.map { column in
      max(3, ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0)
    }
    let line = { (cells: [String]) in
      let padded = widths.indices.map { column in
        let text = cells.indices.contains(column) ? cells[column] : ""
        return text + String(repeating: " ", count: widths[column] - text.count)
      }
      return "| " + padded.joined(separator: " | ") + " |"
    }
    let delimiter = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
    return [line(header), delimiter] + rows.map(line)
  }
}
