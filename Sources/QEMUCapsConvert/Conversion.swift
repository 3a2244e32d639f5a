import QEMUCapsValidator

/// The outcome of converting one domain: the verdict and, when valid, the new XML.
public struct Conversion: Sendable {
  /// The validator's report, plus the converter's own findings (codes `convert.*`).
  public var report: ValidationReport
  /// The domain as today's libvirt accepts it; `nil` when the domain is invalid.
  public var output: [UInt8]?

  /// Whether the domain was valid and converted.
  public var isValid: Bool { report.isValid && output != nil }

  /// Create a conversion.
  public init(report: ValidationReport, output: [UInt8]?) {
    self.report = report
    self.output = output
  }
}
