import QEMUCapsSystem

/// Reads an XML input file whole, refusing files larger than ``XMLTree`` accepts.
///
/// The one place capability files and domains are read from disk.
package enum XMLFile {
  /// The bytes of `path`.
  ///
  /// - Throws: ``XMLError`` naming the file: `tooLarge` or `unreadable`.
  package static func read(_ path: String) throws(XMLError) -> [UInt8] {
    do {
      return try FileContents.read(path, limit: XMLTree.maximumSize)
    } catch .tooLarge {
      throw XMLError(.tooLarge, file: path, line: nil, message: "the file is larger than \(XMLTree.maximumSize) bytes")
    } catch {
      throw XMLError(.unreadable, file: path, line: nil, message: "cannot read: \(error)")
    }
  }
}
