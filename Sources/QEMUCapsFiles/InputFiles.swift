import QEMUCapsSystem

/// The files a command has read, so that its output cannot replace one of them:
/// `qemu-caps report caps.xml --output caps.xml`, or `probe --replay DIR --output
/// DIR/probe.json`, would otherwise destroy the input with something else.
///
/// Off until ``startTracking()`` (the command line turns it on): a long-lived library
/// user may well read a file and later write it on purpose.
package enum InputFiles {
  private static let state = LockedState<Set<FileStatus.Identity>?>(nil)
  private static let written = LockedState<Set<FileStatus.Identity>>([])

  /// Remember every file read through ``FileContents`` from now on.
  package static func startTracking() {
    state.withLock { if $0 == nil { $0 = [] } }
  }

  /// Note that the file with `status` was read.
  package static func noteRead(_ status: FileStatus) {
    state.withLock { _ = $0?.insert(status.identity) }
  }

  /// Note that the command wrote the file with `status` (a recording's transcript or
  /// manifest, say): a later output of the same command must not replace it either
  /// (`probe --record DIR --output DIR/probe.json`). Only while tracking.
  package static func noteWritten(_ status: FileStatus) {
    let tracking = state.withLock { $0 != nil }
    guard tracking else { return }
    written.withLock { _ = $0.insert(status.identity) }
  }

  /// Whether the command already wrote the file with `status`.
  static func wasWritten(_ status: FileStatus) -> Bool {
    written.withLock { $0.contains(status.identity) }
  }

  /// Whether the file with `status` was read as an input.
  static func wasRead(_ status: FileStatus) -> Bool {
    state.withLock { $0?.contains(status.identity) ?? false }
  }
}
