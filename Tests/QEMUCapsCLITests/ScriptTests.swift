import Foundation
import QEMUCapsTestSupport
import Testing

/// The scripts take relative paths from the caller's working directory.
@Suite("scripts resolve relative paths from the caller's directory")
struct ScriptTests {
  @Test("scripts/probe --output rel.xml writes into the caller's directory, not the repository")
  func probeOutput() throws {
    let root = Fixtures.repositoryRoot.path
    try TemporaryDirectory.with("script") { workDirectory in
      let work = workDirectory.path
      try FileManager.default.createSymbolicLink(
        atPath: "\(work)/data", withDestinationPath: "\(root)/capabilities-data")
      let name = "qemu-caps-rel-\(UUID()).xml"
      // QEMU_CAPS_TOOL runs the debug build instead of building a release one.
      var environment = ProcessInfo.processInfo.environment
      environment["QEMU_CAPS_TOOL"] = Command.qemuCapsExecutable
      let result = try Command.run(
        "/bin/sh",
        [
          "-c", "cd \"$1\" && exec \"$2\"/scripts/probe --replay data/qemu-7.2.22.transcripts --output \"$3\"",
          "sh", work, root, name,
        ], environment: environment)
      #expect(result.status == 0, "\(result.standardError)")
      #expect(!FileManager.default.fileExists(atPath: "\(root)/\(name)"), "written into the repository")
      try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
      let written = try String(contentsOfFile: "\(work)/\(name)", encoding: .utf8)
      #expect(written == (try String(contentsOfFile: "\(root)/capabilities-data/qemu-7.2.22.xml", encoding: .utf8)))
    }
  }

  @Test("scripts/probe --format json writes qemu-capabilities.json and counts its machine types; --help writes nothing")
  func probeFormatAndHelp() throws {
    let root = Fixtures.repositoryRoot.path
    try TemporaryDirectory.with("script") { workDirectory in
      let work = workDirectory.path
      var environment = ProcessInfo.processInfo.environment
      environment["QEMU_CAPS_TOOL"] = Command.qemuCapsExecutable
      func probe(_ arguments: String) throws -> Command.Result {
        try Command.run(
          "/bin/sh", ["-c", "cd \"$1\" && exec \"$2\"/scripts/probe \(arguments)", "sh", work, root],
          environment: environment)
      }
      let replay = "--replay \(root)/capabilities-data/qemu-7.2.22.transcripts"
      // Before: JSON was written into qemu-capabilities.xml, announced as "(0 machine types)".
      let json = try probe("\(replay) --format json")
      #expect(json.status == 0, "\(json.standardError)")
      #expect(!FileManager.default.fileExists(atPath: "\(work)/qemu-capabilities.xml"))
      let written = try String(contentsOfFile: "\(work)/qemu-capabilities.json", encoding: .utf8)
      #expect(try JSONSchema.violations(of: written, schema: "probe") == [])
      #expect(
        json.standardError.hasSuffix("probe: wrote qemu-capabilities.json (59 machine types)\n"),
        "\(json.standardError)")
      let xml = try probe("\(replay) --format=xml")
      #expect(
        xml.standardError.hasSuffix("probe: wrote qemu-capabilities.xml (59 machine types)\n"), "\(xml.standardError)")
      try FileManager.default.removeItem(atPath: "\(work)/qemu-capabilities.xml")
      // Before: "probe: wrote qemu-capabilities.xml" after the help, and grep's error.
      for arguments in ["--help", "-h", "--version"] {
        let help = try probe(arguments)
        #expect(help.status == 0, "\(arguments): \(help.standardError)")
        #expect(!help.standardOutput.isEmpty, "\(arguments)")
        #expect(!help.standardError.contains("wrote"), "\(arguments): \(help.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "\(work)/qemu-capabilities.xml"), "\(arguments)")
      }
      // A probe that fails says so and writes nothing.
      let failed = try probe("--qemu /nonexistent/qemu")
      #expect(failed.status == 2)
      #expect(!failed.standardError.contains("wrote"), "\(failed.standardError)")
    }
  }
}
