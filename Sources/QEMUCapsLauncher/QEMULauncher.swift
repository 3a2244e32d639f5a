import Logging
import QEMUCapsJSON
import QEMUCapsQMP
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Starts a QEMU binary paused and without devices, for probing over QMP.
///
/// QMP runs over QEMU's standard input and output (`-qmp stdio`) on a socket
/// pair rather than over a unix socket in a temporary directory: there is no
/// path to create, length-check, race to connect to, or leave behind; QEMU's
/// exit closes the stream, which is how we see it die; and the stream is ready
/// the moment QEMU is, with no connect retry loop.
public struct QEMULauncher: Sendable {
  /// How long each phase may take.
  public struct Timeouts: Sendable, Hashable {
    /// From spawn to the QMP greeting.
    public var start: Duration
    /// For one command or one pipelined batch.
    public var command: Duration
    /// From `quit` to the process exit, after which it is killed.
    public var shutdown: Duration

    /// Create timeouts.
    public init(start: Duration = .seconds(10), command: Duration = .seconds(10), shutdown: Duration = .seconds(2)) {
      self.start = start
      self.command = command
      self.shutdown = shutdown
    }
  }

  /// The QEMU binary, as an absolute or relative path.
  public var binary: String
  /// Time limits.
  public var timeouts: Timeouts
  /// The longest QMP line accepted.
  public var maximumLineLength: Int
  private let logger: Logger

  /// Create a launcher for `binary` (a path; see ``resolve(_:)`` for a name on `PATH`).
  public init(binary: String, timeouts: Timeouts = Timeouts(), logger: Logger = Logger(label: "qemu-caps")) {
    self.binary = binary
    self.timeouts = timeouts
    self.maximumLineLength = QMPLineFramer.defaultMaximumLineLength
    self.logger = logger
  }

  /// Find `name` on `PATH` unless it contains a slash, and check it is an executable regular file.
  ///
  /// - Throws: ``QEMUError`` with code `badBinary`.
  public static func resolve(_ name: String, environment: [String: String]) throws(QEMUError) -> String {
    let candidates: [String]
    if name.contains("/") {
      candidates = [name]
    } else {
      let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
      candidates = path.split(separator: ":").map { "\($0.isEmpty ? "." : String($0))/\(name)" }
    }
    for candidate in candidates {
      guard let status = try? Syscalls.fileStatus(candidate) else { continue }
      guard status.isRegularFile else {
        throw QEMUError(.badBinary, binary: candidate, machine: nil, detail: "it is not a regular file")
      }
      guard Syscalls.isExecutable(candidate) else {
        throw QEMUError(.badBinary, binary: candidate, machine: nil, detail: "it is not executable")
      }
      return candidate
    }
    let hint =
      name.contains("/")
      ? "no such file" : "not found on PATH; install it with 'apt-get install qemu-system-x86' or pass --qemu PATH"
    throw QEMUError(.badBinary, binary: name, machine: nil, detail: hint)
  }

