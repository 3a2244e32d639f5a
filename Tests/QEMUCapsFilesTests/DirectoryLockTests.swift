import Foundation
import QEMUCapsFiles
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The lock files of a private directory (the probe cache's entry locks): exclusive,
/// bounded waits, released by the kernel when the holder dies, and never a link, FIFO
/// or another user's file.
@Suite("Private directory locks")
struct DirectoryLockTests {
  static func directory() throws -> (URL, PrivateDirectory) {
    let scratch = try TemporaryDirectory.create("lock")
    return (scratch, try PrivateDirectory(path: scratch.appendingPathComponent("cache").path))
  }

  /// Poll `condition` until it holds or a generous deadline passes.
  static func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      if try condition() { return true }
      usleep(10_000)
    }
    return try condition()
  }

  @Test("a held lock makes a second one wait until its deadline, then it is free again after release")
  func exclusive() throws {
    let (scratch, directory) = try Self.directory()
    defer { TemporaryDirectory.remove(scratch) }
    let first = try #require(try directory.lock("e.lock", until: .now))
    // flock locks belong to an open file description: a second open conflicts, even here.
    #expect(try directory.lock("e.lock", until: .now + .milliseconds(50)) == nil)
    first.release()
    first.release()
    let second = try #require(try directory.lock("e.lock", until: .now))
    second.release()
    let status = try Syscalls.linkStatus("\(directory.path)/e.lock")
    #expect(status.kind == .regular && status.permissions == 0o600)
  }

  @Test("a holder killed with SIGKILL leaves the lock free: the kernel releases it")
  func killedHolder() throws {
    let (scratch, directory) = try Self.directory()
    defer { TemporaryDirectory.remove(scratch) }
    let lockFile = "\(directory.path)/e.lock"
    let held = "\(scratch.path)/held"
    // A shell locks an open file description with util-linux flock, says so, and becomes
    // a sleep that keeps the descriptor: the only holder, killed below.
    let holder = try ChildProcess.start(
      "/bin/sh", ["-c", "exec 9>'\(lockFile)'; flock --exclusive 9; touch '\(held)'; exec sleep 300"])
    defer { holder.kill() }
    #expect(Self.eventually { FileManager.default.fileExists(atPath: held) })
    #expect(try directory.lock("e.lock", until: .now) == nil, "the holder's lock was not seen")
    holder.kill()
    let lock = try directory.lock("e.lock", until: .now + .seconds(60))
    #expect(lock != nil)
  }

  @Test("a link, a FIFO or a directory where the lock file belongs: the first two are replaced, never followed")
  func hostileLockFiles() throws {
    let (scratch, directory) = try Self.directory()
    defer { TemporaryDirectory.remove(scratch) }
    let path = "\(directory.path)/e.lock"
    let target = scratch.appendingPathComponent("target").path
    try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    try #require(try directory.lock("e.lock", until: .now)).release()
    #expect(try Syscalls.linkStatus(path).kind == .regular)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
    try FileManager.default.removeItem(atPath: path)
    #expect(mkfifo(path, 0o600) == 0)
    try #require(try directory.lock("e.lock", until: .now)).release()
    #expect(try Syscalls.linkStatus(path).kind == .regular)
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    #expect(throws: PrivateDirectory.Refusal.self) { try directory.lock("e.lock", until: .now) }
  }

  @Test("flock failing (a file system without locks) is a refusal naming the lock file")
  func flockFails() throws {
    let (scratch, directory) = try Self.directory()
    defer { TemporaryDirectory.remove(scratch) }
    let (error, failed) = FaultInjection.inject(.flock, errno: ENOLCK) {
      #expect(throws: PrivateDirectory.Refusal.self) { try directory.lock("e.lock", until: .now) }
    }
    #expect(failed == 1)
    #expect(
      error?.description.contains("e.lock: cannot lock it: No locks available") == true, "\(String(describing: error))")
  }
}
