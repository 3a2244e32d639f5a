/// The character sets accepted for names that come from QEMU and may end up in a
/// QEMU command line: machine types, aliases, device types and property names.
///
/// QOM names in real builds use letters, digits and `-_.+` (`pc-q35-rhel9.6.0`,
/// `PIIX4_PM`, `acpi-pci-hotplug-with-bridge-support`); static property lists also
/// hold array properties (`gsi[0]`) and types such as `link<irq>`. Nothing else is
/// accepted, so no name can carry a comma, `=`, a space or a leading `-` into an argv word.
package enum QOMName {
  /// The longest name accepted, in bytes.
  package static let maximumLength = 128

  /// A machine type, alias, device type or option name: `[A-Za-z0-9._+-]`, not starting with `-`.
  package static func isValid(_ name: String) -> Bool {
    check(name, extra: [])
  }

  /// A device property name: also `[` and `]` (array properties such as `gsi[0]`).
  package static func isValidProperty(_ name: String) -> Bool {
    check(name, extra: [UInt8(ascii: "["), UInt8(ascii: "]")])
  }

  /// A property type: also `[`, `]`, `<` and `>` (such as `link<irq>`).
  package static func isValidType(_ name: String) -> Bool {
    check(name, extra: [UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">")])
  }

  private static func check(_ name: String, extra: [UInt8]) -> Bool {
    guard let first = name.utf8.first, first != UInt8(ascii: "-"), name.utf8.count <= maximumLength else {
      return false
    }
    return name.utf8.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "+") || extra.contains(byte)
    }
  }
}
