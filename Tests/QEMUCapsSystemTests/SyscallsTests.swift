import Foundation
import QEMUCapsSystem
import Testing

/// The small wrappers of the system call layer: the environment, poll timeouts.
@Suite("System calls")
struct SyscallsTests {
  @Test("the environment, whole or by name, is what the C library sees")
  func environment() {
    let whole = Syscalls.environment
    for name in ["PATH", "HOME"] {
      #expect(whole[name] == ProcessInfo.processInfo.environment[name], "\(name)")
      #expect(Syscalls.environmentVariable(name) == whole[name], "\(name)")
    }
    #expect(Syscalls.environmentVariable("QEMU_CAPS_NEVER_SET_\(UUID().uuidString)") == nil)
  }

  @Test("a poll timeout of zero or less is no wait (not -1, forever); a nanosecond is rounded up to a millisecond")
  func pollTimeout() throws {
    var fds: [pollfd] = []
    #expect(try Syscalls.poll(&fds, timeout: .zero) == 0)
    #expect(try Syscalls.poll(&fds, timeout: .seconds(-5)) == 0)
    let started = ContinuousClock.now
    #expect(try Syscalls.poll(&fds, timeout: .nanoseconds(1)) == 0)
    #expect(ContinuousClock.now - started >= .milliseconds(1))
  }
}
