import QEMUCapsFiles
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
    try checkNotClosedStream(path)
    do {
      try OutputFile.write(bytes, to: path, inputs: QEMUCapsCommand.inputs)
    } catch {
      throw ExitFailure(message: error.description, code: ExitFailure.errorStatus)
    }
  }

  /// Refuse `path` when it names one of the standard streams (`/dev/stdout`,
  /// `/dev/fd/1`, `/proc/self/fd/1`, …) that was closed when the command started: its
  /// number then holds the read-only /dev/null that ``Terminal`` reserves, and writing
  /// through the path would succeed without writing anywhere.
  ///
  /// - Throws: an exit status 2 ``ExitFailure`` naming the path.
  static func checkNotClosedStream(_ path: String) throws(ExitFailure) {
    let names = ["/dev/stdin": Int32(0), "/dev/stdout": 1, "/dev/stderr": 2]
    var number = names[path]
    for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(Syscalls.processID())/fd/"]
    where path.hasPrefix(prefix) {
      number = Int32(path.dropFirst(prefix.count))
    }
    guard let number, Terminal.wasClosedAtStart(number) else { return }
    throw ExitFailure(
      message: "cannot write \(path): it is a closed standard stream (Bad file descriptor)",
      code: ExitFailure.errorStatus,
      errorCode: "output.write")
  }
}
