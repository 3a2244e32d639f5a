import CTestSupport
import Foundation

/// A child process started with `posix_spawn` and waited for with `waitpid`, for
/// tests that signal it: Foundation's `Process.waitUntilExit` was seen to miss a
/// child's exit under parallel tests and hang (the child left a zombie), so tests
/// do not depend on it, and every wait has a deadline. ``Command/run(_:_:environment:standardInput:timeout:)``
/// is built on the same spawn.
public final class ChildProcess {
  /// Where a child's standard stream goes.
  public enum Stream: Sendable {
    /// Inherited from the test process.
    case inherit
    /// `/dev/null`.
    case null
    /// A descriptor of the test process (duplicated onto the stream in the child).
    case descriptor(Int32)
  }

  /// The child's process id.
  public let pid: pid_t
  /// The exit status once reaped; then the pid is no longer ours to signal.
  public private(set) var exitStatus: Int32?

  private init(pid: pid_t) { self.pid = pid }

  /// Start `path` with `arguments`; standard error goes to /dev/null when `quiet`
  /// (to `standardError` when given), standard output too when `discardOutput`.
  public static func start(
    _ path: String, _ arguments: [String], quiet: Bool = true, discardOutput: Bool = false,
    standardOutput: Stream? = nil, standardError: Stream? = nil
  ) throws -> ChildProcess {
    let pid = try spawn(
      path, arguments, standardOutput: standardOutput ?? (discardOutput ? .null : .inherit),
      standardError: standardError ?? (quiet ? .null : .inherit))
    return ChildProcess(pid: pid)
  }

  /// Wait until the child exits, at most `timeout`; its exit status as the shell
  /// shows it (128 + signal when killed by one), or `nil` when it still runs.
  public func wait(timeout: Duration) -> Int32? {
    if let exitStatus { return exitStatus }
    let deadline = ContinuousClock.now + timeout
    while true {
      if let status = Self.reap(pid) {
        exitStatus = status.signal.map { 128 + $0 } ?? status.code
        return exitStatus
      }
      if ContinuousClock.now >= deadline { return nil }
      usleep(5_000)
    }
  }

  /// Send `signal` and wait (at most `timeout`) for the child to exit: its exit status as
  /// ``wait(timeout:)`` gives it, and how long it took to exit.
  public func stop(with signal: Int32, timeout: Duration = .seconds(30)) -> (status: Int32?, elapsed: Duration) {
    if exitStatus == nil { _ = Foundation.kill(pid, signal) }
    let signalled = ContinuousClock.now
    let status = wait(timeout: timeout)
    return (status, ContinuousClock.now - signalled)
  }

  /// Kill the child if it was not reaped yet, and reap it.
  public func kill() {
    guard exitStatus == nil else { return }
    _ = Foundation.kill(pid, SIGKILL)
    _ = wait(timeout: .seconds(5))
  }

  /// `posix_spawn` `path` with `arguments` and `environment` (ours when `nil`), the
  /// three standard streams as given, the signal mask cleared and `SIGPIPE` at its
  /// default in the child.
  static func spawn(
    _ path: String, _ arguments: [String], environment: [String: String]? = nil,
    standardInput: Stream = .inherit, standardOutput: Stream = .inherit, standardError: Stream = .inherit
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (target, stream) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
      switch stream {
      case .inherit: break
      case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
      case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
      }
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var pipeSignal = sigset_t()
    sigemptyset(&pipeSignal)
    sigaddset(&pipeSignal, SIGPIPE)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &pipeSignal)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let environmentStrings = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
    defer { for pointer in environmentStrings ?? [] { free(pointer) } }
    var pid: pid_t = 0
    let status =
      if let environmentStrings {
        posix_spawn(&pid, path, &actions, &attributes, argv, environmentStrings)
      } else {
        posix_spawn(&pid, path, &actions, &attributes, argv, environ)
      }
    guard status == 0 else { throw CommandError("cannot run \(path): \(String(cString: strerror(status)))") }
    return pid
  }

  /// Reap `pid` if it has exited: its exit code, or the signal that killed it.
  static func reap(_ pid: pid_t) -> (code: Int32, signal: Int32?)? {
    var status: Int32 = 0
    var result: pid_t
    repeat { result = waitpid(pid, &status, WNOHANG) } while result == -1 && errno == EINTR
    guard result == pid else { return nil }
    let signal = status & 0x7f
    return signal == 0 ? ((status >> 8) & 0xff, nil) : (0, signal)
  }
}
