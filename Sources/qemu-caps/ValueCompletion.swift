import ArgumentParser
import Logging
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsSystem

/// Shell completion of the values people type most, `--machine` and `--qemu-version`,
/// from what the command line already names (docs/cli.md, "Shell completion").
///
/// The shell runs `qemu-caps ---completion …` on every Tab, so this reads files only:
/// the `--caps` file or directory on the line, else the probe cache entry of the
/// `--qemu` binary on the line or of `qemu-system-x86_64` on `PATH`. It never starts
/// QEMU, and any failure completes nothing rather than print an error into the shell.
enum ValueCompletion {
  /// `--machine`: the machine types and aliases of the build the line names.
  static let machine = CompletionKind.custom { words, _, _ in machines(words: words) }

  /// `--qemu-version`: the QEMU versions in the `--caps` directory on the line.
  static let qemuVersion = CompletionKind.custom { words, _, _ in versions(words: words) }

  /// The machine types and aliases, each once, in the order of the capability data.
  static func machines(words: [String]) -> [String] {
    let documents: [CapabilityDocument]
    if let caps = value(of: "--caps", in: words) {
      guard let index = try? CapabilityIndex(path: caps) else { return [] }
      if let version = value(of: "--qemu-version", in: words) {
        guard let build = try? index.build(version: version) else { return [] }
        documents = [build.document]
      } else {
        documents = index.builds.map(\.document)
      }
    } else {
      let name = value(of: "--qemu", in: words) ?? "qemu-system-x86_64"
      guard let binary = try? QEMULauncher.resolve(name, environment: Syscalls.environment) else { return [] }
      // Shell completion must print nothing but candidates: a cache warning stays unsaid.
      let cache = ProbeCache(
        directory: ProbeCache.defaultDirectory(environment: Syscalls.environment),
        logger: Logger(label: "qemu-caps") { _ in SwiftLogNoOpLogHandler() })
      guard let document = cache.cachedDocument(binary: binary) else { return [] }
      documents = [document]
    }
    var seen: Set<String> = []
    return documents.flatMap { document in
      document.machines.flatMap { machine in [machine.name] + (machine.alias.map { [$0] } ?? []) }
    }.filter { seen.insert($0).inserted }
  }

  /// The versions of the builds in the `--caps` file or directory on the line, newest first.
  static func versions(words: [String]) -> [String] {
    guard let caps = value(of: "--caps", in: words), let index = try? CapabilityIndex(path: caps) else { return [] }
    var seen: Set<String> = []
    return index.builds.map(\.document.qemu.version).sorted { $0 > $1 }.map(\.description)
      .filter { seen.insert($0).inserted }
  }

  /// The value of the last `option VALUE` or `option=VALUE` among `words`, as the shell
  /// would pass it: quotes around it removed, a leading `~/` made the home directory.
  static func value(of option: String, in words: [String]) -> String? {
    var found: String?
    for (index, word) in words.enumerated() {
      if word == option, index + 1 < words.count {
        found = words[index + 1]
      } else if word.hasPrefix(option + "=") {
        found = String(word.dropFirst(option.count + 1))
      }
    }
    guard var value = found else { return nil }
    if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
      value = String(value.dropFirst().dropLast())
    }
    if value.hasPrefix("~/"), let home = Syscalls.environmentVariable("HOME") {
      value = home + value.dropFirst()
    }
    return value.isEmpty ? nil : value
  }
}
