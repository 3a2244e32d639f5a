import QEMUCapsValidator
import QEMUCapsXML

/// Every hotplug setting written in a domain, found by walking the XML itself (not
/// through the validator's reader), so a test can check that each one is either
/// applied (its `-global` argument is emitted) or reported (a diagnostic on its line
/// or on its controller's line): never silently dropped.
struct HotplugAttribute: CustomStringConvertible {
  /// The QEMU property it would set.
  var property: String
  /// `on` or `off`, or the text as written when it is neither.
  var value: String
  /// The line of the element carrying it.
  var line: Int
  /// The line of the enclosing `<controller>`, for `<target hotplug>`.
  var controllerLine: Int?

  var description: String { "\(property)=\(value) on line \(line)" }

  static let bridge = "acpi-pci-hotplug-with-bridge-support"
  static let root = "acpi-root-pci-hotplug"

  /// The attributes of all three spellings, plus `<target hotplug>` on any controller.
  static func all(in domain: XMLElement) -> [HotplugAttribute] {
    var found: [HotplugAttribute] = []
    func normalized(_ text: String) -> String {
      switch text {
      case "yes", "on": "on"
      case "no", "off": "off"
      default: text
      }
    }
    for pm in domain.children(named: "pm") {
      for element in pm.children {
        guard let value = element[attribute: "enabled"] else { continue }
        switch element.name {
        case "acpi-hotplug-bridge": found.append(.init(property: bridge, value: normalized(value), line: element.line))
        case "acpi-root-hotplug": found.append(.init(property: root, value: normalized(value), line: element.line))
        default: break
        }
      }
    }
    // libvirt reads ./features/* across every <features> element.
    for pci in domain.children(named: "features").flatMap({ $0.children(named: "pci") }) {
      for element in pci.children(named: "acpi-bridge-hotplug") {
        guard let value = element[attribute: "state"] else { continue }
        found.append(.init(property: bridge, value: normalized(value), line: element.line))
      }
    }
    // The spellings' elements anywhere else, and a hotplug attribute on <controller>
    // itself: written by someone who meant to set the option, so they count too.
    let names = ["acpi-hotplug-bridge": bridge, "acpi-root-hotplug": root, "acpi-bridge-hotplug": bridge]
    let placed = Set(found.map(\.line))
    func misplaced(_ element: XMLElement) {
      if let property = names[element.name], !placed.contains(element.line),
        let value = element[attribute: "enabled"] ?? element[attribute: "state"]
      {
        found.append(.init(property: property, value: normalized(value), line: element.line))
      }
      if element.name == "controller", let value = element[attribute: "hotplug"] {
        found.append(.init(property: root, value: normalized(value), line: element.line))
      }
      element.children.forEach(misplaced)
    }
    domain.children.forEach(misplaced)
    for devices in domain.children(named: "devices") {
      for controller in devices.children(named: "controller") {
        for target in controller.children(named: "target") {
          guard let value = target[attribute: "hotplug"] else { continue }
          found.append(
            .init(property: root, value: normalized(value), line: target.line, controllerLine: controller.line))
        }
      }
    }
    return found
  }

  /// Whether `report` emits this setting's argument.
  func isApplied(in report: ValidationReport) -> Bool {
    report.qemuArguments.contains { $0.hasSuffix(".\(property)=\(value)") }
  }

  /// Whether `report` has a diagnostic on this setting's line or its controller's.
  func isReported(in report: ValidationReport) -> Bool {
    report.diagnostics.contains { $0.line == line || ($0.line != nil && $0.line == controllerLine) }
  }

  /// Why `report` neither applies nor reports it, or `nil` when it does one of them.
  /// An invalid domain applies nothing and says why, so only valid ones can drop a setting.
  func problem(in report: ValidationReport) -> String? {
    guard report.isValid, !isApplied(in: report), !isReported(in: report) else { return nil }
    return "\(self) is neither applied (no argument in \(report.qemuArguments)) nor reported"
  }
}
