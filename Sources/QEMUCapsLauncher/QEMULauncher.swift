import Logging
import QEMUCapsJSON
import QEMUCapsModel
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
  /// How long a QEMU session may take.
  ///
  /// One deadline covers each session, from spawn to reap: starting, the QMP
  /// greeting and negotiation, every command and the shutdown. When it passes,
  /// whatever QEMU is doing, it is killed (its whole process group) and reaped.
  public struct Timeouts: Sendable, Hashable {
    /// The whole session, from spawn to reap (`--timeout`).
    public var session: Duration
    /// How long QEMU may take to exit after `quit` before it is killed; within
    /// ``session``, never beyond it. Not exiting in time is not a failure.
    public var shutdown: Duration

    /// Create time limits.
    public init(session: Duration = .seconds(10), shutdown: Duration = .seconds(2)) {
      self.session = session
      self.shutdown = shutdown
    }
  }

  /// The QEMU binary, as an absolute or relative path.
  package var binary: String
  /// Time limits.
  package var timeouts: Timeouts
  /// The memory budget of each QMP session.
  package var budget = QMPBudget()
  /// Where started QEMUs are registered, so that they can all be killed at once.
  package let registry: QEMUProcessRegistry
  private let logger: Logger

  /// Create a launcher for `binary` (a path; see ``resolve(_:environment:)`` for a name
  /// on `PATH`) whose QEMUs are registered in `registry`.
  package init(
    binary: String, timeouts: Timeouts = Timeouts(), registry: QEMUProcessRegistry = .shared,
    logger: Logger = Logger(label: "qemu-caps")
  ) {
    self.binary = binary
    self.timeouts = timeouts
    self.registry = registry
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
      ? "no such file" : "not found on PATH; install it with 'apt-get install qemu-system-x86'"
    throw QEMUError(.badBinary, binary: name, machine: nil, detail: hint)
  }

  /// Whether `name` is safe to pass as `-machine NAME`: a QOM name (``QOMName``),
  /// so letters, digits and `._+-`, not starting with `-`. Anything else (a `,` above
  /// all) could add machine options.
  package static func isSafeMachineName(_ name: String) -> Bool {
    QOMName.isValid(name)
  }

  /// The seccomp sandbox for probing QEMUs: no obsolete system calls, no privilege
  /// changes, no new processes, no scheduler or CPU affinity changes.
  package static let sandboxArguments = [
    "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
  ]

  /// The `-sandbox` suboptions ``sandboxArguments`` needs; a build whose
  /// `query-command-line-options` lists them all supports it.
  package static let sandboxSuboptions: Set<String> = ["obsolete", "elevateprivileges", "spawn", "resourcecontrol"]

  /// The command-line arguments (after the binary) used to probe `machine`.
  package func arguments(machine: String, sandbox: Bool = false) -> [String] {
    [
      "-S", "-no-user-config", "-nodefaults", "-display", "none", "-accel", "tcg",
      "-machine", machine, "-qmp", "stdio",
    ] + (sandbox ? Self.sandboxArguments : [])
  }

  /// The environment QEMU runs with: a fixed minimum, plus `QEMU_MODULE_DIR`
  /// when set (side-by-side builds need it to find their modules).
  static func environment() -> [String] {
    var environment = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C"]
    if let moduleDirectory = Self.moduleDirectory {
      environment.append("QEMU_MODULE_DIR=\(moduleDirectory)")
    }
    return environment
  }

  /// Start QEMU with `machine` (in the seccomp sandbox when `sandbox`; see
  /// ``sandboxArguments``), negotiate QMP, run `body`, then shut QEMU down.
  ///
  /// QEMU is asked to `quit`, killed if it has not exited within the shutdown
  /// timeout or when the session's time is up, and always reaped, whether `body`
  /// returns or throws. The client's waits end at the session deadline.
  ///
  /// - Throws: ``QEMUError`` when QEMU cannot be started or greeted, or what `body` throws.
  package func withQEMU<Result>(
    machine: String,
    sandbox: Bool = false,
    recorder: QMPTranscriptRecorder? = nil,
    _ body: (QMPClient) throws -> Result
  ) throws -> Result {
    let session = try start(machine: machine, sandbox: sandbox, recorder: recorder)
    do {
      let result = try body(session.client)
      session.stop(gracefully: true)
      return result
    } catch let error as QMPError {
      throw session.failure(error)
    } catch {
      session.stop(gracefully: true)
      throw error
    }
  }

  /// Run `commands` on QEMU started with `machine` in a single round trip: the
  /// negotiation, the commands and `quit` are sent together, then the replies are
  /// read and QEMU is reaped. `quit` is best effort: without its reply QEMU is
  /// killed and the replies are kept.
  ///
  /// - Throws: ``QEMUError`` when QEMU cannot be started, greeted or talked to;
  ///   an error reply fails only its own result.
  package func run(
    machine: String, sandbox: Bool = false, recorder: QMPTranscriptRecorder? = nil, commands: [QMPCommand]
  ) throws(QEMUError) -> [Result<JSON, QMPError>] {
    let session = try start(machine: machine, sandbox: sandbox, recorder: recorder, pipelining: commands)
    session.stop(gracefully: true)
    return session.pipelinedResults
  }

  private func start(
    machine: String, sandbox: Bool, recorder: QMPTranscriptRecorder?, pipelining commands: [QMPCommand]? = nil
  ) throws(QEMUError) -> QEMUSession {
    // The one check before any name reaches `-machine`.
    guard Self.isSafeMachineName(machine) else {
      throw QEMUError(.unsafeMachineName, binary: binary, machine: nil, detail: "'\(machine)'")
    }
    var metadata: Logger.Metadata = ["machine": "\(machine)"]
    metadata["binary"] = "\(binary)"
    func fail(_ error: SystemError) -> QEMUError {
      QEMUError(.spawnFailed, binary: binary, machine: machine, detail: error.description)
    }
    guard !registry.isStopping else {
      throw QEMUError(.cancelled, binary: binary, machine: machine, detail: "the probe was cancelled")
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
    let deadline = ContinuousClock.now + timeouts.session
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
      monitor: monitor.0, standardError: standardError.0, maximumLineLength: budget.maximumLineLength)
    let client = QMPClient(transport: transport, logger: logger, recorder: recorder, budget: budget)
    client.sessionDeadline = deadline
    let session = QEMUSession(
      binary: binary, machine: machine, process: QEMUProcess(pid: pid, registry: registry), transport: transport,
      client: client, descriptors: [monitor.0, standardError.0], deadline: deadline, timeouts: timeouts,
      logger: logger)
    do {
      if let commands {
        session.pipelinedResults = try client.negotiateAndExecute(
          commands, thenQuit: true, quitTimeout: timeouts.shutdown)
      } else {
        try client.negotiate()
      }
    } catch {
      throw session.failure(error)
    }
    return session
  }
}
