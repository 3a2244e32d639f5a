import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Writes a command's output file the way a user of `>` expects, without ever
/// replacing something that is not a regular file:
///
/// - `-` is standard output;
/// - a regular file is replaced atomically and keeps its permission bits, and its
///   owner and group where the process may change them;
/// - a symbolic link is followed (links to links too) and its target is replaced
///   atomically; the link stays. A link in a sticky world-writable directory (/tmp) owned
///   by another user is not followed, as the kernel's `fs.protected_symlinks` rule;
/// - a character device, FIFO or socket is written directly, never replaced;
/// - a missing file is created atomically with 0666 less the umask;
/// - a directory or block device is refused.
package enum OutputFile {
  /// Why an output could not be written.
  package struct Failure: Error, Sendable, CustomStringConvertible {
    /// The path given (before following links).
    package var path: String
    /// What went wrong.
    package var reason: String
    /// The system error, if one.
    package var system: SystemError?

    package var description: String { "cannot write \(path): \(reason)" }
  }

  /// Write `bytes` to `path` with the semantics above; a regular file in `inputs` (read or
  /// already written by the same command) is refused, and a file written is noted there.
  package static func write(_ bytes: [UInt8], to path: String, inputs: InputFiles?) throws(Failure) {
    if path == "-" {
      do {
        try Syscalls.writeAll(FileDescriptor(rawValue: 1), bytes)
      } catch {
        throw Failure(path: "standard output", reason: error.message, system: error)
      }
      return
    }
    let target: String
    let status: FileStatus?
    do {
      (target, status) = try resolve(path)
    } catch  where error.call == .readlink && error.errno == EACCES {
      throw Failure(
        path: path,
        reason:
          "it is a link owned by another user in a sticky world-writable directory, which is not followed (as the kernel's fs.protected_symlinks)",
        system: error)
    } catch {
      throw Failure(path: path, reason: error.message, system: error)
    }
    let shown = target == path ? path : "\(path) (a link to \(target))"
    do {
      // A /proc magic link (/dev/stdout to a pipe reads "pipe:[1234]") names no path:
      // what the kernel reaches through it is written through the link itself.
      if status == nil, let followed = try? Syscalls.fileStatus(path),
        followed.kind == .characterDevice || followed.kind == .fifo
      {
        try writeDirectly(bytes, to: path, followingLinks: true)
        return
      }
      switch status {
      case nil:
        try AtomicFile.write(bytes, to: target, attributes: .init(permissions: AtomicFile.newFilePermissions()))
        noteWritten(target, in: inputs)
      case let existing? where existing.kind == .regular && inputs?.wasRead(existing) == true:
        throw Failure(
          path: shown, reason: "it is also an input of this command, which it would replace; write to another file",
          system: nil)
      case let existing? where existing.kind == .regular && inputs?.wasWritten(existing) == true:
        throw Failure(
          path: shown, reason: "this command wrote it already, and would replace it; write to another file", system: nil
        )
      case let existing? where existing.kind == .regular:
        try AtomicFile.write(
          bytes, to: target,
          attributes: .init(
            permissions: mode_t(existing.permissions), owner: (uid_t(existing.owner), gid_t(existing.group))))
        noteWritten(target, in: inputs)
      case let existing? where existing.kind == .characterDevice || existing.kind == .fifo:
        try writeDirectly(bytes, to: target, followingLinks: false)
      case let existing? where existing.kind == .socket:
        let fd = try Syscalls.connectUnixSocket(target)
        defer { try? Syscalls.close(fd) }
        try Syscalls.sendAll(fd, bytes)
      case let existing?:
        throw Failure(
          path: shown,
          reason:
            "it is \(existing.kind.phrase); qemu-caps writes only to regular files (replaced atomically), character devices, FIFOs and sockets",
          system: nil)
      }
    } catch let error as Failure {
      throw error
    } catch let error as SystemError {
      throw Failure(path: shown, reason: error.message, system: error)
    } catch {
      throw Failure(path: shown, reason: "\(error)", system: nil)
    }
  }

  /// Remember the regular file just written at `path` (``InputFiles/noteWritten(_:)``).
  private static func noteWritten(_ path: String, in inputs: InputFiles?) {
    guard let inputs else { return }
    if let status = try? Syscalls.linkStatus(path), status.kind == .regular { inputs.noteWritten(status) }
  }

  /// Write UTF-8 text; see ``write(_:to:inputs:)-([UInt8],_,_)``.
  package static func write(_ text: String, to path: String, inputs: InputFiles?) throws(Failure) {
    try write(Array(text.utf8), to: path, inputs: inputs)
  }

  /// Follow symbolic links from `path` to the file they name; its status, or `nil` when it does not exist.
  static func resolve(_ path: String) throws(SystemError) -> (String, FileStatus?) {
    var current = path
    for _ in 0..<40 {
      let status: FileStatus
      do {
        status = try Syscalls.linkStatus(current)
      } catch  where error.errno == ENOENT {
        return (current, nil)
      }
      guard status.kind == .symbolicLink else { return (current, status) }
      try checkProtectedLink(current, owner: status.owner)
      let link = try Syscalls.readLink(current)
      if link.hasPrefix("/") {
        current = link
      } else {
        let directory = current.lastIndex(of: "/").map { String(current[...$0]) } ?? ""
        current = directory + link
      }
    }
    throw SystemError(errno: ELOOP, call: .readlink)
  }

  /// Refuse to follow a link in a sticky, world-writable directory (such as /tmp) that
  /// belongs to neither this user nor the directory's owner, as the kernel's
  /// `fs.protected_symlinks` does: another user's `/tmp/out.xml -> /etc/passwd` must not
  /// make root replace /etc/passwd.
  static func checkProtectedLink(_ link: String, owner: UInt32) throws(SystemError) {
    let directory = link.lastIndex(of: "/").map { String(link[..<$0]) } ?? "."
    guard let parent = try? Syscalls.fileStatus(directory.isEmpty ? "/" : directory) else { return }
    let sticky = parent.mode & UInt32(S_ISVTX) != 0
    let worldWritable = parent.mode & UInt32(S_IWOTH) != 0
    if sticky && worldWritable && owner != UInt32(Syscalls.effectiveUserID()) && owner != parent.owner {
      throw SystemError(errno: EACCES, call: .readlink)
    }
  }

  /// How long a FIFO may have no reader before the write fails (`ENXIO`).
  package static let fifoReaderWait = Duration.seconds(30)

  /// Open an existing device or FIFO without creating or truncating it, check it is
  /// still one, and write everything. A FIFO is opened without blocking, retried until a
  /// reader appears or ``fifoReaderWait`` passes, so a FIFO nobody reads cannot hang us.
  private static func writeDirectly(_ bytes: [UInt8], to path: String, followingLinks: Bool) throws(SystemError) {
    let deadline = ContinuousClock.now + fifoReaderWait
    var opened: FileDescriptor?
    while opened == nil {
      do {
        opened = try Syscalls.open(
          path, flags: O_WRONLY | O_NOCTTY | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW))
      } catch  where error.errno == ENXIO && ContinuousClock.now < deadline {
        Syscalls.sleep(.milliseconds(20))
      }
    }
    guard let fd = opened else { throw SystemError(errno: ENXIO, call: .open) }
    // Writes block again (a slow reader is waited for, as with any pipe).
    try? Syscalls.setBlocking(fd, true)
    do throws(SystemError) {
      let kind = try Syscalls.fileStatus(fd).kind
      guard kind == .characterDevice || kind == .fifo else { throw SystemError(errno: EEXIST, call: .open) }
      try Syscalls.writeAll(fd, bytes)
      try Syscalls.close(fd)
    } catch {
      try? Syscalls.close(fd)
      throw error
    }
  }
}
