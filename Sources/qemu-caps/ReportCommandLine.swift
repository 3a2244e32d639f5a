import ArgumentParser
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsReport

/// `qemu-caps report`: the capability matrix of several QEMU builds.
struct ReportCommandLine: ToolCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Print a matrix of machine types by QEMU builds: support and default of both hotplug options.",
    discussion: """
      One row per machine type (grouped by family, newest first), one column per QEMU build (in \
      version order), one table per option (the HTML page shows both or one); each cell says \
      whether the option can be set there and its default: on or off (can be set), n/a or no PM \
      (cannot be set), FAILED (the probe failed), or · (not offered). Machine types that every \
      build treats alike are one row. Text from the files is shown as written, never read as \
      Markdown or HTML.

      Exit status: 0 written, 2 an error, 128 + N stopped by signal N. See docs/cli.md, "report".

      Examples:
        qemu-caps report capabilities-data
        qemu-caps report capabilities-data my-build.xml --format html --output matrix.html
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case markdown, html
  }

  @Argument(
    help: "Capability files or directories of them (default: ./capabilities-data, else the installed snapshots).",
    completion: .file())
  var paths: [String] = []

  @Option(name: .long, help: "markdown or html.")
  var format: Format = .markdown

  @Option(
    name: .long, help: "Write here (atomically; - is standard output) instead of standard output.",
    completion: .file())
  var output: String?

  @OptionGroup var global: GlobalOptions

  func check() throws(UsageError) {
    try StandardInput.checkReadOnce(paths)
  }

  func run() throws {
    global.bootstrapLogging()
    var loaded: [(document: CapabilityDocument, path: String)] = []
    let named =
      try paths.isEmpty
      ? [ExitFailure.wrap { () throws(LookupError) in try CapabilityDataLocation.locate() }] : paths
    for path in named {
      try StandardInput.check(path)
      let index = try ExitFailure.wrap { () throws(LookupError) in
        try CapabilityIndex(path: path, inputs: QEMUCapsCommand.inputs)
      }
      if index.builds.isEmpty {
        throw ExitFailure.usage("\(path) holds no capability files (*.xml)")
      }
      // The same file named twice, or a directory and a file in it, is one build.
      for build in index.builds where !loaded.contains(where: { $0.document == build.document }) {
        loaded.append((build.document, build.source))
      }
    }
    // A column is named by its file name, unless another file has that name too.
    let names = loaded.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }
    let documents = loaded.enumerated().map { index, entry in
      (document: entry.document, source: names.filter { $0 == names[index] }.count > 1 ? entry.path : names[index])
    }
    let matrix = CapabilityMatrix(documents: documents)
    let text =
      switch format {
      case .markdown: MarkdownReport.render(matrix)
      case .html: HTMLReport.render(matrix)
      }
    try OutputDestination.write(Array(text.utf8), to: output)
  }
}
