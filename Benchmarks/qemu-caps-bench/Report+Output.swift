import QEMUCaps
import QEMUCapsJSON

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Report.Figures {
  /// `value` printed with a C format, `-` when there is none.
  static func format(_ value: Double?, _ format: String) -> String {
    guard let value else { return "-" }
    return withVaList([value]) { arguments in
      var buffer = [CChar](repeating: 0, count: 64)
      let count = max(0, min(Int(vsnprintf(&buffer, buffer.count, format, arguments)), buffer.count - 1))
      return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  }

  /// `min-max (n=N)` of a series, `-` when empty.
  func spread(_ name: String, _ field: String, _ scale: Double, _ format: String) -> String {
    let series = runs.series(name, field).scaled(scale)
    guard let low = series.minimum, let high = series.maximum else { return "-" }
    return "\(Self.format(low, format))-\(Self.format(high, format)) (n=\(series.count))"
  }

  static func row(_ columns: String...) -> String {
    let widths = [44, 12, 24, 34]
    var line = ""
    for (index, column) in columns.enumerated() {
      if index < widths.count {
        let padding = max(0, widths[index] - column.count)
        // The median column is right-aligned, the others left-aligned.
        line +=
          index == 1 ? String(repeating: " ", count: padding) + column : column + String(repeating: " ", count: padding)
        line += index == 1 ? "  " : " "
      } else {
        line += column
      }
    }
    return line + "\n"
  }

  /// The table scripts/bench prints.
  func table() -> String {
    let verdict = Dictionary(uniqueKeysWithValues: targets.map { ($0.key, $0) })
    func result(_ key: String) -> String { verdict[key]?.result ?? "n/a" }
    func limit(_ key: String, _ format: String) -> String { Self.format(verdict[key]?.limit, format) }
    let f = Self.format
    let runsCount = options["runs"] ?? "?"
    var text = "\n"
    text +=
      "qemu-caps bench: QEMU \(options["qemu-version"] ?? "?"), \(options["machines"] ?? "?") machine types, \(jobs) CPUs, libvirt \(options["libvirt"] ?? "?")\n"
    text +=
      "medians of \(runsCount) runs (millisecond commands: \(options["reps"] ?? "?") runs); load average \(options["load-start"] ?? "?") at start, \(options["load-end"] ?? "?") at end\n\n"
    text += Self.row("measurement", "median", "min-max", "target", "result")
    text += Self.row(
      "full probe, cold, jobs \(jobs) (default)", f(probeDefault, "%.3f s"),
      spread("probe.jobsDefault", "wall_s", 1, "%.3f"),
      "<= 0.25 x libvirt = \(limit("libvirt", "%.3f s"))", result("libvirt"))
    text += Self.row("", "", "", "<= 1.2 x floor = \(limit("floor", "%.3f s"))", result("floor"))
    text += Self.row(
      "full probe, cold, jobs 1", f(probeOne, "%.3f s"), spread("probe.jobs1", "wall_s", 1, "%.3f"),
      "<= 1.2 x floor = \(limit("floor1", "%.3f s"))", result("floor1"))
    text += Self.row(
      "probe peak RSS, qemu-caps alone", f(verdict["rss"]?.value, "%.1f MB"),
      spread("probe.jobsDefault", "self_rss_kb", 0.001024, "%.1f"), "<= 40 MB", result("rss"))
    text += Self.row(
      "  (GNU time %M: max with its QEMU children)", f(median("probe.jobsDefault", "tree_rss_kb", 0.001024), "%.1f MB"),
      spread("probe.jobsDefault", "tree_rss_kb", 0.001024, "%.1f"), "", "info")
    text += Self.row(
      "floor, jobs \(jobs)", f(floorDefault, "%.3f s"), spread("floor.jobsDefault", "wall_s", 1, "%.3f"), "", "")
    text += Self.row("floor, jobs 1", f(floorOne, "%.3f s"), spread("floor.jobs1", "wall_s", 1, "%.3f"), "", "")
    text += Self.row(
      "floor with -sandbox, jobs \(jobs)", f(median("floor.sandbox", "wall_s"), "%.3f s"),
      spread("floor.sandbox", "wall_s", 1, "%.3f"), "", "info")
    text += Self.row(
      "libvirt probe, cold (virsh as run here)", f(libvirtThisInit, "%.3f s"),
      spread("libvirt.thisInit", "wall_s", 1, "%.3f"), "", "")
    text += Self.row(
      "libvirt probe, cold, orphans reaped at once", f(libvirtPrompt, "%.3f s"), spread("libvirt", "wall_s", 1, "%.3f"),
      "", "info")
    text += Self.row(
      "cached lookup (--qemu), process", f(verdict["cached"]?.value, "%.1f ms"),
      spread("lookup.cached", "wall_s", 1000, "%.1f"), "<= 20 ms", result("cached"))
    text += Self.row(
      "directory lookup (--caps DIR), process", f(median("lookup.directory", "wall_s", 1000), "%.1f ms"),
      spread("lookup.directory", "wall_s", 1000, "%.1f"), "", "")
    text += Self.row(
      "validate, process", f(verdict["validate"]?.value, "%.1f ms"), spread("validate", "wall_s", 1000, "%.1f"),
      "<= 20 ms", result("validate"))
    text += Self.row(
      "lookups per second, one core", f(verdict["lookups"]?.value, "%.0f"),
      spread("library", "lookups_per_s", 1, "%.0f"), ">= 1,000,000", result("lookups"))
    text += Self.row(
      "validations per second, one core", f(verdict["validations"]?.value, "%.0f"),
      spread("library", "validations_per_s", 1, "%.0f"), ">= 20,000", result("validations"))
    let ratio = Dictionary(uniqueKeysWithValues: ratios)
    text +=
      "\nratios: probe/libvirt \(f(ratio["probe/libvirt"] ?? nil, "%.2f")) (against libvirt with orphans reaped at once: \(f(ratio["probe/libvirt.promptReaper"] ?? nil, "%.2f"))); probe/floor: jobs \(jobs) \(f(ratio["probe/floor.jobsDefault"] ?? nil, "%.2f")), jobs 1 \(f(ratio["probe.jobs1/floor.jobs1"] ?? nil, "%.2f"))\n"
    if let problems = options["problems"], problems != "0" {
      text += "\(problems) problem(s) during the measurements: see the messages above\n"
    }
    return text
  }

  /// Every sample, the statistics, ratios and verdicts, as JSON.
  func json() -> JSON {
    func series(_ name: String, _ field: String, _ unit: String) -> JSON {
      let values = runs.series(name, field)
      return .object(
        JSONObject([
          ("unit", .string(unit)), ("median", values.median.map(JSON.double) ?? .null),
          ("min", values.minimum.map(JSON.double) ?? .null), ("max", values.maximum.map(JSON.double) ?? .null),
          ("raw", .array(values.raw.map(JSON.double))),
        ]))
    }
    func integer(_ key: String) -> JSON { options[key].flatMap { Int64($0) }.map(JSON.int) ?? .null }
    func text(_ key: String) -> JSON { .string(options[key] ?? "unknown") }
    let measurements: [(String, JSON)] = [
      ("probe.jobsDefault", series("probe.jobsDefault", "wall_s", "s")),
      ("probe.jobs1", series("probe.jobs1", "wall_s", "s")),
      ("probe.selfRSS", series("probe.jobsDefault", "self_rss_kb", "KiB")),
      ("probe.treeRSS", series("probe.jobsDefault", "tree_rss_kb", "KiB")),
      ("probe.jobs1.selfRSS", series("probe.jobs1", "self_rss_kb", "KiB")),
      ("floor.jobsDefault", series("floor.jobsDefault", "wall_s", "s")),
      ("floor.jobs1", series("floor.jobs1", "wall_s", "s")),
      ("floor.sandbox", series("floor.sandbox", "wall_s", "s")),
      ("libvirt", series("libvirt", "wall_s", "s")),
      ("libvirt.thisInit", series("libvirt.thisInit", "wall_s", "s")),
      ("lookup.cached", series("lookup.cached", "wall_s", "s")),
      ("lookup.directory", series("lookup.directory", "wall_s", "s")),
      ("validate", series("validate", "wall_s", "s")),
      ("library.lookupsPerSecond", series("library", "lookups_per_s", "1/s")),
      ("library.validationsPerSecond", series("library", "validations_per_s", "1/s")),
    ]
    return .object(
      JSONObject([
        ("date", text("date")),
        ("git", .object(JSONObject([("commit", text("commit")), ("dirty", .bool(options["dirty"] == "true"))]))),
        (
          "host",
          .object(
            JSONObject([
              ("cpus", integer("jobs")), ("kernel", text("kernel")), ("loadAverageStart", text("load-start")),
              ("loadAverageEnd", text("load-end")),
            ]))
        ),
        (
          "qemu",
          .object(
            JSONObject([
              ("path", text("qemu")), ("version", text("qemu-version")), ("machineTypes", integer("machines")),
            ]))
        ),
        ("libvirtVersion", text("libvirt")),
        ("runs", integer("runs")), ("reps", integer("reps")), ("jobsDefault", integer("jobs")),
        ("measurements", .object(JSONObject(measurements))),
        ("ratios", .object(JSONObject(ratios.map { ($0.0, $0.1.map(JSON.double) ?? .null) }))),
        ("targets", .array(targets.map(\.json))),
        ("problems", integer("problems")),
      ]))
  }
}
