import Foundation
import QEMUCapsValidator
import Testing

/// One change to libvirt's ACPI hotplug inputs, with libvirt's verdict and ours
/// (``LibvirtMutationTests``).
struct LibvirtMutation: Sendable, CustomStringConvertible {
  var name: String
  /// Text to replace (every occurrence) and its replacement, if any.
  var replacing: String?
  var with: String?
  /// Elements in libvirt's QEMU namespace, appended after `</devices>` (the namespace
  /// is declared on `<domain>`). `{root}` is the input's own `<target hotplug>` as
  /// `yes` or `no`, `{other}` the opposite.
  var qemu: String?
  /// What libvirt refuses the domain with (every version but ``acceptedBy``); `nil` when it accepts it.
  var libvirtRefusal: String?
  /// The libvirt versions that accept it all the same (``LibvirtBuild/version``).
  var acceptedBy: Set<String>
  /// The one error qemu-caps reports; `nil` with ``refused`` when any error will do.
  var code: Diagnostic.Code?
  /// Whether qemu-caps finds the domain invalid.
  var refused: Bool
  /// Why qemu-caps decides otherwise than libvirt on purpose (docs/validation.md).
  var deliberate: String?
  /// What the mutation sets besides the input's own settings, as `DEVICE.PROPERTY`: `on|off`.
  var sets: [String: String]
  /// Words of a warning qemu-caps should give.
  var warning: String?

  var description: String { name }

  /// - Parameter error: qemu-caps's error code (`nil`: any) and libvirt's
  ///   refusal (`nil`: libvirt accepts it); `nil` when both accept the domain.
  init(
    name: String, replacing: String? = nil, with: String? = nil, qemu: String? = nil,
    error: (code: Diagnostic.Code?, libvirt: String?)? = nil, libvirtRefusal: String? = nil,
    acceptedBy: Set<String> = [], sets: [String: String] = [:], deliberate: String? = nil,
    warning: String? = nil
  ) {
    self.sets = sets
    self.acceptedBy = acceptedBy
    self.name = name
    self.replacing = replacing
    self.with = with
    self.qemu = qemu
    self.code = error?.code
    self.refused = error != nil
    self.libvirtRefusal = error?.libvirt ?? libvirtRefusal
    self.deliberate = deliberate
    self.warning = warning
  }

  static let namespace = "http://libvirt.org/schemas/domain/qemu/1.0"

  /// A `<qemu:commandline>` of these words.
  static func commandline(_ words: String...) -> String {
    "  <qemu:commandline>\n" + words.map { "    <qemu:arg value='\($0)'/>\n" }.joined() + "  </qemu:commandline>\n"
  }

  /// The mutated text, or `nil` when `text` lacks what it changes.
  func apply(to text: String) -> String? {
    var result = text
    if let replacing {
      guard result.contains(replacing) else { return nil }
      result = result.replacingOccurrences(of: replacing, with: with ?? "")
    }
    if var qemu {
      guard let end = result.range(of: "</devices>\n"), let domain = result.range(of: "<domain ") else { return nil }
      let root = text.contains("<target hotplug='on'/>")
      qemu = qemu.replacingOccurrences(of: "{root}", with: root ? "yes" : "no")
        .replacingOccurrences(of: "{other}", with: root ? "no" : "yes")
      result.insert(contentsOf: qemu, at: end.upperBound)
      result.replaceSubrange(domain, with: "<domain xmlns:qemu='\(Self.namespace)' ")
    }
    return result
  }

  /// Whether `arguments` are one `-global DEVICE.PROPERTY=on|off` per property, as
  /// `qemuArgs` is documented (docs/validation.md).
  static func isCanonical(_ arguments: [String]) -> Bool {
    guard arguments.count % 2 == 0 else { return false }
    var seen: Set<Substring> = []
    for pair in stride(from: 0, to: arguments.count, by: 2) {
      let value = arguments[pair + 1]
      guard arguments[pair] == "-global", let equals = value.lastIndex(of: "="),
        ["on", "off"].contains(value[value.index(after: equals)...]), value[..<equals].contains("."),
        seen.insert(value[..<equals]).inserted
      else { return false }
    }
    return true
  }
}
