import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Where `report` and `diff` find capability snapshots when no path is named:
/// `capabilities-data` in the current directory (a checkout), else the snapshots
/// `scripts/install` put beside the executable, `PREFIX/share/qemu-caps/capabilities-data`
/// for `PREFIX/bin/qemu-caps`.
///
/// The installed directory is found from `/proc/self/exe`, never from the environment,
/// and is used only when no other local user can change what it holds: it must be a real
/// directory owned by root or the effective user and not writable by group or others, and
/// so must every directory above it (one writable by others only when it is sticky, as
/// /tmp, where nobody may rename another's entries).
package enum CapabilityDataLocation {
  /// The directory name, in a checkout and installed.
  package static let name = "capabilities-data"

  /// Where the snapshots are installed for the executable at `executable` (an absolute path).
  package static func installedPath(executable: String) -> String {
    let bin = parent(of: executable)
    return "\(parent(of: bin))/share/qemu-caps/\(name)"
  }

  /// The directory to read: `./capabilities-data` when it exists, else the installed one.
  ///
  /// - Parameter executable: the running executable's path (`nil`: read `/proc/self/exe`).
  /// - Throws: ``LookupError`` with code `unreadable` when there is neither, or the
  ///   installed one may be changed by another user; the message says why and what to do.
  package static func locate(executable: String? = nil) throws(LookupError) -> String {
    if exists(name) { return name }
    let installed: String
    if let executable {
      installed = installedPath(executable: executable)
    } else if let own = try? Syscalls.readLink("/proc/self/exe"), own.hasPrefix("/") {
      installed = installedPath(executable: own)
    } else {
      throw LookupError(
        .unreadable,
        "no capability file was named and there is no \(name) directory here (and /proc/self/exe, which locates the installed snapshots, cannot be read); name capability files or directories of them"
      )
    }
    guard exists(installed) else {
      throw LookupError(
        .unreadable,
        "no capability file was named and there is no \(name) directory here, nor installed snapshots at \(installed); name capability files or directories of them, or install qemu-caps with scripts/install"
      )
    }
    if let refusal = refusal(of: installed) {
      throw LookupError(
        .unreadable,
        "the installed snapshots at \(installed) are not used: \(refusal); only root or this user (\(Syscalls.effectiveUserID())) may be able to change them or a directory above them. Fix the permissions, or name capability files"
      )
    }
    return installed
  }

  /// Why `directory` and the directories above it may be changed by another user
  /// (``CapabilityDataLocation``); `nil` when they may not.
  package static func refusal(of directory: String) -> String? {
    let user = UInt32(Syscalls.effectiveUserID())
    var path = directory
    var isTarget = true
    while true {
      let status: FileStatus
      do {
        status = try Syscalls.linkStatus(path)
      } catch {
        return "\(path) cannot be examined: \(error.message)"
      }
      guard status.kind == .directory else { return "\(path) is \(status.kind.phrase), not a directory" }
      guard status.owner == 0 || status.owner == user else { return "\(path) is owned by user \(status.owner)" }
      let othersWrite = status.permissions & 0o022 != 0
      let sticky = status.permissions & UInt32(S_ISVTX) != 0
      if othersWrite && (isTarget || !sticky) {
        return "group or others may write to \(path) (mode \(String(status.permissions, radix: 8)))"
      }
      if path == "/" { return nil }
      path = parent(of: path)
      isTarget = false
    }
  }

  /// Whether anything exists at `path` (another failure to examine it is reported when it is read).
  private static func exists(_ path: String) -> Bool {
    do {
      _ = try Syscalls.fileStatus(path)
      return true
    } catch {
      return error.errno != ENOENT
    }
  }

  /// The directory holding `path`: `/` for a top-level one.
  private static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let head = String(path[..<slash])
    return head.isEmpty ? "/" : head
  }
}
