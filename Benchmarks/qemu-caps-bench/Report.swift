// The report of scripts/bench (`qemu-caps-bench report`): statistics, ratios and
// target verdicts from the samples the script measured, as a table and as JSON.
//
//   qemu-caps-bench report --dir DIR [--json FILE] [--NAME VALUE]...
//
// DIR holds one SERIES.runs file per measurement, one line per sample of
// `name=value` fields as Benchmarks/measure.c prints them (`wall_s=0.812
// self_rss_kb=10240 status=0 ...`), and library.runs with `lookups_per_s=N
// validations_per_s=N`. A negative value is a failed sample: kept in `raw`, left
// out of the statistics. The other options describe the run (see scripts/bench):
// --runs --reps --jobs --qemu --qemu-version --machines --libvirt --load-start
// --load-end --problems --commit --dirty --date --kernel.

import QEMUCaps
import QEMUCapsJSON

enum Report {
  /// One performance target: a measured value against a limit.
  struct Target {
    var key: String
    var name: String
    var value: Double?
    var op: String
    var limit: Double?

    var result: String {
      guard let value, let limit else { return "n/a" }
      return (op == "<=" ? value <= limit : value >= limit) ? "PASS" : "FAIL"
    }

    var json: JSON {
      .object(
        JSONObject([
          ("target", .string(name)), ("value", value.map(JSON.double) ?? .null), ("op", .string(op)),
          ("limit", limit.map(JSON.double) ?? .null), ("result", .string(result)),
        ]))
    }
  }

  static func run(_ arguments: ArraySlice<String>) {
    let options = parseOptions(arguments, context: "report: ")
    guard let directory = options["dir"] else { fail("report: --dir DIR is required") }
    let report = Report.Figures(runs: Runs(directory: directory), options: options)
    print(report.table(), terminator: "")
    if let path = options["json"] {
      let text = report.json().serialized(.pretty) + "\n"
      guard writeFile(path, text) else { fail("report: cannot write \(path)") }
      printError("bench: wrote \(path)\n")
    }
  }
}

extension Report {
  /// Every figure of one run, computed once.
  struct Figures {
    let runs: Runs
    let options: [String: String]
    let jobs: String

    init(runs: Runs, options: [String: String]) {
      self.runs = runs
      self.options = options
      self.jobs = options["jobs"] ?? "?"
    }

    func median(_ name: String, _ field: String, _ scale: Double = 1) -> Double? {
      runs.series(name, field).scaled(scale).median
    }

    var probeDefault: Double? { median("probe.jobsDefault", "wall_s") }
    var probeOne: Double? { median("probe.jobs1", "wall_s") }
    var floorDefault: Double? { median("floor.jobsDefault", "wall_s") }
    var floorOne: Double? { median("floor.jobs1", "wall_s") }
    /// libvirt as the issue runs it (virsh, orphans left to this machine's init): the target's reference.
    var libvirtThisInit: Double? { median("libvirt.thisInit", "wall_s") }
    var libvirtPrompt: Double? { median("libvirt", "wall_s") }

    static func ratio(_ lhs: Double?, _ rhs: Double?) -> Double? {
      guard let lhs, let rhs, rhs != 0 else { return nil }
      return lhs / rhs
    }

    var targets: [Target] {
      [
        Target(
          key: "libvirt", name: "full probe (jobs \(jobs)) <= 0.25 x libvirt", value: probeDefault, op: "<=",
          limit: libvirtThisInit.map { $0 / 4 }),
        Target(
          key: "floor", name: "full probe (jobs \(jobs)) <= 1.2 x floor (jobs \(jobs))", value: probeDefault,
          op: "<=", limit: floorDefault.map { $0 * 1.2 }),
        Target(
          key: "floor1", name: "full probe (jobs 1) <= 1.2 x floor (jobs 1)", value: probeOne, op: "<=",
          limit: floorOne.map { $0 * 1.2 }),
        Target(
          key: "rss", name: "probe peak RSS (MB) <= 40", value: median("probe.jobsDefault", "self_rss_kb", 0.001024),
          op: "<=", limit: 40),
        Target(
          key: "cached", name: "cached lookup (ms) <= 20", value: median("lookup.cached", "wall_s", 1000), op: "<=",
          limit: 20),
        Target(
          key: "validate", name: "validate (ms) <= 20", value: median("validate", "wall_s", 1000), op: "<=", limit: 20),
        Target(
          key: "lookups", name: "lookups/s >= 1000000", value: median("library", "lookups_per_s"), op: ">=",
          limit: 1_000_000),
        Target(
          key: "validations", name: "validations/s >= 20000", value: median("library", "validations_per_s"),
          op: ">=", limit: 20000),
      ]
    }

    var ratios: [(String, Double?)] {
      [
        ("probe/libvirt", Self.ratio(probeDefault, libvirtThisInit)),
        ("probe/libvirt.promptReaper", Self.ratio(probeDefault, libvirtPrompt)),
        ("probe/floor.jobsDefault", Self.ratio(probeDefault, floorDefault)),
        ("probe.jobs1/floor.jobs1", Self.ratio(probeOne, floorOne)),
      ]
    }
  }
}
