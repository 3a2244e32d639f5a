/// `-` as an input path: standard input, which can be read once, and which must have
/// been open when the command started (a closed one holds the read-only /dev/null
/// ``Terminal`` reserves, which reads as an empty file).
enum StandardInput {
  /// Refuse a command line that names `-` for more than one of its inputs: the second
  /// would read standard input empty.
  ///
  /// - Throws: ``UsageError``.
  static func checkReadOnce(_ paths: [String?]) throws(UsageError) {
    guard paths.filter({ $0 == "-" }).count > 1 else { return }
    throw UsageError("only one input can be standard input ('-')")
  }

  /// Refuse `path` when it is `-` and standard input was closed at start.
  ///
  /// - Throws: an exit status 2 ``ExitFailure`` saying standard input is closed.
  static func check(_ path: String?) throws(ExitFailure) {
    guard path == "-", Terminal.wasClosedAtStart(0) else { return }
    throw ExitFailure(
      message: "cannot read standard input ('-'): it is closed (Bad file descriptor); give a file or pipe one in",
      code: ExitFailure.errorStatus, errorCode: "input.closed")
  }
}
