/// A QEMU version number, `major.minor.micro`.
///
/// Versions order numerically (`7.10.0` after `7.9.0`). Every place that
/// compares or matches versions uses this type rather than strings.
public struct QEMUVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The major version, e.g. 7 of 7.2.22.
  public var major: Int
  /// The minor version, e.g. 2 of 7.2.22.
  public var minor: Int
  /// The micro (patch) version, e.g. 22 of 7.2.22.
  public var micro: Int

  /// Create a version from its parts.
  public init(major: Int, minor: Int, micro: Int) {
    self.major = major
    self.minor = minor
    self.micro = micro
  }

  /// Read `major.minor.micro`; `nil` unless the text is exactly three decimal numbers.
  public init?(_ text: String) {
    guard let parts = Self.components(text), parts.count == 3 else { return nil }
    self.init(major: parts[0], minor: parts[1], micro: parts[2])
  }

  /// `major.minor.micro`.
  public var description: String { "\(major).\(minor).\(micro)" }

  /// Whether `pattern` (`7`, `7.2` or `7.2.22`) names this version: its numbers
  /// equal this version's leading numbers. `7.2` matches 7.2.22, not 7.20.0;
  /// text that is not one to three decimal numbers matches nothing.
  public func matches(_ pattern: String) -> Bool {
    guard let wanted = Self.components(pattern), (1...3).contains(wanted.count) else { return false }
    return Array([major, minor, micro].prefix(wanted.count)) == wanted
  }

  /// Whether `pattern` is something ``matches(_:)`` can match: one to three decimal
  /// numbers separated by dots (`7`, `7.2`, `7.2.22`).
  public static func isPattern(_ pattern: String) -> Bool {
    guard let parts = components(pattern) else { return false }
    return (1...3).contains(parts.count)
  }

  /// Order by major, then minor, then micro version.
  public static func < (lhs: QEMUVersion, rhs: QEMUVersion) -> Bool {
    (lhs.major, lhs.minor, lhs.micro) < (rhs.major, rhs.minor, rhs.micro)
  }

  /// The dot-separated decimal numbers of `text`, or `nil` when any part is not one.
  private static func components(_ text: String) -> [Int]? {
    var numbers: [Int] = []
    for part in text.split(separator: ".", omittingEmptySubsequences: false) {
      guard !part.isEmpty, part.count <= 9, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(part)
      else { return nil }
      numbers.append(value)
    }
    return numbers
  }
}
