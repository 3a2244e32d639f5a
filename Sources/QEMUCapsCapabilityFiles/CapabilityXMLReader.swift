import QEMUCapsModel
import QEMUCapsXML

/// Reads capability XML (see docs/capabilities-format.md) into a ``CapabilityDocument``.
public enum CapabilityXMLReader {
  /// Read the capability file at `path` (`-`: standard input).
  ///
  /// - Throws: ``XMLError`` naming the file (and line): unreadable, too large, or invalid.
  public static func read(file path: String) throws(XMLError) -> CapabilityDocument {
    try read(try XMLFile.read(path), file: XMLFile.name(path))
  }

  /// Parse capability XML text; `file` names it in error messages.
  ///
  /// - Throws: ``XMLError`` as ``read(_:file:)-([UInt8],_)`` does.
  public static func read(_ text: String, file: String) throws(XMLError) -> CapabilityDocument {
    try read(Array(text.utf8), file: file)
  }

  /// Parse capability XML text from the file called `file`.
  ///
  /// - Throws: ``XMLError`` naming the file and line: malformed XML, wrong root
  ///   element, unknown schema version, missing or invalid attributes.
  public static func read(_ bytes: [UInt8], file: String) throws(XMLError) -> CapabilityDocument {
    // The probe's other output format, given where a capability file is read.
    if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
      throw XMLError(
        .invalid, file: file, line: nil,
        message:
          "it holds JSON (the probe's JSON output), not a capability file: capability files are read in their XML form; probe again with the XML format"
      )
    }
    let root = try XMLTree.parse(bytes, file: file)
    var reader = ElementReader(file: file)
    guard root.name == "qemuCapabilities" else {
      throw reader.invalid(
        root, "the root element is <\(root.name)>, expected <qemuCapabilities>: not a qemu-caps capability file")
    }
    let version = try reader.attribute("schemaVersion", of: root)
    guard let schemaVersion = Int(version), CapabilityDocument.readableSchemaVersions.contains(schemaVersion) else {
      let readable = CapabilityDocument.readableSchemaVersions
      throw reader.invalid(
        root,
        "schema version \(version) is not supported (this qemu-caps reads versions \(readable.lowerBound) to \(readable.upperBound)); regenerate the file with this qemu-caps"
      )
    }
    let generator = try reader.child("generator", of: root)
    let binary = try reader.child("binary", of: root)
    let qemu = try reader.child("qemu", of: root)
    let mtimeText = try reader.attribute("mtime", of: binary)
    guard let mtime = Timestamp.seconds(rfc3339: mtimeText) else {
      throw reader.invalid(binary, "mtime '\(mtimeText)' is not a time like 2025-05-25T20:44:12Z")
    }
    let sha256 = try reader.attribute("sha256", of: binary)
    guard QEMUBuildInfo.isSHA256(sha256) else {
      throw reader.invalid(binary, "sha256 '\(sha256)' is not 64 lowercase hexadecimal digits")
    }
    let info = QEMUBuildInfo(
      binaryPath: try reader.text("path", of: binary),
      binarySize: try reader.integer("size", of: binary, in: 0...Int64.max),
      binaryModificationTime: mtime,
      binarySHA256: sha256,
      version: try reader.version("version", of: qemu),
      package: try reader.text("package", of: qemu),
      arch: try reader.name("arch", of: qemu),
      // Schema version 1 has neither: nil, and the validator falls back (docs/validation.md).
      guestArchitectures: try names("guestArch", in: qemu, schemaVersion: schemaVersion, reader: &reader),
      accelerators: try names("accelerator", in: qemu, schemaVersion: schemaVersion, reader: &reader))

    var devices: [DeviceProperties] = []
    for device in try reader.child("devices", of: root).children(named: "device") {
      var properties: [DeviceProperties.Property] = []
      for property in device.children(named: "property") {
        properties.append(
          DeviceProperties.Property(
            name: try reader.name("name", of: property, valid: QOMName.isValidProperty),
            type: try reader.name("type", of: property, valid: QOMName.isValidType),
            staticDefault: property[attribute: "default"].map(CapabilityText.decode)))
      }
      devices.append(
        DeviceProperties(
          type: try reader.name("type", of: device), isPresent: try reader.yesNo("present", of: device),
          properties: properties))
    }

