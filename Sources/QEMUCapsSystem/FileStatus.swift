#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// What ``Syscalls/fileStatus(_:)`` reports of a file.
package struct FileStatus: Sendable, Hashable {
  /// The kind of file.
  package enum Kind: Sendable, Hashable {
    case regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket, unknown

    /// How people call it, e.g. `a FIFO`.
    package var phrase: String {
      switch self {
      case .regular: "a regular file"
      case .directory: "a directory"
      case .symbolicLink: "a symbolic link"
      case .characterDevice: "a character device"
      case .blockDevice: "a block device"
      case .fifo: "a FIFO"
      case .socket: "a socket"
      case .unknown: "not a regular file"
      }
    }
  }

  /// Size in bytes.
  package var size: Int64
  /// Modification time, nanoseconds since the epoch.
  package var modificationTime: Int64
  /// Status change time, nanoseconds since the epoch.
  package var changeTime: Int64
  /// The raw mode bits.
  package var mode: UInt32
  /// The owner's user id.
  package var owner: UInt32
  /// The group id.
  package var group: UInt32
  /// The device and inode: the file itself, whatever path reached it.
  package var identity: Identity

  /// A file's device and inode number.
  package struct Identity: Sendable, Hashable {
    package var device: UInt64
    package var inode: UInt64
  }

  /// Whether it is a regular file.
  package var isRegularFile: Bool { kind == .regular }

  /// The permission bits (including set-id and sticky bits).
  package var permissions: UInt32 { mode & 0o7777 }

  /// The kind of file.
  package var kind: Kind {
    switch mode & UInt32(S_IFMT) {
    case UInt32(S_IFREG): .regular
    case UInt32(S_IFDIR): .directory
    case UInt32(S_IFLNK): .symbolicLink
    case UInt32(S_IFCHR): .characterDevice
    case UInt32(S_IFBLK): .blockDevice
    case UInt32(S_IFIFO): .fifo
    case UInt32(S_IFSOCK): .socket
    default: .unknown
    }
  }

  /// Whether both times fit in nanoseconds since the epoch (years 1678 to 2262); outside,
  /// ``modificationTime`` and ``changeTime`` are clamped.
  package var timesInRange: Bool

  init(_ info: stat) {
    size = Int64(info.st_size)
    let (modification, modificationInRange) = Self.nanoseconds(Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec))
    let (change, changeInRange) = Self.nanoseconds(Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec))
    modificationTime = modification
    changeTime = change
    timesInRange = modificationInRange && changeInRange
    mode = UInt32(info.st_mode)
    owner = UInt32(info.st_uid)
    group = UInt32(info.st_gid)
    identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  private static func nanoseconds(_ seconds: Int64, _ fraction: Int64) -> (Int64, Bool) {
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (total, carry) = scaled.addingReportingOverflow(fraction)
    if overflow || carry { return (seconds < 0 ? Int64.min : Int64.max, false) }
    return (total, true)
  }
}
