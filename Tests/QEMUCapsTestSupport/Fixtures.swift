import Foundation

/// Locates fixture and golden files kept next to the tests.
public enum Fixtures {
  /// The directory holding `file` (pass `#filePath`), plus `components`.
  public static func directory(of file: String = #filePath, _ components: String...) -> URL {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    for component in components { url.appendPathComponent(component) }
    return url
  }

  /// The repository root (the directory holding Package.swift).
  public static var repositoryRoot: URL {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
      url.deleteLastPathComponent()
    }
    return url
  }

  /// The committed capability snapshots, capabilities-data/, or the file `name` in it: a path.
  public static func capabilitiesData(_ name: String? = nil) -> String {
    let directory = repositoryRoot.appendingPathComponent("capabilities-data")
    return (name.map { directory.appendingPathComponent($0) } ?? directory).path
  }

  /// The validator's corpus of domains for QEMU 7.2 (Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22).
  public static var domainCorpus: URL {
    repositoryRoot.appendingPathComponent("Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22")
  }

  /// The domain `name` (NAME.xml) of ``domainCorpus``: a path.
  public static func domain(_ name: String) -> String {
    domainCorpus.appendingPathComponent("\(name).xml").path
  }

  /// Whether golden files and recordings should be rewritten (`QEMU_CAPS_RECORD=1`).
  public static var shouldRecord: Bool {
    ProcessInfo.processInfo.environment["QEMU_CAPS_RECORD"] == "1"
  }
}
