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
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
  }

  /// Whether standard error is a terminal (progress display goes there).
  static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

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
