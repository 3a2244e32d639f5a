import Foundation

/// Reads a machine type's ACPI PM device straight from QEMU, without qemu-caps'
/// launcher, QMP client or prober: the commands are piped to `-qmp stdio` in one
/// go and the replies parsed with Foundation. Tests compare capability data with it.
public enum RawQMPReading {
  /// What QEMU answered for one machine type.
  public struct Result: Sendable, Equatable {
    /// QEMU's exit status and stderr when it did not answer at all.
    public var failure: String?
    /// The QOM type of `/machine/acpi-device`, `nil` when the link does not exist.
    public var pmDevice: String?
    /// The live value of each property read through the link, `nil` when the device lacks it.
    public var values: [String: Bool]
  }

  /// Start `binary` on `machine` (`-S -no-user-config -nodefaults -display none
  /// -accel tcg`, then `arguments`), read the type and `properties` through
  /// `/machine/acpi-device`, quit; killed after 120 s.
  public static func read(binary: String, machine: String, properties: [String], arguments: [String] = [])
    throws -> Result
  {
    let commands =
      [#"{"execute":"qmp_capabilities"}"#]
      + (["type"] + properties).map {
        #"{"execute":"qom-get","arguments":{"path":"/machine/acpi-device","property":"\#($0)"}}"#
      } + [#"{"execute":"quit"}"#]
    // Under the reaper, which bounds a hang (a run takes well under a second) and
    // leaves no QEMU behind.
    let result = try Command.run(
      Command.builtExecutable("qemu-caps-test-reaper"),
      [
        "120", binary, "-machine", machine, "-S", "-no-user-config", "-nodefaults", "-display", "none", "-accel", "tcg",
        "-qmp",
        "stdio",
      ] + arguments, standardInput: commands.joined(separator: "\n") + "\n")
    // Replies in order: greeting, qmp_capabilities, type, properties..., quit; events skipped.
    let replies = result.standardOutput.split(whereSeparator: \.isNewline).compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }.filter { $0["event"] == nil && $0["QMP"] == nil }
    guard replies.count >= 2 + properties.count else {
      return Result(
        failure:
          "exit status \(result.status): \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))",
        pmDevice: nil, values: [:])
    }
    let type = replies[1]["return"] as? String
    var values: [String: Bool] = [:]
    for (offset, property) in properties.enumerated() {
      if let value = replies[2 + offset]["return"] as? Bool { values[property] = value }
    }
    return Result(failure: nil, pmDevice: type, values: values)
  }
}
