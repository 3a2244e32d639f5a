import QEMUCapsModel

/// What one build says of one option on one machine type, as a report cell shows it:
/// whether the option can be set there (the cell's colour in HTML) and, when it can,
/// its default (the cell's text).
package enum OptionCell: Sendable, Hashable {
  /// The option can be set; its default is on (`true`) or off.
  case settable(default: Bool)
  /// The machine type's ACPI PM device lacks the property: the option cannot be set.
  case notSettable(reason: String)
  /// The machine type has no ACPI PM device, so no ACPI PCI hotplug at all.
  case noPMDevice
  /// The build offers the machine type but it could not be probed.
  case failed(message: String)
  /// The build does not offer the machine type.
  case absent

  /// What a reader needs first: can the option be set? Each kind has its colour.
  package enum Kind: String, Sendable, Hashable, CaseIterable {
    case settable
    case notSettable = "fixed"
    case failed
    case absent

    /// The HTML class that colours the kind.
    package var style: String { rawValue }
  }

  /// `option` in `cell`.
  package init(_ cell: MatrixCell, option: HotplugOption) {
    switch cell {
    case .absent: self = .absent
    case .failed(let message): self = .failed(message: message)
    case .noPMDevice: self = .noPMDevice
    case .probed(_, let bridge, let root):
      switch option == .acpiHotplugBridge ? bridge : root {
      case .on: self = .settable(default: true)
      case .off: self = .settable(default: false)
      case .unsupported(let reason): self = .notSettable(reason: reason)
      }
    }
  }

  /// The cell's kind.
  package var kind: Kind {
    switch self {
    case .settable: .settable
    case .notSettable, .noPMDevice: .notSettable
    case .failed: .failed
    case .absent: .absent
    }
  }

  /// The cell's text: `on`, `off`, `n/a`, `no PM`, `FAILED` or `·`.
  package var text: String {
    switch self {
    case .settable(let value): value ? "on" : "off"
    case .notSettable: "n/a"
    case .noPMDevice: "no PM"
    case .failed: "FAILED"
    case .absent: "·"
    }
  }

  /// Whether the cell is the same for every option: the build has nothing per option to say.
  package var isWholeMachine: Bool {
    switch self {
    case .noPMDevice, .failed, .absent: true
    case .settable, .notSettable: false
    }
  }
}
