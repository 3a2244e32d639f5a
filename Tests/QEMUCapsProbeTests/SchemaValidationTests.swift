import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// Every capability file qemu-caps writes validates against docs/capabilities.rng (xmllint).
@Suite("Capability files against the RELAX NG schema", .liveQEMU)
struct SchemaValidationTests {
  static let schema = Fixtures.repositoryRoot.appendingPathComponent("docs/capabilities.rng").path

  static func xmllint(_ files: [String]) throws -> Command.Result {
    try Requirement.xmllint.require(FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint"))
    return try Command.run("/usr/bin/xmllint", ["--noout", "--relaxng", schema] + files)
  }

  @Test("a fresh probe, the committed snapshots and the hand-built document all validate")
  func validates() throws {
    try TemporaryDirectory.with("probe") { directory in
      var document = try ProbeTestSupport.probe(try ProbeTestSupport.systemQEMU())
      let probed = directory.appendingPathComponent("probed.xml").path
      try CapabilityXMLWriter.xml(document).write(toFile: probed, atomically: true, encoding: .utf8)
      document.generatedAt = "2026-11-22T00:00:00Z"
      document.machineSelection = ["pc-*"]
      let stamped = directory.appendingPathComponent("stamped.xml").path
      try CapabilityXMLWriter.xml(document).write(toFile: stamped, atomically: true, encoding: .utf8)
      let handBuilt = directory.appendingPathComponent("hand-built.xml").path
      try CapabilityXMLWriter.xml(SampleCapabilities.document).write(
        toFile: handBuilt, atomically: true, encoding: .utf8)
      let snapshots = CapabilitySnapshotTests.snapshots.map {
        CapabilitySnapshotTests.directory.appendingPathComponent("\($0).xml").path
      }
      let result = try Self.xmllint([probed, stamped, handBuilt] + snapshots)
      #expect(result.status == 0, "\(result.standardError)")
    }
  }

  @Test("the schema rejects a file that breaks the format")
  func rejects() throws {
    try TemporaryDirectory.with("probe") { directory in
      let broken = CapabilityXMLWriter.xml(SampleCapabilities.document)
        .replacingOccurrences(of: " default=\"off\"", with: "")
      let path = directory.appendingPathComponent("broken.xml").path
      try broken.write(toFile: path, atomically: true, encoding: .utf8)
      let result = try Self.xmllint([path])
      #expect(result.status != 0)
      #expect(result.standardError.contains("fails to validate"))
    }
  }
}
