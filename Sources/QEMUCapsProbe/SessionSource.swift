import QEMUCapsJSON
import QEMUCapsQMP

/// Where the prober's QMP sessions come from: a live QEMU or a recording.
protocol SessionSource: Sendable {
  /// Run `body` with a negotiated QMP session for `machine`, QEMU in its seccomp
  /// sandbox when `sandbox` (a replay ignores it).
  ///
  /// - Throws: what `body` throws, a `QEMUError` when QEMU cannot be started,
  ///   or a ``RecordedFailure`` when replaying a machine whose probe failed.
  func withSession<Result>(machine: String, sandbox: Bool, _ body: (QMPClient) throws -> Result) throws -> Result

  /// Run `commands` on `machine` in one round trip (negotiation and `quit` included).
  ///
  /// - Throws: as ``withSession(machine:sandbox:_:)``.
  func run(machine: String, sandbox: Bool, commands: [QMPCommand]) throws -> [Result<JSON, QMPError>]
}

/// A machine type whose probe failed when it was recorded; replays give the same message.
struct RecordedFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
