import Foundation
import Testing

/// Fake `qemu-system-x86_64` executables (shell scripts) that misbehave on purpose.
public enum FakeQEMU {
  /// A greeting line a fake prints first.
  public static let greeting =
    #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": []}}"#

  /// Shell code that answers each command line with an empty success carrying its id.
  public static let answerLoop = #"""
    while IFS= read -r line; do
      id=$(printf '%s\n' "$line" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')
      case "$line" in
        *'"quit"'*) QUIT_ACTION ;;
        *) printf '{"return": {}, "id": "%s"}\r\n' "$id" ;;
      esac
    done
    """#

  /// Write an executable script `name` with `body` into a fresh directory and return its path.
  public static func make(_ name: String, body: String) throws -> String {
    let directory = try TemporaryDirectory.create("fakes")
    let path = directory.appendingPathComponent(name).path
    do {
      try writeExecutable("#!/bin/sh\n" + body + "\n", to: path)
    } catch {
      TemporaryDirectory.remove(directory)
      throw error
    }
    return path
  }

  /// Write the executable file `path` (mode 0755) holding `text`.
  ///
  /// Its descriptor is close-on-exec: a child another test spawns meanwhile must not
  /// inherit it open for writing, or running the script fails with ETXTBSY ("Text
  /// file busy") while that child lives. Foundation's `write(toFile:)` does not set it.
  public static func writeExecutable(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0, fchmod(fd, 0o755) == 0 else {
      throw CommandError("cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if written < 0, errno == EINTR { continue }
      guard written > 0 else { throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))") }
      bytes = bytes.dropFirst(written)
    }
  }

  /// Remove a fake made by ``make(_:body:)`` and its directory.
  public static func remove(_ path: String) {
    TemporaryDirectory.remove(URL(fileURLWithPath: path).deletingLastPathComponent())
  }

  /// A fake that greets, answers every command, and on `quit` does `quitAction`
  /// (shell code; e.g. `exit 0`, or `exec sleep 30` to ignore it).
  public static func responder(quitAction: String = "printf '{\"return\": {}}\\r\\n'; exit 0") throws -> String {
    try make(
      "fake-qemu",
      body: "printf '%s\\r\\n' '\(greeting)'\n" + answerLoop.replacingOccurrences(of: "QUIT_ACTION", with: quitAction))
  }

  /// A wrapper around the system QEMU that appends a line to `log` at every start.
  public static func countingWrapper(log: String) throws -> String {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    return try make("fake-qemu-counting", body: "echo start >> '\(log)'\nexec \(qemu) \"$@\"")
  }

  /// How many times a ``countingWrapper(log:)`` QEMU was started.
  public static func starts(_ log: String) -> Int {
    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count
  }
}

extension FakeQEMU {
  /// The faults of the Swift fake QEMU (Tests/FakeQEMU).
  public enum Fault: String, CaseIterable, Sendable {
    case none
    case exitBeforeGreeting = "exit-before-greeting"
    case noGreeting = "no-greeting"
    case silent
    case garbage
    case truncated
    case hugeLine = "huge-line"
    case eventFlood = "event-flood"
    case crash
    case ignoreQuit = "ignore-quit"
    case errorAll = "error-all"
    case hostileNames = "hostile-names"
    case duplicateNames = "duplicate-names"
    case escapeStandardError = "escape-stderr"
    case escapePMDevice = "escape-pm-device"
    case slow
    case amplified
    case noQuitReply = "no-quit-reply"
    case grandchild
    case refuseStartMonitorFirst = "refuse-start-monitor-first"
    case refuseStartExitFirst = "refuse-start-exit-first"
  }

  /// A `qemu-system-x86_64` stand-in: a wrapper that runs the Swift fake with `fault`
  /// for `machine` (every machine type when `nil`). Its directory name is unique, so
  /// leftover processes can be found by it. `machines` replaces the reply to
  /// `query-machines` (a JSON array, verbatim); with `startLog` every start appends a
  /// line to that file (see ``starts(_:)``).
  public static func faulty(
    _ fault: Fault, machine: String? = nil, package: String = "fake", delay: Double? = nil, machines: String? = nil,
    startLog: String? = nil
  ) throws -> String {
    let executable = URL(fileURLWithPath: Command.qemuCapsExecutable).deletingLastPathComponent()
      .appendingPathComponent("qemu-caps-fake-qemu").path
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw FakeQEMUError(message: "\(executable) is missing: build the package first (swift build)")
    }
    func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let quotedPackage = quoted(package)
    let machineArguments =
      (machine.map { " --fault-machine '\($0)'" } ?? "") + (delay.map { " --delay \($0)" } ?? "")
      + (machines.map { " --machines \(quoted($0))" } ?? "") + (startLog.map { " --start-log \(quoted($0))" } ?? "")
    return try make(
      "qemu-system-x86_64",
      body:
        "exec '\(executable)' --tag \"${0%/*}\" --fault \(fault.rawValue)\(machineArguments) --package \(quotedPackage) \"$@\""
    )
  }
}

extension FakeQEMU {
  /// The processes running `fake`: their command lines name its private directory.
  public static func running(_ fake: String) -> [ProcessTable.Entry] {
    ProcessTable.processes(withCommandLineContaining: URL(fileURLWithPath: fake).deletingLastPathComponent().path)
      .filter { !$0.isZombie }
  }

  /// A QEMU whose `-machine none` works and whose other machine types hang before
  /// greeting, so that a probe of it waits until it is stopped.
  public struct Hanging: Sendable {
    /// The binary to probe: it runs ``working`` for `-machine none`, ``hanging`` for the rest.
    public var path: String
    /// A fake that works for every machine type.
    public var working: String
    /// A fake that never greets.
    public var hanging: String

    /// The machine-type QEMUs hanging now.
    public var running: [ProcessTable.Entry] { FakeQEMU.running(hanging) }

    /// Wait (at most 10 s) until `count` machine-type QEMUs hang; whether they did.
    public func waitUntilHanging(_ count: Int) -> Bool {
      Readiness.poll(timeout: .seconds(10)) { running.count >= count }
    }
  }

  /// Make a ``Hanging`` QEMU, run `body` with it, and remove its fakes however `body` ends.
  public static func withHangingMachines<Result>(_ body: (Hanging) throws -> Result) throws -> Result {
    let working = try faulty(.none)
    defer { remove(working) }
    let hanging = try faulty(.noGreeting)
    defer { remove(hanging) }
    let path = try make(
      "qemu-system-x86_64",
      body: """
        case " $* " in *" -machine none "*) exec \(working) "$@" ;; esac
        exec \(hanging) "$@"
        """)
    defer { remove(path) }
    return try body(Hanging(path: path, working: working, hanging: hanging))
  }
}

/// A fake QEMU that cannot be made.
public struct FakeQEMUError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
