/// The samples of one measured field, and what the report says of them.
struct Series {
  /// Every value recorded, in order (including the -1 of a failed measurement).
  var raw: [Double]

  /// The valid values (a failed measurement is recorded as a negative number), sorted.
  var valid: [Double] { raw.filter { $0 >= 0 }.sorted() }

  /// The median of the valid values: the middle one, or the mean of the middle two.
  var median: Double? {
    let values = valid
    guard !values.isEmpty else { return nil }
    let middle = values.count / 2
    return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
  }

  var minimum: Double? { valid.first }
  var maximum: Double? { valid.last }
  var count: Int { valid.count }

  /// Every value multiplied by `factor` (unit changes: KiB to MB, s to ms).
  func scaled(_ factor: Double) -> Series { Series(raw: raw.map { $0 < 0 ? $0 : $0 * factor }) }
}

/// The `.runs` files of one scripts/bench run: one line per sample, `name=value` fields.
struct Runs {
  let directory: String

  /// The values of `field` in `SERIES.runs`; empty when the file is missing.
  func series(_ name: String, _ field: String) -> Series {
    let text = String(decoding: readFileIfPresent("\(directory)/\(name).runs"), as: UTF8.self)
    var values: [Double] = []
    for line in text.split(separator: "\n") {
      for item in line.split(separator: " ") {
        let parts = item.split(separator: "=", maxSplits: 1)
        if parts.count == 2, parts[0] == field, let value = Double(parts[1]) { values.append(value) }
      }
    }
    return Series(raw: values)
  }
}
