import ArgumentParser
import QEMUCapsDiff
import QEMUCapsJSON
import QEMUCapsLookup

/// `qemu-caps diff`: the semantic differences between two capability files.
struct DiffCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two capability files: machine types added or removed, option support and defaults changed.",
    discussion: """
      Fields that differ between machines for the same build (binary path, size, times, \
      SHA-256) are ignored unless --include-binary is given. Exit status: 0 equal, 1 \
      different, 2 a file cannot be read.
      """
  )

  @Argument(help: "The old capability file.")
  var old: String

  @Argument(help: "The new capability file.")
  var new: String

  @Flag(name: .long, help: "Also compare the binary's path, size, modification time and SHA-256.")
  var includeBinary = false

  @Flag(name: .long, help: "Print the differences as one JSON object.")
  var json = false

  func run() throws {
    let (before, after) = try ExitFailure.wrap { () throws(LookupError) in
      (
        try CapabilityIndex(path: old).build(version: nil).document,
        try CapabilityIndex(path: new).build(version: nil).document
      )
    }
    let diff = CapabilityDiff(old: before, new: after, options: .init(includeBinary: includeBinary))
    if json {
      Terminal.print(diff.json.serialized())
    } else if diff.isEqual {
      Terminal.print("no differences")
    } else {
      for line in diff.lines { Terminal.line(line) }
    }
    if !diff.isEqual { throw ExitCode(1) }
  }
}
