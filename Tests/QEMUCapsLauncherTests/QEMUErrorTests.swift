import QEMUCapsLauncher
import Testing

/// How launcher errors read: with the binary (``QEMUError/description``) and
/// without it (``QEMUError/reason``, a machine type's failure in a capability file).
@Suite("QEMU error wording")
struct QEMUErrorTests {
  @Test("a termination status reads as it did when it was a string")
  func terminationStatus() {
    #expect(TerminationStatus.exited(1).description == "exit status 1")
    #expect(TerminationStatus.signaled(11).description == "killed by signal 11")
    #expect(TerminationStatus.unknown(nil).description == "status unknown")
    #expect(TerminationStatus.unknown("No child processes").description == "status unknown: No child processes")
  }

  @Test("the description names the binary and machine type; the reason leaves the binary out")
  func descriptionAndReason() {
    let exited = QEMUError(
      .exitedBeforeGreeting, binary: "/usr/bin/qemu", machine: "xenfv", detail: "", exitStatus: .exited(1))
    #expect(
      exited.description
        == "/usr/bin/qemu -machine xenfv exited before QMP started (exit status 1): no message on stderr")
    #expect(exited.reason == "QEMU exited before QMP started (exit status 1): no message on stderr")
    var timeout = QEMUError(.timeout, binary: "/usr/bin/qemu", machine: "pc", detail: "")
    timeout.phase = "while negotiating QMP (qmp_capabilities)"
    timeout.limit = .milliseconds(1500)
    let expected =
      "the QEMU session's time limit of 1.5 s (from start to exit) ran out while negotiating QMP (qmp_capabilities); QEMU was killed"
    #expect(timeout.reason == expected)
    #expect(timeout.description == "/usr/bin/qemu -machine pc: \(expected)")
    let unsafe = QEMUError(.unsafeMachineName, binary: "/usr/bin/qemu", machine: nil, detail: "'pc,accel=kvm'")
    #expect(unsafe.description.hasPrefix("refusing to start /usr/bin/qemu with machine type 'pc,accel=kvm': it is not"))
    #expect(unsafe.reason.hasPrefix("not probed: the name 'pc,accel=kvm' is not a plain machine type name"))
    let spawn = QEMUError(.spawnFailed, binary: "/usr/bin/qemu", machine: "pc", detail: "vfork: EAGAIN")
    #expect(spawn.reason == spawn.description)
  }
}
