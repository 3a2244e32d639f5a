import QEMUCapsSystem

/// Reads recordings and manifests for replay.
enum FileText {
  /// The largest file read, against runaway inputs.
  static let maximumSize = 64 << 20

  static func read(_ path: String) throws(ProbeError) -> String {
    do {
      return String(decoding: try FileContents.read(path, limit: maximumSize), as: UTF8.self)
    } catch {
      throw ProbeError(.unreadableInput, "cannot read \(path): \(error)")
    }
  }
}
