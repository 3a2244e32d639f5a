import QEMUCapsXML

/// Hotplug spellings written where no spelling is read: `<acpi-bridge-hotplug>` straight
/// in `<features>` or in `<pm>`, `<acpi-hotplug-bridge>` in `<features><pci>`, a `<pm>`
/// inside `<devices>`, `hotplug='off'` on `<controller>` itself. Whoever wrote them
/// meant to set an option, and neither libvirt nor qemu-caps applies them, so each is
/// reported: an error where libvirt refuses the domain (an unknown child of
/// `<features>`: "unexpected feature"), a warning where libvirt ignores it.
enum MisplacedSettings {
  /// The elements of the spellings, with where each belongs.
  private static let placement: [String: (parent: [String], example: String)] = [
    "acpi-hotplug-bridge": (["domain", "pm"], "<pm><acpi-hotplug-bridge enabled='yes|no'/></pm>"),
    "acpi-root-hotplug": (["domain", "pm"], "<pm><acpi-root-hotplug enabled='yes|no'/></pm>"),
    "acpi-bridge-hotplug": (
      ["domain", "features", "pci"], "<features><pci><acpi-bridge-hotplug state='on|off'/></pci></features>"
    ),
  ]

  /// The diagnostics for every misplaced setting under `domain` (elements in no
  /// namespace, as ``LibvirtView`` leaves them).
  static func diagnostics(in domain: XMLElement) -> [Diagnostic] {
    var found: [Diagnostic] = []
    scan(domain, path: [domain.name], into: &found)
    return found
  }

  private static func scan(_ element: XMLElement, path: [String], into found: inout [Diagnostic]) {
    for child in element.children {
      let childPath = path + [child.name]
      if let place = placement[child.name], path != place.parent {
        let refused = path == ["domain", "features"]
        let consequence =
          if refused {
            "libvirt refuses the domain (unexpected feature '\(child.name)'), and qemu-caps does not apply it"
          } else if path.starts(with: ["domain", "features"]) {
            "libvirt has no <features><pci> (9.0 refuses it), and qemu-caps reads only <acpi-bridge-hotplug> there"
          } else {
            "libvirt ignores it, and qemu-caps does not apply it"
          }
        found.append(
          Diagnostic(
            refused ? .error : .warning, "element.misplaced",
            "<\(child.name)> in \(location(path)) is not read: \(consequence); write \(place.example)",
            line: child.line))
        continue
      }
      if child.name == "controller", path == ["domain", "devices"], let value = child[attribute: "hotplug"] {
        let shown = value.count > 40 ? "\(value.prefix(40))…" : value
        found.append(
          Diagnostic(
            .warning, "element.misplaced",
            "hotplug='\(shown)' on <controller> itself is not read: libvirt ignores it, and qemu-caps does not apply it; write <controller type='pci' index='0' model='pci-root'><target hotplug='on|off'/></controller>",
            line: child.line))
      }
      scan(child, path: childPath, into: &found)
    }
  }

  /// `["domain", "devices", "pm"]` as `<devices><pm>`.
  private static func location(_ path: [String]) -> String {
    path.dropFirst().map { "<\($0)>" }.joined()
  }
}
