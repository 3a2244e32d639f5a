import QEMUCapsTestSupport
import QEMUCapsValidator

extension Validator {
  /// How many times the work of validating `small` validating `large` takes
  /// (``Complexity/growth(repetitions:small:large:)``); errors count as work done.
  func growth(small: [UInt8], large: [UInt8]) -> Double {
    Complexity.growth(
      small: { _ = try? validate(domainXML: small, file: "small.xml") },
      large: { _ = try? validate(domainXML: large, file: "large.xml") })
  }
}
