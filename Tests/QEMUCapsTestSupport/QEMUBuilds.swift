import Foundation

/// Debian's other QEMU builds, installed side by side by scripts/fetch-qemu-builds.
public enum QEMUBuilds {
  /// Where the builds live: `$QEMU_CAPS_BUILDS`, else `~/.cache/qemu-caps/qemu-builds`.
  public static var directory: String {
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["QEMU_CAPS_BUILDS"] { return explicit }
    return "\(environment["HOME"] ?? "/root")/.cache/qemu-caps/qemu-builds"
  }

  /// The suites the tests expect, with the QEMU version each carries (sid's is pinned
  /// in scripts/fetch-qemu-builds; move both together).
  public static let suites = [("bullseye", "5.2"), ("trixie", "10.0"), ("sid", "11.1")]

  /// The wrapper of `suite`, or `nil` when it is not installed.
  public static func wrapper(_ suite: String) -> String? {
    let path = "\(directory)/\(suite)/qemu-system-x86_64"
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }
}
