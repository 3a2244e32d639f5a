#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Syscalls {
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
}
