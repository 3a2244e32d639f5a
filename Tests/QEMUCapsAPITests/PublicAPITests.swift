import Foundation
// Imported so that both products are built before the test reads their modules.
import QEMUCaps
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// The public API is a reviewed list: `public-api.txt` next to this file holds every
/// public symbol of the package's library modules, as the compiler sees them (the
/// symbol graph of the built modules), so that every change to the API shows in review.
@Suite struct PublicAPITests {
  @Test func publicSymbolsMatchTheCheckedInList() throws {
    let symbols = try PublicSymbols.extract()
    #expect(symbols.count > 20, "too few public symbols: \(symbols.count)")
    let listing = symbols.joined(separator: "\n") + "\n"
    let url = Fixtures.directory(of: #filePath, "public-api.txt")
    if Fixtures.shouldRecord {
      Golden.check(listing, against: url)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    let added = Set(symbols).subtracting(expected).sorted()
    let removed = Set(expected).subtracting(symbols).sorted()
    #expect(
      added.isEmpty && removed.isEmpty,
      """
      the public API changed; review it, then update public-api.txt with \
      QEMU_CAPS_RECORD=1 swift test --filter PublicAPITests
      added:
        \(added.joined(separator: "\n  "))
      removed:
        \(removed.joined(separator: "\n  "))
      """)
  }

  /// The list can fail: a symbol the list lacks, or one it has that the module lacks,
  /// is reported.
  @Test func theListNamesKnownPublicTypes() throws {
    let symbols = try PublicSymbols.extract()
    #expect(symbols.contains { $0.hasPrefix("QEMUCapsModel.CapabilityDocument ") })
    #expect(!symbols.contains { $0.hasPrefix("QEMUCapsSystem.") }, "QEMUCapsSystem is internal to the package")
  }
}

/// Reads the public symbols of the built library modules with `swift-symbolgraph-extract`.
enum PublicSymbols {
  /// One line per public symbol, sorted: `Module.Type.member  declaration`.
  static func extract() throws -> [String] {
    let modules = try libraryModules()
    let build = Self.buildDirectory()
    let output = try TemporaryDirectory.create("symbols")
    defer { TemporaryDirectory.remove(output) }
    let extractor = Self.symbolGraphExtract()
    var lines: Set<String> = []
    for module in modules {
      var arguments = [
        "-module-name", module, "-I", build.appendingPathComponent("Modules").path,
        "-target", "x86_64-unknown-linux-gnu", "-minimum-access-level", "public", "-skip-synthesized-members",
        "-output-dir", output.path,
      ]
      for directory in try cModuleDirectories() { arguments += ["-I", directory] }
      for mapping in try generatedModuleMaps(in: build) {
        arguments += ["-Xcc", "-fmodule-map-file=\(mapping)"]
      }
      for flag in ["-I/usr/include/json-c", "-I/usr/include/libxml2"] { arguments += ["-Xcc", flag] }
      let result = try Command.run(extractor, arguments, timeout: .seconds(120))
      guard result.status == 0 else {
        throw CommandError("\(extractor) \(module) exited \(result.status): \(result.standardError)")
      }
      // MODULE.symbols.json, and MODULE@OTHER.symbols.json for extensions of OTHER's types.
      for file in try FileManager.default.contentsOfDirectory(atPath: output.path)
      where file == "\(module).symbols.json" || file.hasPrefix("\(module)@") {
        let name = String(file.dropLast(".symbols.json".count))
        lines.formUnion(try symbols(in: output.appendingPathComponent(file), module: name))
      }
    }
    return lines.sorted()
  }

  /// The symbols of one graph file.
  static func symbols(in file: URL, module: String) throws -> [String] {
    let data = try Data(contentsOf: file)
    guard let graph = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let symbols = graph["symbols"] as? [[String: Any]]
    else { throw CommandError("\(file.path): not a symbol graph") }
    return symbols.compactMap { symbol in
      guard let path = symbol["pathComponents"] as? [String],
        let fragments = symbol["declarationFragments"] as? [[String: Any]]
      else { return nil }
      let declaration = fragments.compactMap { $0["spelling"] as? String }.joined()
        .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
      return "\(module).\(path.joined(separator: "."))  \(declaration)"
    }
  }

  /// Every Swift library module in Sources/ (the executable `qemu-caps` and the C
  /// targets are not API).
  static func libraryModules() throws -> [String] {
    let sources = Fixtures.repositoryRoot.appendingPathComponent("Sources")
    return try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
      guard name != "qemu-caps" else { return false }
      let files =
        (try? FileManager.default.contentsOfDirectory(atPath: sources.appendingPathComponent(name).path)) ?? []
      return files.contains { $0.hasSuffix(".swift") }
    }.sorted()
  }

  /// The system-library targets: directories in Sources/ with their own module map.
  static func cModuleDirectories() throws -> [String] {
    let sources = Fixtures.repositoryRoot.appendingPathComponent("Sources")
    return try FileManager.default.contentsOfDirectory(atPath: sources.path).compactMap { name in
      let directory = sources.appendingPathComponent(name).path
      return FileManager.default.fileExists(atPath: directory + "/module.modulemap") ? directory : nil
    }
  }

  /// The module maps SwiftPM generated for the package's C targets.
  static func generatedModuleMaps(in build: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: build.path).compactMap { entry in
      guard entry.hasPrefix("C"), entry.hasSuffix(".build") else { return nil }
      let map = build.appendingPathComponent(entry).appendingPathComponent("module.modulemap").path
      return FileManager.default.fileExists(atPath: map) ? map : nil
    }
  }

  /// The build directory holding this test binary and `Modules/`.
  static func buildDirectory() -> URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
  }

  /// `swift-symbolgraph-extract` of the toolchain that runs the tests (next to `swift`).
  static func symbolGraphExtract() -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/swift-symbolgraph-extract"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return "swift-symbolgraph-extract"
  }
}
