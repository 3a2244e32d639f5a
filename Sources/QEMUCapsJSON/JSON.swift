/// A JSON value, parsed and written through json-c.
///
/// Integers keep their full 64-bit range: values above `Int64.max` (QMP sizes
/// are `uint64`) are held as ``uint(_:)``.
package enum JSON: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int64)
  /// An unsigned integer larger than `Int64.max`.
  case uint(UInt64)
  case double(Double)
  case string(String)
  case array([JSON])
  case object(JSONObject)
}

extension JSON {
  /// Return the string if this value is a string.
  package var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// Return the Boolean if this value is a Boolean.
  package var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// Return the integer if this value is an integer that fits in `Int64`.
  package var intValue: Int64? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// Return the elements if this value is an array.
  package var arrayValue: [JSON]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// Return the members if this value is an object.
  package var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Return the member named `key` if this value is an object that has it.
  package subscript(key: String) -> JSON? {
    objectValue?[key]
  }

  /// Name the kind of value, for error messages.
  package var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .int, .uint: "integer"
    case .double: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
  ExpressibleByFloatLiteral
{
  /// A JSON string.
  package init(stringLiteral value: String) { self = .string(value) }
  /// A JSON integer.
  package init(integerLiteral value: Int64) { self = .int(value) }
  /// A JSON boolean.
  package init(booleanLiteral value: Bool) { self = .bool(value) }
  /// A JSON array.
  package init(arrayLiteral elements: JSON...) { self = .array(elements) }
  /// A JSON floating-point number.
  package init(floatLiteral value: Double) { self = .double(value) }
  /// JSON `null`.
  package init(nilLiteral: ()) { self = .null }
  /// A JSON object whose members keep the order written.
  package init(dictionaryLiteral elements: (String, JSON)...) {
    self = .object(JSONObject(elements))
  }
}

extension JSON: CustomStringConvertible {
  /// The compact JSON text of this value.
  package var description: String { serialized() }
}
