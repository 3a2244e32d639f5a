import QEMUCapsJSON

/// One QMP command with its arguments.
package struct QMPCommand: Sendable, Hashable {
  /// The command name, e.g. `qom-get`.
  package var name: String
  /// The `arguments` object, or `nil` for none.
  package var arguments: JSONObject?

  /// Create a command.
  package init(_ name: String, arguments: JSONObject? = nil) {
    self.name = name
    self.arguments = arguments
  }

  /// `qom-get` of one property at a QOM path.
  package static func qomGet(path: String, property: String) -> QMPCommand {
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
