/// The files a command has read, so that its output cannot replace one of them:
/// `qemu-caps report caps.xml --output caps.xml`, or `probe --replay DIR --output
/// DIR/probe.json`, would otherwise destroy the input with something else.
///
/// Off until ``startTracking()`` (the command line turns it on): a long-lived library
/// user may well read a file and later write it on purpose.
package enum InputFiles {
  private static let state = LockedState<Set<FileStatus.Identity>?>(nil)

  /// Remember every file read through ``FileContents`` from now on.
  package static func startTracking() {
    state.withLock { if $0 == nil { $0 = [] } }
  }

  /// Note that the file with `status` was read.
  package static func noteRead(_ status: FileStatus) {
    state.withLock { _ = $0?.insert(status.identity) }
  }

  /// Whether the file with `status` was read as an input.
  static func wasRead(_ status: FileStatus) -> Bool {
    state.withLock { $0?.contains(status.identity) ?? false }
  }
}