  /// Whether `name` is safe to pass as `-machine NAME`: letters, digits and `._+-`,
  /// not starting with `-`. Anything else (a `,` above all) could add machine options.
  public static func isSafeMachineName(_ name: String) -> Bool {
    guard let first = name.utf8.first, first != UInt8(ascii: "-"), name.utf8.count <= 128 else { return false }
    return name.utf8.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "+")
    }
  }

  /// The seccomp sandbox for probing QEMUs: no obsolete system calls, no privilege
  /// changes, no new processes, no scheduler or CPU affinity changes.
  public static let sandboxArguments = [
    "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
  ]

  /// The `-sandbox` suboptions ``sandboxArguments`` needs; a build whose
  /// `query-command-line-options` lists them all supports it.
  public static let sandboxSuboptions: Set<String> = ["obsolete", "elevateprivileges", "spawn", "resourcecontrol"]

  /// The command-line arguments (after the binary) used to probe `machine`.
  public func arguments(machine: String, sandbox: Bool = false) -> [String] {
    [
      "-S", "-no-user-config", "-nodefaults", "-display", "none", "-accel", "tcg",
      "-machine", machine, "-qmp", "stdio",
    ] + (sandbox ? Self.sandboxArguments : [])
  }

  /// The environment QEMU runs with: a fixed minimum, plus `QEMU_MODULE_DIR`
  /// when set (side-by-side builds need it to find their modules).
  static func environment() -> [String] {
    var environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"]
    if let moduleDirectory = getenv("QEMU_MODULE_DIR") {
      environment.append("QEMU_MODULE_DIR=\(String(cString: moduleDirectory))")
    }
    return environment
  }

  /// Start QEMU with `machine` (in the seccomp sandbox when `sandbox`; see
  /// ``sandboxArguments``), negotiate QMP, run `body`, then shut QEMU down.
  ///
  /// QEMU is asked to `quit`, killed if it has not exited within the shutdown
  /// timeout, and always reaped, whether `body` returns or throws.
  ///
  /// - Throws: ``QEMUError`` when QEMU cannot be started or greeted, or what `body` throws.
  public func withQEMU<Result>(
    machine: String,
    sandbox: Bool = false,
    recorder: QMPTranscriptRecorder? = nil,
    _ body: (QMPClient) throws -> Result
  ) throws -> Result {
    let session = try start(machine: machine, sandbox: sandbox, recorder: recorder)
    do {
      let result = try body(session.client)
      session.stop(gracefully: true, timeout: timeouts.shutdown)
      return result
    } catch let error as QMPError {
      // A failed command leaves QEMU healthy; a broken stream does not.
      session.stop(gracefully: error.code == .commandFailed, timeout: timeouts.shutdown)
      throw QEMUError(
        .qmp, binary: binary, machine: machine, detail: session.transport.standardErrorText,
        exitStatus: session.process.exitStatus, qmpError: error)
    } catch {
      session.stop(gracefully: true, timeout: timeouts.shutdown)
      throw error
    }
  }

  /// Run `commands` on QEMU started with `machine` in a single round trip: the
  /// negotiation, the commands and `quit` are sent together, then the replies are
  /// read and QEMU is reaped. For commands with small replies (QEMU may exit
  /// before writing a large one).
  ///
  /// - Throws: ``QEMUError`` when QEMU cannot be started, greeted or talked to;
  ///   an error reply fails only its own result.
  public func run(
    machine: String, sandbox: Bool = false, recorder: QMPTranscriptRecorder? = nil, commands: [QMPCommand]
  ) throws(QEMUError) -> [Result<JSON, QMPError>] {
    let session = try start(machine: machine, sandbox: sandbox, recorder: recorder, pipelining: commands)
    session.stop(gracefully: true, timeout: timeouts.shutdown)
    return session.pipelinedResults
  }

  private func start(
    machine: String, sandbox: Bool, recorder: QMPTranscriptRecorder?, pipelining commands: [QMPCommand]? = nil
  ) throws(QEMUError) -> QEMUSession {
    // The one check before any name reaches `-machine`.
    guard Self.isSafeMachineName(machine) else {
      throw QEMUError(.unsafeMachineName, binary: binary, machine: nil, detail: "'\(machine)'")
    }
    let logger = self.logger
    var metadata: Logger.Metadata = ["machine": "\(machine)"]
    metadata["binary"] = "\(binary)"
    func fail(_ error: SystemError) -> QEMUError {
      QEMUError(.spawnFailed, binary: binary, machine: machine, detail: error.description)
    }
    let monitor: (FileDescriptor, FileDescriptor)
    let standardError: (FileDescriptor, FileDescriptor)
    do {
      monitor = try Syscalls.socketPair()
    } catch {
      throw fail(error)
    }
    do {
      standardError = try Syscalls.socketPair()
    } catch {
      try? Syscalls.close(monitor.0)
      try? Syscalls.close(monitor.1)
      throw fail(error)
    }
    let pid: pid_t
    do {
      pid = try Syscalls.spawn(
        path: binary, arguments: arguments(machine: machine, sandbox: sandbox), environment: Self.environment(),
        standardInput: monitor.1, standardOutput: monitor.1, standardError: standardError.1)
    } catch {
      for fd in [monitor.0, monitor.1, standardError.0, standardError.1] { try? Syscalls.close(fd) }
      throw fail(error)
    }
    try? Syscalls.close(monitor.1)
    try? Syscalls.close(standardError.1)
    logger.debug("started QEMU", metadata: metadata.merging(["pid": "\(pid)"]) { $1 })

    let transport = QEMUSocketTransport(
      monitor: monitor.0, standardError: standardError.0, maximumLineLength: maximumLineLength)
    let session = QEMUSession(
      process: QEMUProcess(pid: pid), transport: transport,
      client: QMPClient(transport: transport, logger: logger, recorder: recorder),
      descriptors: [monitor.0, standardError.0], logger: logger)
    do {
      if let commands {
        // The start timeout covers the greeting; the commands get theirs on top.
        session.pipelinedResults = try session.client.negotiateAndExecute(
          commands, thenQuit: true, timeout: timeouts.start + timeouts.command)
      } else {
        try session.client.negotiate(timeout: timeouts.start)
      }
    } catch {
      throw session.startFailure(error, binary: binary, machine: machine, timeout: timeouts.shutdown)
    }
    return session
  }
}

