/// One `-global DRIVER.PROPERTY=VALUE` QEMU argument.
public struct QEMUGlobal: Sendable, Hashable, CustomStringConvertible {
  /// The device type, e.g. `ICH9-LPC`.
  public var driver: String
  /// The property, e.g. `acpi-pci-hotplug-with-bridge-support`.
  public var property: String
  /// The value as written, e.g. `off`.
  public var value: String

  /// Create a global.
  public init(driver: String, property: String, value: String) {
    self.driver = driver
    self.property = property
    self.value = value
  }

  /// Parse the word after `-global`: `DRIVER.PROPERTY=VALUE`; `nil` when it is not of that form.
  public init?(_ word: String) {
    guard let equals = word.firstIndex(of: "="), let dot = word[..<equals].firstIndex(of: ".") else { return nil }
    driver = String(word[..<dot])
    property = String(word[word.index(after: dot)..<equals])
    value = String(word[word.index(after: equals)...])
    guard !driver.isEmpty, !property.isEmpty else { return nil }
  }

  /// `DRIVER.PROPERTY`: two globals with the same key set the same thing.
  public var key: String { "\(driver).\(property)" }

  /// `DRIVER.PROPERTY=VALUE`.
  public var description: String { "\(key)=\(value)" }

  /// The globals among argv words (`-global X` or `--global X` pairs), in order.
  public static func parse(arguments: [String]) -> [QEMUGlobal] {
    var result: [QEMUGlobal] = []
    var index = 0
    while index < arguments.count {
      if arguments[index] == "-global" || arguments[index] == "--global", index + 1 < arguments.count {
        if let global = QEMUGlobal(arguments[index + 1]) { result.append(global) }
        index += 2
      } else {
        index += 1
      }
    }
    return result
  }

  /// Whether two values mean the same switch position (`on`/`yes`/`true`/`y`, `off`/`no`/`false`/`n`, as QEMU parses booleans).
  public func sameValue(as other: QEMUGlobal) -> Bool {
    Self.normalized(value) == Self.normalized(other.value)
  }

  private static func normalized(_ value: String) -> String {
    switch value.lowercased() {
    case "on", "true", "yes", "y": "on"
    case "off", "false", "no", "n": "off"
    default: value
    }
  }
}
