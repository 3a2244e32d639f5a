import CQEMUCapsSpawn
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Syscalls {
  /// Start `path` directly (no shell, no `PATH` search) with the given standard
  /// descriptors, an explicit environment and default signal handling, as the
  /// leader of its own process group, and set to die (SIGKILL) with the calling
  /// thread even if this process is killed with SIGKILL.
  ///
  /// The fork and exec happen in the C helper `CQEMUCapsSpawn` (`spawn.c` says
  /// why posix_spawn cannot do this). Every other descriptor of this process is
  /// close-on-exec, so the child receives only these three.
  ///
  /// The calling thread must outlive the child (the death signal follows the
  /// thread): start, use and reap it in one scoped call.
  package static func spawn(
    path: String,
    arguments: [String],
    environment: [String],
    standardInput: FileDescriptor,
    standardOutput: FileDescriptor,
    standardError: FileDescriptor
  ) throws(SystemError) -> pid_t {
    try injectFault(.spawn)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var error: Int32 = 0
    let pid = qemu_caps_spawn(
      path, argv, envp, standardInput.rawValue, standardOutput.rawValue, standardError.rawValue, &error)
    guard pid > 0 else { throw SystemError(errno: error, call: .spawn) }
    return pid
  }

  /// Send `signal` to every process in the process group `group` (a child
  /// started by ``spawn(path:arguments:environment:standardInput:standardOutput:standardError:)``
  /// leads the group named by its pid).
  package static func killGroup(_ group: pid_t, _ signal: Int32) throws(SystemError) {
    try injectFault(.kill)
    guard qemu_caps_kill_group(group, signal) == 0 else { throw SystemError(errno: errno, call: .kill) }
  }

  /// Whether the child `pid` has exited, leaving it unreaped (so that its pid,
  /// and the process group named after it, cannot be reused yet).
  package static func hasExited(_ pid: pid_t) throws(SystemError) -> Bool {
    try injectFault(.waitpid)
    while true {
      let result = qemu_caps_has_exited(pid)
      if result >= 0 { return result == 1 }
      if errno != EINTR { throw SystemError(errno: errno, call: .waitpid) }
    }
  }
}
