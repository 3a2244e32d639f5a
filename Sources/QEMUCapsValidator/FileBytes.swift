import QEMUCapsSystem
import QEMUCapsXML

/// Reads an input file whole (`-`: standard input), refusing anything but a regular
/// file and files larger than `limit`.
enum FileBytes {
  static func read(_ path: String, limit: Int = XMLTree.maximumSize) throws(XMLError) -> [UInt8] {
    let name = path == "-" ? "standard input" : path
    do {
      return try FileContents.read(path, limit: limit)
    } catch .tooLarge {
      throw XMLError(.tooLarge, file: name, line: nil, message: "the file is larger than \(limit) bytes")
    } catch {
      throw XMLError(.unreadable, file: name, line: nil, message: "cannot read: \(error)")
    }
  }
}
