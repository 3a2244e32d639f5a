import CTestSupport
import Foundation

/// Reads the process table, to check that tests leave no QEMU behind.
public enum ProcessTable {
  /// One process: its pid, parent and command name.
  public struct Entry: Sendable, CustomStringConvertible {
    public var pid: Int32
    public var parent: Int32
    public var command: String
    public var isZombie: Bool = false
    public var description: String { "\(pid) (\(command))\(isZombie ? " zombie" : "")" }
  }

  /// Every process whose parent is this test process.
  public static func children() -> [Entry] {
    let me = getpid()
    return all().filter { $0.parent == me }
  }

  /// Make this process adopt orphaned descendants (once), so that a QEMU left
  /// behind by a `qemu-caps` child process shows up as a child here.
  public static let adoptOrphans: Void = {
    _ = qemu_caps_become_child_subreaper()
  }()

  /// QEMU processes (real or fake) that are children of this test process,
  /// adopted orphans included. Dead ones (zombies) are reaped and still reported.
  public static func leftoverQEMU() -> [Entry] {
    let me = getpid()
    let leftovers = all().filter { entry in
      let looksLikeQEMU =
        entry.command.hasPrefix("qemu-system") || entry.command.hasPrefix("fake-qemu")
        || entry.command.hasPrefix("qemu-caps-fake")
      return looksLikeQEMU && entry.parent == me
    }
    for entry in leftovers where entry.isZombie {
      var status: Int32 = 0
      waitpid(entry.pid, &status, WNOHANG)
    }
    return leftovers
  }

  /// Processes whose command line contains `text` (e.g. a test's private directory).
  public static func processes(withCommandLineContaining text: String) -> [Entry] {
    all().filter { entry in
      let data = readProcFile("/proc/\(entry.pid)/cmdline")
      let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      return commandLine.contains(text) && entry.pid != getpid()
    }
  }

  /// Read a small /proc file with the C library (Foundation's readers leak under ASan).
  static func readProcFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "r") else { return [] }
    defer { fclose(file) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count <= 0 { return result }
      result.append(contentsOf: buffer[..<count])
    }
  }

  /// Every process on the system.
  public static func all() -> [Entry] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return names.compactMap { name -> Entry? in
      guard let pid = Int32(name),
        case let stat = String(decoding: readProcFile("/proc/\(name)/stat"), as: UTF8.self),
        let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
      else { return nil }
      let command = String(stat[stat.index(after: open)..<close])
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
      return Entry(pid: pid, parent: parent, command: command, isZombie: fields[0] == "Z")
    }
  }
}
