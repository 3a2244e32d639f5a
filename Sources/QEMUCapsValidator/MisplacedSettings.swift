import QEMUCapsModel
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
    var path = [domain.name]
    scan(domain, path: &path, into: &found)
    return found
  }

  /// The lengths of the names in ``placement`` and of `controller`: most elements are
  /// passed over on their length alone, so a large domain costs little.
  private static let candidateLengths = Set(placement.keys.map(\.utf8.count) + ["controller".utf8.count])

  /// Walk `element`'s descendants; `path` holds the names from `<domain>` to `element`.
  private static func scan(_ element: XMLElement, path: inout [String], into found: inout [Diagnostic]) {
    for child in element.children {
      if candidateLengths.contains(child.name.utf8.count) { check(child, path: path, into: &found) }
      guard !child.children.isEmpty else { continue }
      path.append(child.name)
      scan(child, path: &path, into: &found)
      path.removeLast()
    }
  }

  /// Report `child` of the element at `path` if it is a setting written where none is read.
  private static func check(_ child: XMLElement, path: [String], into found: inout [Diagnostic]) {
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
          refused ? .error : .warning, .elementMisplaced,
          "<\(child.name)> in \(location(path)) is not read: \(consequence); write \(place.example)",
          line: child.line))
    } else if child.name == "controller", path == ["domain", "devices"], let value = child[attribute: "hotplug"] {
      let shown = value.truncated(to: 40)
      found.append(
        Diagnostic(
          .warning, .elementMisplaced,
          "hotplug='\(shown)' on <controller> itself is not read: libvirt ignores it, and qemu-caps does not apply it; write <controller type='pci' index='0' model='pci-root'><target hotplug='on|off'/></controller>",
          line: child.line))
    }
  }

  /// `["domain", "devices", "pm"]` as `<devices><pm>`.
  private static func location(_ path: [String]) -> String {
    path.dropFirst().map { "<\($0)>" }.joined()
  }
}
