import Logging
import QEMUCapsJSON
import QEMUCapsQMP
import QEMUCapsSystem

/// One running QEMU with its QMP client, under one deadline; stopped exactly once.
final class QEMUSession {
  let binary: String
  let machine: String
  let process: QEMUProcess
  let transport: QEMUSocketTransport
  let client: QMPClient
  /// When the session's time is up: QEMU is killed then at the latest.
  let deadline: ContinuousClock.Instant
  let timeouts: QEMULauncher.Timeouts
  /// The replies of a session started with pipelined commands.
  var pipelinedResults: [Result<JSON, QMPError>] = []
  private var descriptors: [FileDescriptor]
  private let logger: Logger

  init(
    binary: String, machine: String, process: QEMUProcess, transport: QEMUSocketTransport, client: QMPClient,
    descriptors: [FileDescriptor], deadline: ContinuousClock.Instant, timeouts: QEMULauncher.Timeouts,
    logger: Logger
  ) {
    self.binary = binary
    self.machine = machine
    self.process = process
    self.transport = transport
    self.client = client
    self.descriptors = descriptors
    self.deadline = deadline
    self.timeouts = timeouts
    self.logger = logger
  }

  /// The end of the shutdown grace that starts now, within the session.
  private var shutdownDeadline: ContinuousClock.Instant { min(ContinuousClock.now + timeouts.shutdown, deadline) }

  /// Ask QEMU to quit (when the session is healthy) and wait for it to exit, within
  /// the shutdown timeout and the session; kill its process group if it has not
  /// exited; reap it; close descriptors. A missing `quit` reply is not a failure.
  func stop(gracefully: Bool) {
    let limit = shutdownDeadline
    if gracefully && !process.hasExited {
      do {
        try client.quit(timeout: ContinuousClock.now.duration(to: limit))
      } catch {
        logger.debug("no reply to quit", metadata: ["error": "\(error)"])
      }
      // QEMU closes the monitor as it exits: wait for that, then reap (exit is imminent).
      if transport.waitForEndOfStream(before: limit) {
        process.waitForExit(before: limit)
      }
    }
    if !process.hasExited && !process.waitForExit(before: .now) {
      logger.debug("killing QEMU", metadata: ["pid": "\(process.pid)"])
      process.kill()
    }
    for fd in descriptors { try? Syscalls.close(fd) }
    descriptors.removeAll()
  }

  /// Wait for QEMU, whose monitor has closed, to exit, reading all of its
  /// standard error meanwhile, so that the failure is reported the same way
  /// whether the monitor closed or the process exited first.
  private func collectExit(before limit: ContinuousClock.Instant) {
    while !process.hasExited && ContinuousClock.now < limit {
      let slice = min(limit, ContinuousClock.now + .milliseconds(20))
      if transport.standardErrorIsOpen {
        transport.drainStandardError(before: slice)
        process.waitForExit(before: .now)
      } else {
        process.waitForExit(before: slice)
      }
    }
    // Its process group is gone now, so nothing else holds standard error open.
    if process.hasExited { transport.drainStandardError(before: limit) }
  }

  /// Stop the session after `error` and describe it as a ``QEMUError``.
  func failure(_ error: QMPError) -> QEMUError {
    switch error.code {
    case .endOfStream:
      collectExit(before: shutdownDeadline)
      stop(gracefully: false)
      if !client.isNegotiated {
        return QEMUError(
          .exitedBeforeGreeting, binary: binary, machine: machine, detail: transport.standardErrorText,
          exitStatus: process.exitStatus)
      }
    case .timeout where ContinuousClock.now >= deadline:
      stop(gracefully: false)
      var result = QEMUError(.timeout, binary: binary, machine: machine, detail: transport.standardErrorText)
      result.phase = phase(of: error)
      result.limit = timeouts.session
      return result
    case .commandFailed:
      // A failed command leaves QEMU healthy.
      stop(gracefully: true)
    default:
      stop(gracefully: false)
    }
    return QEMUError(
      .qmp, binary: binary, machine: machine, detail: transport.standardErrorText, exitStatus: process.exitStatus,
      qmpError: error)
  }

  private func phase(of error: QMPError) -> String {
    switch error.command {
    case _ where client.greeting == nil: "while waiting for the QMP greeting"
    case "qmp_capabilities"?: "while negotiating QMP (qmp_capabilities)"
    case "quit"?: "while shutting down (quit)"
    case let command?: "while waiting for the reply to QMP command '\(command)'"
    case nil: "while waiting for QEMU"
    }
  }
}
