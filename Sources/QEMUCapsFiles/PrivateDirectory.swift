import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A directory that only the effective user can change, such as the probe cache.
///
/// It is created 0700 (with missing parents 0700) and used only when it is a real
/// directory (not a symbolic link) owned by the effective user and not writable by
/// group or others. Entries are opened relative to the open directory, without
/// following links, and must be regular files owned by the user.
package final class PrivateDirectory: Sendable {
  /// Why a directory or an entry is refused.
  package struct Refusal: Error, Sendable, CustomStringConvertible {
    /// The directory or entry path.
    package var path: String
    /// Why.
    package var reason: String

    package var description: String { "\(path): \(reason)" }
  }

  /// The directory's path.
  package let path: String
  let fd: FileDescriptor

  /// Open `path`, creating it 0700 when missing, and check that only the effective user can change it.
  package init(path: String) throws(Refusal) {
    self.path = path
    let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    if !parent.isEmpty { try? Syscalls.makeDirectories(parent, mode: 0o700) }
    do {
      try Syscalls.makeDirectory(path, mode: 0o700)
    } catch {
      throw Refusal(path: path, reason: "cannot create it: \(error.message)")
    }
    let opened: FileDescriptor
    do {
      opened = try Syscalls.open(path, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
    } catch {
      throw Refusal(
        path: path,
        reason: error.errno == ELOOP || error.errno == ENOTDIR
          ? "it is not a directory (a symbolic link or a file)" : "cannot open it: \(error.message)")
    }
    let status = try Self.status(of: opened, refusing: path)
    guard status.owner == UInt32(Syscalls.effectiveUserID()) else {
      try? Syscalls.close(opened)
      throw Refusal(
        path: path, reason: "it is owned by user \(status.owner), not by this user (\(Syscalls.effectiveUserID()))")
    }
    guard status.permissions & 0o022 == 0 else {
      try? Syscalls.close(opened)
      throw Refusal(
        path: path, reason: "group or others may write to it (mode \(String(status.permissions, radix: 8)))")
    }
    fd = opened
  }

  deinit { try? Syscalls.close(fd) }

  /// The bytes of entry `name`: a regular file owned by the user, at most `limit` bytes,
  /// opened without following links and without blocking; `nil` when it does not exist.
  package func read(_ name: String, limit: Int) throws(Refusal) -> [UInt8]? {
    let entry = "\(path)/\(name)"
    let file: FileDescriptor
    do {
      file = try Syscalls.open(name, relativeTo: fd, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
    } catch  where error.errno == ENOENT {
      return nil
    } catch {
      throw Refusal(
        path: entry, reason: error.errno == ELOOP ? "it is a symbolic link" : "cannot open it: \(error.message)")
    }
    defer { try? Syscalls.close(file) }
    do {
      let status = try Syscalls.fileStatus(file)
      guard status.kind == .regular else { throw Refusal(path: entry, reason: "it is \(status.kind.phrase)") }
      guard status.owner == UInt32(Syscalls.effectiveUserID()) else {
        throw Refusal(path: entry, reason: "it is owned by user \(status.owner), not by this user")
      }
      guard status.size <= Int64(limit) else { throw Refusal(path: entry, reason: "it is larger than \(limit) bytes") }
      var result: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        let count = try Syscalls.read(file, into: &buffer)
        if count == 0 { return result }
        result.append(contentsOf: buffer[..<count])
        if result.count > limit { throw Refusal(path: entry, reason: "it is larger than \(limit) bytes") }
      }
    } catch let refusal as Refusal {
      throw refusal
    } catch {
      throw Refusal(path: entry, reason: "cannot read it: \(error)")
    }
  }

  /// Replace entry `name` atomically with `bytes`, mode 0600; whatever was there
  /// (a link, a FIFO, another user's file) is replaced, never followed or written into.
  package func write(_ bytes: [UInt8], to name: String) throws(SystemError) {
    let temporary = ".\(name).tmp-\(Syscalls.processID())-\(UInt32.random(in: 0...UInt32.max))"
    TemporaryFiles.started("\(path)/\(temporary)")
    defer { TemporaryFiles.finished("\(path)/\(temporary)") }
    let file = try Syscalls.open(
      temporary, relativeTo: fd, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
    do throws(SystemError) {
      try Syscalls.writeAll(file, bytes)
      try Syscalls.changeMode(file, 0o600)
      try Syscalls.fsync(file)
    } catch {
      try? Syscalls.close(file)
      try? Syscalls.unlink(temporary, relativeTo: fd)
      throw error
    }
    do {
      try Syscalls.close(file)
      try Syscalls.rename(temporary, name, relativeTo: fd)
    } catch {
      try? Syscalls.unlink(temporary, relativeTo: fd)
      throw error
    }
  }
}

extension PrivateDirectory {
  /// The status of the open `descriptor`; when it cannot be read, `descriptor` is
  /// closed and `path` refused.
  static func status(of descriptor: FileDescriptor, refusing path: String) throws(Refusal) -> FileStatus {
    do {
      return try Syscalls.fileStatus(descriptor)
    } catch {
      try? Syscalls.close(descriptor)
      throw Refusal(path: path, reason: "cannot read its status: \(error.message)")
    }
  }
}
