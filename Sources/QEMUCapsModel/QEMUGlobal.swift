/// One `-global DRIVER.PROPERTY=VALUE` QEMU argument.
public struct QEMUGlobal: Sendable, Hashable, CustomStringConvertible {
  /// The device type, e.g. `ICH9-LPC`.
  public var driver: String
  /// The property, e.g. `acpi-pci-hotplug-with-bridge-support`.
  public var property: String
  /// The value as written, e.g. `off`.
  public var value: String

  /// Parse the word after `-global` in either form QEMU takes (`qemu_global_option`):
  /// `DRIVER.PROPERTY=VALUE`, or `driver=DRIVER,property=PROPERTY,value=VALUE` (QEMU's
  /// option syntax, `,,` for a comma in a value); `nil` when it is neither.
  public init?(_ word: String) {
    if let equals = word.firstIndex(of: "="), let dot = word[..<equals].firstIndex(of: ".") {
      driver = String(word[..<dot])
      property = String(word[word.index(after: dot)..<equals])
      value = String(word[word.index(after: equals)...])
    } else {
      let options = Self.options(word)
      guard let driver = options["driver"], let property = options["property"], let value = options["value"] else {
        return nil
      }
      (self.driver, self.property, self.value) = (driver, property, value)
    }
    guard !driver.isEmpty, !property.isEmpty else { return nil }
  }

  /// The keys QEMU's `-global` option syntax takes (`qemu_global_opts`).
  private static let optionKeys: Set<String> = ["driver", "property", "value"]

  /// `key=value,key=value` as QEMU's option parser reads it (`qemu_opts_parse`): `,,`
  /// is a comma, an empty part (a trailing comma) is nothing, a repeated key takes its
  /// last value, a part without `=` is the short form of a boolean (`key` is `key=on`,
  /// `nokey` is `key=off`); empty when a key is not one `-global` takes, which QEMU
  /// refuses ("Invalid parameter").
  private static func options(_ word: String) -> [String: String] {
    var parts: [String] = [""]
    var characters = Substring(word)
    while let character = characters.popFirst() {
      if character == "," {
        if characters.first == "," {
          characters.removeFirst()
          parts[parts.count - 1].append(",")
        } else {
          parts.append("")
        }
      } else {
        parts[parts.count - 1].append(character)
      }
    }
    var result: [String: String] = [:]
    for part in parts where !part.isEmpty {
      let key: String
      let value: String
      if let equals = part.firstIndex(of: "=") {
        (key, value) = (String(part[..<equals]), String(part[part.index(after: equals)...]))
      } else if part.hasPrefix("no"), optionKeys.contains(String(part.dropFirst(2))) {
        (key, value) = (String(part.dropFirst(2)), "off")
      } else {
        (key, value) = (part, "on")
      }
      guard optionKeys.contains(key) else { return [:] }
      result[key] = value
    }
    return result
  }

  /// `DRIVER.PROPERTY`: two globals with the same key set the same thing.
  public var key: String { "\(driver).\(property)" }

  /// `DRIVER.PROPERTY=VALUE`.
  public var description: String { "\(key)=\(value)" }

  /// The globals among argv words (`-global X` or `--global X` where QEMU reads an
  /// option, see ``QEMUArgv``), in order.
  public static func parse(arguments: [String]) -> [QEMUGlobal] {
    QEMUArgv.options(in: arguments).compactMap { option in
      guard option.name == "global", let value = option.valueIndex else { return nil }
      return QEMUGlobal(arguments[value])
    }
  }

  /// Whether two values mean the same switch position (`on`/`yes`/`true`/`y`,
  /// `off`/`no`/`false`/`n`, as QEMU parses booleans); other values only when equal.
  public func sameValue(as other: QEMUGlobal) -> Bool {
    switch (switchValue, other.switchValue) {
    case (let mine?, let theirs?): mine == theirs
    default: value == other.value
    }
  }

  /// The value as QEMU reads a boolean property (`qapi_bool_parse`, case-sensitive):
  /// `on`, `yes`, `true`, `y` or `off`, `no`, `false`, `n`; `nil` for anything else,
  /// which QEMU refuses (`Parameter '…' expects 'on' or 'off'`).
  public var switchValue: Bool? {
    switch value {
    case "on", "true", "yes", "y": true
    case "off", "false", "no", "n": false
    default: nil
    }
  }
}
