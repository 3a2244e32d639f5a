import QEMUCapsModel
import QEMUCapsXML

/// Reads the `<controller type='pci'>` elements of a domain the way libvirt does:
/// indexes are decimal, a missing index is the lowest one not yet taken (0 for the
/// first), one index is one controller, and `pci-root` / `pcie-root` are bus 0.
///
/// Whatever libvirt refuses becomes an error on the controller's line, and any
/// `<target hotplug>` of such a controller is left unapplied under that error;
/// every other `<target hotplug>` is either an option setting (pci-root) or a port's
/// own switch, which the rules check against the machine type.
struct PCIControllerReader {
  /// One controller with the index libvirt gives it.
  private struct Controller {
    var element: XMLElement
    var index: Int?
    var indexWritten: Bool
    var model: String? { element[attribute: "model"] }
    var target: XMLElement? { element.child(named: "target") }
  }

  /// The models that are bus 0 of a machine and take index 0 only.
  static let rootModels: Set<String> = ["pci-root", "pcie-root"]
  /// The models whose `<target hotplug>` is the port's own switch (`-device …,hotplug=`).
  static let portModels: Set<String> = ["pcie-root-port", "pcie-switch-downstream-port"]
  /// The models that plug only into a PCI Express bus: on a machine type whose bus 0 is
  /// pci-root libvirt refuses them ("a PCI slot is needed to connect a PCI controller
  /// model='pcie-root-port'", "pcie-expander-bus controllers are not supported with this
  /// machine type").
  static let pcieOnlyModels: Set<String> = [
    "pcie-root-port", "pcie-switch-upstream-port", "pcie-switch-downstream-port", "dmi-to-pci-bridge",
    "pcie-to-pci-bridge", "pcie-expander-bus",
  ]
  /// Every PCI controller model (`virDomainControllerModelPCI`): libvirt refuses each on
  /// a controller of another type ("Unknown model type 'pci-root'").
  static let pciModels: Set<String> = [
    "pci-root", "pcie-root", "pci-bridge", "dmi-to-pci-bridge", "pcie-root-port", "pcie-switch-upstream-port",
    "pcie-switch-downstream-port", "pci-expander-bus", "pcie-expander-bus", "pcie-to-pci-bridge",
  ]
  /// The controller types libvirt knows (`virDomainControllerType`); it refuses any other.
  static let controllerTypes: Set<String> = [
    "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa",
  ]
  /// The largest index libvirt accepts (it stores the index in a C `int`).
  static let maximumIndex = PCIControllerNumbering.maximumIndex

  /// The bus-0 controller, if any.
  private(set) var root: DomainConfig.RootController?
  /// The pci-root `<target hotplug>` setting, if any.
  private(set) var setting: DomainConfig.OptionSetting?
  /// The ports' own `<target hotplug>` switches, checked against the machine later.
  private(set) var ports: [DomainConfig.PortHotplug] = []
  /// The PCI Express-only controllers without `<target hotplug>`, checked against the machine later.
  private(set) var pcieControllers: [DomainConfig.PCIeController] = []

