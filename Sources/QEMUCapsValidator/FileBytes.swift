import QEMUCapsSystem
import QEMUCapsXML

/// Reads an input file whole, refusing files larger than the XML reader accepts.
enum FileBytes {
  static func read(_ path: String) throws(XMLError) -> [UInt8] {
    do {
      return try FileContents.read(path, limit: XMLTree.maximumSize)
    } catch .tooLarge {
      throw XMLError(.tooLarge, file: path, line: nil, message: "the file is larger than \(XMLTree.maximumSize) bytes")
    } catch {
      throw XMLError(.unreadable, file: path, line: nil, message: "cannot read: \(error)")
    }
  }
}
