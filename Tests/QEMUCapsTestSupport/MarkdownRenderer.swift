import Foundation
import Testing

/// A real GitHub-flavoured Markdown renderer, cmark-gfm (GitHub's own), as a checker of
/// the Markdown qemu-caps writes: the HTML GitHub would make of it, before its sanitizer.
public enum MarkdownRenderer {
  /// The cmark-gfm executable, when installed.
  public static var path: String? {
    ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// `markdown` as HTML, with the extensions github.com enables (tables, strikethrough,
  /// autolinks, the tag filter, task lists) and raw HTML kept (`--unsafe`), so that
  /// HTML a report lets through shows up as HTML.
  public static func html(_ markdown: String) throws -> String {
    let path = try Requirement.markdownRenderer.require(path)
    let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"].flatMap { ["-e", $0] }
    let result = try Command.run(path, extensions + ["--unsafe"], standardInput: markdown)
    guard result.status == 0 else {
      throw CommandError("cmark-gfm exited \(result.status): \(result.standardError.suffix(2000))")
    }
    return result.standardOutput
  }

  /// The element names of `html` in document order (`a`, `img`, `td`, …), end tags left out.
  public static func elements(_ html: String) -> [String] {
    html.matches(of: /<([A-Za-z][A-Za-z0-9]*)/).map { String($0.output.1).lowercased() }
  }

  /// The text of `html` as a reader sees it: tags and comments removed, the entities
  /// cmark-gfm writes decoded.
  public static func text(_ html: String) -> String {
    html.replacing(/<!--.*?-->/, with: "").replacing(/<[^>]*>/, with: "")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
  }
}