/// One running QEMU with its QMP client; stopped exactly once.
final class QEMUSession {
  let process: QEMUProcess
  let transport: QEMUSocketTransport
  let client: QMPClient
  /// The replies of a session started with pipelined commands.
  var pipelinedResults: [Result<JSON, QMPError>] = []
  private var descriptors: [FileDescriptor]
  private let logger: Logger

  init(
    process: QEMUProcess, transport: QEMUSocketTransport, client: QMPClient, descriptors: [FileDescriptor],
    logger: Logger
  ) {
    self.process = process
    self.transport = transport
    self.client = client
    self.descriptors = descriptors
    self.logger = logger
  }

  /// Ask QEMU to quit (when the session is healthy), kill it after `timeout`, reap it, close descriptors.
  func stop(gracefully: Bool, timeout: Duration) {
    let deadline = ContinuousClock.now + timeout
    if gracefully && !process.hasExited {
      do {
        try client.quit(timeout: timeout)
      } catch {
        logger.debug("quit failed", metadata: ["error": "\(error)"])
      }
      // QEMU closes the monitor as it exits: wait for that, then reap (exit is imminent).
      if transport.waitForEndOfStream(before: deadline) {
        process.waitForExit(before: MonotonicInstant.after(timeout))
      }
    }
    if !process.hasExited && !process.waitForExit(before: .now()) {
      logger.debug("killing QEMU", metadata: ["pid": "\(process.pid)"])
      process.kill()
    }
    for fd in descriptors { try? Syscalls.close(fd) }
    descriptors.removeAll()
  }

  /// Turn a failure to greet into a ``QEMUError`` quoting QEMU's stderr, and clean up.
  func startFailure(_ error: QMPError, binary: String, machine: String, timeout: Duration) -> QEMUError {
    let result: QEMUError
    switch error.code {
    case .endOfStream where client.greeting == nil:
      transport.drainStandardError(before: .now + timeout)
      process.waitForExit(before: MonotonicInstant.after(timeout))
      result = QEMUError(
        .exitedBeforeGreeting, binary: binary, machine: machine, detail: transport.standardErrorText,
        exitStatus: process.exitStatus)
    case .timeout where client.greeting == nil:
      result = QEMUError(.startTimeout, binary: binary, machine: machine, detail: error.detail)
    default:
      // QEMU greeted but negotiation failed: a QMP error, with whatever QEMU printed.
      stop(gracefully: false, timeout: timeout)
      return QEMUError(
        .qmp, binary: binary, machine: machine, detail: transport.standardErrorText,
        exitStatus: process.exitStatus, qmpError: error)
    }
    stop(gracefully: false, timeout: timeout)
    return result
  }
}
