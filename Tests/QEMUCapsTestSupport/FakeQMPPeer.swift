import QEMUCapsJSON
import QEMUCapsQMP

/// An in-memory QMP peer: a scripted stand-in for QEMU that drives ``QMPClient``
/// in tests without a process.
///
/// It sends `greeting` lines first; then every message the client sends is
/// passed to `respond`, whose returned lines are queued for the client. When
/// the queue is empty the peer is either silent (a timeout) or, once
/// ``hangUp()`` was called, at end of stream.
package final class FakeQMPPeer: QMPTransport {
  /// Decide the lines to answer one received message with.
  package typealias Responder = (JSON) -> [String]

  private var queue: [[UInt8]]
  private let respond: Responder
  private var closed = false
  /// Every message the client sent, in order.
  package private(set) var received: [JSON] = []

  /// Create a peer that greets with `greeting` lines and answers through `respond`.
  package init(greeting: [String] = [FakeQMPPeer.standardGreeting], respond: @escaping Responder) {
    self.queue = greeting.map { Array($0.utf8) }
    self.respond = respond
  }

  /// A QEMU 7.2-like greeting line.
  package static let standardGreeting =
    #"{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Test 1"}, "capabilities": ["oob"]}}"#

  /// A responder that answers every command with `{"return": {}}` and its id.
  package static func succeedAll(_ message: JSON) -> [String] {
    [reply(to: message, return: .object(JSONObject()))]
  }

  /// A success reply to `message` carrying `value`.
  package static func reply(to message: JSON, return value: JSON) -> String {
    var object = JSONObject([("return", value)])
    if let id = message["id"] { object["id"] = id }
    return JSON.object(object).serialized()
  }

  /// An error reply to `message`.
  package static func error(to message: JSON, class errorClass: String, desc: String) -> String {
    var object = JSONObject([
      ("error", .object(JSONObject([("class", .string(errorClass)), ("desc", .string(desc))])))
    ])
    if let id = message["id"] { object["id"] = id }
    return JSON.object(object).serialized()
  }

  /// End the stream after whatever is queued, as a QEMU that exits.
  package func hangUp() { closed = true }

  package func send(_ message: String) throws(QMPError) {
    if closed { throw QMPError(.endOfStream, detail: "the fake peer hung up") }
    for line in message.split(whereSeparator: \.isNewline) {
      guard let json = try? JSON.parse(String(line)) else {
        queue.append(Array(#"{"error": {"class": "GenericError", "desc": "JSON parse error"}}"#.utf8))
        continue
      }
      received.append(json)
      queue.append(contentsOf: respond(json).map { Array($0.utf8) })
    }
  }

  package func receiveLine(before deadline: ContinuousClock.Instant) throws(QMPError) -> [UInt8]? {
    if !queue.isEmpty { return queue.removeFirst() }
    if closed { return nil }
    throw QMPError(.timeout, detail: "the fake peer has nothing to say")
  }
}
