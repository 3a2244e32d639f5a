import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// The committed snapshots in capabilities-data/: each is reproduced byte for
/// byte by replaying its recorded QMP sessions, without QEMU.
@Suite("Committed capability snapshots")
struct CapabilitySnapshotTests {
  static let directory = Fixtures.repositoryRoot.appendingPathComponent("capabilities-data")

  static var snapshots: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".xml") }.map { String($0.dropLast(4)) }.sorted()
  }

  @Test("capabilities-data holds the Debian 12 QEMU 7.2 snapshot")
  func hasSystemSnapshot() {
    #expect(Self.snapshots.contains("qemu-7.2.22"))
  }

  @Test("capabilities-data spans the system build and every side-by-side suite (5.2, 10.0, 11.1)")
  func spansEverySuite() {
    for (suite, version) in QEMUBuilds.suites {
      #expect(Self.snapshots.contains { $0.hasPrefix("qemu-\(version).") }, "no snapshot of \(suite)'s QEMU \(version)")
    }
  }

  @Test("replaying the recorded sessions reproduces the committed file byte for byte", arguments: snapshots)
  func replayReproduces(snapshot: String) throws {
    let transcripts = Self.directory.appendingPathComponent("\(snapshot).transcripts").path
    let committed = try String(
      contentsOf: Self.directory.appendingPathComponent("\(snapshot).xml"), encoding: .utf8)
    let document = try Prober(logger: ProbeTestSupport.logger).replay(directory: transcripts)
    let replayed = CapabilityXMLWriter.xml(document)
    #expect(replayed == committed)
    ProbeTestSupport.expectGroundTruth(document)
  }

  @Test("a committed file reads back into the document its transcripts give", arguments: snapshots)
  func readsBack(snapshot: String) throws {
    let url = Self.directory.appendingPathComponent("\(snapshot).xml")
    let read = try CapabilityXMLReader.read(Array(try Data(contentsOf: url)), file: url.path)
    let replayed = try Prober(logger: ProbeTestSupport.logger).replay(
      directory: Self.directory.appendingPathComponent("\(snapshot).transcripts").path)
    #expect(read == replayed)
  }
}
