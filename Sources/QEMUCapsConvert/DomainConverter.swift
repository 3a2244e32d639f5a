import QEMUCapsModel
import QEMUCapsSystem
import QEMUCapsValidator
import QEMUCapsXML

/// Rewrites a valid domain so that today's libvirt applies its ACPI hotplug
/// settings, keeping everything else as it was (see ``XMLEditor`` for what
/// libxml2 changes anyway).
///
/// - acpi-root-hotplug becomes `<controller type='pci' index='0' model='pci-root'><target
///   hotplug='on|off'/>` where the machine's bus 0 is pci-root (libvirt 7.9 and later)
///   and `<qemu:capabilities>` does not delete libvirt's flag for it;
/// - every other `-global` the validator produces goes into `<qemu:commandline>`, merged
///   with one that is there: an identical `-global` is not repeated, a different value
///   for the same `DRIVER.PROPERTY` is an error (`convert.commandline-conflict`);
/// - `<pm><acpi-hotplug-bridge|acpi-root-hotplug>`, `<features><pci><acpi-bridge-hotplug>`
///   and `<hotplug require>` (all checked by the validator, none known to libvirt) are
///   removed, and so are `<pm>` when nothing else is left in it and `<pci>` (libvirt
///   refuses the domain while it is there: a `<pci>` holding anything else is an error,
///   `convert.features-pci-unknown`);
/// - a note (`convert.custom-argv`) says when `<qemu:commandline>` gets a `-global`:
///   libvirt marks such a domain tainted.
public struct DomainConverter: Sendable {
  /// libvirt's namespace for QEMU passthrough arguments.
  public static let qemuNamespace = DomainReader.qemuNamespace

  /// The validator of the QEMU build the domain will run on.
  public let validator: Validator

  /// Create a converter for the build `validator` checks against.
  public init(validator: Validator) {
    self.validator = validator
  }

  /// Convert the domain XML file at `path`.
  ///
  /// - Throws: ``XMLError`` when the file cannot be read or is not a `<domain>`.
  public func convert(domainFile path: String) throws(XMLError) -> Conversion {
    try convert(domainXML: try XMLFile.read(path), file: XMLFile.name(path))
  }

  /// Convert domain XML text from the file called `file`.
  ///
  /// - Throws: ``XMLError`` when the XML cannot be parsed or is not a `<domain>`.
  public func convert(domainXML bytes: [UInt8], file: String) throws(XMLError) -> Conversion {
    let report = try validator.validate(domainXML: bytes, file: file)
    guard report.isValid, let machineName = report.machine,
      let machine = validator.capabilities.machine(named: machineName)
    else {
      return Conversion(report: report, output: nil)
    }
    let editor = try XMLEditor(bytes, file: file)
    // With libvirt's flag for the root option deleted, libvirt refuses a pci-root
    // <target hotplug>: the option then goes into <qemu:commandline> as well.
    let domain = try DomainReader.read(bytes, file: file)
    let removed = domain.capabilityOverride(DomainConfig.rootHotplugCapability).map { !$0.added } ?? false
    var rewrite = DomainRewrite(
      editor: editor, machine: machine, globals: QEMUGlobal.parse(arguments: report.qemuArguments),
      rootTargetAllowed: !removed)
    try rewrite.run()
    let combined = ValidationReport(
      machine: report.machine, diagnostics: report.diagnostics + rewrite.diagnostics,
      qemuArguments: rewrite.diagnostics.contains { $0.severity == .error } ? [] : report.qemuArguments)
    guard combined.isValid else { return Conversion(report: combined, output: nil) }
    return Conversion(report: combined, output: editor.isModified ? editor.serialized() : bytes)
  }
}
