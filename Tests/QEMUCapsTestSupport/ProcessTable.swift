import Foundation

/// Reads the process table, to check that tests leave no QEMU behind.
public enum ProcessTable {
  /// One process: its pid, parent and command name.
  public struct Entry: Sendable, CustomStringConvertible {
    public var pid: Int32
    public var parent: Int32
    public var command: String
    public var description: String { "\(pid) (\(command))" }
  }

  /// Every process whose parent is this test process.
  public static func children() -> [Entry] {
    let me = getpid()
    return all().filter { $0.parent == me }
  }

  /// QEMU processes (real or fake) that are children of this test process, or
  /// orphans adopted by init, as a QEMU left behind by a `qemu-caps` child would be.
  public static func leftoverQEMU() -> [Entry] {
    let me = getpid()
    return all().filter { entry in
      let looksLikeQEMU = entry.command.hasPrefix("qemu-system") || entry.command.hasPrefix("fake-qemu")
      return looksLikeQEMU && (entry.parent == me || entry.parent == 1)
    }
  }

  /// Every process on the system.
  public static func all() -> [Entry] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return names.compactMap { name -> Entry? in
      guard let pid = Int32(name),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
      else { return nil }
      let command = String(stat[stat.index(after: open)..<close])
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
      return Entry(pid: pid, parent: parent, command: command)
    }
  }
}
