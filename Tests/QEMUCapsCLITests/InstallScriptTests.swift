import Foundation
import QEMUCapsTestSupport
import Testing

/// scripts/install without its release builds: a fake `swift` first on `PATH` logs its
/// calls and makes the build products (a wrapper around a copy of the debug qemu-caps and
/// one man page) in `QEMU_CAPS_INSTALL_SCRATCH`. The real builds are `InstallTests`' (opt-in).
@Suite("scripts/install checks its prefix first and installs into an existing one", .serialized)
struct InstallScriptTests {
  static let root = Fixtures.repositoryRoot.path

  /// A fake `swift`: `build` and `package` make what the script reads, from `--scratch-path`.
  static let fakeSwift = """
    #!/bin/sh
    echo "fake swift called: $1" >&2
    scratch=
    while [ $# -gt 0 ]; do
      case "$1" in --scratch-path) scratch=$2; shift ;; esac
      shift
    done
    [ -n "$scratch" ] || exit 1
    mkdir -p "$scratch/release" "$scratch/plugins/GenerateManual/outputs/qemu-caps"
    # The wrapper runs a copy of the debug qemu-caps beside itself, so that the installed
    # tool finds the installed snapshots from its own path (/proc/self/exe).
    printf '#!/bin/sh\\nd=$(dirname "$0")\\n[ -x "$d/.qemu-caps" ] || cp "%s" "$d/.qemu-caps"\\nexec "$d/.qemu-caps" "$@"\\n' \\
      "$QC" >"$scratch/release/qemu-caps"
    chmod 0755 "$scratch/release/qemu-caps"
    printf '.Dd 2026\\n.Dt QEMU-CAPS 1\\n.Os\\n.Sh NAME\\n.Nm qemu-caps\\n.Nd fake\\n' \\
      >"$scratch/plugins/GenerateManual/outputs/qemu-caps/qemu-caps.1"
    """

  /// Run scripts/install with `arguments` (as `user` when given), the fake `swift` first on `PATH`.
  static func install(_ arguments: String, in directory: String, user: String? = nil) throws -> Unattended.Outcome {
    let bin = "\(directory)/fakebin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try FakeQEMU.writeExecutable(fakeSwift, to: "\(bin)/swift")
    let run = user.map { "setpriv --reuid \($0) --regid \($0) --clear-groups " } ?? ""
    return try Unattended.run(
      "\(run)\"$REPO/scripts/install\" \(arguments); echo \"status $?\"", in: directory,
      environment: [
        "PATH": "\(bin):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")",
        "QEMU_CAPS_INSTALL_SCRATCH": "\(directory)/scratch",
      ], limit: 300)
  }

  @Test("a prefix inside a file: one message, before any build")
  func prefixInsideAFile() throws {
    try Unattended.withDirectory { directory in
      try "".write(toFile: "\(directory)/file", atomically: true, encoding: .utf8)
      let outcome = try Self.install("--prefix \(directory)/file/prefix", in: directory)
      #expect(outcome.output == "status 1\n", "\(outcome.output)")
      #expect(
        outcome.error
          == "install: cannot install into \(directory)/file/prefix: \(directory)/file is not a directory\n",
        "\(outcome.error)")
    }
  }

  @Test(
    "a prefix the user may not write: one message, before any build",
    .enabled(if: getuid() == 0, "switching to user nobody needs root"))
  func unwritablePrefix() throws {
    try Unattended.withDirectory { directory in
      // nobody may enter the test's directory and run the fake, not write the prefix's parent.
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
      try FileManager.default.createDirectory(atPath: "\(directory)/root-owned", withIntermediateDirectories: false)
      let outcome = try Self.install("--prefix \(directory)/root-owned/prefix", in: directory, user: "65534")
      #expect(outcome.output == "status 1\n", "\(outcome.output)")
      let lines = outcome.error.split(separator: "\n")
      #expect(lines.count == 1, "\(outcome.error)")
      #expect(
        outcome.error.contains(
          "cannot install into \(directory)/root-owned/prefix: \(directory)/root-owned is not writable"),
        "\(outcome.error)")
      #expect(!outcome.error.contains("fake swift called"), "it built first: \(outcome.error)")
    }
  }

  @Test("into a prefix whose docs/schemas is already a directory: a link to the schemas, no schemas/schemas")
  func existingSchemasDirectory() throws {
    try Unattended.withDirectory { directory in
      let prefix = "\(directory)/prefix"
      let docs = "\(prefix)/share/doc/qemu-caps/docs"
      try FileManager.default.createDirectory(atPath: "\(docs)/schemas", withIntermediateDirectories: true)
      try "old".write(toFile: "\(docs)/schemas/old.json", atomically: true, encoding: .utf8)
      for _ in 0..<2 {
        let outcome = try Self.install("--prefix \(prefix)", in: directory)
        #expect(outcome.output == "status 0\n", "\(outcome.output)\(outcome.error)")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "\(docs)/schemas")
        #expect(link == "../../../qemu-caps/schemas")
        #expect(!FileManager.default.fileExists(atPath: "\(prefix)/share/qemu-caps/schemas/schemas"))
        #expect(FileManager.default.fileExists(atPath: "\(docs)/schemas/lookup.schema.json"))
      }
    }
  }

  @Test("installs the snapshots where the tool finds them, and fails when another user could change them")
  func snapshots() throws {
    try Unattended.withDirectory { directory in
      let prefix = "\(directory)/prefix"
      // A share/ group members may write: the installed tool would refuse the snapshots under it.
      try FileManager.default.createDirectory(atPath: "\(prefix)/share", withIntermediateDirectories: true)
      try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: "\(prefix)/share")
      let refused = try Self.install("--prefix \(prefix)", in: directory)
      #expect(refused.output == "status 1\n", "\(refused.output)\(refused.error)")
      #expect(
        refused.error.contains("group or others may write to \(prefix)/share (mode 775)"), "\(refused.error)")
      #expect(
        refused.error.contains(
          "install: the installed qemu-caps cannot read its snapshots in \(prefix)/share/qemu-caps/capabilities-data"),
        "\(refused.error)")

      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(prefix)/share")
      let installed = try Self.install("--prefix \(prefix)", in: directory)
      #expect(installed.output == "status 0\n", "\(installed.output)\(installed.error)")
      let data = "\(Self.root)/capabilities-data"
      for name in try FileManager.default.contentsOfDirectory(atPath: data) where !name.hasSuffix(".transcripts") {
        #expect(
          FileManager.default.contentsEqual(
            atPath: "\(prefix)/share/qemu-caps/capabilities-data/\(name)", andPath: "\(data)/\(name)"), "\(name)")
      }
      #expect(FileManager.default.fileExists(atPath: "\(prefix)/share/doc/qemu-caps/capabilities-data/README.md"))
      #expect(
        FileManager.default.fileExists(
          atPath: "\(prefix)/share/qemu-caps/capabilities-data/qemu-7.2.22.transcripts/probe.json"))
    }
  }
}
