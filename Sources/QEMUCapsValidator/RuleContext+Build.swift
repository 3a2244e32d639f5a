import QEMUCapsModel

extension RuleContext {
  /// The guest architectures of the build: recorded in the capability data, or for
  /// files written before they were recorded (schema version 1), those of the
  /// target architecture (`x86_64` and `i686` for `x86_64`).
  var guestArchitectures: [String] {
    if let recorded = capabilities.qemu.guestArchitectures, !recorded.isEmpty { return recorded }
    return QEMUBuildInfo.guestArchitectures(ofTarget: capabilities.qemu.arch)
  }

  /// The accelerators of the build: recorded in the capability data, or for files
  /// written before they were recorded (schema version 1), `kvm` and `tcg`, which
  /// every qemu-system-x86_64 probed before then had.
  var accelerators: [String] {
    if let recorded = capabilities.qemu.accelerators { return recorded }
    return ["kvm", "tcg"]
  }
}
