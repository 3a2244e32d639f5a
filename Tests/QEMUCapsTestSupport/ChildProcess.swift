import Foundation

/// A child process started with `posix_spawn` and waited for with `waitpid`, for
/// tests that signal it: Foundation's `Process.waitUntilExit` was seen to miss a
/// child's exit under parallel tests and hang (the child left a zombie), so these
/// tests do not depend on it, and every wait has a deadline.
public final class ChildProcess {
  /// The child's process id.
  public let pid: pid_t
  /// The exit status once reaped; then the pid is no longer ours to signal.
  public private(set) var exitStatus: Int32?

  private init(pid: pid_t) { self.pid = pid }

  /// Start `path` with `arguments`; standard error goes to /dev/null when `quiet`.
  public static func start(_ path: String, _ arguments: [String], quiet: Bool = true) throws -> ChildProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard status == 0 else {
      throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: path, "errno": status])
    }
    return ChildProcess(pid: pid)
  }

  /// Wait until the child exits, at most `timeout`; its exit status as the shell
  /// shows it (128 + signal when killed by one), or `nil` when it still runs.
  public func wait(timeout: Duration) -> Int32? {
    if let exitStatus { return exitStatus }
    let deadline = ContinuousClock.now + timeout
    while true {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid {
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return exitStatus
      }
      if result == -1 && errno != EINTR { return nil }
      if ContinuousClock.now >= deadline { return nil }
      usleep(10_000)
    }
  }

  /// Kill the child if it was not reaped yet, and reap it.
  public func kill() {
    guard exitStatus == nil else { return }
    _ = Foundation.kill(pid, SIGKILL)
    _ = wait(timeout: .seconds(5))
  }
}
