import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// The shell completions complete files for path options and offer the values of
/// enumerated ones: bash is run for real; zsh and fish scripts are read.
@Suite("shell completions")
struct CompletionTests {
  static func script(_ shell: String) throws -> String {
    let result = try Command.qemuCaps(["--generate-completion-script", shell]).expect(status: 0)
    return result.standardOutput
  }

  /// What bash completes for `words` (the last one is being typed), run from `directory`.
  static func bashCompletions(
    _ words: [String], in directory: String, environment: [String: String]? = nil
  ) throws -> [String] {
    return try TemporaryDirectory.with("completion") { scriptDirectory in
      let script = scriptDirectory.appendingPathComponent("qemu-caps.bash")
      try Self.script("bash").write(to: script, atomically: true, encoding: .utf8)
      let driver = """
        cd "$1" && source "$2" && shift 2
        COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        _qemu-caps qemu-caps "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
      let result = try Command.run(
        "/bin/bash", ["-c", driver, "bash", directory, script.path] + words, environment: environment)
      #expect(result.status == 0, "\(result.standardError)")
      return result.standardOutput.split(separator: "\n").map(String.init)
    }
  }

  @Test("bash: files for --caps, --qemu, --output and the domain; value lists for --option, --format, --log-level")
  func bash() throws {
    let root = Fixtures.repositoryRoot.path
    let files = ["capabilities-data/qemu-7.2.22.transcripts", "capabilities-data/qemu-7.2.22.xml"]
    for words in [
      ["qemu-caps", "validate", "x.xml", "--caps", "capabilities-data/qemu-7.2"],
      ["qemu-caps", "lookup", "--caps", "capabilities-data/qemu-7.2"],
      ["qemu-caps", "list", "--qemu", "capabilities-data/qemu-7.2"],
      ["qemu-caps", "probe", "--output", "capabilities-data/qemu-7.2"],
      ["qemu-caps", "convert", "x.xml", "--caps", "capabilities-data/qemu-7.2"],
    ] {
      #expect(try Self.bashCompletions(words, in: root) == files, "\(words)")
    }
    let domains = try Self.bashCompletions(
      ["qemu-caps", "validate", "Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/q35-6.0-"], in: root)
    #expect(domains.count == 2 && domains.allSatisfy { $0.hasSuffix(".xml") }, "\(domains)")
    #expect(
      try Self.bashCompletions(["qemu-caps", "lookup", "--option", ""], in: root) == [
        "acpi-hotplug-bridge", "acpi-root-hotplug", "acpi-pci-hotplug-with-bridge-support", "acpi-bridge-hotplug",
        "acpi-root-pci-hotplug", "piix4.acpi-root-pci-hotplug",
      ])
    #expect(try Self.bashCompletions(["qemu-caps", "probe", "--format", ""], in: root) == ["xml", "json"])
    #expect(try Self.bashCompletions(["qemu-caps", "report", "--format", ""], in: root) == ["markdown", "html"])
    #expect(try Self.bashCompletions(["qemu-caps", "diff", "--log-level", "e"], in: root) == ["error"])
    #expect(try Self.bashCompletions(["qemu-caps", "lookup", "--qu"], in: root) == ["--quiet"])
  }

  @Test("zsh and fish: the same file completions and value lists")
  func zshAndFish() throws {
    let zsh = try Self.script("zsh")
    for option in ["--caps", "--qemu", "--output"] {
      #expect(zsh.contains(try Regex("'\(option)\\[[^\\n]*\\]:[a-z]+:_files'")), "zsh \(option)")
    }
    #expect(zsh.contains("local -ar ___format=('xml' 'json')"))
    #expect(zsh.contains(":format:{__qemu-caps_complete \"${___format[@]}\"}'"))
    #expect(zsh.contains(":name:{__qemu-caps_complete \"${___option[@]}\"}'"))
    #expect(zsh.contains("___option=('acpi-hotplug-bridge' 'acpi-root-hotplug' 'acpi-pci-hotplug-with-bridge-support'"))
    let fish = try Self.script("fish")
    for option in ["caps", "qemu", "output"] {
      #expect(fish.contains(try Regex("-l '\(option)' -d '[^\\n]*' -rF\\n")), "fish \(option)")
    }
    #expect(fish.contains("-l 'format' -d 'Output format: xml (the capability file) or json.' -rfka 'xml json'"))
    #expect(fish.contains("-rfka 'acpi-hotplug-bridge acpi-root-hotplug acpi-pci-hotplug-with-bridge-support"))
  }

  /// What a real `shell` (zsh or fish, without the user's configuration, with only our
  /// completion file) offers for `line` typed in the repository and Tab pressed
  /// (Fixtures/shell-complete.py drives it).
  static func completions(_ shell: String, _ line: String, environment: [String: String]? = nil) throws -> [String] {
    let binary = "/usr/bin/\(shell)"
    try (shell == "zsh" ? Requirement.zsh : Requirement.fish).require(
      FileManager.default.isExecutableFile(atPath: binary))
    return try TemporaryDirectory.with("completion") { directory in
      let file = directory.appendingPathComponent(shell == "zsh" ? "_qemu-caps" : "qemu-caps.fish")
      try Self.script(shell).write(to: file, atomically: true, encoding: .utf8)
      let driver = Fixtures.repositoryRoot.appendingPathComponent("Tests/QEMUCapsCLITests/Fixtures/shell-complete.py")
      let result = try Command.run(
        "/usr/bin/python3", [driver.path, shell, file.path, Fixtures.repositoryRoot.path, line],
        environment: environment, timeout: .seconds(60))
      #expect(result.status == 0, "\(shell) '\(line)': \(result.standardError)")
      return result.standardOutput.split(separator: "\n").map(String.init)
    }
  }

  @Test(
    "zsh and fish, run for real, load the files and complete subcommands, files and value lists",
    arguments: ["zsh", "fish"])
  func realShells(shell: String) throws {
    // fish offers the whole path of a file, zsh the part after the last slash.
    func files(_ directory: String, _ names: [String]) -> [String] {
      shell == "fish" ? names.map { directory + $0 + ($0.hasSuffix(".xml") ? "" : "/") } : names
    }
    #expect(
      try Self.completions(shell, "qemu-caps ").sorted() == [
        "convert", "diff", "help", "list", "lookup", "probe", "qmp", "report", "validate",
      ])
    #expect(
      try Self.completions(shell, "qemu-caps lookup --option ") == [
        "acpi-hotplug-bridge", "acpi-root-hotplug", "acpi-pci-hotplug-with-bridge-support", "acpi-bridge-hotplug",
        "acpi-root-pci-hotplug", "piix4.acpi-root-pci-hotplug",
      ])
    #expect(try Self.completions(shell, "qemu-caps probe --format ") == ["xml", "json"])
    #expect(
      try Self.completions(shell, "qemu-caps diff --log-level ") == [
        "trace", "debug", "info", "notice", "warning", "error", "critical",
      ])
    for line in [
      "qemu-caps validate x.xml --caps capabilities-data/qemu-7.2",
      "qemu-caps lookup --qemu capabilities-data/qemu-7.2",
      "qemu-caps probe --output capabilities-data/qemu-7.2",
    ] {
      #expect(
        try Self.completions(shell, line)
          == files("capabilities-data/", ["qemu-7.2.22.transcripts", "qemu-7.2.22.xml"]), "\(line)")
    }
    let corpus = "Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/"
    #expect(
      try Self.completions(shell, "qemu-caps validate \(corpus)q35-6.0-")
        == files(corpus, ["q35-6.0-bridge-off-default.xml", "q35-6.0-bridge-on.xml"]))
  }

  // MARK: - --machine and --qemu-version

  // fish 3.6 runs a custom completion only from its line editor: under `complete -C`
  // (the fish driver) `commandline -C` fails, so fish is checked to ask qemu-caps the
  // same question that bash and zsh are seen to get answered.
  @Test("fish asks qemu-caps for --machine and --qemu-version, as bash and zsh do")
  func fishAsks() throws {
    let fish = try Self.script("fish")
    for (command, option) in [
      ("lookup", "machine"), ("qmp", "machine"), ("lookup", "qemu-version"), ("validate", "qemu-version"),
    ] {
      #expect(
        fish.contains("-rfka '(__qemu-caps_custom_completion ---completion \(command) -- --\(option) "),
        "fish: --\(option) of \(command)")
    }
  }

  /// The environment the completion scripts call `qemu-caps` in: the built one first on
  /// `PATH` (they run it by name), then `directories`.
  static func environment(path directories: [String] = [], cache: String? = nil) -> [String: String] {
    let built = URL(fileURLWithPath: Command.qemuCapsExecutable).deletingLastPathComponent().path
    var environment = [
      "PATH": ([built] + directories + ["/usr/bin", "/bin"]).joined(separator: ":"), "HOME": "/nonexistent",
    ]
    environment["XDG_CACHE_HOME"] = cache
    return environment
  }

  /// The machine types and aliases of a capability file, read through the library.
  static func machineNames(_ file: String) throws -> [String] {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
    let document = try CapabilityXMLReader.read(bytes, file: file)
    return document.machines.flatMap { [$0.name] + ($0.alias.map { [$0] } ?? []) }
  }

  /// The versions of the committed snapshots, from their file names (qemu-7.2.22.xml).
  static func snapshotVersions() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: Fixtures.capabilitiesData())
      .compactMap { $0.wholeMatch(of: /qemu-([0-9.]+)\.xml/).map { String($0.output.1) } }
  }

  @Test(
    "--machine completes the machine types of the --caps build on the line; --qemu-version the directory's versions",
    arguments: ["bash", "zsh"])
  func machineAndVersion(shell: String) throws {
    func complete(_ line: String) throws -> [String] {
      let environment = Self.environment()
      if shell == "bash" {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        return try Self.bashCompletions(words, in: Fixtures.repositoryRoot.path, environment: environment)
      }
      return try Self.completions(shell, line, environment: environment)
    }
    let expected = try Self.machineNames("capabilities-data/qemu-7.2.22.xml".inRepository)
    let q35 = expected.filter { $0.hasPrefix("pc-q35-") }
    #expect(q35.count > 10 && expected.contains("q35"), "\(expected)")
    #expect(
      try Set(complete("qemu-caps lookup --caps capabilities-data/qemu-7.2.22.xml --machine pc-q35-")) == Set(q35))
    #expect(
      try Set(complete("qemu-caps lookup --caps capabilities-data --qemu-version 7.2 --machine pc-q35-")) == Set(q35))
    // zsh puts a single candidate on the line without listing it, so bash alone here.
    if shell == "bash" {
      #expect(try complete("qemu-caps lookup --caps capabilities-data --qemu-version 7.2 --machine q3") == ["q35"])
    }
    // Before: nothing for --qemu-version.
    let versions = try Self.snapshotVersions()
    #expect(versions.count >= 4, "\(versions)")
    #expect(try Set(complete("qemu-caps validate x.xml --caps capabilities-data --qemu-version ")) == Set(versions))
    // A --caps that cannot be read completes nothing, and says nothing.
    #expect(try complete("qemu-caps lookup --caps /no/such/directory --machine pc-") == [])
  }

  @Test(
    "without --caps, --machine completes from the probe cache entry of --qemu or the QEMU on PATH, never starting it")
  func machineFromCache() throws {
    try TemporaryDirectory.with("completion-cache") { directory in
      let log = directory.appendingPathComponent("starts").path
      let fake = try FakeQEMU.faulty(.none, startLog: log)
      defer { FakeQEMU.remove(fake) }
      let cache = directory.appendingPathComponent("cache").path
      let root = Fixtures.repositoryRoot.path
      let onPath = Self.environment(path: [URL(fileURLWithPath: fake).deletingLastPathComponent().path], cache: cache)
      // An empty cache: nothing, and QEMU is not started to find out.
      #expect(
        try Self.bashCompletions(
          ["qemu-caps", "lookup", "--qemu", fake, "--machine", ""], in: root, environment: onPath) == [])
      #expect(FakeQEMU.starts(log) == 0)
      try Command.run(
        Command.qemuCapsExecutable, ["lookup", "--qemu", fake, "--machine", "q35"],
        environment: ["XDG_CACHE_HOME": cache]
      ).expect(status: 0)
      let starts = FakeQEMU.starts(log)
      #expect(starts > 0)
      // The entry holds pc-q35-7.2 (alias q35), the one machine type probed.
      #expect(
        try Self.bashCompletions(
          ["qemu-caps", "lookup", "--qemu", fake, "--machine", ""], in: root, environment: onPath) == [
            "pc-q35-7.2", "q35",
          ])
      // No --qemu: qemu-system-x86_64 on PATH, which is the fake.
      #expect(
        try Self.bashCompletions(["qemu-caps", "lookup", "--machine", "pc-"], in: root, environment: onPath) == [
          "pc-q35-7.2"
        ])
      #expect(FakeQEMU.starts(log) == starts, "completion started QEMU")
    }
  }
}

extension String {
  /// This path, relative to the repository, made absolute.
  fileprivate var inRepository: String { Fixtures.repositoryRoot.appendingPathComponent(self).path }
}
