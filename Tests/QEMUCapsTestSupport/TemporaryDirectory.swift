import Foundation

/// The one way tests get scratch space: a fresh private directory under
/// `$TMPDIR` (`mkdtemp`), named `qemu-caps-test-LABEL-XXXXXX` so a leftover is
/// easy to attribute. The caller removes it with ``remove(_:)``, usually in a `defer`.
public enum TemporaryDirectory {
  /// Create the directory.
  public static func create(_ label: String) throws -> URL {
    let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array("\(base)/qemu-caps-test-\(label)-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: String(cString: template)])
    }
    return URL(fileURLWithPath: String(cString: path), isDirectory: true)
  }

  /// Remove the directory and everything in it.
  public static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
  }
}
