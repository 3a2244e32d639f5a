#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Writes files so that readers see either the old content or the new, never a part.
package enum AtomicFile {
  /// Write `bytes` to a temporary file beside `path`, flush it, and rename it over `path`.
  ///
  /// On any failure the temporary file is removed and `path` is untouched.
  package static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    let temporary =
      "\(directory.isEmpty ? "" : directory)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = try Syscalls.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
    do throws(SystemError) {
      let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(SystemError) in try Syscalls.writeAll(fd, buffer) }
      }
      try result.get()
      try Syscalls.fsync(fd)
      try Syscalls.close(fd)
    } catch {
      try? Syscalls.close(fd)
      try? Syscalls.unlink(temporary)
      throw error
    }
    do {
      try Syscalls.rename(temporary, path)
    } catch {
      try? Syscalls.unlink(temporary)
      throw error
    }
  }

  /// Write UTF-8 text atomically; see ``write(_:to:mode:)``.
  package static func write(_ text: String, to path: String) throws(SystemError) {
    try write(Array(text.utf8), to: path)
  }
}
