import Foundation

/// The one way tests get scratch space: a fresh private directory under
/// `$QEMU_CAPS_TEST_TMPDIR`, else `$TMPDIR` (`mkdtemp`), named
/// `qemu-caps-test-LABEL-XXXXXX` so a leftover is easy to attribute. ``with(_:_:)``
/// scopes it to a closure; a caller of ``create(_:)`` removes it with ``remove(_:)``,
/// usually in a `defer`. Whatever a test did not remove (it threw before its `defer`,
/// or a helper forgot) is removed when the test process exits.
public enum TemporaryDirectory {
  /// Create the directory.
  public static func create(_ label: String) throws -> URL {
    // scripts/test gives SwiftPM a private TMPDIR and names the usual one here.
    let environment = ProcessInfo.processInfo.environment
    let base =
      [environment["QEMU_CAPS_TEST_TMPDIR"], environment["TMPDIR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "/tmp"
    var template = Array("\(base)/qemu-caps-test-\(label)-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: String(cString: template)])
    }
    let url = URL(fileURLWithPath: String(cString: path), isDirectory: true)
    Outstanding.shared.insert(url.path)
    return url
  }

  /// Remove the directory and everything in it.
  public static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
    Outstanding.shared.remove(url.path)
  }

  /// Create a directory, run `body` with it, and remove it however `body` ends.
  public static func with<Result>(_ label: String, _ body: (URL) throws -> Result) throws -> Result {
    let directory = try create(label)
    defer { remove(directory) }
    return try body(directory)
  }

  /// Create a directory, run async `body` with it, and remove it however `body` ends.
  public static func with<Result>(_ label: String, _ body: (URL) async throws -> Result) async throws -> Result {
    let directory = try create(label)
    defer { remove(directory) }
    return try await body(directory)
  }

  /// Create a directory holding one file, `name`, with `contents`; run `body` with the
  /// file's path and the directory, and remove the directory however `body` ends.
  public static func withFile<Result>(
    _ label: String, named name: String, contents: String, _ body: (_ path: String, _ directory: URL) throws -> Result
  ) throws -> Result {
    try with(label) { directory in
      let path = directory.appendingPathComponent(name).path
      try contents.write(toFile: path, atomically: false, encoding: .utf8)
      return try body(path, directory)
    }
  }

  /// The directories created and not removed yet; removed at exit.
  private final class Outstanding: @unchecked Sendable {
    static let shared: Outstanding = {
      let outstanding = Outstanding()
      atexit { Outstanding.shared.removeAll() }
      return outstanding
    }()

    private let lock = NSLock()
    private var paths: Set<String> = []

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }

    func removeAll() {
      for path in lock.withLock({ paths }) { try? FileManager.default.removeItem(atPath: path) }
    }
  }
}
