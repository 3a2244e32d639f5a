import QEMUCapsFiles
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Where a command writes a document: standard output, or a file (`--output`, `qmp
/// --record`; `-` also means standard output), written as every output file is. The
/// one output path of every command: a failure is exit status 2 with code `output.write`.
enum OutputDestination {
  /// Whether `path` (an `--output` value) means standard output: none, or `-`.
  static func isStandardOutput(_ path: String?) -> Bool {
    path == nil || path == "-"
  }

  /// Write `bytes` to `path`, or to standard output when `path` is `nil` or `-`.
  ///
  /// - Parameter what: what the file holds, put before a failed write's message
  ///   (`the recording`) when the command's result goes elsewhere.
  /// - Throws: an exit status 2 ``ExitFailure`` (code `output.write`) naming the file
  ///   when it cannot be written.
  static func write(_ bytes: [UInt8], to path: String?, what: String? = nil) throws(ExitFailure) {
    guard let path, !isStandardOutput(path) else {
      Terminal.print(String(decoding: bytes, as: UTF8.self), terminator: "")
      return
    }
    guard !isClosedStream(path) else {
      throw failure("cannot write \(path): it is a closed standard stream (Bad file descriptor)")
    }
    do {
      try OutputFile.write(bytes, to: path, inputs: QEMUCapsCommand.inputs)
    } catch {
      throw failure((what.map { "\($0): " } ?? "") + error.description)
    }
  }

  private static func failure(_ message: String) -> ExitFailure {
    ExitFailure(message: message, code: ExitFailure.errorStatus, errorCode: "output.write")
  }

  /// Whether `path` names one of the standard streams (`/dev/stdout`, `/dev/fd/1`,
  /// `/proc/self/fd/1`, …) that was closed when the command started: its number then
  /// holds the read-only /dev/null that ``Terminal`` reserves, and writing through the
  /// path would succeed without writing anywhere.
  private static func isClosedStream(_ path: String) -> Bool {
    let names = ["/dev/stdin": Int32(0), "/dev/stdout": 1, "/dev/stderr": 2]
    var number = names[path]
    for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(Syscalls.processID())/fd/"]
    where path.hasPrefix(prefix) {
      number = Int32(path.dropFirst(prefix.count))
    }
    guard let number else { return false }
    return Terminal.wasClosedAtStart(number)
  }
}
