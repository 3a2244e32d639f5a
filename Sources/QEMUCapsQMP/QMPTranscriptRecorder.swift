import QEMUCapsJSON

/// Records a QMP session in libvirt's `.replies` layout.
///
/// The file is a sequence of pretty-printed JSON blocks separated by one blank
/// line: each command followed by what QEMU sent until its reply (events, then
/// the reply). Unlike libvirt's files it also starts with QEMU's greeting, so a
/// replay needs nothing else.
package final class QMPTranscriptRecorder {
  private var blocks: [JSON] = []

  /// Create an empty recording.
  package init() {}

  /// Record a message from QEMU that answers no command (the greeting).
  package func record(server message: JSON) {
    blocks.append(message)
  }

  /// Record a command and the messages QEMU sent until its reply.
  package func record(client command: JSON, server messages: [JSON]) {
    blocks.append(command)
    blocks.append(contentsOf: messages)
  }

  /// Whether anything was recorded.
  package var isEmpty: Bool { blocks.isEmpty }

  /// The recording as `.replies` text.
  package var contents: String {
    blocks.map { $0.serialized(.pretty) }.joined(separator: "\n\n") + (blocks.isEmpty ? "" : "\n")
  }
}
