/// The facts of BRIEF section 2, as expectations for a probed machine type.
///
/// Tests only: the product never infers a default from a machine type's name.
public enum GroundTruth {
  /// What a machine type should report for one option.
  public enum Expectation: Equatable, CustomStringConvertible {
    case unsupported
    case on
    case off

    public var description: String {
      switch self {
      case .unsupported: "unsupported"
      case .on: "on"
      case .off: "off"
      }
    }
  }

  /// The ACPI PM device, bridge and root expectations for `machine` on a QEMU of
  /// `version` (major, minor); `nil` for machine types the brief says nothing about.
  public static func expectation(machine: String, qemuVersion version: (Int, Int))
    -> (device: String?, bridge: Expectation, root: Expectation)?
  {
    if ["isapc", "microvm", "none", "x-remote"].contains(machine) {
      // From 10.1 microvm's acpi-ged carries the bridge switch.
      if machine == "microvm" && version >= (10, 1) { return nil }
      return (nil, .unsupported, .unsupported)
    }
    let rootSupported = version >= (5, 2)
    if let number = versionSuffix(machine, prefix: "pc-i440fx-") ?? versionSuffix(machine, prefix: "pc-") {
      let bridgeOff = number >= (1, 0) && number <= (1, 7)
      return ("PIIX4_PM", bridgeOff ? .off : .on, rootSupported ? .on : .unsupported)
    }
    if let number = versionSuffix(machine, prefix: "pc-q35-") {
      guard version >= (6, 1) else { return ("ICH9-LPC", .unsupported, .unsupported) }
      return ("ICH9-LPC", number >= (6, 1) ? .on : .off, .unsupported)
    }
    return nil
  }

  /// `6.0` of `pc-q35-6.0`, `4.0` of `pc-q35-4.0.1`; `nil` when the name is not PREFIX + numbers.
  static func versionSuffix(_ name: String, prefix: String) -> (Int, Int)? {
    guard name.hasPrefix(prefix) else { return nil }
    let parts = name.dropFirst(prefix.count).split(separator: ".")
    guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
    return (major, minor)
  }
}
