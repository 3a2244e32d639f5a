import QEMUCapsJSON

/// A parsed `.replies` recording: JSON blocks in order, each with its first line number.
package struct QMPTranscript: Sendable {
  /// One block of the recording.
  package struct Block: Sendable, Hashable {
    /// The message.
    package var message: JSON
    /// The 1-based line where the block starts in the file.
    package var line: Int
    /// Whether the client sent it (a command) rather than QEMU.
    package var isCommand: Bool { message["execute"] != nil || message["exec-oob"] != nil }
  }

  /// The blocks in file order.
  package var blocks: [Block]
  /// The file name used in error messages.
  package var name: String

  /// Parse `.replies` text: JSON blocks separated by blank lines.
  ///
  /// - Throws: ``QMPError`` with code `transcript`, naming `name` and the line of the bad block.
  package init(contents: String, name: String) throws(QMPError) {
    self.name = name
    var blocks: [Block] = []
    var current: [Substring] = []
    var start = 0
    func flush() throws(QMPError) {
      defer { current.removeAll() }
      guard !current.isEmpty else { return }
      let text = current.joined(separator: "\n")
      do {
        blocks.append(Block(message: try JSON.parse(text), line: start))
      } catch {
        throw QMPError(.transcript, detail: "\(name):\(start): \(error.description)")
      }
    }
    for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
        try flush()
      } else {
        if current.isEmpty { start = index + 1 }
        current.append(line)
      }
    }
    try flush()
    self.blocks = blocks
  }
}
