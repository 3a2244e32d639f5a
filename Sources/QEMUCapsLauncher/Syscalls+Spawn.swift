import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

extension Syscalls {
  /// Start `path` directly (no shell, no `PATH` search) with the given standard
  /// descriptors, an explicit environment and default signal handling.
  ///
  /// Every other descriptor of this process is close-on-exec, so the child
  /// receives only these three.
  package static func spawn(
    path: String,
    arguments: [String],
    environment: [String],
    standardInput: FileDescriptor,
    standardOutput: FileDescriptor,
    standardError: FileDescriptor
  ) throws(SystemError) -> pid_t {
    try injectFault(.spawn)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, standardInput.rawValue, 0)
    posix_spawn_file_actions_adddup2(&actions, standardOutput.rawValue, 1)
    posix_spawn_file_actions_adddup2(&actions, standardError.rawValue, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    // Signals this process may ignore or catch go back to their defaults in QEMU.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw SystemError(errno: status, call: .spawn) }
    return pid
  }
}
