/// Each raw system call the project makes, by name.
///
/// Faults are injected per call (see ``FaultInjection``) and errors name the
/// call that failed.
package enum SystemCall: String, Sendable, Hashable, CaseIterable {
  case close
  case connect
  case fchmod
  case fchown
  case lstat
  case mkdir
  case readlink
  case fstat
  case fsync
  case kill
  case mkdtemp
  case open
  case poll
  case read
  case rename
  case send
  case socketpair
  case spawn
  case unlink
  case rmdir
  case waitpid
  case write
}
