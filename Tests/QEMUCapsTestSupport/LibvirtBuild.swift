import Foundation
import Testing

/// A libvirt the tests check qemu-caps against: Debian 12's 9.0 (the system's) and
/// Debian trixie's 11.3, installed side by side by scripts/fetch-libvirt.
public struct LibvirtBuild: Sendable, CustomStringConvertible {
  /// The release series, `9.0` or `11.3`.
  public let version: String
  /// The `virsh` to run (for 11.3, the wrapper that runs trixie's virsh and driver).
  public let virsh: String
  /// What installs it, and what a test says when it is missing.
  public let requirement: Requirement
  /// The oldest QEMU release this libvirt runs (libvirt 11.3 refuses QEMU before 6.2).
  public let minimumQEMU: (major: Int, minor: Int)

  public var description: String { "libvirt \(version)" }

  /// Debian 12's libvirt 9.0.
  public static let system = LibvirtBuild(
    version: "9.0", virsh: "/usr/bin/virsh", requirement: .libvirt, minimumQEMU: (4, 2))

  /// Debian trixie's libvirt 11.3 under `$QEMU_CAPS_LIBVIRT`, else `~/.cache/qemu-caps/libvirt`
  /// (scripts/fetch-libvirt; its `LIBVIRT_SERIES` and this version move together).
  public static var trixie: LibvirtBuild {
    let environment = ProcessInfo.processInfo.environment
    let directory =
      environment["QEMU_CAPS_LIBVIRT"] ?? "\(environment["HOME"] ?? "/root")/.cache/qemu-caps/libvirt"
    return LibvirtBuild(
      version: "11.3", virsh: "\(directory)/11.3/virsh", requirement: .libvirt11, minimumQEMU: (6, 2))
  }

  /// Both, oldest first.
  public static var all: [LibvirtBuild] { [system, trixie] }

  /// Whether its virsh and QEMU driver are installed.
  public var isInstalled: Bool {
    if requirement == .libvirt { return Libvirt.isInstalled }
    let directory = (virsh as NSString).deletingLastPathComponent
    return FileManager.default.isExecutableFile(atPath: virsh)
      && FileManager.default.fileExists(atPath: "\(directory)/.complete")
  }

  /// Continue only when it is installed; otherwise skip, or fail under scripts/test.
  public func require(sourceLocation: SourceLocation = #_sourceLocation) throws {
    try requirement.require(isInstalled, sourceLocation: sourceLocation)
  }

  /// Whether it runs a QEMU of version `major.minor`.
  public func runs(qemuMajor major: Int, minor: Int) -> Bool {
    (major, minor) >= minimumQEMU
  }
}
