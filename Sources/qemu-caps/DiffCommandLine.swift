import ArgumentParser
import QEMUCapsDiff
import QEMUCapsJSON
import QEMUCapsLookup
import QEMUCapsModel

/// `qemu-caps diff`: the semantic differences between two capability files.
struct DiffCommandLine: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two capability files: machine types added or removed, option support and defaults changed.",
    discussion: """
      OLD and NEW are capability files, or directories of them (such as capabilities-data) \
      with --old-version and --new-version choosing the build. Texts that explain an \
      unsupported option or a failed probe are compared only with --reasons, the binary's \
      fields only with --include-binary. Without OLD and NEW, both are the capability \
      snapshots: ./capabilities-data, else those installed with qemu-caps.

      Exit status: 0 equal, 1 different, 2 an error, 128 + N stopped by signal N. See \
      docs/cli.md, "diff".

      Examples:
        qemu-caps diff capabilities-data/qemu-7.2.22.xml caps.xml
        qemu-caps diff capabilities-data capabilities-data --old-version 7.2 --new-version 10.0 --json
        qemu-caps diff --old-version 10.0 --new-version 11.1
      """
  )

  @Argument(
    help: "The old capability file, or a directory of them (default: the capability snapshots).",
    completion: .file())
  var old: String?

  @Argument(
    help: "The new capability file, or a directory of them (default: the capability snapshots).",
    completion: .file())
  var new: String?

  @Option(name: .long, help: "When OLD is a directory: the QEMU version to take from it, exact or a prefix.")
  var oldVersion: String?

  @Option(name: .long, help: "When NEW is a directory: the QEMU version to take from it, exact or a prefix.")
  var newVersion: String?

  @Flag(name: .long, help: "Also compare the binary's path, size, modification time and SHA-256.")
  var includeBinary = false

  @Flag(
    name: .long,
    help: "Also compare why an option is unsupported (OPTION.reason) and why a probe failed (failure).")
  var reasons = false

  @Flag(name: .long, help: "Print the differences as one JSON object.")
  var json = false

  @OptionGroup var global: GlobalOptions

  /// 2: changes no longer count a reworded reason, and may name `OPTION.reason` and `failure`.
  static var jsonSchemaVersion: Int64 { 2 }

  var wantsJSON: Bool { json }

  func check() throws(UsageError) {
    try StandardInput.checkReadOnce([old, new])
    if old != nil && new == nil {
      throw UsageError("give both OLD and NEW, or neither to compare two builds of the capability snapshots")
    }
  }

  func run() throws {
    global.bootstrapLogging()
    let snapshots = { () throws(ExitFailure) -> String in
      try ExitFailure.wrap { () throws(LookupError) in try CapabilityDataLocation.locate() }
    }
    let before = try Self.load(old ?? snapshots(), version: oldVersion, flag: "--old-version")
    let after = try Self.load(new ?? snapshots(), version: newVersion, flag: "--new-version")
    let diff = CapabilityDiff(
      old: before, new: after, options: .init(includeBinary: includeBinary, includeReasons: reasons))
    if json {
      Output.json(diff.json)
    } else if diff.isEqual {
      Output.result("no differences")
    } else {
      for line in diff.lines { Output.result(line) }
    }
    if !diff.isEqual { throw ExitCode(1) }
  }

  /// One side of the comparison: a file, or one build of a directory.
  private static func load(_ path: String, version: String?, flag: String) throws(ExitFailure) -> CapabilityDocument {
    try StandardInput.check(path)
    let hint = { (error: LookupError) -> String? in
      switch error.code {
      case .ambiguousVersion: "choose one with \(flag)"
      case .badVersion: "it was given with \(flag)"
      default: nil
      }
    }
    return try ExitFailure.wrap(hint: hint) {
      () throws(LookupError) in
      try CapabilityIndex(path: path, inputs: QEMUCapsCommand.inputs).build(version: version).document
    }
  }
}
