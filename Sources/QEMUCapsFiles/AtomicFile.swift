import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Writes files so that readers see either the old content or the new, never a part.
package enum AtomicFile {
  /// Who should own the new file, and with what permission bits.
  package struct Attributes: Sendable, Hashable {
    /// The permission bits.
    package var permissions: mode_t
    /// The owner and group to give the file where the process may, or `nil` for the process's own.
    package var owner: (user: uid_t, group: gid_t)?

    package init(permissions: mode_t, owner: (user: uid_t, group: gid_t)? = nil) {
      self.permissions = permissions
      self.owner = owner
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.permissions == rhs.permissions && lhs.owner?.user == rhs.owner?.user && lhs.owner?.group == rhs.owner?.group
    }

    package func hash(into hasher: inout Hasher) {
      hasher.combine(permissions)
      hasher.combine(owner?.user)
      hasher.combine(owner?.group)
    }
  }

  /// Write `bytes` to a private temporary file beside `path`, give it `attributes`,
  /// flush it, and rename it over `path` (a symbolic link at `path` is replaced, not followed).
  ///
  /// On any failure the temporary file is removed and `path` is untouched.
  package static func write(_ bytes: [UInt8], to path: String, attributes: Attributes) throws(SystemError) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    let temporary =
      "\(directory.isEmpty ? "" : directory)/.\(name).tmp-\(Syscalls.processID())-\(UInt32.random(in: 0...UInt32.max))"
    // Noted before it exists, so a signal that ends the process can remove it.
    TemporaryFiles.started(temporary)
    defer { TemporaryFiles.finished(temporary) }
    let fd = try Syscalls.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
    do throws(SystemError) {
      try Syscalls.writeAll(fd, bytes)
      if let owner = attributes.owner {
        // Owner and group where allowed (root), else at least the group (a member may).
        do {
          try Syscalls.changeOwner(fd, owner: owner.user, group: owner.group)
        } catch {
          try? Syscalls.changeOwner(fd, owner: uid_t.max, group: owner.group)
        }
      }
      // After chown, which clears set-id bits.
      try Syscalls.changeMode(fd, attributes.permissions)
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

  /// The permission bits a new file gets: `requested` without the process's umask.
  package static func newFilePermissions(_ requested: mode_t = 0o666) -> mode_t {
    requested & ~Syscalls.creationMask()
  }
}
