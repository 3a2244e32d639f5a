import QEMUCapsModel

/// The two kinds of strings in capability files: names, which must be safe tokens,
/// and free text (QEMU's messages, the package, paths), which keeps every character
/// through a backslash escape for what XML 1.0 cannot carry.
package enum CapabilityText {
  /// Reverse the writer's escapes: `\\` is a backslash, `\xNN` and `\u{hex}` a character.
  /// A backslash followed by anything else is kept as it is.
  package static func decode(_ text: String) -> String {
    guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
    let scalars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      guard scalar == "\\", index + 1 < scalars.count else {
        result.append(scalar)
        index += 1
        continue
      }
      let next = scalars[index + 1]
      if next == "\\" {
        result.append("\\")
        index += 2
      } else if next == "x", index + 3 < scalars.count,
        let value = UInt32(String(String.UnicodeScalarView(scalars[index + 2...index + 3])), radix: 16),
        let decoded = Unicode.Scalar(value)
      {
        result.append(decoded)
        index += 4
      } else if next == "u", index + 2 < scalars.count, scalars[index + 2] == "{",
        let close = scalars[(index + 3)...].prefix(7).firstIndex(of: "}"),
        let value = UInt32(String(String.UnicodeScalarView(scalars[index + 3..<close])), radix: 16),
        let decoded = Unicode.Scalar(value)
      {
        result.append(decoded)
        index = close + 1
      } else {
        result.append(scalar)
        index += 1
      }
    }
    return String(result)
  }
}
