import Logging
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsQMP
import QEMUCapsTestSupport
import Testing

@Suite("QMP client against an in-memory peer")
struct QMPClientTests {
  let logger = Logger(label: "test")

  /// A client that negotiated with a peer that then answers nothing.
  func silentClient() throws -> QMPClient {
    let peer = FakeQMPPeer { message in
      message["execute"] == "qmp_capabilities" ? FakeQMPPeer.succeedAll(message) : []
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    return client
  }

  @Test("reads the greeting and negotiates capabilities")
  func negotiates() throws {
    let peer = FakeQMPPeer(respond: FakeQMPPeer.succeedAll)
    let client = QMPClient(transport: peer, logger: logger)
    let greeting = try client.negotiate()
    #expect(greeting.version == QEMUVersion(major: 7, minor: 2, micro: 22))
    #expect(greeting.package == "Test 1")
    #expect(greeting.capabilities == ["oob"])
    #expect(peer.received.first?["execute"] == "qmp_capabilities")
  }

  @Test("before negotiation QEMU refuses commands; the client negotiates first")
  func negotiationFirst() throws {
    var negotiated = false
    let peer = FakeQMPPeer { message in
      if message["execute"] == "qmp_capabilities" {
        negotiated = true
        return [FakeQMPPeer.reply(to: message, return: [:])]
      }
      guard negotiated else {
        return [FakeQMPPeer.error(to: message, class: "CommandNotFound", desc: "Expecting capabilities negotiation")]
      }
      return [FakeQMPPeer.reply(to: message, return: "ok")]
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    #expect(try client.execute("query-status") == "ok")
  }

  @Test("skips and records events that arrive before and between replies")
  func events() throws {
    let peer = FakeQMPPeer { message in
      if message["execute"] == "quit" || message["execute"] == "query-status" {
        return [
          #"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": false}}"#,
          #"{"event": "STOP", "data": {}}"#,
          FakeQMPPeer.reply(to: message, return: [:]),
        ]
      }
      return FakeQMPPeer.succeedAll(message)
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    #expect(try client.execute("query-status") == .object(JSONObject()))
    #expect(client.events.map(\.name) == ["SHUTDOWN", "STOP"])
    #expect(client.events.first?.data["guest"] == false)
  }

  @Test("matches replies by id")
  func matchesIDs() throws {
    let peer = FakeQMPPeer { message in [FakeQMPPeer.reply(to: message, return: message["execute"] ?? .null)] }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    #expect(try client.execute("query-version") == "query-version")
    #expect(peer.received.last?["id"]?.stringValue?.hasPrefix("qemu-caps-") == true)
  }

  @Test(
    "a reply with an unknown id, or an error without an id, is a protocol error of the session, never a command's answer",
    arguments: [
      #"{"return": "stale", "id": "someone-else"}"#,
      #"{"error": {"class": "GenericError", "desc": "JSON parse error, invalid literal"}}"#,
      #"{"return": {}}"#,
    ])
  func foreignReplies(line: String) throws {
    let peer = FakeQMPPeer { message in
      message["execute"] == "query-version"
        ? [line, FakeQMPPeer.reply(to: message, return: "mine")] : FakeQMPPeer.succeedAll(message)
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    let error = #expect(throws: QMPError.self) { try client.execute("query-version") }
    #expect(error?.code == .protocolViolation)
    #expect(error?.command == "query-version")
    #expect(error?.errorClass == nil)
    // In a pipelined batch too: the error fails the batch, not one command's result.
    let batch = #expect(throws: QMPError.self) { try client.execute([QMPCommand("query-version"), QMPCommand("x")]) }
    #expect(batch?.code == .protocolViolation)
  }

  @Test("a message over the memory budget is refused before it is parsed", arguments: [0, 1, 2, 3])
  func budget(shape: Int) throws {
    let lines = [
      "[" + Array(repeating: "{}", count: 300_000).joined(separator: ",") + "]",
      "[" + Array(repeating: "1", count: 250_000).joined(separator: ",") + "]",
      "[" + Array(repeating: #"{"a": 1}"#, count: 60_000).joined(separator: ",") + "]",
      #"""
      "\#(String(repeating: "x", count: 3 << 20))"
      """#,
    ]
    let budget = QMPBudget(maximumSessionBytes: 2 << 20)
    let peer = FakeQMPPeer { message in
      message["execute"] == "big"
        ? [#"{"return": \#(lines[shape]), "id": "\#(message["id"]?.stringValue ?? "")"}"#]
        : FakeQMPPeer.succeedAll(message)
    }
    let client = QMPClient(transport: peer, logger: logger, budget: budget)
    try client.negotiate()
    let error = #expect(throws: QMPError.self) { try client.execute("big") }
    #expect(error?.code == .overBudget)
    #expect(error?.description.contains("memory budget allows") == true, "\(error?.description ?? "")")
  }

  @Test("the size of a message is counted without parsing, strings and escapes skipped")
  func messageSize() {
    let text = #"{"a": [1, {"b,[{": "q\"{,"}, []], "c": "\\"}"#
    let size = Array(text.utf8).withUnsafeBufferPointer { QMPMessageSize($0) }
    // Values: the object, the array, 1, the inner object, its string, [], and "\\": 7 (counted: 1 + 3 commas + 2 '{' + 2 '[').
    #expect(size.objects == 2)
    #expect(size.nodes == 8)
    #expect(size.bytes == text.utf8.count)
  }

  @Test("waits end at the session deadline, whatever timeout a call asks for")
  func sessionDeadline() throws {
    let client = try silentClient()
    client.sessionDeadline = .now - .seconds(1)
    let error = #expect(throws: QMPError.self) { try client.execute("query-version", timeout: .seconds(60)) }
    #expect(error?.code == .timeout)
    #expect(error?.detail == "waiting for the reply")
  }

  @Test("quit is best effort in a pipelined session: no reply to quit keeps every other reply")
  func pipelinedQuitWithoutReply() throws {
    let peer = FakeQMPPeer { message in
      message["execute"] == "quit" ? [] : [FakeQMPPeer.reply(to: message, return: message["execute"] ?? .null)]
    }
    let client = QMPClient(transport: peer, logger: logger)
    let results = try client.negotiateAndExecute(
      [QMPCommand("one"), QMPCommand("two")], thenQuit: true, quitTimeout: .milliseconds(10))
    #expect(try results.map { try $0.get() } == ["one", "two"])
    #expect(client.hasQuit)
  }

  @Test("turns an error reply into a typed error with class and description")
  func errorReply() throws {
    let peer = FakeQMPPeer { message in
      message["execute"] == "qom-get"
        ? [FakeQMPPeer.error(to: message, class: "DeviceNotFound", desc: "Device '/machine/acpi-device' not found")]
        : FakeQMPPeer.succeedAll(message)
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    let error = #expect(throws: QMPError.self) {
      try client.execute(.qomGet(path: "/machine/acpi-device", property: "type"))
    }
    #expect(error?.code == .commandFailed)
    #expect(error?.errorClass == "DeviceNotFound")
    #expect(error?.detail == "Device '/machine/acpi-device' not found")
    #expect(error?.command == "qom-get")
    #expect(error?.description.contains("DeviceNotFound") == true)
  }

  @Test("pipelines several commands in one write and returns each result in order")
  func pipelines() throws {
    let peer = FakeQMPPeer { message in
      switch message["execute"]?.stringValue {
      case "bad": [FakeQMPPeer.error(to: message, class: "GenericError", desc: "no")]
      default: [FakeQMPPeer.reply(to: message, return: message["execute"] ?? .null)]
      }
    }
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    let results = try client.execute([QMPCommand("one"), QMPCommand("bad"), QMPCommand("three")])
    #expect(results.count == 3)
    #expect(try results[0].get() == "one")
    #expect(throws: QMPError.self) { try results[1].get() }
    #expect(try results[2].get() == "three")
  }

  @Test("reports the end of the stream as its own error")
  func endOfStream() throws {
    let peer = FakeQMPPeer { _ in [] }
    peer.hangUp()
    let client = QMPClient(transport: peer, logger: logger)
    let error = #expect(throws: QMPError.self) { try client.negotiate() }
    #expect(error?.code == .endOfStream)
  }

  @Test("times out when QEMU does not answer")
  func timeout() throws {
    let client = try silentClient()
    let error = #expect(throws: QMPError.self) { try client.execute("query-version", timeout: .milliseconds(10)) }
    #expect(error?.code == .timeout)
    #expect(error?.command == "query-version")
  }

  @Test("rejects a first message that is not a greeting, and garbage lines")
  func protocolErrors() throws {
    let notGreeting = FakeQMPPeer(greeting: [#"{"return": {}}"#], respond: FakeQMPPeer.succeedAll)
    let first = #expect(throws: QMPError.self) { try QMPClient(transport: notGreeting, logger: logger).negotiate() }
    #expect(first?.code == .protocolViolation)

    let garbage = FakeQMPPeer(greeting: ["{\"QMP\": tru"], respond: FakeQMPPeer.succeedAll)
    let second = #expect(throws: QMPError.self) { try QMPClient(transport: garbage, logger: logger).negotiate() }
    #expect(second?.code == .malformedMessage)
  }

  @Test("treats the end of the stream after quit as success")
  func quitEOF() throws {
    // The responder reaches the peer weakly: a strong capture would be a cycle.
    final class WeakPeer { weak var peer: FakeQMPPeer? }
    let reference = WeakPeer()
    let peer = FakeQMPPeer { message in
      if message["execute"] == "quit" { reference.peer?.hangUp() }
      return message["execute"] == "quit" ? [] : FakeQMPPeer.succeedAll(message)
    }
    reference.peer = peer
    let client = QMPClient(transport: peer, logger: logger)
    try client.negotiate()
    #expect(throws: Never.self) { try client.quit() }
    #expect(client.hasQuit)
    #expect(peer.received.compactMap { $0["execute"]?.stringValue } == ["qmp_capabilities", "quit"])
    // A second quit sends nothing.
    try client.quit()
    #expect(peer.received.count == 2)
  }
}
