/// Each raw system call the project makes, by name.
///
/// Tests inject faults per call (see `FaultInjection`, debug builds only) and
/// errors name the call that failed.
package enum SystemCall: String, Sendable, Hashable, CaseIterable {
  case access
  case close
  case connect
  case fchmod
  case fchown
  case fcntl
  case flock
  case fstat
  case fstatat
  case fsync
  case getpwuid
  case kill
  case lstat
  case mkdir
  case mkdtemp
  case open
  case opendir
  case poll
  case read
  case readlink
  case rename
  case rmdir
  case send
  case socketpair
  case spawn
  case stat
  case unlink
  case unlinkat
  case waitpid
  case write
}
