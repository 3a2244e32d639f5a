import QEMUCapsSystem

/// Where a command writes its document: standard output, or a file given with
/// `--output` (`-` also means standard output), written as every output file is.
enum OutputDestination {
  /// Write `bytes` to `path`, or to standard output when `path` is `nil` or `-`.
  ///
  /// - Throws: an exit status 2 ``ExitFailure`` naming the file when it cannot be written.
  static func write(_ bytes: [UInt8], to path: String?) throws(ExitFailure) {
    guard let path, path != "-" else {
      Terminal.print(String(decoding: bytes, as: UTF8.self), terminator: "")
      return
    }
    do {
      try OutputFile.write(bytes, to: path)
    } catch {
      throw ExitFailure(message: error.description, code: ExitFailure.errorStatus)
    }
  }
}
