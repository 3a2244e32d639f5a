import QEMUCapsModel

/// Consecutive machine types of one family that a report shows as one row, because
/// every build says the same of each of them (`pc-i440fx-2.0 – 2.12`).
package struct RowRun: Sendable {
  /// The machine types, in display order (newest first).
  package var rows: [CapabilityMatrix.Row]

  /// The row the run shows: each member's cells, PM devices and deprecation are its.
  package var first: CapabilityMatrix.Row { rows[0] }

  /// The name of a single row; `pc-i440fx-2.0 – 2.12` (oldest to newest) for several.
  package var label: String {
    guard rows.count > 1, let newest = rows.first, let oldest = rows.last else { return first.name }
    return "\(oldest.name) – \(Self.version(of: newest) ?? newest.name)"
  }

  /// `rows` (one family, in display order) as runs, comparing only what the report
  /// shows for `options` (``shown(_:_:)``): a row with an alias or without a version number stays
  /// alone, and so does a row whose cells, PM devices or deprecation differ from the
  /// one before it.
  package static func runs(_ rows: [CapabilityMatrix.Row], options: [HotplugOption]) -> [RowRun] {
    var runs: [RowRun] = []
    for row in rows {
      if let last = runs.last?.rows.last, joins(row, after: last, options: options) {
        runs[runs.count - 1].rows.append(row)
      } else {
        runs.append(RowRun(rows: [row]))
      }
    }
    return runs
  }

  private static func joins(_ row: CapabilityMatrix.Row, after last: CapabilityMatrix.Row, options: [HotplugOption])
    -> Bool
  {
    guard row.family == last.family, version(of: row) != nil, version(of: last) != nil else { return false }
    guard row.aliases.allSatisfy({ $0 == nil }), last.aliases.allSatisfy({ $0 == nil }) else { return false }
    return row.deprecated == last.deprecated && row.pmDevices == last.pmDevices
      && options.allSatisfy { option in shown(row, option) == shown(last, option) }
  }

  /// What the report shows of `option` in each build's cell of `row`: its kind and
  /// text, not the reason behind them (which names the machine type).
  package static func shown(_ row: CapabilityMatrix.Row, _ option: HotplugOption) -> [String] {
    row.cells.map { cell in
      let state = OptionCell(cell, option: option)
      return "\(state.kind.style) \(state.text)"
    }
  }

  /// The version part of a versioned name in its family (`2.12` of `pc-i440fx-2.12`).
  private static func version(of row: CapabilityMatrix.Row) -> String? {
    guard row.family != MachineFamily.standalone, row.name.hasPrefix(row.family + "-") else { return nil }
    let version = row.name.dropFirst(row.family.count + 1)
    return version.first?.isNumber == true ? String(version) : nil
  }
}
