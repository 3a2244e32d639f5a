import QEMUCapsModel
import QEMUCapsXML

/// A domain's elements as libvirt sees them.
///
/// libvirt finds what it reads with XPath queries without prefixes (`./devices/controller`,
/// `./os/type`), which match elements in no namespace only; its extensions
/// (`<qemu:commandline>`, `<metadata>` content) are the only namespaced elements it
/// reads, and those the validator does not. The exception is `<features>`, whose
/// children libvirt reads as `./features/*` by local name.
enum LibvirtView {
  /// The element names whose attributes set or require ACPI hotplug.
  static let hotplugElements: Set<String> = [
    "target", "hotplug", "acpi-hotplug-bridge", "acpi-root-hotplug", "acpi-bridge-hotplug",
  ]

  /// `element` without its descendants in a namespace (children of `<features>` kept).
  /// A removed element holding a hotplug setting gets a warning, since libvirt ignores it.
  static func visible(_ element: XMLElement, diagnostics: inout [Diagnostic], isRoot: Bool = true) -> XMLElement {
    var copy = element
    copy.children = []
    for child in element.children {
      if child.name == "commandline", !(isRoot && child.namespace == DomainReader.qemuNamespace),
        let argument = firstHotplugArgument(in: child)
      {
        diagnostics.append(misplacedCommandLine(child, in: element, argument: argument))
        continue
      }
      guard let namespace = child.namespace, element.name != "features" else {
        copy.children.append(visible(child, diagnostics: &diagnostics, isRoot: false))
        continue
      }
      if let setting = firstHotplugSetting(in: child) {
        diagnostics.append(
          Diagnostic(
            .warning, .elementNamespaced,
            "<\(child.name)> is in the XML namespace '\(namespace)', and libvirt reads only elements in no namespace here: it ignores this element and the <\(setting.name)> in it on line \(setting.line), and so does qemu-caps; remove the namespace to apply it",
            line: child.line))
      }
    }
    return copy
  }

  /// A `<commandline>` holding a `-global` for the two properties that libvirt does not
  /// pass: not a child of `<domain>`, or not in libvirt's QEMU namespace.
  private static func misplacedCommandLine(_ child: XMLElement, in parent: XMLElement, argument: XMLElement)
    -> Diagnostic
  {
    let problem =
      if child.namespace != DomainReader.qemuNamespace {
        "<commandline> \(child.namespace.map { "in the XML namespace '\($0)'" } ?? "in no namespace") is not libvirt's <qemu:commandline> (namespace '\(DomainReader.qemuNamespace)'), so libvirt ignores it and its -global on line \(argument.line), and so does qemu-caps; declare xmlns:qemu='\(DomainReader.qemuNamespace)' and write <qemu:commandline>"
      } else {
        "<qemu:commandline> in <\(parent.name)> is not read: libvirt passes only a <qemu:commandline> that is a child of <domain>, so it ignores this one and its -global on line \(argument.line), and so does qemu-caps; move it into <domain>"
      }
    return Diagnostic(.warning, .elementMisplaced, problem, line: child.line)
  }

  /// The first `<qemu:arg>` under a `<qemu:commandline>` whose value names one of the
  /// two properties.
  private static func firstHotplugArgument(in commandLine: XMLElement) -> XMLElement? {
    commandLine.children.first { argument in
      argument.name == "arg"
        && HotplugOption.allCases.contains { argument[attribute: "value"]?.contains($0.property) ?? false }
    }
  }

  private static func firstHotplugSetting(in element: XMLElement) -> XMLElement? {
    if hotplugElements.contains(element.name),
      element.name != "target" || element[attribute: "hotplug"] != nil
    {
      return element
    }
    for child in element.children {
      if let found = firstHotplugSetting(in: child) { return found }
    }
    return nil
  }
}
