/// The QEMU binary a capability document describes, and what it reports of itself.
public struct QEMUBuildInfo: Sendable, Hashable {
  /// The binary's path as probed.
  public var binaryPath: String
  /// Its size in bytes.
  public var binarySize: Int64
  /// Its modification time, seconds since the epoch (UTC).
  public var binaryModificationTime: Int64
  /// The SHA-256 of its content, lowercase hex.
  public var binarySHA256: String
  /// QEMU's version.
  public var version: QEMUVersion
  /// The distribution's package string (`Debian 1:7.2+dfsg-7+deb12u18+b3`), empty upstream.
  public var package: String
  /// The target architecture from `query-target`, e.g. `x86_64`.
  public var arch: String
  /// The guest architectures the binary runs, in libvirt's names (`x86_64`, `i686`
  /// for qemu-system-x86_64); `nil` when the capability file predates their recording.
  public var guestArchitectures: [String]?
  /// The accelerators the binary was built with (`kvm`, `tcg`, `hvf`, `xen`, …, from
  /// the `accel` QOM types); `nil` when the capability file predates their recording.
  public var accelerators: [String]?

  /// The guest architectures a QEMU target runs, in libvirt's names: a
  /// qemu-system-x86_64 also runs i686 guests, qemu-system-ppc64 also ppc64le ones
  /// (libvirt's `virQEMUCapsFindTarget`); `i386` is libvirt's `i686`, `arm` its `armv7l`.
  public static func guestArchitectures(ofTarget target: String) -> [String] {
    switch target {
    case "x86_64": ["x86_64", "i686"]
    case "i386": ["i686"]
    case "ppc64": ["ppc64", "ppc64le"]
    case "arm": ["armv7l"]
    default: [target]
    }
  }

  /// Whether `text` is a SHA-256 as ``binarySHA256`` holds it: 64 lowercase hexadecimal digits.
  package static func isSHA256(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  /// Create build information.
  public init(
    binaryPath: String, binarySize: Int64, binaryModificationTime: Int64, binarySHA256: String, version: QEMUVersion,
    package: String, arch: String, guestArchitectures: [String]? = nil, accelerators: [String]? = nil
  ) {
    self.binaryPath = binaryPath
    self.binarySize = binarySize
    self.binaryModificationTime = binaryModificationTime
    self.binarySHA256 = binarySHA256
    self.version = version
    self.package = package
    self.arch = arch
    self.guestArchitectures = guestArchitectures
    self.accelerators = accelerators
  }
}
