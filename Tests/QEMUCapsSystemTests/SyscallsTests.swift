import Foundation
import QEMUCapsSystem
import Testing

/// The small wrappers of the system call layer.
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

}
