import QEMUCapsSystem

/// The temporary files this process is writing (an atomic replacement's file beside
/// its target), so that a signal that ends the process at once can remove them first:
/// an interrupted `report --output` or cache write must not leave `.NAME.tmp-…` behind.
package enum TemporaryFiles {
  private static let paths = LockedState<Set<String>>([])

  /// Note that `path` is being written; call ``finished(_:)`` once it is renamed or removed.
  package static func started(_ path: String) {
    paths.withLock { _ = $0.insert(path) }
  }

  /// `path` is no longer a temporary file of ours.
  package static func finished(_ path: String) {
    paths.withLock { _ = $0.remove(path) }
  }

  /// Remove every temporary file still being written and end the process with
  /// `status`; for the thread that handles termination signals. The list stays locked
  /// until the exit, so no writer can start another one in between.
  package static func removeAllAndExit(_ status: Int32) -> Never {
    paths.withLock { paths in
      for path in paths { try? Syscalls.unlink(path) }
      Syscalls.exitImmediately(status)
    }
  }
}
