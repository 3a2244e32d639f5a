import Foundation

/// Waiting for what can be observed, instead of sleeping and hoping: a condition polled
/// until it holds or a deadline (a bound on a hang only) passes, and what /proc shows
/// of a running process.
public enum Readiness {
  /// Poll `condition` every few milliseconds until it holds or `timeout` passes;
  /// whether it held.
  @discardableResult
  public static func poll(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
      if try condition() { return true }
      if ContinuousClock.now >= deadline { return false }
      usleep(5_000)
    }
  }

  /// The file offset of a descriptor of `pid` open on `path`, if one is open
  /// (/proc/PID/fd and fdinfo): how far a process has read a file.
  public static func offset(of path: String, in pid: Int32) -> Int? {
    guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else {
      return nil
    }
    for descriptor in descriptors {
      guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")) == path
      else { continue }
      let info = String(decoding: ProcessTable.readProcFile("/proc/\(pid)/fdinfo/\(descriptor)"), as: UTF8.self)
      if let line = info.split(separator: "\n").first(where: { $0.hasPrefix("pos:") }) {
        return Int(line.dropFirst("pos:".count).trimmingCharacters(in: .whitespaces))
      }
    }
    return nil
  }

  /// Whether the main thread of `pid` is in a sleep system call (`nanosleep` or
  /// `clock_nanosleep`, /proc/PID/syscall), as in a retry loop.
  public static func isSleeping(_ pid: Int32) -> Bool {
    let text = String(decoding: ProcessTable.readProcFile("/proc/\(pid)/syscall"), as: UTF8.self)
    guard let number = text.split(separator: " ").first.flatMap({ Int($0) }) else { return false }
    return number == 35 || number == 230
  }

  /// A shell function, `reading PID`, that waits (at most 30 s) until the main thread
  /// of PID is in `read` on its standard input (/proc/PID/syscall): the command has
  /// parsed its arguments, set up its output and its signal handling, and waits for
  /// input. Paste it into a test's shell script.
  public static let shellFunction = """
    reading() {
      i=0
      while [ $i -lt 6000 ]; do
        read -r call descriptor rest < /proc/$1/syscall 2>/dev/null
        [ "$call" = 0 ] && [ "$descriptor" = 0x0 ] && return 0
        sleep 0.005; i=$((i + 1))
      done
      return 1
    }
    """
}
