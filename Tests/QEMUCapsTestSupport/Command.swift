import CTestSupport
import Foundation
import Testing

/// Runs a program to completion and captures what it printed.
public enum Command {
  /// What a finished program returned.
  public struct Result: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// Wall time in seconds.
    public var seconds: Double
  }

  /// Run `executable` with `arguments`, feed it `standardInput`, and wait for it,
  /// reading standard output and standard error as they come (`posix_spawn`,
  /// `poll`, `waitpid`; not Foundation's `Process`, whose `waitUntilExit` once
  /// missed an exit and hung the suite). `status` is the exit code, or the signal
  /// number when a signal killed the program (as `Process.terminationStatus`).
  ///
  /// - Throws: ``CommandError`` when the program cannot be started, or when it
  ///   runs longer than `timeout` (it is then killed and reaped).
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    standardInput: String? = nil, timeout: Duration = .seconds(300)
  ) throws -> Result {
    let start = ContinuousClock.now
    let input = try pipe()
    let output = try pipe()
    let diagnostics = try pipe()
    let pid: pid_t
    do {
      pid = try ChildProcess.spawn(
        executable, arguments, environment: environment, standardInput: .descriptor(input.read),
        standardOutput: .descriptor(output.write), standardError: .descriptor(diagnostics.write))
    } catch {
      for fd in [input.read, input.write, output.read, output.write, diagnostics.read, diagnostics.write] { close(fd) }
      throw error
    }
    for fd in [input.read, output.write, diagnostics.write] { close(fd) }
    var streams = Streams(input: input.write, output: output.read, error: diagnostics.read, pending: standardInput)
    defer { streams.closeAll() }
    var exit: (code: Int32, signal: Int32?)?
    var exitedAt = start
    while true {
      let now = ContinuousClock.now
      if exit == nil, let status = ChildProcess.reap(pid) {
        exit = status
        exitedAt = now
      }
      // Done when it exited and its output ended; a descendant that kept the pipes
      // open is not waited for longer than 5 s.
      if let exit, !streams.outputOpen || now - exitedAt > .seconds(5) {
        return Result(
          status: exit.signal ?? exit.code,
          standardOutput: String(decoding: streams.outputBytes, as: UTF8.self),
          standardError: String(decoding: streams.errorBytes, as: UTF8.self),
          seconds: (ContinuousClock.now - start) / .seconds(1))
      }
      if exit == nil, now - start > timeout {
        kill(pid, SIGKILL)
        while ChildProcess.reap(pid) == nil { usleep(1_000) }
        throw CommandError("\(executable) \(arguments.joined(separator: " ")) ran longer than \(timeout); killed")
      }
      streams.transfer(waitingMilliseconds: streams.outputOpen ? 50 : 2)
    }
  }

  /// A pipe whose ends close on exec, so children of other test threads cannot hold them.
  private static func pipe() throws -> (read: Int32, write: Int32) {
    var descriptors: [Int32] = [-1, -1]
    guard qemu_caps_pipe_cloexec(&descriptors) == 0 else {
      throw CommandError("cannot make a pipe: \(String(cString: strerror(errno)))")
    }
    return (descriptors[0], descriptors[1])
  }

  /// The built `qemu-caps` executable next to the test bundle.
  public static var qemuCapsExecutable: String { builtExecutable("qemu-caps") }

  /// The executable product `name` of this package, built next to the test bundle.
  public static func builtExecutable(_ name: String) -> String {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // The test binary lives in DIR/qemu-capsPackageTests.xctest (a file on Linux).
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate), !candidate.hasSuffix(".xctest") {
        return candidate
      }
      directory = directory.deletingLastPathComponent()
    }
    return name
  }

  /// Run the built `qemu-caps` with `arguments`.
  public static func qemuCaps(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
    try run(qemuCapsExecutable, arguments, environment: environment)
  }
}

extension Command.Result {
  /// Expect the program to have exited with `status` (a test issue showing standard error
  /// when it did not); the result itself, for the test's own checks of the output.
  @discardableResult
  public func expect(status expected: Int32, sourceLocation: SourceLocation = #_sourceLocation) -> Self {
    #expect(status == expected, "exit status \(status): \(standardError)", sourceLocation: sourceLocation)
    return self
  }
}

extension Command {
  /// Run `executable` with output discarded; return its exit status and peak RSS in
  /// KiB: `getrusage(RUSAGE_CHILDREN)` read by a small `python3` parent, the largest of
  /// the process and the descendants it reaped.
  ///
  /// Not read here with `wait4`: Linux counts the memory a process had before `exec`
  /// in its peak, so a child of this large test process would report this process's size.
  public static func peakMemory(_ executable: String, _ arguments: [String]) throws -> (status: Int32, peakKiB: Int) {
    let script = """
      import resource, subprocess, sys
      status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
      print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      """
    let result = try run("/usr/bin/python3", ["-c", script, executable] + arguments)
    let fields = result.standardOutput.split(separator: " ").compactMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    guard result.status == 0, fields.count == 2 else {
      throw FakeQEMUError(message: "cannot measure \(executable) with python3: \(result.standardError)")
    }
    return (Int32(fields[0]), fields[1])
  }
}
