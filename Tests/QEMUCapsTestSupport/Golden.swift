import Foundation
import Testing

/// Golden files: expected outputs kept next to the tests.
public enum Golden {
  /// Compare `actual` with the golden file at `url`.
  ///
  /// With `QEMU_CAPS_RECORD=1` the file is rewritten instead and the test fails,
  /// so that a new baseline is never taken silently; run again without it.
  public static func check(_ actual: String, against url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    if Fixtures.shouldRecord {
      do {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record(
          "recorded \(url.lastPathComponent); run the tests again without QEMU_CAPS_RECORD",
          sourceLocation: sourceLocation)
      } catch {
        Issue.record("cannot write \(url.path): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "no golden file \(url.path); create it with QEMU_CAPS_RECORD=1 swift test", sourceLocation: sourceLocation)
      return
    }
    #expect(actual == expected, "differs from \(url.lastPathComponent)", sourceLocation: sourceLocation)
  }
}
