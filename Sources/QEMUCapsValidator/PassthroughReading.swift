import QEMUCapsModel
import QEMUCapsXML

/// Reads what libvirt and QEMU make of `<qemu:capabilities>` and of the `<qemu:commandline>`
/// words that turn ACPI on or off.
package enum PassthroughReading {
  /// The `<qemu:add>` and `<qemu:del>` elements of every `<qemu:capabilities>`, read as
  /// libvirt reads them (`./qemu:capabilities/qemu:add`, `…/qemu:del`); one without a
  /// `capability` attribute is an error, as libvirt refuses the domain.
  package static func capabilityOverrides(_ root: XMLElement, diagnostics: inout [Diagnostic])
    -> [DomainConfig.CapabilityOverride]
  {
    let namespace = DomainReader.qemuNamespace
    var overrides: [DomainConfig.CapabilityOverride] = []
    for container in root.children where container.name == "capabilities" && container.namespace == namespace {
      for element in container.children where element.namespace == namespace {
        guard element.name == "add" || element.name == "del" else { continue }
        guard let capability = element[attribute: "capability"] else {
          diagnostics.append(
            Diagnostic(
              .error, .valueMissing,
              "<qemu:\(element.name)> has no capability attribute: libvirt refuses the domain (\"missing capability name\"); write <qemu:\(element.name) capability='…'/> or remove it",
              line: element.line))
          continue
        }
        overrides.append(.init(capability: capability, added: element.name == "add", line: element.line))
      }
    }
    return overrides
  }

  /// The last of `words` (with the line of each) that turns ACPI on or off, as QEMU
  /// applies them in order: `-no-acpi` (QEMU 5.2 and 7.2; later builds refuse the
  /// option), or `acpi=on|off|auto` in a `-machine` or `-M` value.
  package static func acpi(_ words: [String], lines: [Int]) -> DomainConfig.PassthroughACPI? {
    var last: DomainConfig.PassthroughACPI?
    for option in QEMUArgv.options(in: words) {
      if option.name == "no-acpi" {
        last = .init(enabled: false, spelling: words[option.index], line: lines[option.index])
      } else if option.name == "machine" || option.name == "M", let valueIndex = option.valueIndex,
        let value = acpiValue(inMachineOptions: words[valueIndex])
      {
        last = .init(
          enabled: value != "off", spelling: "\(words[option.index]) acpi=\(value)", line: lines[valueIndex])
      }
    }
    return last
  }

  /// The last `acpi=` value among QEMU's `-machine` options (`pc-i440fx-7.2,acpi=off`,
  /// `,,` an escaped comma), when it is one QEMU takes: `on`, `off` or `auto` (it
  /// refuses `no`, `false`, `OFF` and a bare `acpi`).
  package static func acpiValue(inMachineOptions text: String) -> String? {
    var items: [String] = []
    var current = ""
    var characters = Substring(text)
    while let character = characters.popFirst() {
      if character == "," {
        if characters.first == "," {
          current.append(",")
          characters = characters.dropFirst()
        } else {
          items.append(current)
          current = ""
        }
      } else {
        current.append(character)
      }
    }
    items.append(current)
    let values = items.compactMap { item -> String? in
      let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return pair.count == 2 && pair[0] == "acpi" ? String(pair[1]) : nil
    }
    guard let value = values.last, ["on", "off", "auto"].contains(value) else { return nil }
    return value
  }
}
