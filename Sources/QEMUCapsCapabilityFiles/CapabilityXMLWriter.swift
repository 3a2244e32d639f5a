import QEMUCapsModel
import QEMUCapsXML

/// Writes a ``CapabilityDocument`` as capability XML (see docs/capabilities-format.md).
///
/// The output is deterministic: the same document gives the same bytes.
public enum CapabilityXMLWriter {
  /// The XML text of `document`, ending in a newline.
  public static func xml(_ document: CapabilityDocument) -> String {
    var out = XMLOutput()
    out.line(#"<?xml version="1.0" encoding="UTF-8"?>"#)
    var rootAttributes: [(String, String?)] = [("schemaVersion", String(CapabilityDocument.schemaVersion))]
    rootAttributes.append(("generated", document.generatedAt))
    out.open("qemuCapabilities", rootAttributes)
    out.empty("generator", [("name", "qemu-caps"), ("version", document.toolVersion)])
    let qemu = document.qemu
    out.empty(
      "binary",
      [
        ("path", qemu.binaryPath), ("size", String(qemu.binarySize)),
        ("mtime", Timestamp.rfc3339(seconds: qemu.binaryModificationTime)), ("sha256", qemu.binarySHA256),
      ])
    let qemuAttributes = [("version", qemu.version.description), ("package", qemu.package), ("arch", qemu.arch)]
    let guestArchitectures = qemu.guestArchitectures ?? []
    let accelerators = qemu.accelerators ?? []
    if guestArchitectures.isEmpty && accelerators.isEmpty {
      out.empty("qemu", qemuAttributes)
    } else {
      out.open("qemu", qemuAttributes)
      for arch in guestArchitectures { out.empty("guestArch", [("name", arch)]) }
      for accelerator in accelerators { out.empty("accelerator", [("name", accelerator)]) }
      out.close("qemu")
    }

    out.open("devices")
    for device in document.devices {
      let attributes = [("type", device.type), ("present", device.isPresent ? "yes" : "no")]
      if device.properties.isEmpty {
        out.empty("device", attributes)
        continue
      }
      out.open("device", attributes)
      for property in device.properties {
        out.empty(
          "property", [("name", property.name), ("type", property.type), ("default", property.staticDefault)])
      }
      out.close("device")
    }
    out.close("devices")

    if document.machineSelection.isEmpty {
      out.open("machines")
    } else {
      out.open("machines", [("selection", document.machineSelection.joined(separator: " "))])
    }
    for machine in document.machines {
      write(machine, to: &out)
    }
    out.close("machines")
    out.close("qemuCapabilities")
    return out.text
  }

  private static func write(_ machine: MachineCapabilities, to out: inout XMLOutput) {
    var attributes: [(String, String?)] = [
      ("name", machine.name), ("alias", machine.alias), ("default", machine.isDefault ? "yes" : "no"),
      ("deprecated", machine.isDeprecated ? "yes" : "no"),
    ]
    switch machine.outcome {
    case .failed(let message):
      attributes.append(("status", "failed"))
      out.open("machine", attributes)
      out.element("error", text: message)
    case .probed(let pmDevice, _):
      attributes.append(("status", "probed"))
      attributes.append(("pmDevice", pmDevice))
      out.open("machine", attributes)
      for (option, capability) in machine.options {
        var optionAttributes: [(String, String?)] = [("name", option.rawValue), ("property", option.property)]
        switch capability {
        case .supported(let value):
          optionAttributes += [("supported", "yes"), ("default", value.onOff)]
        case .unsupported(let reason), .unknown(let reason):
          optionAttributes += [("supported", "no"), ("reason", reason)]
        }
        out.empty("option", optionAttributes)
      }
    }
    out.close("machine")
  }
}

/// Builds indented XML text with escaped attribute values and text.
struct XMLOutput {
  private(set) var text = ""
  private var depth = 0

  mutating func line(_ content: String) {
    text += String(repeating: "  ", count: depth) + content + "\n"
  }

  mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
    line("<\(name)\(Self.attributes(attributes))>")
    depth += 1
  }

  mutating func close(_ name: String) {
    depth -= 1
    line("</\(name)>")
  }

  mutating func empty(_ name: String, _ attributes: [(String, String?)]) {
    line("<\(name)\(Self.attributes(attributes))/>")
  }

  mutating func element(_ name: String, text content: String) {
    line("<\(name)>\(Self.escape(content, quote: false))</\(name)>")
  }

  private static func attributes(_ attributes: [(String, String?)]) -> String {
    attributes.compactMap { name, value in value.map { " \(name)=\"\(escape($0, quote: true))\"" } }.joined()
  }

  /// Escape markup characters; characters XML 1.0 cannot carry (control characters
  /// other than tab, newline and CR, U+FFFE, U+FFFF) become `\xNN` / `\u{fffe}`, and a
  /// backslash becomes `\\`, so that any string from QEMU survives exactly
  /// (``CapabilityText/decode(_:)`` reverses it). Text made only of whitespace is written
  /// as escapes too, since XML readers may drop blank text.
  static func escape(_ value: String, quote: Bool) -> String {
    var result = ""
    result.reserveCapacity(value.utf8.count)
    let blank = !quote && !value.isEmpty && value.unicodeScalars.allSatisfy { " \t\n\r".unicodeScalars.contains($0) }
    for scalar in value.unicodeScalars {
      switch scalar {
      case _ where blank: result += scalar.backslashEscape
      case "\\": result += "\\\\"
      case "&", "<", ">", "\r": result += scalar.characterReference
      case "\"", "\n", "\t":
        if quote { result += scalar.characterReference } else { result.unicodeScalars.append(scalar) }
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          result += scalar.backslashEscape
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }
}
