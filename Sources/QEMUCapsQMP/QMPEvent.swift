import QEMUCapsJSON

/// An asynchronous QMP event, such as `SHUTDOWN`.
package struct QMPEvent: Sendable, Hashable {
  /// The event name.
  package var name: String
  /// The event's `data` member, or null.
  package var data: JSON
  /// The whole message as received.
  package var message: JSON

  init?(message: JSON) {
    guard let name = message["event"]?.stringValue else { return nil }
    self.name = name
    self.data = message["data"] ?? .null
    self.message = message
  }
}
