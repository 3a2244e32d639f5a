import Foundation
import QEMUCapsJSON
import QEMUCapsReport
import QEMUCapsTestSupport
import Testing

/// The HTML report as a browser draws it: the matrix's header stays whole and on top
/// when the page scrolls, in every view and at a large font size.
@Suite("HTML report in Chromium, scrolled")
struct HTMLReportBrowserTests {
  @Test("scrolled half-way, each view's header rows are stuck at the top, in order, not overlapping, none covered")
  func headerScrolled() throws {
    try Requirement.browser.require(Browser.path != nil)
    let matrix = CapabilityMatrix(documents: try ReportTests.snapshots())
    try TemporaryDirectory.with("browser-header") { directory in
      let page = directory.appendingPathComponent("matrix.html")
      try Browser.page(HTMLReport.render(matrix), running: HeaderMeasurement.script).write(
        to: page, atomically: true, encoding: .utf8)
      let dom = try Browser.dom(of: page, width: 1600, height: 900)
      let measured = try #require(Browser.text(ofElement: "measured", in: dom), "the page script wrote nothing")
      let views = try #require(JSON.parse(measured).arrayValue)
      #expect(views.count == 6)
      for view in views {
        let name = "\(view["view"]?.stringValue ?? "?") at \(view["fontSize"]?.stringValue ?? "?")"
        #expect(view["visible"]?.boolValue == true, "\(name): the view is not shown when its button is checked")
        // Scrolled: the table starts above the window, and the header is stuck at its top.
        #expect(number(view["table"]?["top"]) < -100, "\(name): not scrolled: \(view)")
        #expect(abs(number(view["head"]?["top"])) < 1, "\(name): the header is not at the top: \(view)")
        let rows = try #require(view["rows"]?.arrayValue)
        #expect(rows.count == (name.hasPrefix("both") ? 2 : 1), "\(name)")
        for row in rows {
          #expect(number(row["bottom"]) - number(row["top"]) > 10, "\(name): a header row has no height: \(row)")
          #expect(row["hidden"]?.arrayValue?.isEmpty == true, "\(name): header cells covered: \(row)")
          #expect((row["cells"]?.intValue ?? 0) > 0)
        }
        for (upper, lower) in zip(rows, rows.dropFirst()) {
          #expect(
            number(upper["bottom"]) <= number(lower["top"]) + 0.5, "\(name): header rows overlap: \(upper) \(lower)")
        }
      }
    }
  }

  /// A measurement in CSS pixels (JSON writes whole numbers as integers); NaN when missing.
  private func number(_ value: JSON?) -> Double {
    switch value {
    case .int(let whole): Double(whole)
    case .double(let fraction): fraction
    default: .nan
    }
  }
}
