import Foundation
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// A `--record` or `--replay` path that is not a directory says so, naming the path,
/// instead of talking about the `probe.json` inside it.
@Suite("Recording directories that are not directories")
struct RecordingDirectoryTests {
  @Test("replaying a path that does not exist, or is a file, names the path and what it is")
  func replayPath() throws {
    try TemporaryDirectory.with("recording") { directory in
      let prober = Prober(logger: ProbeTestSupport.logger)
      let missing = directory.appendingPathComponent("missing").path
      // Before: "… holds no complete recording: probe.json is missing (it is written last, …)".
      let absent = #expect(throws: ProbeError.self) { try prober.replay(directory: missing) }
      #expect(absent?.code == .replay)
      #expect(
        absent?.description
          == "cannot replay \(missing): no such directory; give the directory a recording probe wrote",
        "\(String(describing: absent))")
      let file = directory.appendingPathComponent("file.xml").path
      try "x".write(toFile: file, atomically: false, encoding: .utf8)
      // Before: "cannot read FILE/probe.json: Not a directory".
      let notDirectory = #expect(throws: ProbeError.self) { try prober.replay(directory: file) }
      #expect(notDirectory?.code == .replay)
      #expect(
        notDirectory?.description
          == "cannot replay \(file): it is a regular file, not a directory; give the directory a recording probe wrote",
        "\(String(describing: notDirectory))")
    }
  }

  @Test("recording into a file names the path: it is not a directory")
  func recordIntoFile() throws {
    try TemporaryDirectory.with("recording") { directory in
      let file = directory.appendingPathComponent("file").path
      try "keep".write(toFile: file, atomically: false, encoding: .utf8)
      let fake = try FakeQEMU.faulty(.none)
      defer { FakeQEMU.remove(fake) }
      var configuration = Prober.Configuration(binary: fake)
      configuration.recordDirectory = file
      // Before: "cannot remove the earlier manifest FILE/probe.json: Not a directory".
      let error = #expect(throws: ProbeError.self) {
        try Prober(logger: ProbeTestSupport.logger).probe(configuration)
      }
      #expect(error?.code == .recording)
      #expect(
        error?.description == "cannot record into \(file): it is a regular file, not a directory",
        "\(String(describing: error))")
      #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep")
    }
  }
}
