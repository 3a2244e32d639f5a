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

  /// How a table row shows a field: scaled from the unit the samples are in, with a C format.
  enum Unit {
    case seconds, milliseconds, megabytes, perSecond

    var scale: Double {
      switch self {
      case .seconds, .perSecond: 1
      case .milliseconds: 1000
      case .megabytes: 0.001024  // from KiB
      }
    }

    /// The format of a value; the median column adds ``suffix``.
    var format: String {
      switch self {
      case .seconds: "%.3f"
      case .milliseconds, .megabytes: "%.1f"
      case .perSecond: "%.0f"
      }
    }

    var suffix: String {
      switch self {
      case .seconds: " s"
      case .milliseconds: " ms"
      case .megabytes: " MB"
      case .perSecond: ""
      }
    }
  }

  /// A table row of the samples of `field` in series `name`: its median and min-max in `unit`.
  func measured(
    _ label: String, _ name: String, _ field: String, _ unit: Unit, target: String = "", result: String = ""
  ) -> String {
    Self.row(
      label, Self.format(median(name, field, unit.scale), unit.format + unit.suffix),
      spread(name, field, unit.scale, unit.format), target, result)
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
    text += measured(
      "full probe, cold, jobs \(jobs) (default)", "probe.jobsDefault", "wall_s", .seconds,
      target: "<= 0.25 x libvirt = \(limit("libvirt", "%.3f s"))", result: result("libvirt"))
    text += Self.row("", "", "", "<= 1.2 x floor = \(limit("floor", "%.3f s"))", result("floor"))
    text += measured(
      "full probe, cold, jobs 1", "probe.jobs1", "wall_s", .seconds,
      target: "<= 1.2 x floor = \(limit("floor1", "%.3f s"))", result: result("floor1"))
    text += measured(
      "probe peak RSS, qemu-caps alone", "probe.jobsDefault", "self_rss_kb", .megabytes, target: "<= 40 MB",
      result: result("rss"))
    text += measured(
      "  (GNU time %M: max with its QEMU children)", "probe.jobsDefault", "tree_rss_kb", .megabytes, result: "info")
    text += measured("floor, jobs \(jobs)", "floor.jobsDefault", "wall_s", .seconds)
    text += measured("floor, jobs 1", "floor.jobs1", "wall_s", .seconds)
    text += measured("floor with -sandbox, jobs \(jobs)", "floor.sandbox", "wall_s", .seconds, result: "info")
    text += measured("libvirt probe, cold (virsh as run here)", "libvirt.thisInit", "wall_s", .seconds)
    text += measured("libvirt probe, cold, orphans reaped at once", "libvirt", "wall_s", .seconds, result: "info")
    text += measured(
      "cached lookup (--qemu), process", "lookup.cached", "wall_s", .milliseconds, target: "<= 20 ms",
      result: result("cached"))
    text += measured("directory lookup (--caps DIR), process", "lookup.directory", "wall_s", .milliseconds)
    text += measured(
      "validate, process", "validate", "wall_s", .milliseconds, target: "<= 20 ms", result: result("validate"))
    text += measured(
      "lookups per second, one core", "library", "lookups_per_s", .perSecond, target: ">= 1,000,000",
      result: result("lookups"))
    text += measured(
      "validations per second, one core", "library", "validations_per_s", .perSecond, target: ">= 20,000",
      result: result("validations"))
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
