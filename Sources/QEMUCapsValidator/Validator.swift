import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsXML

/// Checks libvirt domains against the capability data of one QEMU build and
/// produces the `-global` arguments for the hotplug options.
///
/// Every rule reads the capability data (PM device, property presence, default);
/// none knows QEMU version numbers or machine type names, so new builds and
/// distribution machine types work unchanged. See docs/validation.md.
public struct Validator: Sendable {
  /// The capability data of the QEMU the domain will run on.
  public let capabilities: CapabilityDocument

  /// Create a validator for one QEMU build.
  public init(capabilities: CapabilityDocument) {
    self.capabilities = capabilities
  }

  /// Load capability XML from `path` (`-`: standard input) and create a validator for it.
  ///
  /// - Throws: ``XMLError`` naming the file and line.
  public init(capabilitiesFile path: String) throws(XMLError) {
    self.init(capabilities: try CapabilityXMLReader.read(file: path))
  }

  /// Validate domain XML text from the file called `file`.
  ///
  /// - Throws: ``XMLError`` when the XML cannot be parsed or is not a `<domain>`.
  public func validate(domainXML bytes: [UInt8], file: String) throws(XMLError) -> ValidationReport {
    guard bytes.count <= DomainReader.maximumSize else {
      throw XMLError(
        .tooLarge, file: file, line: nil,
        message: "the domain is \(bytes.count) bytes; at most \(DomainReader.maximumSize) are accepted (as virsh)")
    }
    return validate(try DomainReader.read(bytes, file: file))
  }

  /// Validate domain XML text, e.g. what `virsh dumpxml` printed; `file` names it in messages.
  ///
  /// - Throws: ``XMLError`` when the XML cannot be parsed or is not a `<domain>`.
  public func validate(domainXML text: String, file: String = "domain.xml") throws(XMLError) -> ValidationReport {
    try validate(domainXML: Array(text.utf8), file: file)
  }

  /// Validate the domain XML file at `path` (`-`: standard input).
  ///
  /// - Throws: ``XMLError`` naming the file when it cannot be read or parsed.
  public func validate(domainFile path: String) throws(XMLError) -> ValidationReport {
    try validate(
      domainXML: try XMLFile.read(path, limit: DomainReader.maximumSize), file: XMLFile.name(path))
  }

  /// Validate a parsed domain.
  package func validate(_ domain: DomainConfig) -> ValidationReport {
    var rules = RuleContext(capabilities: capabilities, domain: domain)
    rules.run()
    let ordered = rules.diagnostics.enumerated().sorted { lhs, rhs in
      (lhs.element.line ?? 0, lhs.offset) < (rhs.element.line ?? 0, rhs.offset)
    }.map(\.element)
    let valid = !ordered.contains { $0.severity == .error }
    return ValidationReport(
      machine: rules.machine?.name, diagnostics: ordered, qemuArguments: valid ? rules.arguments : [],
      effective: rules.effectiveValues())
  }
}
