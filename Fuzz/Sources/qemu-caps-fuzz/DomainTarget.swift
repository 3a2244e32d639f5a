import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsValidator

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The libvirt domain reader and the validator.
///
/// Every input goes through `DomainReader.read`; what it accepts is validated
/// against the capability file given with `--capabilities=FILE` (scripts/fuzz
/// passes capabilities-data/qemu-7.2.22.xml), and the report must be coherent:
/// QEMU arguments only when valid, and a JSON form that parses back to itself.
enum DomainTarget: FuzzTarget {
  /// The validator, built once from the capability file.
  nonisolated(unsafe) static var validator: Validator?

  static func setUp(options: [String: String]) {
    // By default the capability file of the checkout this harness was built from.
    var checkout = #filePath  // CHECKOUT/Fuzz/Sources/qemu-caps-fuzz/DomainTarget.swift
    for _ in 0..<4 { checkout = String(checkout[..<(checkout.lastIndex(of: "/") ?? checkout.startIndex)]) }
    let path = options["capabilities"] ?? checkout + "/capabilities-data/qemu-7.2.22.xml"
    do {
      validator = try Validator(capabilitiesFile: path)
    } catch {
      Fuzz.printError("qemu-caps-fuzz: cannot load the capabilities for --target=domain: \(error)")
      exit(2)
    }
  }

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let validator else { Fuzz.fail("the domain target was not set up") }
    let domain: DomainConfig
    do { domain = try DomainReader.read(Array(bytes), file: "domain.xml") } catch { return }
    let report = validator.validate(domain)
    let hasError = report.diagnostics.contains { $0.severity == .error }
    guard report.isValid == !hasError, report.isValid || report.qemuArguments.isEmpty else {
      Fuzz.fail(
        "incoherent report: valid \(report.isValid), arguments \(report.qemuArguments), diagnostics \(report.diagnostics)"
      )
    }
    for diagnostic in report.diagnostics { _ = diagnostic.description }
    let text = report.json.serialized()
    guard (try? JSON.parse(text)) == report.json else {
      Fuzz.fail("the report's JSON does not parse back to itself: \(Fuzz.quote(text))")
    }
  }
}