  /// Read every PCI controller among `devices`; findings go to `diagnostics`,
  /// `onOff` validates `<target hotplug>` values (and reports bad ones).
  init(
    _ devices: [XMLElement], diagnostics: inout [Diagnostic],
    onOff: (XMLElement, inout [Diagnostic]) -> Bool?
  ) {
    var controllers: [Controller] = []
    for element in devices where element.name == "controller" && Self.acceptsTargets(of: element, &diagnostics) {
      guard element[attribute: "type"] == "pci" else { continue }
      guard let text = element[attribute: "index"] else {
        controllers.append(Controller(element: element, index: nil, indexWritten: false))
        continue
      }
      guard let index = Self.libvirtIndex(text) else {
        diagnostics.append(
          Diagnostic(
            .error, .valueInvalid,
            "<controller type='pci' index='\(Self.shown(text))'> is not valid: an index is a decimal integer from 0 to \(Self.maximumIndex) such as index='0' (libvirt reads it in base 10 and refuses the domain otherwise)\(Self.unapplied(element))",
            line: element.line))
        continue
      }
      if !text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
        diagnostics.append(
          Diagnostic(
            .warning, .valueNonstandard,
            "<controller type='pci' index='\(Self.shown(text))'> is read as index \(index) by libvirt's parser, but libvirt's schema allows digits only (virt-xml-validate and virsh define --validate refuse it); write index='\(index)'",
            line: element.line))
      }
      controllers.append(Controller(element: element, index: index, indexWritten: true))
    }
    // libvirt numbers controllers without an index in document order, each with
    // the lowest index no other PCI controller has (virDomainControllerFindUnusedIndex).
    var indexes = controllers.map(\.index)
    PCIControllerNumbering.numberUnindexed(&indexes, at: indexes.indices.filter { indexes[$0] == nil })
    for position in controllers.indices { controllers[position].index = indexes[position] }
    let zeroLine = controllers.first { $0.index == 0 }.map { String($0.element.line) } ?? "?"
    var firstLine: [Int: Int] = [:]
    for controller in controllers {
      guard let index = controller.index else { continue }
      let element = controller.element
      if let first = firstLine[index] {
        diagnostics.append(
          Diagnostic(
            .error, .controllerDuplicateIndex,
            "a second PCI controller with index='\(index)' (the first is on line \(first)): libvirt refuses two PCI controllers with one index; keep one\(Self.unapplied(element))",
            line: element.line))
        continue
      }
      firstLine[index] = element.line
      if let model = controller.model, Self.rootModels.contains(model), index != 0 {
        let numbered =
          controller.indexWritten
          ? "has index='\(index)'"
          : "has no index, so libvirt numbers it \(index) (index 0 is taken by the PCI controller on line \(zeroLine))"
        diagnostics.append(
          Diagnostic(
            .error, .controllerRootIndex,
            "the \(model) controller \(numbered), but \(model) is bus 0 and must have index='0': a domain has one bus-0 controller, so remove this one\(Self.unapplied(element))",
            line: element.line))
        continue
      }
      if let model = controller.model,
        let refusal = PCIControllerOptions.refusal(of: element, model: model, index: index)
      {
        diagnostics.append(
          Diagnostic(.error, .controllerOptionInvalid, refusal + Self.unapplied(element), line: element.line))
        continue
      }
      let hotplugTarget = controller.target.flatMap { $0[attribute: "hotplug"] != nil ? $0 : nil }
      if index == 0 {
        root = DomainConfig.RootController(
          model: controller.model, line: element.line, hotplugLine: hotplugTarget?.line)
        if controller.model == "pci-root", let target = hotplugTarget, let flag = onOff(target, &diagnostics) {
          setting = .init(option: .acpiRootHotplug, value: flag, spelling: .pciRootController, line: target.line)
        }
        continue
      }
      guard let model = controller.model else {
        // libvirt gives bus 0 its model, but no other PCI controller: it refuses the
        // domain ("PCI controller model was not set correctly", virDomainPCIAddressBusSetModel).
        diagnostics.append(
          Diagnostic(
            .error, .controllerModelMissing,
            "the PCI controller with index='\(index)' has no model: libvirt refuses it (\"PCI controller model was not set correctly\"); write its model, e.g. model='pcie-root-port' on q35 or model='pci-bridge' on i440fx\(Self.unapplied(element))",
            line: element.line))
        continue
      }
      guard let target = hotplugTarget else {
        if Self.pcieOnlyModels.contains(model) {
          pcieControllers.append(.init(model: model, index: index, line: element.line))
        }
        continue
      }
      guard let flag = onOff(target, &diagnostics) else { continue }
      if !Self.portModels.contains(model) {
        diagnostics.append(
          Diagnostic(
            .error, .controllerHotplugNotSettable,
            "<target hotplug> is not valid on the \(model) controller with index='\(index)': libvirt takes it only on pci-root (bus 0 of an i440fx machine type, the ACPI option acpi-root-hotplug) and on pcie-root-port and pcie-switch-downstream-port (their own hotplug switch)",
            line: target.line))
      } else {
        ports.append(.init(model: model, index: index, value: flag, line: target.line))
      }
    }
  }

  /// Whether libvirt takes `controller`'s type and `<target>` at all: an unknown type
  /// (libvirt's values are lower case) or a second `<target>` makes libvirt refuse the
  /// domain, and a `<target hotplug>` on a controller other than PCI is ignored by
  /// libvirt; each is reported, so no hotplug setting goes unmentioned.
  private static func acceptsTargets(of element: XMLElement, _ diagnostics: inout [Diagnostic]) -> Bool {
    // libvirt's default type, when none is written, is ide.
    let type = element[attribute: "type"] ?? "ide"
    guard controllerTypes.contains(type) else {
      diagnostics.append(
        Diagnostic(
          .error, .valueInvalid,
          "<controller type='\(shown(type))'> is not valid: libvirt refuses the domain; use one of \(controllerTypes.sorted().joined(separator: ", ")) (PCI controllers are type='pci')\(unapplied(element))",
          line: element.line))
      return false
    }
    if type != "pci", let model = element[attribute: "model"], pciModels.contains(model) {
      let written = element[attribute: "type"].map { "type='\(shown($0))'" } ?? "no type (an ide controller to libvirt)"
      diagnostics.append(
        Diagnostic(
          .error, .valueInvalid,
          "<controller model='\(model)'> is not valid on a controller with \(written): \(model) is a PCI controller model, and libvirt refuses the domain (\"Unknown model type '\(model)'\"); write type='pci'\(unapplied(element))",
          line: element.line))
      return false
    }
    let targets = element.children(named: "target")
    if targets.count > 1 {
      diagnostics.append(
        Diagnostic(
          .error, .controllerTargetDuplicate,
          "the \(type) controller has \(targets.count) <target> elements (lines \(targets.map { String($0.line) }.joined(separator: ", "))): libvirt refuses the domain (\"Multiple <target> elements in controller definition not allowed\"); keep one\(unappliedTargets(targets))",
          line: element.line))
      return false
    }
    if type != "pci", let target = targets.first, let value = target[attribute: "hotplug"] {
      diagnostics.append(
        Diagnostic(
          .warning, .controllerHotplugIgnored,
          "<target hotplug='\(shown(value))'> on a \(type) controller is ignored: libvirt reads <target hotplug> only on PCI controllers (pci-root for the ACPI option acpi-root-hotplug, pcie-root-port and pcie-switch-downstream-port for their own switch); remove it",
          line: target.line))
    }
    return true
  }

  /// The tail of an error about a controller with several `<target>` elements.
  private static func unappliedTargets(_ targets: [XMLElement]) -> String {
    let settings = targets.compactMap { target in
      target[attribute: "hotplug"].map { "<target hotplug='\(shown($0))'> on line \(target.line)" }
    }
    guard !settings.isEmpty else { return "" }
    return "; \(settings.joined(separator: " and ")) \(settings.count == 1 ? "is" : "are") not applied"
  }

  /// `index` as libvirt's parser reads it (see ``PCIControllerNumbering/index(_:)``).
  static func libvirtIndex(_ text: String) -> Int? { PCIControllerNumbering.index(text) }

  /// A value quoted in a message, cut short when hostile.
  private static func shown(_ text: String) -> String {
    text.truncated(to: 40)
  }

  /// The tail of an error about a controller that also carries `<target hotplug>`.
  private static func unapplied(_ controller: XMLElement) -> String {
    guard let target = controller.child(named: "target"), let value = target[attribute: "hotplug"] else { return "" }
    return "; its <target hotplug='\(shown(value))'> on line \(target.line) is not applied"
  }
}
