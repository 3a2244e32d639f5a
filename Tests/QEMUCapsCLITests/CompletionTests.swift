import Foundation
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
  static func bashCompletions(_ words: [String], in directory: String) throws -> [String] {
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
      let result = try Command.run("/bin/bash", ["-c", driver, "bash", directory, script.path] + words)
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
  static func completions(_ shell: String, _ line: String) throws -> [String] {
    let binary = "/usr/bin/\(shell)"
    try (shell == "zsh" ? Requirement.zsh : Requirement.fish).require(
      FileManager.default.isExecutableFile(atPath: binary))
    return try TemporaryDirectory.with("completion") { directory in
      let file = directory.appendingPathComponent(shell == "zsh" ? "_qemu-caps" : "qemu-caps.fish")
      try Self.script(shell).write(to: file, atomically: true, encoding: .utf8)
      let driver = Fixtures.repositoryRoot.appendingPathComponent("Tests/QEMUCapsCLITests/Fixtures/shell-complete.py")
      let result = try Command.run(
        "/usr/bin/python3", [driver.path, shell, file.path, Fixtures.repositoryRoot.path, line], timeout: .seconds(60))
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
}
