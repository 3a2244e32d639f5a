import Foundation

/// Finds the QEMU the live tests run against.
public enum SystemQEMU {
  /// The binary: `$QEMU_CAPS_TEST_QEMU`, else `qemu-system-x86_64` on PATH; `nil` if absent.
  public static var path: String? {
    if let explicit = ProcessInfo.processInfo.environment["QEMU_CAPS_TEST_QEMU"] { return explicit }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/qemu-system-x86_64"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Run `binary --version` and return its first line.
  public static func versionLine(of binary: String) throws -> String {
    let result = try Command.run(binary, ["--version"])
    return String(result.standardOutput.split(separator: "\n").first ?? "")
  }

  /// What `binary -machine help` says, read independently of qemu-caps: the
  /// machine type names, and each alias with the type it stands for.
  public static func machineHelp(of binary: String) throws -> (names: [String], aliases: [String: String]) {
    let result = try Command.run(binary, ["-machine", "help"])
    var names: [String] = []
    var aliases: [String: String] = [:]
    for line in result.standardOutput.split(separator: "\n").dropFirst() {
      guard let name = line.split(separator: " ").first.map(String.init) else { continue }
      if let range = line.range(of: "(alias of ") {
        aliases[name] = String(line[range.upperBound...].prefix { $0 != ")" })
      } else {
        names.append(name)
      }
    }
    return (names, aliases)
  }
}
