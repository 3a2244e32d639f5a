import Foundation
import Testing

/// A real browser, headless Chromium, as a checker of the HTML qemu-caps writes:
/// the DOM it builds from a page, and a screenshot of how it draws it.
public enum Browser {
  /// The Chromium executable, when installed.
  public static var path: String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Chromium's options for a page read from a file, with nothing fetched from the
  /// network and no profile left behind (a fresh one in `profile`).
  static func options(profile: URL) -> [String] {
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
      "--disable-background-networking", "--disable-extensions", "--disable-sync",
      "--user-data-dir=\(profile.path)", "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
  }

  /// The serialized DOM Chromium builds from `page` (`--dump-dom`), after the page's
  /// own scripts ran in a window `width` by `height` pixels: a page script can lay
  /// the page out, scroll it, measure it and write what it found into the DOM.
  public static func dom(of page: URL, width: Int = 1280, height: Int = 800) throws -> String {
    try run(["--window-size=\(width),\(height)", "--dump-dom", page.absoluteString], label: "--dump-dom")
      .standardOutput
  }

  /// `html` with `script` run at the end of its body, when the whole page is laid out.
  public static func page(_ html: String, running script: String) -> String {
    let tag = "<script>\n\(script)\n</script>\n"
    guard let end = html.range(of: "</body>", options: .backwards) else { return html + tag }
    return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: tag)
  }

  /// The text of the element with `id` in a serialized DOM, entities decoded: what a
  /// page script wrote there.
  public static func text(ofElement id: String, in dom: String) -> String? {
    guard let start = dom.range(of: "id=\"\(id)\">"), let end = dom[start.upperBound...].range(of: "</") else {
      return nil
    }
    return String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  /// Draw `page` in a window `width` by `height` pixels into the PNG file `image`.
  public static func screenshot(of page: URL, to image: URL, width: Int, height: Int) throws {
    _ = try run(
      ["--window-size=\(width),\(height)", "--screenshot=\(image.path)", page.absoluteString], label: "--screenshot")
  }

  /// Chromium under the test reaper (its zygote and renderer processes go with it),
  /// with its own profile directory, removed afterwards.
  private static func run(_ arguments: [String], label: String) throws -> Command.Result {
    guard let path else { try Requirement.browser.unmet() }
    let profile = try TemporaryDirectory.create("chromium")
    defer { TemporaryDirectory.remove(profile) }
    var environment = ProcessInfo.processInfo.environment
    // Chromium wants a writable HOME for its caches, whatever the test runs as.
    environment["HOME"] = profile.path
    let result = try Command.run(
      Command.builtExecutable("qemu-caps-test-reaper"), ["120", path] + options(profile: profile) + arguments,
      environment: environment)
    guard result.status == 0 else {
      throw CommandError("chromium \(label) exited \(result.status): \(result.standardError.suffix(2000))")
    }
    return result
  }
}
