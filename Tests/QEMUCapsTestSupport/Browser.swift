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

  /// The serialized DOM Chromium builds from `page` (`--dump-dom`).
  public static func dom(of page: URL) throws -> String {
    try run(["--dump-dom", page.absoluteString], label: "--dump-dom").standardOutput
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
