import QEMUCapsXML

extension DomainReader {
  /// Read and parse the domain XML file at `path` (`-`: standard input), without
  /// validating it, for callers that need the domain's machine type before they pick
  /// capability data. The same size limit applies as in ``Validator/validate(domainFile:)``.
  ///
  /// - Throws: ``XMLError`` naming the file (and line) when it cannot be read or parsed.
  public static func read(file path: String) throws(XMLError) -> DomainConfig {
    try read(try XMLFile.read(path, limit: maximumSize), file: path == "-" ? "standard input" : path)
  }
}
