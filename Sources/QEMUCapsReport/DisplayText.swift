import QEMUCapsModel

/// Text from QEMU or a capability file made safe to show to people.
///
/// Capability files hold free text (the package string, a probe's failure message
/// with QEMU's own stderr) that a hostile QEMU build or file can fill with terminal
/// escape sequences, fake line breaks or bidirectional overrides. Every report and
/// listing passes such text through here, and so does the command-line tool's
/// terminal output.
package enum DisplayText {
  /// `text` with every control character (C0, DEL, C1) and bidirectional override
  /// written as `\x1b` or `\u{202e}`, so that it cannot move the cursor, retitle the
  /// terminal, fake output lines or reorder what follows it.
  package static func escaped(_ text: String) -> String {
    if !needsEscaping(text) { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
        || (0x2066...0x2069).contains(value)
      {
        result += scalar.backslashEscape
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// ``escaped(_:)`` with line breaks first turned into spaces: one line of a listing.
  package static func singleLine(_ text: String) -> String {
    escaped(String(text.map { $0.isNewline ? " " : $0 }))
  }

  /// Whether `text` holds a byte sequence ``escaped(_:)`` changes (a fast byte scan).
  private static func needsEscaping(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return false }
      for index in 0..<bytes.count {
        let byte = base[index]
        if byte < 0x20 || byte == 0x7F { return true }
        // C1 controls are C2 80...C2 9F; the bidirectional controls E2 80 AA...AE and E2 81 A6...A9.
        if byte == 0xC2 || byte == 0xE2 { return true }
      }
      return false
    }
  }
}