    let machinesElement = try reader.child("machines", of: root)
    var machines: [MachineCapabilities] = []
    var lines: [String: Int] = [:]
    for element in machinesElement.children(named: "machine") {
      let machine = try readMachine(element, reader: &reader)
      machines.append(machine)
      // The later of two rows with one name is the one named in the error.
      lines[machine.name] = element.line
    }
    let selection =
      machinesElement[attribute: "selection"].map { $0.split(separator: " ").map { CapabilityText.decode(String($0)) } }
      ?? []
    let document = CapabilityDocument(
      toolVersion: try reader.text("version", of: generator), qemu: info, devices: devices, machines: machines,
      machineSelection: selection, generatedAt: root[attribute: "generated"].map(CapabilityText.decode))
    // The model's invariants, as the prober checks them before writing: in file order,
    // so that the row named is the later one the reader met.
    do {
      try CapabilityDocument.validate(machines: machines)
      try document.validate()
    } catch {
      throw XMLError(
        .invalid, file: file, line: error.machine.flatMap { lines[$0] } ?? machinesElement.line,
        message: error.message)
    }
    return document
  }

  /// The `name` of each `<element>` child of `qemu`, or `nil` when there is none;
  /// schema version 1 allows no children.
  private static func names(
    _ element: String, in qemu: XMLElement, schemaVersion: Int, reader: inout ElementReader
  ) throws(XMLError) -> [String]? {
    let children = qemu.children(named: element)
    if schemaVersion < 2, let first = children.first {
      throw reader.invalid(first, "<\(element)> needs schema version 2 or later; this file says 1")
    }
    var names: [String] = []
    var seen: Set<String> = []
    for child in children {
      let name = try reader.name("name", of: child)
      guard seen.insert(name).inserted else { throw reader.invalid(child, "<\(element) name='\(name)'> appears twice") }
      names.append(name)
    }
    return names.isEmpty ? nil : names
  }

  private static func readMachine(_ element: XMLElement, reader: inout ElementReader) throws(XMLError)
    -> MachineCapabilities
  {
    let name = try reader.name("name", of: element)
    let outcome: MachineCapabilities.Outcome
    switch try reader.attribute("status", of: element) {
    case "failed":
      outcome = .failed(CapabilityText.decode(try reader.child("error", of: element).text))
    case "probed":
      var options: [HotplugOption: OptionCapability] = [:]
      for optionElement in element.children(named: "option") {
        let optionName = try reader.attribute("name", of: optionElement)
        guard let option = HotplugOption(rawValue: optionName) else {
          throw reader.invalid(optionElement, "unknown option '\(optionName)' on machine type \(name)")
        }
        guard options[option] == nil else {
          throw reader.invalid(optionElement, "option \(optionName) appears twice on machine type \(name)")
        }
        if try reader.yesNo("supported", of: optionElement) {
          options[option] = .supported(default: try reader.onOff("default", of: optionElement))
        } else {
          options[option] = .unsupported(
            reason: optionElement[attribute: "reason"].map(CapabilityText.decode) ?? "unsupported")
        }
      }
      for option in HotplugOption.allCases where options[option] == nil {
        throw reader.invalid(element, "machine type \(name) lacks option \(option)")
      }
      let pmDevice = try element[attribute: "pmDevice"].map { (value: String) throws(XMLError) -> String in
        guard QOMName.isValid(value) else {
          throw reader.invalid(
            element, "pmDevice '\(value)' of machine type \(name) is not a QOM type name \(QOMName.rule)")
        }
        return value
      }
      outcome = .probed(pmDevice: pmDevice, options: options)
    case let other:
      throw reader.invalid(element, "status '\(other)' of machine type \(name) is neither 'probed' nor 'failed'")
    }
    let alias = try element[attribute: "alias"].map { (value: String) throws(XMLError) -> String in
      guard QOMName.isValid(value) else {
        throw reader.invalid(element, "alias '\(value)' of machine type \(name) is not a QOM name \(QOMName.rule)")
      }
      return value
    }
    return MachineCapabilities(
      name: name, alias: alias, isDefault: try reader.yesNo("default", of: element),
      isDeprecated: try reader.yesNo("deprecated", of: element), outcome: outcome)
  }
}

/// Reads required attributes and children, with errors naming file and line.
struct ElementReader {
  let file: String

  func invalid(_ element: XMLElement, _ message: String) -> XMLError {
    XMLError(.invalid, file: file, line: element.line, message: message)
  }

  func attribute(_ name: String, of element: XMLElement) throws(XMLError) -> String {
    guard let value = element[attribute: name] else {
      throw invalid(element, "<\(element.name)> lacks the attribute '\(name)'")
    }
    return value
  }

  func child(_ name: String, of element: XMLElement) throws(XMLError) -> XMLElement {
    guard let child = element.child(named: name) else {
      throw invalid(element, "<\(element.name)> lacks the element <\(name)>")
    }
    return child
  }

  func integer(_ name: String, of element: XMLElement, in range: ClosedRange<Int64>) throws(XMLError) -> Int64 {
    let text = try attribute(name, of: element)
    guard let value = Int64(text), range.contains(value) else {
      throw invalid(element, "\(name) '\(text)' is not an integer from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  /// A free-text attribute, with the writer's escapes decoded.
  func text(_ name: String, of element: XMLElement) throws(XMLError) -> String {
    CapabilityText.decode(try attribute(name, of: element))
  }

  /// A name attribute that must pass `valid` (by default a QOM name: letters, digits, `-_.+`).
  func name(
    _ name: String, of element: XMLElement, valid: (String) -> Bool = QOMName.isValid
  ) throws(XMLError) -> String {
    let value = try attribute(name, of: element)
    guard valid(value) else {
      throw invalid(
        element,
        "\(name) '\(value)' of <\(element.name)> is not a QOM name \(QOMName.rule); capability files are data, not code"
      )
    }
    return value
  }

  func version(_ name: String, of element: XMLElement) throws(XMLError) -> QEMUVersion {
    let text = try attribute(name, of: element)
    guard let value = QEMUVersion(text) else {
      throw invalid(element, "\(name) '\(text)' is not a QEMU version like 7.2.22")
    }
    return value
  }

  func yesNo(_ name: String, of element: XMLElement) throws(XMLError) -> Bool {
    switch try attribute(name, of: element) {
    case "yes": return true
    case "no": return false
    case let other: throw invalid(element, "\(name) '\(other)' is neither 'yes' nor 'no'")
    }
  }

  func onOff(_ name: String, of element: XMLElement) throws(XMLError) -> Bool {
    switch try attribute(name, of: element) {
    case "on": return true
    case "off": return false
    case let other: throw invalid(element, "\(name) '\(other)' is neither 'on' nor 'off'")
    }
  }
}
