import QEMUCapsJSON

/// One QMP command with its arguments.
public struct QMPCommand: Sendable, Hashable {
  /// The command name, e.g. `qom-get`.
  public var name: String
  /// The `arguments` object, or `nil` for none.
  public var arguments: JSONObject?

  /// Create a command.
  public init(_ name: String, arguments: JSONObject? = nil) {
    self.name = name
    self.arguments = arguments
  }

  /// `qom-get` of one property at a QOM path.
  public static func qomGet(path: String, property: String) -> QMPCommand {
    QMPCommand("qom-get", arguments: JSONObject([("path", .string(path)), ("property", .string(property))]))
  }

  /// The wire message with the given id.
  func message(id: String) -> JSON {
    var object = JSONObject([("execute", .string(name))])
    if let arguments { object["arguments"] = .object(arguments) }
    object["id"] = .string(id)
    return .object(object)
  }
}
