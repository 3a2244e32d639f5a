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
  @Test("stat and mkdir errors are labelled with their own call")
  func labels() throws {
    try TemporaryDirectory.with("labels") { directory in
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
  }

  @Test("a fault is scoped to the task that armed it: threads it starts and later calls never see it")
  func scoped() throws {
    try TemporaryDirectory.with("scope") { directory in
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
}
