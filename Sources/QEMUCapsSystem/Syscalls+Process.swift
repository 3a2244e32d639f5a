#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Syscalls {
  /// This process's id.
  package static func processID() -> pid_t {
    getpid()
  }

  /// The effective user ID: who owns what this process creates.
  package static func effectiveUserID() -> uid_t {
    geteuid()
  }

  /// The home directory the password database gives `user` (`getpwuid_r`); `nil`
  /// when it has no entry, an empty home, or the lookup fails (also when a test
  /// armed a fault for ``SystemCall/getpwuid``).
  package static func homeDirectory(ofUser user: uid_t) -> String? {
    guard (try? injectFault(.getpwuid)) != nil else { return nil }
    var entry = passwd()
    var found: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 16384)
    guard getpwuid_r(user, &entry, &buffer, buffer.count, &found) == 0, found != nil, let home = entry.pw_dir else {
      return nil
    }
    let text = String(cString: home)
    return text.isEmpty ? nil : text
  }

  /// The wall-clock time (`CLOCK_REALTIME`), for timestamps people read.
  package static func wallClock() -> timespec {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return now
  }

  /// The value of environment variable `name`, or `nil` when it is not set.
  package static func environmentVariable(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  /// The whole process environment; an entry without `=` is skipped.
  package static var environment: [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return result
  }

  /// Sleep for `duration` (`nanosleep`; a signal may end it early). Nothing for zero or less.
  package static func sleep(_ duration: Duration) {
    guard duration > .zero else { return }
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: time_t(clamping: seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    _ = nanosleep(&request, nil)
  }

  /// The process's file mode creation mask (`umask`), read without changing it.
  package static func creationMask() -> mode_t {
    let mask = umask(0o022)
    umask(mask)
    return mask
  }

  /// End the process at once with `status` (`_exit`: no atexit handlers, no buffers flushed).
  package static func exitImmediately(_ status: Int32) -> Never {
    _exit(status)
  }
}
