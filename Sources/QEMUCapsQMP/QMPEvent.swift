import QEMUCapsJSON

/// An asynchronous QMP event, such as `SHUTDOWN`.
public struct QMPEvent: Sendable, Hashable {
  /// The event name.
  public var name: String
  /// The event's `data` member, or null.
  public var data: JSON
  /// The whole message as received.
  public var message: JSON

  init?(message: JSON) {
    guard let name = message["event"]?.stringValue else { return nil }
    self.name = name
    self.data = message["data"] ?? .null
    self.message = message
  }
}
