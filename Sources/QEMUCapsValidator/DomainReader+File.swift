import QEMUCapsXML

extension DomainReader {
  /// Read and parse the domain XML file at `path`, without validating it, for
  /// callers that need the domain's machine type before they pick capability data.
  ///
  /// - Throws: ``XMLError`` naming the file (and line) when it cannot be read or parsed.
  public static func read(file path: String) throws(XMLError) -> DomainConfig {
    try read(try FileBytes.read(path), file: path)
  }
}
