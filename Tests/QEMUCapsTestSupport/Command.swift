import Foundation

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

  /// Run `executable` with `arguments`; wait for it.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    standardInput: String? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let input = Pipe()
    process.standardInput = input
    let start = Date()
    try process.run()
    if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so neither fills up.
    let errorData = LockedData()
    let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return Result(
      status: process.terminationStatus,
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData.get(), as: UTF8.self),
      seconds: Date().timeIntervalSince(start))
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

private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  func get() -> Data { lock.withLock { data ?? Data() } }
  var isSet: Bool { lock.withLock { data != nil } }
}

extension Command {
  /// Start `executable` with output discarded; wait for it with ``wait(_:)``.
  public static func start(_ executable: String, _ arguments: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw FakeQEMUError(message: "cannot run \(executable): error \(spawned)") }
    return pid
  }

  /// Wait for a process from ``start(_:_:)``; return its exit status (128 + signal
  /// when killed) and peak resident set size in KiB, read with `wait4` (the
  /// largest of the process and the descendants it reaped).
  public static func wait(_ pid: pid_t) -> (status: Int32, peakKiB: Int) {
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, usage.ru_maxrss)
  }

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
