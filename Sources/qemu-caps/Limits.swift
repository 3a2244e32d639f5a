/// The documented bounds of numeric options (README, "Numbers").
enum Limits {
  /// `--timeout`, in seconds.
  static let timeout: ClosedRange<Double> = 0.01...3600
  /// `--jobs`.
  static let jobs: ClosedRange<Int> = 1...256

  /// Refuse a timeout that is not a finite number of seconds within ``timeout``.
  ///
  /// - Throws: ``UsageError``.
  static func checkTimeout(_ seconds: Seconds) throws(UsageError) {
    guard seconds.value.isFinite, timeout.contains(seconds.value) else {
      throw UsageError(
        "--timeout must be a number of seconds from \(timeout.lowerBound) to \(Int(timeout.upperBound)), not \(seconds.text)"
      )
    }
  }

  /// A checked timeout as a duration.
  static func duration(_ seconds: Seconds) -> Duration {
    .milliseconds(Int64((seconds.value * 1000).rounded()))
  }
}
