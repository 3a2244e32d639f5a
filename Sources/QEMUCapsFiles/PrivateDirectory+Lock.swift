import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// An exclusive `flock` lock on a lock file of a ``PrivateDirectory``, held until
/// ``release()`` (or deinitialization). The kernel releases it when the process ends,
/// however it ends, so a killed holder never leaves the lock taken.
package final class DirectoryLock: Sendable {
  private let descriptor: LockedState<FileDescriptor?>

  init(_ fd: FileDescriptor) {
    descriptor = LockedState(fd)
  }

  deinit { release() }

  /// Release the lock; calling it again does nothing.
  package func release() {
    guard
      let fd = descriptor.withLock({ state in
        defer { state = nil }; return state
      })
    else { return }
    try? Syscalls.close(fd)
  }
}

extension PrivateDirectory {
  /// Take the exclusive lock of lock file `name`, waiting until `deadline`; `nil` when
  /// another process still holds it then.
  ///
  /// The lock file is separate from the data it guards because entries are replaced by
  /// rename, and a lock on a replaced file guards nothing. It is a regular file owned by
  /// the user, mode 0600, opened without following links; anything else found there (a
  /// link, a FIFO, another user's file, left by a tool run as root) is removed and
  /// replaced, which only the directory's owner can do. A lock file is never removed
  /// otherwise: a process waiting on a removed one would hold a lock no one else sees.
  /// Once locked, the name must still be the locked file, else it is locked again.
  ///
  /// - Throws: ``Refusal`` when the lock file cannot be opened, replaced or locked
  ///   (a file system without `flock`).
  package func lock(_ name: String, until deadline: ContinuousClock.Instant) throws(Refusal) -> DirectoryLock? {
    let entry = "\(path)/\(name)"
    var lastProblem = "it changed while being locked"
    // Each round replaces a bad lock file or follows a replaced one: a few are plenty.
    for _ in 0..<4 {
      let file: FileDescriptor
      do {
        file = try Syscalls.open(
          name, relativeTo: fd, flags: O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, mode: 0o600)
      } catch {
        lastProblem = error.errno == ELOOP ? "it is a symbolic link" : "cannot open it: \(error.message)"
        try replace(name, entry: entry, because: lastProblem)
        continue
      }
      let status = try Self.status(of: file, refusing: entry)
      guard status.kind == .regular, status.owner == UInt32(Syscalls.effectiveUserID()) else {
        try? Syscalls.close(file)
        lastProblem = status.kind == .regular ? "it is owned by user \(status.owner)" : "it is \(status.kind.phrase)"
        try replace(name, entry: entry, because: lastProblem)
        continue
      }
      guard try wait(for: file, entry: entry, until: deadline) else {
        try? Syscalls.close(file)
        return nil
      }
      if let current = try? Syscalls.linkStatus(name, relativeTo: fd), current.identity == status.identity {
        return DirectoryLock(file)
      }
      try? Syscalls.close(file)
    }
    throw Refusal(path: entry, reason: "cannot lock it: \(lastProblem)")
  }

  /// Poll for the lock until `deadline`: `flock` itself cannot time out, and a blocked
  /// call would wait forever on a holder that is stopped rather than dead.
  private func wait(for file: FileDescriptor, entry: String, until deadline: ContinuousClock.Instant) throws(Refusal)
    -> Bool
  {
    var pause = Duration.milliseconds(1)
    while true {
      do {
        if try Syscalls.tryLockExclusive(file) { return true }
      } catch {
        try? Syscalls.close(file)
        throw Refusal(path: entry, reason: "cannot lock it: \(error.message)")
      }
      let now = ContinuousClock.now
      if now >= deadline { return false }
      Syscalls.sleep(min(pause, now.duration(to: deadline)))
      pause = min(pause * 2, .milliseconds(20))
    }
  }

  private func replace(_ name: String, entry: String, because problem: String) throws(Refusal) {
    do {
      try Syscalls.unlink(name, relativeTo: fd)
    } catch  where error.errno == ENOENT {
      // Gone already: another process replaced it.
    } catch {
      throw Refusal(path: entry, reason: "\(problem), and it cannot be removed: \(error.message)")
    }
  }
}
