import ArgumentParser

/// A number of seconds as written on the command line: decimal digits with an
/// optional fraction (`10`, `0.5`, `.25`), nothing else.
///
/// `Double(_:)` would also take `inf`, `nan`, `1e300`, `0x1p3` and `1e-400` (read as
/// 0); a time limit is given in plain decimal, and anything else is refused as a
/// usage error (exit 2) before it reaches the range check in ``Limits``.
struct Seconds: ExpressibleByArgument, Sendable {
  /// The value in seconds.
  let value: Double
  /// The number as the user wrote it, for messages (`0`, not `0.0`).
  let text: String

  init?(argument: String) {
    let bytes = Array(argument.utf8)
    // 20 bytes hold any value in range with more decimals than a timer resolves.
    guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
    let dots = bytes.filter { $0 == UInt8(ascii: ".") }.count
    let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 }.count
    guard dots <= 1, digits >= 1, digits + dots == bytes.count, let value = Double(argument) else { return nil }
    self.value = value
    self.text = argument
  }
}
