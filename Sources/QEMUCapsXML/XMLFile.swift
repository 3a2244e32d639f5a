import QEMUCapsSystem

/// Reads an XML input file whole (`-`: standard input), refusing anything but a
/// regular file and files larger than `limit`.
///
/// The one place capability files and domains are read from disk.
package enum XMLFile {
  /// The bytes of `path`.
  ///
  /// - Throws: ``XMLError`` naming the file: `tooLarge` or `unreadable`.
  package static func read(_ path: String, limit: Int = XMLTree.maximumSize) throws(XMLError) -> [UInt8] {
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
