import Foundation
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The error paths of the system call layer, reached by making one call fail
/// in this test only (`FaultInjection`, debug builds).
@Suite("System call faults")
struct SystemFaultTests {
  /// The names in `directory`, hidden ones included.
  private func names(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test(
    "a failed write, fsync or rename keeps the previous file and leaves no temporary file",
    arguments: [SystemCall.write, .fchmod, .fsync, .rename])
  func atomicWrite(call: SystemCall) throws {
    let directory = try TemporaryDirectory.create("atomic")
    defer { TemporaryDirectory.remove(directory) }
    let path = directory.appendingPathComponent("caps.xml").path
    try OutputFile.write("previous\n", to: path)
    let (error, failed) = FaultInjection.inject(call, errno: EIO) {
      #expect(throws: OutputFile.Failure.self) { try OutputFile.write("new\n", to: path) }
    }
    #expect(failed == 1)
    #expect(error?.system?.call == call)
    #expect(error?.system?.errno == EIO)
    #expect(error?.description.hasPrefix("cannot write \(path): ") == true, "\(String(describing: error))")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\n")
    #expect(try names(directory) == ["caps.xml"])
    // The fault ended with the closure.
    try OutputFile.write("new\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
  }

  @Test("stat and mkdir errors are labelled with their own call")
  func labels() throws {
    let directory = try TemporaryDirectory.create("labels")
    defer { TemporaryDirectory.remove(directory) }
    let stat = FaultInjection.inject(.stat, errno: EACCES) {
      #expect(throws: SystemError.self) { try Syscalls.fileStatus(directory.path) }
    }
    #expect(stat.result?.call == .stat)
    #expect(stat.result?.description == "stat: \(String(cString: strerror(EACCES)))")

    let nested = directory.appendingPathComponent("a/b/c").path
    let mkdir = FaultInjection.inject(.mkdir, errno: EACCES, count: 1) {
      #expect(throws: SystemError.self) { try Syscalls.makeDirectories(nested) }
    }
    #expect(mkdir.failedCalls == 1)
    #expect(mkdir.result?.call == .mkdir)
    // A real failure carries the same label.
    let real = #expect(throws: SystemError.self) { try Syscalls.makeDirectories("/proc/qemu-caps-no/such") }
    #expect(real?.call == .mkdir)
  }

  @Test("a read error while reading a file is reported, not taken for the end of the file")
  func readError() throws {
    let directory = try TemporaryDirectory.create("read")
    defer { TemporaryDirectory.remove(directory) }
    let path = directory.appendingPathComponent("input.xml").path
    try "<domain/>".write(toFile: path, atomically: false, encoding: .utf8)
    let (error, failed) = FaultInjection.inject(.read, errno: EIO) {
      #expect(throws: FileContents.Failure.self) { try FileContents.read(path, limit: 1 << 20) }
    }
    #expect(failed == 1)
    guard case .system(let system)? = error else {
      Issue.record("expected a system error, got \(String(describing: error))")
      return
    }
    #expect(system.call == .read)
  }

  @Test("a fault is scoped to the task that armed it: threads it starts and later calls never see it")
  func scoped() throws {
    let directory = try TemporaryDirectory.create("scope")
    defer { TemporaryDirectory.remove(directory) }
    let path = directory.path
    let other = LockedState<Bool?>(nil)
    let (_, failed) = FaultInjection.inject(.stat, errno: EIO) {
      #expect(throws: SystemError.self) { try Syscalls.fileStatus(path) }
      WorkerThreads.start { other.withLock { $0 = (try? Syscalls.fileStatus(path)) != nil } }.join()
    }
    #expect(failed == 1)
    #expect(other.withLock { $0 } == true)
    #expect((try? Syscalls.fileStatus(path)) != nil)
  }
}
