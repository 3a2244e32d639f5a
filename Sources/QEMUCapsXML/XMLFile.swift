import QEMUCapsFiles

/// Reads an XML input file whole (`-`: standard input), refusing anything but a
/// regular file and files larger than `limit`.
///
/// The one place capability files and domains are read from disk.
package enum XMLFile {
  /// The bytes of `path`, noted in `inputs` when given (see ``InputFiles``).
  ///
  /// - Throws: ``XMLError`` naming the file: `tooLarge` or `unreadable`.
  package static func read(_ path: String, limit: Int = XMLTree.maximumSize, inputs: InputFiles? = nil)
    throws(XMLError) -> [UInt8]
  {
    let name = self.name(path)
    do {
      return try FileContents.read(path, limit: limit, inputs: inputs)
    } catch .tooLarge {
      throw XMLError(.tooLarge, file: name, line: nil, message: "the file is larger than \(limit) bytes")
    } catch {
      throw XMLError(.unreadable, file: name, line: nil, message: "cannot read: \(error)")
    }
  }

  /// How messages name `path`: `standard input` for `-`, otherwise the path.
  package static func name(_ path: String) -> String {
    path == "-" ? "standard input" : path
  }
}
