import QEMUCapsJSON

/// Serves a recorded session back to a ``QMPClient``, without QEMU.
///
/// Each command the client sends must equal the next recorded command (ids
/// included, which a client numbers the same way every run); the messages
/// recorded after it are then served in order. The end of the recording is
/// the end of the stream.
package final class QMPReplayTransport: QMPTransport {
  private let transcript: QMPTranscript
  private var position = 0
  private var outgoing: [JSON] = []
  private var outgoingIndex = 0

  /// Replay `transcript`.
  package init(transcript: QMPTranscript) {
    self.transcript = transcript
    queueServerMessages()
  }

  /// Whether every recorded block has been consumed.
  package var isFinished: Bool { position == transcript.blocks.count && outgoingIndex == outgoing.count }

  /// Check `message` against the next one the recording expects.
  ///
  /// - Throws: ``QMPError`` with code `transcript` when it is not JSON, differs, or
  ///   comes after the end of the recording.
  package func send(_ message: String) throws(QMPError) {
    for line in message.split(whereSeparator: \.isNewline) {
      let sent: JSON
      do {
        sent = try JSON.parse(String(line))
      } catch {
        throw QMPError(.transcript, detail: "\(transcript.name): the client sent invalid JSON: \(error)")
      }
      guard position < transcript.blocks.count else {
        throw QMPError(
          .transcript,
          detail: "\(transcript.name): the client sent \(sent.serialized()) after the end of the recording")
      }
      let expected = transcript.blocks[position]
      guard expected.isCommand, expected.message == sent else {
        throw QMPError(
          .transcript,
          detail:
            "\(transcript.name):\(expected.line): the client sent \(sent.serialized()) but the recording has \(expected.message.serialized())"
        )
      }
      position += 1
      queueServerMessages()
    }
  }

  /// The next line QEMU sent in the recording, or `nil` at its end.
  ///
  /// - Throws: ``QMPError`` with code `timeout` when the recording waits for a
  ///   command the client has not sent.
  package func receiveLine(before deadline: ContinuousClock.Instant) throws(QMPError) -> [UInt8]? {
    if outgoingIndex < outgoing.count {
      defer { outgoingIndex += 1 }
      return Array(outgoing[outgoingIndex].serialized().utf8)
    }
    if position == transcript.blocks.count { return nil }
    // The recording expects another command first: a real QEMU would stay silent.
    throw QMPError(
      .timeout,
      detail: "\(transcript.name):\(transcript.blocks[position].line): the recording waits for a command")
  }

  private func queueServerMessages() {
    while position < transcript.blocks.count, !transcript.blocks[position].isCommand {
      outgoing.append(transcript.blocks[position].message)
      position += 1
    }
  }
}
