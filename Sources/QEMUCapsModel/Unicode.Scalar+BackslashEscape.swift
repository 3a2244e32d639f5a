extension Unicode.Scalar {
  /// `\xNN` below U+0100, `\u{hex}` above: how a character that must not be shown or
  /// stored as it is (a control character, a bidirectional override) is written out.
  package var backslashEscape: String {
    let hex = String(value, radix: 16)
    if value < 0x100 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
    return "\\u{\(hex)}"
  }
}
