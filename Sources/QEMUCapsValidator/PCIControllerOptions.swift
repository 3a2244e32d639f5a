import QEMUCapsModel
import QEMUCapsXML

/// Which `<controller type='pci'>` options libvirt accepts on which model, on an x86
/// machine (`qemuValidateDomainDeviceDefControllerPCI`, `virDomainPCIAddressBusSetModel`),
/// checked against libvirt 9.0 and 11.3 themselves: an option on a model that does not take it makes
/// libvirt refuse the domain ("Option 'chassisNr' is not valid for PCI controller with
/// index '0', model 'pci-root'"), so a `<target hotplug>` on such a controller is never
/// applied.
enum PCIControllerOptions {
  /// One option of `<target>` and the models that take it.
  private struct Option {
    /// How the domain writes it: an attribute of `<target>` or its `<node>` child.
    var spelling: String
    /// libvirt's name for it in its refusal.
    var libvirtName: String
    /// `<target>`'s attribute, or `nil` for the `<node>` child.
    var attribute: String?
    /// The models that take it.
    var models: Set<String>
  }

  private static let options: [Option] = [
    .init(spelling: "chassisNr", libvirtName: "chassisNr", attribute: "chassisNr", models: ["pci-bridge"]),
    .init(
      spelling: "chassis", libvirtName: "chassis", attribute: "chassis",
      models: ["pcie-root-port", "pcie-switch-downstream-port"]),
    .init(
      spelling: "port", libvirtName: "port", attribute: "port",
      models: ["pcie-root-port", "pcie-switch-downstream-port"]),
    .init(
      spelling: "busNr", libvirtName: "busNr", attribute: "busNr", models: ["pci-expander-bus", "pcie-expander-bus"]),
    // libvirt 9.0 takes it on every model and ignores it where QEMU has no such
    // property; 11.3 refuses it there, and qemu-caps follows 11.3.
    .init(
      spelling: "memReserve", libvirtName: "memReserve", attribute: "memReserve",
      models: ["pci-bridge", "pcie-root-port"]),
    // The target index is for pSeries PHBs only.
    .init(spelling: "index", libvirtName: "targetIndex", attribute: "index", models: []),
    .init(
      spelling: "<node>", libvirtName: "numaNode", attribute: nil, models: ["pci-expander-bus", "pcie-expander-bus"]),
  ]

  /// Why libvirt refuses `controller` (model `model`, index `index`), or `nil` when it
  /// takes its options: the first `<target>` option the model does not take, and on
  /// bus 0 (`pci-root`, `pcie-root`) a `<model name>` other than `none` or an `<address>`.
  static func refusal(of controller: XMLElement, model: String, index: Int) -> String? {
    let isRoot = PCIControllerReader.rootModels.contains(model)
    if isRoot, controller.child(named: "address") != nil {
      return
        "the \(model) controller with index='\(index)' has an <address>, but bus 0 is not plugged into any bus: libvirt refuses the domain (\"pci-root and pcie-root controllers should not have an address\"); remove the <address>"
    }
    if isRoot, let name = controller.child(named: "model")?[attribute: "name"], name != "none" {
      return
        "<model name='\(shown(name))'> is not valid on the \(model) controller with index='\(index)': libvirt chooses bus 0's device itself and refuses the domain (its option modelName); remove the <model> element"
    }
    guard let target = controller.child(named: "target") else { return nil }
    for option in options where !option.models.contains(model) {
      let written: String
      if let attribute = option.attribute {
        guard let value = target[attribute: attribute] else { continue }
        written = "<target \(attribute)='\(shown(value))'>"
      } else {
        guard target.child(named: "node") != nil else { continue }
        written = "<target><node>"
      }
      let takers =
        option.models.isEmpty
        ? "no PCI controller of an x86 machine takes it"
        : "only \(option.models.sorted().joined(separator: " and ")) \(option.models.count == 1 ? "takes" : "take") it"
      return
        "\(written) is not valid on the \(model) controller with index='\(index)': libvirt refuses the domain (its option \(option.libvirtName)); \(takers), so remove it"
    }
    return nil
  }

  /// A value quoted in a message, cut short when hostile.
  private static func shown(_ text: String) -> String {
    text.truncated(to: 40)
  }
}
