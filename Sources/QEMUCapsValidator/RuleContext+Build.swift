import QEMUCapsModel

extension RuleContext {
  /// The guest architectures of the build: recorded in the capability data, or for
  /// files written before they were recorded, the target architecture plus its
  /// 32-bit guest (`i686` for `x86_64`), which every qemu-system-x86_64 runs.
  var guestArchitectures: [String] {
    if let recorded = capabilities.qemu.guestArchitectures, !recorded.isEmpty { return recorded }
    return Self.assumedGuestArchitectures(target: capabilities.qemu.arch)
  }

  /// The accelerators of the build: recorded in the capability data, or for files
  /// written before they were recorded, `kvm` and `tcg` (what every Linux build of
  /// qemu-system-x86_64 probed before then had).
  var accelerators: [String] {
    if let recorded = capabilities.qemu.accelerators, !recorded.isEmpty { return recorded }
    return ["kvm", "tcg"]
  }

  /// The guest architectures assumed for a target architecture without recorded ones.
  static func assumedGuestArchitectures(target: String) -> [String] {
    switch target {
    case "x86_64": ["x86_64", "i686"]
    case "aarch64": ["aarch64", "armv7l"]
    default: [target]
    }
  }
}
