import QEMUCapsSystem

/// The files one command has read, so that its output cannot replace one of them:
/// `qemu-caps report caps.xml --output caps.xml`, or `probe --replay DIR --output
/// DIR/probe.json`, would otherwise destroy the input with something else.
///
/// The command line makes one for the command it runs and passes it to whatever reads
/// its inputs (``FileContents``) and writes its outputs (``OutputFile``). Other callers
/// pass `nil`: a long-lived library user may well read a file and later write it on purpose.
package final class InputFiles: Sendable {
  private struct Seen {
    var read: Set<FileStatus.Identity> = []
    var written: Set<FileStatus.Identity> = []
  }

  private let seen = LockedState(Seen())

  /// Remember nothing yet.
  package init() {}

  /// Note that the file with `status` was read.
  package func noteRead(_ status: FileStatus) {
    seen.withLock { _ = $0.read.insert(status.identity) }
  }

  /// Note that the command wrote the file with `status` (a recording's transcript or
  /// manifest, say): a later output of the same command must not replace it either
  /// (`probe --record DIR --output DIR/probe.json`).
  package func noteWritten(_ status: FileStatus) {
    seen.withLock { _ = $0.written.insert(status.identity) }
  }

  /// Whether the file with `status` was read as an input.
  func wasRead(_ status: FileStatus) -> Bool {
    seen.withLock { $0.read.contains(status.identity) }
  }

  /// Whether the command already wrote the file with `status`.
  func wasWritten(_ status: FileStatus) -> Bool {
    seen.withLock { $0.written.contains(status.identity) }
  }
}
