import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Plain output to the terminal; only the executable writes to it.
enum Terminal {
  /// Write `text` and `terminator` to standard output.
  static func print(_ text: String, terminator: String = "\n") {
    Swift.print(text, terminator: terminator)
  }

  /// Write `qemu-caps: error: MESSAGE` to standard error.
  static func error(_ message: String) {
    writeStandardError("qemu-caps: error: \(message)\n")
  }

  /// Write raw text to standard error, unbuffered.
  static func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    // Nothing sensible is left to do when standard error itself fails.
    bytes.withUnsafeBytes { buffer in _ = try? Syscalls.writeAll(FileDescriptor(rawValue: 2), buffer) }
  }

  /// Whether standard error is a terminal (progress display goes there).
  static var standardErrorIsTerminal: Bool { Syscalls.isTerminal(FileDescriptor(rawValue: 2)) }

  /// The process environment as a dictionary.
  static var environment: [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return result
  }
}
