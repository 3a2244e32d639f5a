import QEMUCapsSystem

extension QEMULauncher {
  /// `QEMU_MODULE_DIR`, when set: where QEMU loads its device modules from. The launcher
  /// passes it on to QEMU, and the probe cache watches the directory, so both read it here.
  package static var moduleDirectory: String? {
    Syscalls.environmentVariable("QEMU_MODULE_DIR")
  }
}
