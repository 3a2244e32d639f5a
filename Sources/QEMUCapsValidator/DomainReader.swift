import QEMUCapsModel
import QEMUCapsXML

/// Reads the libvirt domain XML elements the validator needs.
package enum DomainReader {
  /// libvirt's namespace for QEMU passthrough arguments (`<qemu:commandline>`).
  package static let qemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0"

  /// The largest domain accepted, in bytes: virsh reads at most 10 MiB.
  package static let maximumSize = 10 << 20

  /// Parse domain XML from the file called `file`.
  ///
  /// - Throws: ``XMLError`` when the text is not well-formed XML or its root is not `<domain>`.
  package static func read(_ bytes: [UInt8], file: String) throws(XMLError) -> DomainConfig {
    let parsed = try XMLTree.parse(bytes, file: file)
    guard parsed.name == "domain" else {
      throw XMLError(
        .invalid, file: file, line: parsed.line,
        message: "the root element is <\(parsed.name)>, expected <domain>: not a libvirt domain definition")
    }
    if let namespace = parsed.namespace {
      throw XMLError(
        .invalid, file: file, line: parsed.line,
        message:
          "<domain> is in the XML namespace '\(namespace)', but libvirt reads only elements in no namespace and refuses this domain (missing name information): remove the xmlns declaration or prefix of <domain>"
      )
    }
    var scan = Scan()
    let root = LibvirtView.visible(parsed, diagnostics: &scan.diagnostics)
    scan.diagnostics += MisplacedSettings.diagnostics(in: root)
    scan.readCommandLine(parsed)
    let capabilityOverrides = PassthroughReading.capabilityOverrides(parsed, diagnostics: &scan.diagnostics)
    scan.readPM(root)
    // libvirt reads ./features/* across every <features> element, so a second one
    // counts as much as the first (its <acpi/>, its <pci> settings).
    let features = root.children(named: "features")
    var acpiEnabled = false
    for element in features where scan.readFeatures(element) { acpiEnabled = true }
    scan.readDevices(root)
    let osType = root.child(named: "os")?.child(named: "type")
    // libvirt reads arch and machine with virXPathString, which gives NULL for an
    // empty value: machine='' is the default machine type, as if it were absent.
    let arch = osType?[attribute: "arch"].flatMap { $0.isEmpty ? nil : $0 }
    let machine = osType?[attribute: "machine"].flatMap { $0.isEmpty ? nil : $0 }
    return DomainConfig(
      domainType: root[attribute: "type"], arch: arch, machine: machine,
      machineLine: osType?.line ?? root.line, acpiEnabled: acpiEnabled,
      settings: scan.settings, hotplugRequirements: scan.requirements, rootController: scan.rootController,
      portHotplugs: scan.portHotplugs, readDiagnostics: scan.diagnostics, pcieControllers: scan.pcieControllers,
      osType: osType?.text, misspelledGlobals: scan.misspelledGlobals, capabilityOverrides: capabilityOverrides,
      passthroughACPI: scan.passthroughACPI)
  }

  /// What reading a domain collects, one spelling at a time.
  private struct Scan {
    var diagnostics: [Diagnostic] = []
    var settings: [DomainConfig.OptionSetting] = []
    var requirements: [DomainConfig.HotplugRequirement] = []
    var rootController: DomainConfig.RootController?
    var portHotplugs: [DomainConfig.PortHotplug] = []
    var pcieControllers: [DomainConfig.PCIeController] = []
    var misspelledGlobals: [DomainConfig.MisspelledGlobal] = []
    var passthroughACPI: DomainConfig.PassthroughACPI?

    static let yesNo = ["yes": true, "no": false]
    static let onOff = ["on": true, "off": false]

    /// The switch value of `attribute`, or `nil` with a diagnostic when missing or not one of `accepted`.
    mutating func value(_ element: XMLElement, _ attribute: String, _ accepted: [String: Bool]) -> Bool? {
      Self.value(element, attribute, accepted, diagnostics: &diagnostics)
    }

    /// ``value(_:_:_:)`` for callers that hold the diagnostics themselves.
    static func value(
      _ element: XMLElement, _ attribute: String, _ accepted: [String: Bool], diagnostics: inout [Diagnostic]
    ) -> Bool? {
      guard let text = element[attribute: attribute] else {
        diagnostics.append(
          Diagnostic(
            .error, .valueMissing,
            "<\(element.name)> needs the attribute \(attribute)='\(accepted.keys.sorted().joined(separator: "|"))'",
            line: element.line))
        return nil
      }
      guard let flag = accepted[text] else {
        let shown = text.truncated(to: 40)
        diagnostics.append(
          Diagnostic(
            .error, .valueInvalid,
            "<\(element.name) \(attribute)='\(shown)'> is not valid: use \(accepted.keys.sorted().map { "'\($0)'" }.joined(separator: " or "))",
            line: element.line))
        return nil
      }
      return flag
    }

    /// Spelling 1: `<pm><acpi-hotplug-bridge enabled/>`, `<acpi-root-hotplug enabled/>`.
    mutating func readPM(_ root: XMLElement) {
      for pm in root.children(named: "pm") {
        for element in pm.children {
          guard let option = HotplugOption(rawValue: element.name) else { continue }
          if let flag = value(element, "enabled", Self.yesNo) {
            settings.append(.init(option: option, value: flag, spelling: .pm, line: element.line))
          }
        }
      }
    }

    /// Passthrough arguments: `-global DEVICE.PROPERTY=VALUE` pairs for the two
    /// properties among `<qemu:commandline><qemu:arg value>`, read as libvirt reads them
    /// (`./qemu:commandline/qemu:arg`, in document order). libvirt puts them after its
    /// own arguments, and QEMU applies the last `-global` of a property.
    mutating func readCommandLine(_ root: XMLElement) {
      let arguments = root.children.filter { $0.name == "commandline" && $0.namespace == DomainReader.qemuNamespace }
        .flatMap { $0.children.filter { $0.name == "arg" && $0.namespace == DomainReader.qemuNamespace } }
      for argument in arguments where argument[attribute: "value"] == nil {
        diagnostics.append(
          Diagnostic(
            .error, .valueMissing,
            "<qemu:arg> has no value attribute: libvirt refuses the domain (\"No qemu command-line argument specified\"); write <qemu:arg value='…'/> or remove it",
            line: argument.line))
      }
      let words = arguments.map { $0[attribute: "value"] ?? "" }
      passthroughACPI = PassthroughReading.acpi(words, lines: arguments.map(\.line))
      for option in QEMUArgv.options(in: words) where option.takesValue {
        let flag = arguments[option.index]
        guard let valueIndex = option.valueIndex else {
          // libvirt puts the passthrough words last, so a last option has no value.
          let hint = option.name == "global" ? "DEVICE.PROPERTY=VALUE" : "VALUE"
          diagnostics.append(
            Diagnostic(
              .error, .valueMissing,
              "the last <qemu:arg> is \(shown(words[option.index])) without a value: libvirt passes it as QEMU's last argument, and QEMU refuses to start (\(shown(words[option.index])): requires an argument); add <qemu:arg value='\(hint)'/> after it or remove it",
              line: flag.line))
          continue
        }
        let argument = arguments[valueIndex]
        if QEMUArgv.optionName(words[valueIndex]) == "global" {
          // QEMU takes the word after an option that needs a value as that value, even
          // a -global: the -global then sets nothing, and its own value is a disk image.
          diagnostics.append(
            Diagnostic(
              .error, .valueMissing,
              "<qemu:arg value='\(shown(words[option.index]))'> has no value: QEMU takes the next word, \(words[valueIndex]) on line \(argument.line), as its value, so that -global sets nothing and QEMU opens the word after it as a disk image; add <qemu:arg value='…'/> with the value of \(shown(words[option.index])) after it, or remove it",
              line: flag.line))
          continue
        }
        guard option.name == "global" else { continue }
        readGlobal(argument)
      }
    }

    /// A `<qemu:arg>` word as messages quote it: at most 40 characters.
    private func shown(_ word: String) -> String {
      word.truncated(to: 40)
    }

    /// The value word of a passthrough `-global`: a setting when it names one of the
    /// two properties, else a diagnostic or nothing.
    private mutating func readGlobal(_ argument: XMLElement) {
      guard let word = argument[attribute: "value"] else { return }
      guard let global = QEMUGlobal(word) else {
        // QEMU refuses to start on a -global it cannot read; report it where it
        // names one of the two properties, as the setting it was meant to be.
        if HotplugOption.allCases.contains(where: { word.contains($0.property) }) {
          let shown = word.truncated(to: 80)
          diagnostics.append(
            Diagnostic(
              .error, .valueInvalid,
              "<qemu:arg value='\(shown)'> is not a -global QEMU reads: QEMU refuses to start; write DEVICE.PROPERTY=VALUE (or driver=DEVICE,property=PROPERTY,value=VALUE and nothing else)",
              line: argument.line))
        }
        return
      }
      guard let option = HotplugOption(property: global.property) else {
        if let intended = HotplugOption.allCases.first(where: { global.property.contains($0.property) }) {
          misspelledGlobals.append(
            .init(driver: global.driver, property: global.property, intended: intended, line: argument.line))
        }
        return
      }
      guard let flag = global.switchValue else {
        let shown = global.value.truncated(to: 40)
        diagnostics.append(
          Diagnostic(
            .error, .valueInvalid,
            "<qemu:arg value='\(global.key)=\(shown)'> is not valid: QEMU refuses it (Parameter '\(global.property)' expects 'on' or 'off'); use on or off",
            line: argument.line))
        return
      }
      settings.append(
        .init(option: option, value: flag, spelling: .commandline, line: argument.line, device: global.driver))
    }

    /// Spelling 3: `<features><pci><acpi-bridge-hotplug state/>` in one `<features>`
    /// element; returns whether that element holds `<acpi/>`.
    mutating func readFeatures(_ features: XMLElement) -> Bool {
      for pci in features.children(named: "pci") {
        for element in pci.children(named: "acpi-bridge-hotplug") {
          if let flag = value(element, "state", Self.onOff) {
            settings.append(.init(option: .acpiHotplugBridge, value: flag, spelling: .featuresPCI, line: element.line))
          }
        }
      }
      guard let acpi = features.child(named: "acpi") else { return false }
      // libvirt reads <acpi> as a feature without a switch: 9.0 turns ACPI on for
      // <acpi state='off'/> too (no -no-acpi), and its schema refuses the attribute.
      if let state = acpi[attribute: "state"] {
        let shown = state.truncated(to: 40)
        diagnostics.append(
          Diagnostic(
            .warning, .valueNonstandard,
            "<acpi state='\(shown)'> is read as <acpi/> by libvirt (9.0 ignores state here and runs the guest with ACPI), and libvirt's schema refuses the attribute; write <acpi/>, or remove it to run the guest without ACPI",
            line: acpi.line))
      }
      return true
    }

    /// Spelling 2 (`<controller model='pci-root'><target hotplug/>`, with libvirt's
    /// rules for PCI controllers) and per-device `<hotplug require>`.
    mutating func readDevices(_ root: XMLElement) {
      // libvirt reads ./devices/controller across every <devices> element, so the
      // controllers of all of them are numbered (and checked for duplicates) together.
      let allDevices = root.children(named: "devices").flatMap(\.children)
      let controllers = PCIControllerReader(allDevices, diagnostics: &diagnostics) { target, diagnostics in
        Scan.value(target, "hotplug", Scan.onOff, diagnostics: &diagnostics)
      }
      rootController = controllers.root
      portHotplugs = controllers.ports
      pcieControllers = controllers.pcieControllers
      if let setting = controllers.setting { settings.append(setting) }
      for devices in root.children(named: "devices") {
        for device in devices.children {
          for hotplug in device.children(named: "hotplug") {
            guard let required = value(hotplug, "require", Self.yesNo) else { continue }
            requirements.append(
              .init(
                element: device.name, label: DomainReader.label(device),
                mayCarryHotplug: DomainReader.mayCarryHotplug(device), required: required,
                bus: DomainReader.pciBus(device, diagnostics: &diagnostics),
                addressAssigned: device.child(named: "address") == nil, line: hotplug.line))
          }
        }
      }
    }
  }

  fileprivate static func mayCarryHotplug(_ device: XMLElement) -> Bool {
    switch device.name {
    case "interface", "hostdev", "rng", "serial": return true
    case "disk": return device.child(named: "target")?[attribute: "bus"] == "virtio"
    case "controller": return device[attribute: "type"] == "scsi"
    default: return false
    }
  }

  fileprivate static func label(_ device: XMLElement) -> String {
    switch device.name {
    case "disk": return "<disk> on bus '\(device.child(named: "target")?[attribute: "bus"] ?? "unspecified")'"
    case "controller": return "<controller type='\(device[attribute: "type"] ?? "unspecified")'>"
    default: return "<\(device.name)>"
    }
  }

  /// The bus of an explicit `<address type='pci' bus='0x00'/>`, read as libvirt reads
  /// it (`virXMLPropUInt` with base 0, as `strtoul`): leading white space and a `+`
  /// allowed, `0x` hexadecimal, a leading `0` octal, anything else decimal; a `-` or
  /// trailing characters are refused.
  static func libvirtBus(_ text: String) -> Int? {
    var digits = Substring(text).drop { [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r"].contains($0) }
    if digits.first == "+" { digits = digits.dropFirst() }
    var radix = 10
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
      radix = 16
      digits = digits.dropFirst(2)
    } else if digits.hasPrefix("0"), digits.count > 1 {
      radix = 8
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }), digits.count <= 16 else { return nil }
    return Int(digits, radix: radix)
  }

  fileprivate static func pciBus(_ device: XMLElement, diagnostics: inout [Diagnostic]) -> Int? {
    guard let address = device.child(named: "address"), address[attribute: "type"] == "pci",
      let text = address[attribute: "bus"]
    else { return nil }
    guard let bus = libvirtBus(text), (0...255).contains(bus) else {
      diagnostics.append(
        Diagnostic(
          .error, .valueInvalid,
          "<address bus='\(text.truncated(to: 40))'> is not a PCI bus number (0 to 0xff) as libvirt reads it (decimal, 0x hexadecimal or 0 octal, no sign but +); libvirt refuses the domain",
          line: address.line))
      return nil
    }
    return bus
  }
}
