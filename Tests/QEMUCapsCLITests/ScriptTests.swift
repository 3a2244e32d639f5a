import Foundation
import QEMUCapsTestSupport
import Testing

/// The scripts take relative paths from the caller's working directory.
@Suite("scripts resolve relative paths from the caller's directory")
struct ScriptTests {
  @Test("scripts/probe --output rel.xml writes into the caller's directory, not the repository")
  func probeOutput() throws {
    let root = Fixtures.repositoryRoot.path
    let workDirectory = try TemporaryDirectory.create("script")
    defer { TemporaryDirectory.remove(workDirectory) }
    let work = workDirectory.path
    try FileManager.default.createSymbolicLink(atPath: "\(work)/data", withDestinationPath: "\(root)/capabilities-data")
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
