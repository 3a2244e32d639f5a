import Foundation
import Logging
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsTestSupport
import Testing

@Suite("QMP transcripts: record and replay without QEMU")
struct QMPReplayTests {
  let logger = Logger(label: "test")

  @Test("a recorded session replays to the same results")
  func recordThenReplay() throws {
    let recorder = QMPTranscriptRecorder()
    let peer = FakeQMPPeer { message in
      switch message["execute"]?.stringValue {
      case "qom-get": return [FakeQMPPeer.error(to: message, class: "DeviceNotFound", desc: "nope")]
      case "quit":
        return [#"{"event": "SHUTDOWN", "data": {"guest": false}}"#, FakeQMPPeer.reply(to: message, return: [:])]
      default: return [FakeQMPPeer.reply(to: message, return: ["answer": 42])]
      }
    }
    let live = QMPClient(transport: peer, logger: logger, recorder: recorder)
    try live.negotiate()
    let liveResults = try live.execute([QMPCommand("query-version"), .qomGet(path: "/x", property: "type")])
    try live.quit()

    let text = recorder.contents
    #expect(text.contains("\n\n"))
    let transcript = try QMPTranscript(contents: text, name: "memory.replies")
    #expect(transcript.blocks.count == 1 + 2 * 4 + 1)
    let replay = QMPReplayTransport(transcript: transcript)
    let replayed = QMPClient(transport: replay, logger: logger)
    try replayed.negotiate()
    let replayResults = try replayed.execute([QMPCommand("query-version"), .qomGet(path: "/x", property: "type")])
    try replayed.quit()
    #expect(replay.isFinished)
    #expect(try replayResults[0].get() == liveResults[0].get())
    let errorClass: (Result<JSON, QMPError>) -> String? = { result in
      if case .failure(let error) = result { return error.errorClass }
      return nil
    }
    #expect(errorClass(replayResults[1]) == "DeviceNotFound")
    #expect(errorClass(liveResults[1]) == "DeviceNotFound")
    #expect(replayed.events.map(\.name) == ["SHUTDOWN"])
  }

  @Test("a command that differs from the recording is an error naming the file and line")
  func mismatch() throws {
    let transcript = try QMPTranscript(
      contents: """
        {"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}

        {"execute": "qmp_capabilities", "id": "qemu-caps-1"}

        {"return": {}, "id": "qemu-caps-1"}

        {"execute": "query-version", "id": "qemu-caps-2"}

        {"return": {}, "id": "qemu-caps-2"}
        """, name: "x.replies")
    let client = QMPClient(transport: QMPReplayTransport(transcript: transcript), logger: logger)
    try client.negotiate()
    let error = #expect(throws: QMPError.self) { try client.execute("query-machines") }
    #expect(error?.code == .transcript)
    #expect(error?.detail.contains("x.replies:7") == true)
  }

  @Test("a broken block is reported with its line")
  func brokenBlock() {
    let error = #expect(throws: QMPError.self) {
      try QMPTranscript(contents: "{\"a\": 1}\n\n{\"b\":\n", name: "bad.replies")
    }
    #expect(error?.detail.hasPrefix("bad.replies:3:") == true)
  }

  @Test("the session recorded from QEMU 7.2 replays without QEMU")
  func replaysRecordedQEMU() throws {
    let url = Fixtures.directory("Fixtures", "qemu-7.2-session.replies")
    let contents = try String(contentsOf: url, encoding: .utf8)
    let transcript = try QMPTranscript(contents: contents, name: url.lastPathComponent)
    let replay = QMPReplayTransport(transcript: transcript)
    let client = QMPClient(transport: replay, logger: logger)
    let greeting = try client.negotiate()
    #expect(greeting.version == QEMUVersion(major: 7, minor: 2, micro: 22))
    let results = try client.execute(RecordedSession.commands)
    try client.quit()
    #expect(replay.isFinished)
    let version = try results[0].get()
    #expect(QEMUVersion(qmpVersion: version) == greeting.version)
    let machines = try #require(try results[1].get().arrayValue)
    #expect(machines.count == 59)
    #expect(try results[2].get() == "PIIX4_PM")
    #expect(try results[3].get() == true)
    #expect(throws: QMPError.self) { try results[4].get() }
  }
}
