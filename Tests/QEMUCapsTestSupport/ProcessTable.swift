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
    /// The process group: a QEMU qemu-caps starts leads its own (pgid == pid); what
    /// that QEMU forks is in the QEMU's group.
    public var group: Int32 = 0
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

  /// QEMU processes (real or fake) that are children of this test process, adopted
  /// orphans included, that are still running after a wait of at most `timeout` (a
  /// process group killed with SIGKILL takes a moment to die, longer under a
  /// sanitizer), or that are dead but were left unreaped by the one that started them.
  ///
  /// Zombies are reaped. One that leads its own process group is a QEMU that qemu-caps
  /// started and did not reap: reported. One in another's group is something a QEMU
  /// forked, killed with its group and adopted here: not qemu-caps' to reap.
  public static func leftoverQEMU(timeout: Duration = .seconds(10)) -> [Entry] {
    let me = getpid()
    var unreaped: [Entry] = []
    var running: [Entry] = []
    Readiness.poll(timeout: timeout) {
      let leftovers = all().filter { entry in
        let looksLikeQEMU =
          entry.command.hasPrefix("qemu-system") || entry.command.hasPrefix("fake-qemu")
          || entry.command.hasPrefix("qemu-caps-fake")
        return looksLikeQEMU && entry.parent == me
      }
      for entry in leftovers where entry.isZombie {
        var status: Int32 = 0
        waitpid(entry.pid, &status, WNOHANG)
        if entry.group == entry.pid { unreaped.append(entry) }
      }
      running = leftovers.filter { !$0.isZombie }
      return running.isEmpty
    }
    return unreaped + running
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
      return Entry(
        pid: pid, parent: parent, command: command, isZombie: fields[0] == "Z", group: Int32(fields[2]) ?? 0)
    }
  }
}
