import Foundation
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsReport
import QEMUCapsTestSupport
import Testing

/// Free text in capability files (package, file names, machine names, PM device,
/// alias, architecture) rendered by GitHub's own Markdown renderer: it must come out
/// as the same text, never as a link, an image, emphasis, a heading or HTML.
@Suite("Markdown report against cmark-gfm")
struct MarkdownInjectionTests {
  /// Markdown, GFM extensions and HTML in one package string.
  static let package =
    "[click](https://evil.example/) ![](https://evil.example/p.png) **bold** __b__ *em* _em_ ~~del~~ ~d~ `code` "
    + "<b>tag</b> <https://evil.example/auto> https://evil.example/bare www.evil.example ftp://evil.example/f "
    + "maintainer@evil.example mailto:m@evil.example xmpp:x@evil.example [^1] [ ] [x] $x^2$ \\*kept\\* a&amp;b |pipe|"

  /// Names that start a block or inline syntax: the sources (file names) of the columns.
  static let sources = [
    "*b*.xml", "# h1.xml", "- item.xml", "+ plus.xml", "1. one.xml", "2) two.xml", "> quote.xml", "[ ] task.xml",
    "www.evil.example", "https://evil.example/s.xml", "me@evil.example", "~~del~~.xml", "`code`.xml", "a_b_.xml",
    "= setext", "![i](https://evil.example/i.png)",
  ]

  /// Machine types with names no QEMU gives but a library user or a hand-edited file might.
  static let machines = [
    "www.evil.example", "_em_", "__strong__-1.0", "a*b*c", "https://evil.example/m", "user@evil.example",
    "[m](https://evil.example/m)", "~~gone~~", "- listed", "1. first", "# top",
  ]

  static func hostileDocument() throws -> CapabilityDocument {
    let data = Fixtures.capabilitiesData()
    var document = try CapabilityIndex(path: data).build(version: "7.2").document
    document.qemu.package = package
    document.qemu.arch = "www.arch.example"
    let template = try #require(document.machines.first { $0.name == "pc-i440fx-7.2" })
    for (index, name) in machines.enumerated() {
      var machine = template
      machine.name = name
      machine.alias = index == 0 ? "[alias](https://evil.example/a)" : nil
      machine.isDefault = false
      if index % 2 == 1 {
        machine.outcome = .probed(
          pmDevice: "![](https://evil.example/d.png)",
          options: [.acpiHotplugBridge: .supported(default: true), .acpiRootHotplug: .unsupported(reason: package)])
      }
      document.machines.append(machine)
    }
    return document
  }

  @Test("no link, image, emphasis, strikethrough, heading, list or HTML comes from the free text; it reads as written")
  func inert() throws {
    let document = try Self.hostileDocument()
    let matrix = CapabilityMatrix(documents: Self.sources.map { (document, $0) })
    let markdown = MarkdownReport.render(matrix)
    let html = try MarkdownRenderer.html(markdown)
    let elements = MarkdownRenderer.elements(html)
    // What the report's own Markdown makes: headings, the legend, the builds table and one table per option.
    // No HTML of its own in the cells (no <br>), no bold family rows.
    let allowed: Set = ["h3", "p", "ul", "li", "code", "table", "thead", "tbody", "tr", "th", "td"]
    #expect(Set(elements).subtracting(allowed).isEmpty, "\(Set(elements).subtracting(allowed)) in \(html.prefix(3000))")
    #expect(elements.filter { $0 == "code" }.count == ReportLegend.entries.count)
    #expect(elements.filter { $0 == "h3" }.count == 2 + HotplugOption.allCases.count)
    #expect(elements.filter { $0 == "table" }.count == 1 + HotplugOption.allCases.count)
    // Every text is there, once per place it is shown, exactly as written.
    let text = MarkdownRenderer.text(html)
    #expect(text.components(separatedBy: Self.package).count - 1 >= matrix.columns.count, "\(text.prefix(3000))")
    for source in Self.sources {
      #expect(text.contains("\n\(source)\n7.2.22\n"), "source \(source) in the builds table")
      #expect(text.contains("\n7.2.22 (\(source))\n"), "column header of \(source)")
    }
    for name in Self.machines { #expect(text.contains(name), "machine \(name)") }
    for fixed in ["www.arch.example", "![](https://evil.example/d.png)", "[alias](https://evil.example/a)"] {
      #expect(text.contains(fixed), "\(fixed)")
    }
  }

  @Test("control characters and line breaks are still written out, not passed on")
  func controls() throws {
    var document = try Self.hostileDocument()
    document.qemu.package = "esc \u{1B}[31m del \u{7F} csi \u{9B} bidi \u{202E} line\nbreak"
    let markdown = MarkdownReport.render(CapabilityMatrix(documents: [(document, "c.xml")]))
    let text = MarkdownRenderer.text(try MarkdownRenderer.html(markdown))
    #expect(text.contains(#"esc \x1b[31m del \x7f csi \x9b bidi \u{202e} line break"#), "\(text.prefix(2000))")
  }
}
