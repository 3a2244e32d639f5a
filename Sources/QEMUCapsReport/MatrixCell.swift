import QEMUCapsModel

/// What one QEMU build says of one machine type, as a report shows it.
public enum MatrixCell: Sendable, Hashable {
  /// The build does not offer the machine type.
  case absent
  /// The build offers it but the probe failed; the message says why.
  case failed(String)
  /// The machine type has no ACPI PM device, so neither option exists.
  case noPMDevice
  /// The machine was probed on `device`; each option's state there.
  case probed(device: String, bridge: OptionState, root: OptionState)

  /// One option on one machine type.
  public enum OptionState: Sendable, Hashable {
    /// Settable, default on.
    case on
    /// Settable, default off.
    case off
    /// The PM device lacks the property; the reason says so in full.
    case unsupported(reason: String)

    /// `on`, `off` or `n/a`.
    public var text: String {
      switch self {
      case .on: "on"
      case .off: "off"
      case .unsupported: "n/a"
      }
    }
  }

  /// The cell for `machine` (`nil`: not offered).
  public init(_ machine: MachineCapabilities?) {
    guard let machine else {
      self = .absent
      return
    }
    switch machine.outcome {
    case .failed(let message):
      self = .failed(message)
    case .probed(nil, _):
      self = .noPMDevice
    case .probed(let device?, _):
      self = .probed(
        device: device, bridge: Self.state(machine.option(.acpiHotplugBridge)),
        root: Self.state(machine.option(.acpiRootHotplug)))
    }
  }

  private static func state(_ capability: OptionCapability) -> OptionState {
    switch capability {
    case .supported(let value): value ? .on : .off
    case .unsupported(let reason): .unsupported(reason: reason)
    case .unknown(let failure): .unsupported(reason: failure)
    }
  }

  /// The cell as short text: `on / off`, `n/a / n/a`, `no PM device`, `FAILED`, `·`.
  public var text: String {
    switch self {
    case .absent: "·"
    case .failed: "FAILED"
    case .noPMDevice: "no PM device"
    case .probed(_, let bridge, let root): "\(bridge.text) / \(root.text)"
    }
  }
}
