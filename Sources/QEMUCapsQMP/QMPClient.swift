import Logging
import QEMUCapsJSON

/// Speaks QMP over a ``QMPTransport``: greeting, negotiation, commands with ids,
/// replies matched by id, events set aside.
///
/// A client is used from one thread at a time. Commands may be pipelined with
/// ``execute(_:timeout:)-([QMPCommand],_)`` to save round trips.
///
/// Every reply must carry the id of the command it answers: a reply without an
/// id (QEMU's answer to a line it could not parse) or with an id no command is
/// waiting for is a ``QMPError/Code/protocolViolation`` of the whole session,
/// never given to a pending command. What QEMU sends is held to a ``QMPBudget``.
package final class QMPClient {
  /// The time to wait for one reply when neither a timeout nor ``sessionDeadline`` is given.
  package static let defaultTimeout: Duration = .seconds(10)

  private let transport: any QMPTransport
  private let logger: Logger
  private let recorder: QMPTranscriptRecorder?
  private let budget: QMPBudget
  private var nextID = 1
  private var eventsSinceLastReply: [JSON] = []
  private var keptBytes = 0
  private var keptNodes = 0

  /// When set, no wait of this client lasts beyond it: the end of the whole
  /// session (a launcher sets it from its time limit). A timeout given to a
  /// call can only end a wait earlier.
  package var sessionDeadline: ContinuousClock.Instant?

  /// Whether `quit` was sent.
  package private(set) var hasQuit = false
  /// Whether `qmp_capabilities` succeeded: QEMU has started and its monitor works.
  package private(set) var isNegotiated = false

  /// The greeting, once ``negotiate(timeout:)`` or ``negotiateAndExecute(_:thenQuit:timeout:quitTimeout:)`` has read it.
  package private(set) var greeting: QMPGreeting?
  /// The events received so far, in order: the first ``maximumKeptEvents``.
  package private(set) var events: [QMPEvent] = []
  /// How many events arrived beyond ``maximumKeptEvents`` and were dropped.
  package private(set) var droppedEventCount = 0
  /// The most events kept, so that a QEMU flooding events cannot exhaust memory.
  package static let maximumKeptEvents = 1000

  /// Create a client over `transport`; if `recorder` is given, every exchange is recorded.
  package init(
    transport: any QMPTransport, logger: Logger, recorder: QMPTranscriptRecorder? = nil, budget: QMPBudget = QMPBudget()
  ) {
    self.transport = transport
    self.logger = logger
    self.recorder = recorder
    self.budget = budget
  }

  /// The end of a wait of `timeout` (or of ``defaultTimeout``), never after ``sessionDeadline``.
  private func deadline(_ timeout: Duration?) -> ContinuousClock.Instant {
    let now = ContinuousClock.now
    guard let sessionDeadline else { return now + (timeout ?? Self.defaultTimeout) }
    guard let timeout else { return sessionDeadline }
    return min(now + timeout, sessionDeadline)
  }

  /// Read the greeting and negotiate capabilities (`qmp_capabilities`).
  ///
  /// - Throws: ``QMPError``: `endOfStream` when QEMU exits before greeting,
  ///   `timeout`, `protocolViolation` when the first message is not a greeting.
  @discardableResult
  package func negotiate(timeout: Duration? = nil) throws(QMPError) -> QMPGreeting {
    let deadline = deadline(timeout)
    let greeting = try readGreeting(before: deadline)
    let pending = try send([QMPCommand("qmp_capabilities")])
    _ = try receive(pending, before: deadline)[0].get()
    return greeting
  }

  /// Run one command and return its `return` value.
  ///
  /// - Throws: ``QMPError``; `commandFailed` carries QMP's class and description.
  package func execute(_ command: QMPCommand, timeout: Duration? = nil) throws(QMPError) -> JSON {
    try execute([command], timeout: timeout)[0].get()
  }

  /// Run one command by name with optional arguments and return its `return` value.
  package func execute(_ name: String, arguments: JSONObject? = nil, timeout: Duration? = nil)
    throws(QMPError) -> JSON
  {
    try execute(QMPCommand(name, arguments: arguments), timeout: timeout)
  }

  /// Send several commands at once and wait for all replies, in order.
  ///
  /// QEMU handles a monitor's commands one after another, so pipelining keeps
  /// their order while costing one round trip. An error reply fails only its
  /// own command; a transport failure, timeout or end of stream throws.
  package func execute(_ commands: [QMPCommand], timeout: Duration? = nil) throws(QMPError)
    -> [Result<JSON, QMPError>]
  {
    guard !commands.isEmpty else { return [] }
    let deadline = deadline(timeout)
    let pending = try send(commands)
    return try receive(pending, before: deadline)
  }

  /// Run a whole session in one round trip: send `qmp_capabilities`, `commands`
  /// and, when `thenQuit`, `quit` before even reading the greeting, then read
  /// the greeting and every reply.
  ///
  /// QEMU reads its monitor only once it has greeted, so the early lines simply
  /// wait in the stream. Keep `thenQuit` for small replies: QEMU may exit
  /// before it has written a large one.
  ///
  /// `quit` is best effort: once every other reply is in, its reply is awaited for
  /// at most `quitTimeout`, and no reply, the end of the stream or anything else
  /// there is not a failure (the caller then kills and reaps QEMU).
  ///
  /// - Throws: ``QMPError`` as ``negotiate(timeout:)`` does; a failed command fails
  ///   only its own result.
  package func negotiateAndExecute(
    _ commands: [QMPCommand], thenQuit quitAfterwards: Bool, timeout: Duration? = nil,
    quitTimeout: Duration = .seconds(2)
  ) throws(QMPError) -> [Result<JSON, QMPError>] {
    let deadline = deadline(timeout)
    let all = [QMPCommand("qmp_capabilities")] + commands + (quitAfterwards ? [QMPCommand("quit")] : [])
    // A QEMU that exits at once makes the send fail; reading then tells why.
    let pending = (try? send(all)) ?? []
    try readGreeting(before: deadline)
    if pending.isEmpty { throw QMPError(.endOfStream, command: "qmp_capabilities", detail: "QEMU is gone") }
    let quitEntry = quitAfterwards ? pending.last : nil
    let results = try receive(quitAfterwards ? Array(pending.dropLast()) : pending, before: deadline)
    if case .failure(let error)? = results.first { throw error }
    if let quitEntry {
      hasQuit = true
      do {
        _ = try receive([quitEntry], before: min(deadline, ContinuousClock.now + quitTimeout))
      } catch {
        logger.debug("no reply to quit; the replies are kept", metadata: ["error": "\(error)"])
      }
    }
    return Array(results.dropFirst())
  }

  private typealias Pending = (id: String, command: QMPCommand, message: JSON)

  /// Send commands in one write; return what to wait for.
  private func send(_ commands: [QMPCommand]) throws(QMPError) -> [Pending] {
    var pending: [Pending] = []
    var wire = ""
    for command in commands {
      let id = "qemu-caps-\(nextID)"
      nextID += 1
      let message = command.message(id: id)
      pending.append((id, command, message))
      if !wire.isEmpty { wire += "\r\n" }
      wire += message.serialized()
    }
    logger.trace("QMP send", metadata: ["commands": "\(commands.map(\.name))"])
    do {
      try transport.send(wire)
    } catch {
      throw Self.attach(error, to: commands[0].name)
    }
    return pending
  }

  /// Read the replies to `pending`, in order, recording each exchange.
  private func receive(_ pending: [Pending], before deadline: ContinuousClock.Instant) throws(QMPError)
    -> [Result<JSON, QMPError>]
  {
    var results: [Result<JSON, QMPError>] = []
    results.reserveCapacity(pending.count)
    for entry in pending {
      let reply: JSON
      do {
        reply = try receiveReply(id: entry.id, before: deadline)
      } catch {
        throw Self.attach(error, to: entry.command.name)
      }
      recorder?.record(client: entry.message, server: eventsSinceLastReply + [reply])
      eventsSinceLastReply.removeAll()
      let result = Self.result(of: reply, command: entry.command.name)
      if entry.command.name == "qmp_capabilities", case .success = result { isNegotiated = true }
      results.append(result)
    }
    return results
  }

  /// Ask QEMU to exit: send `quit` and wait for its reply or the end of the stream.
  ///
  /// The end of the stream counts as success: QEMU may exit before replying.
  package func quit(timeout: Duration? = .seconds(2)) throws(QMPError) {
    guard !hasQuit else { return }
    hasQuit = true
    do {
      _ = try execute(QMPCommand("quit"), timeout: timeout)
    } catch  where error.code == .endOfStream {
      logger.trace("QEMU closed the monitor on quit")
    }
  }

  // MARK: - Receiving

  /// Read and keep the greeting, recording it.
  @discardableResult
  private func readGreeting(before deadline: ContinuousClock.Instant) throws(QMPError) -> QMPGreeting {
    let message = try receiveMessage(before: deadline, waitingFor: "greeting")
    let greeting = try QMPGreeting(message: message)
    self.greeting = greeting
    recorder?.record(server: message)
    return greeting
  }

  private func receiveReply(id: String, before deadline: ContinuousClock.Instant) throws(QMPError) -> JSON {
    while true {
      let message = try receiveMessage(before: deadline, waitingFor: "reply", keepingEvents: true)
      if let event = QMPEvent(message: message) {
        logger.debug("QMP event", metadata: ["event": "\(event.name)"])
        if events.count < Self.maximumKeptEvents {
          events.append(event)
          eventsSinceLastReply.append(message)
        } else {
          droppedEventCount += 1
        }
        continue
      }
      guard message["return"] != nil || message["error"] != nil else {
        throw QMPError(.protocolViolation, detail: "unexpected message \(message.serialized().prefix(200))")
      }
      switch message["id"] {
      case .string(id)?:
        return message
      case nil:
        // QEMU answers a line it could not parse without an id: nothing says which
        // command it belongs to, so the session cannot go on.
        throw QMPError(
          .protocolViolation,
          detail: "a reply without an id, which no command can be matched to: \(message.serialized().prefix(200))")
      case let other?:
        throw QMPError(
          .protocolViolation, detail: "a reply with the id \(other.serialized().prefix(80)), which no command has")
      }
    }
  }

  /// Read the next message, checked against the budget before it is parsed.
  /// Events are counted against the session budget only while they are kept.
  private func receiveMessage(
    before deadline: ContinuousClock.Instant, waitingFor what: String, keepingEvents: Bool = false
  ) throws(QMPError) -> JSON {
    while true {
      let received: [UInt8]?
      do {
        received = try transport.receiveLine(before: deadline)
      } catch  where error.code == .timeout {
        throw QMPError(.timeout, detail: "waiting for the \(what)")
      }
      guard let line = received else {
        throw QMPError(.endOfStream, detail: "while waiting for the \(what)")
      }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      let size = try checkBudget(line, keepingEvents: keepingEvents)
      let parsed = line.withUnsafeBufferPointer { bytes in
        Result { () throws(JSONError) -> JSON in try JSON.parse(bytes) }
      }
      switch parsed {
      case .success(let message):
        guard message.objectValue != nil else {
          throw QMPError(.protocolViolation, detail: "expected a JSON object, got \(message.kindName)")
        }
        let isEvent = message["event"] != nil
        if !isEvent || (keepingEvents && events.count < Self.maximumKeptEvents) {
          keptBytes += size.bytes
          keptNodes += size.nodes
        }
        return message
      case .failure(let error):
        let excerpt = String(decoding: line.prefix(120), as: UTF8.self)
        throw QMPError(.malformedMessage, detail: "\(error.description) in line '\(excerpt)'")
      }
    }
  }

  /// Count `line` and refuse it when it, or the session with it, is over the budget.
  private func checkBudget(_ line: [UInt8], keepingEvents: Bool) throws(QMPError) -> QMPMessageSize {
    let size = line.withUnsafeBufferPointer { bytes in
      QMPMessageSize(
        bytes, nodeLimit: min(budget.maximumNodesPerMessage, budget.maximumSessionNodes - keptNodes),
        objectLimit: budget.maximumObjectsPerMessage)
    }
    func over(_ what: String) -> QMPError {
      QMPError(.overBudget, detail: "\(what); it was not parsed")
    }
    if size.nodes > budget.maximumNodesPerMessage {
      throw over("a message of \(size.bytes) bytes has more than \(budget.maximumNodesPerMessage) JSON values")
    }
    if size.objects > budget.maximumObjectsPerMessage {
      throw over("a message of \(size.bytes) bytes has more than \(budget.maximumObjectsPerMessage) JSON objects")
    }
    if keptNodes + size.nodes > budget.maximumSessionNodes {
      throw over("the messages of this session have more than \(budget.maximumSessionNodes) JSON values")
    }
    if keptBytes + size.bytes > budget.maximumSessionBytes {
      throw over("the messages of this session are larger than \(budget.maximumSessionBytes) bytes")
    }
    return size
  }

  private static func result(of reply: JSON, command: String) -> Result<JSON, QMPError> {
    if let value = reply["return"] { return .success(value) }
    let error = reply["error"]
    return .failure(
      QMPError(
        .commandFailed, command: command,
        errorClass: error?["class"]?.stringValue ?? "GenericError",
        detail: error?["desc"]?.stringValue ?? "no description"))
  }

  private static func attach(_ error: QMPError, to command: String) -> QMPError {
    var error = error
    if error.command == nil { error.command = command }
    return error
  }
}
