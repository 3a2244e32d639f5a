import CJSONC

extension JSON {
  /// The deepest nesting of arrays and objects the parser accepts.
  ///
  /// QMP replies nest a handful of levels; the limit bounds the recursion
  /// when hostile input is converted into Swift values.
  package static let maximumDepth = 512

  /// Parse one JSON value from UTF-8 text.
  ///
  /// - Throws: ``JSONError`` when the text is not exactly one valid JSON value.
  package static func parse(_ text: String) throws(JSONError) -> JSON {
    var text = text
    let result: Result<JSON, JSONError> = text.withUTF8 { bytes in
      Result { () throws(JSONError) -> JSON in try parse(bytes) }
    }
    return try result.get()
  }

  /// Parse one JSON value from UTF-8 bytes.
  ///
  /// - Throws: ``JSONError`` when the bytes are not exactly one valid JSON value,
  ///   including invalid UTF-8 inside strings.
  package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSON {
    guard let tokener = json_tokener_new_ex(Int32(maximumDepth)) else {
      throw JSONError(code: .malformed, detail: "json-c could not allocate a parser", offset: 0)
    }
    defer { json_tokener_free(tokener) }
    // Trailing data is allowed by json-c so that we can report it as such.
    json_tokener_set_flags(
      tokener, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS | JSON_TOKENER_VALIDATE_UTF8))

    let leading = bytes.prefix { isJSONWhitespace($0) }.count
    guard leading < bytes.count else {
      throw JSONError(code: .empty, detail: "no JSON value", offset: bytes.count)
    }
    var object = bytes.withMemoryRebound(to: CChar.self) { chars in
      json_tokener_parse_ex(tokener, chars.baseAddress, Int32(clamping: chars.count))
    }
    var status = json_tokener_get_error(tokener)
    var end = Int(json_tokener_get_parse_end(tokener))
    let endedInsideValue = status == json_tokener_continue
    if endedInsideValue {
      // A number at the very end is complete only once json-c sees a terminator.
      object = json_tokener_parse_ex(tokener, "", 1)
      status = json_tokener_get_error(tokener)
      end = bytes.count
    }
    defer { if let object { json_object_put(object) } }
    if endedInsideValue && status != json_tokener_success {
      throw JSONError(code: .truncated, detail: "the text ends inside a value", offset: bytes.count)
    }
    guard status == json_tokener_success else {
      let detail = json_tokener_error_desc(status).map { String(cString: $0) } ?? "parse error"
      let code: JSONError.Code = status == json_tokener_error_depth ? .tooDeep : .malformed
      throw JSONError(code: code, detail: detail, offset: end)
    }
    if bytes[end...].contains(where: { !isJSONWhitespace($0) }) {
      throw JSONError(code: .trailingData, detail: "unexpected data after the JSON value", offset: end)
    }
    let value = JSON(borrowing: object)
    if value.containsNonFinite {
      throw JSONError(code: .malformed, detail: "NaN, Infinity and numbers out of range are not JSON", offset: 0)
    }
    return value
  }

  /// Whether a number anywhere in the value is NaN or infinite.
  var containsNonFinite: Bool {
    switch self {
    case .double(let number): !number.isFinite
    case .array(let elements): elements.contains { $0.containsNonFinite }
    case .object(let members): members.contains { $0.value.containsNonFinite }
    default: false
    }
  }

  private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  /// Convert a json-c tree into a Swift value without taking ownership.
  init(borrowing object: OpaquePointer?) {
    guard let object else {
      self = .null
      return
    }
    switch json_object_get_type(object) {
    case json_type_null:
      self = .null
    case json_type_boolean:
      self = .bool(json_object_get_boolean(object) != 0)
    case json_type_int:
      let signed = json_object_get_int64(object)
      if signed == Int64.max {
        let unsigned = json_object_get_uint64(object)
        self = unsigned > UInt64(Int64.max) ? .uint(unsigned) : .int(signed)
      } else {
        self = .int(signed)
      }
    case json_type_double:
      // json-c accepts NaN, Infinity and overflowing exponents, which JSON does not have;
      // they are rejected after parsing (see `containsNonFinite`).
      self = .double(json_object_get_double(object))
    case json_type_string:
      let length = Int(json_object_get_string_len(object))
      if let pointer = json_object_get_string(object) {
        let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
        self = .string(String(decoding: buffer, as: UTF8.self))
      } else {
        self = .string("")
      }
    case json_type_array:
      let count = json_object_array_length(object)
      var elements: [JSON] = []
      elements.reserveCapacity(count)
      for index in 0..<count {
        elements.append(JSON(borrowing: json_object_array_get_idx(object, index)))
      }
      self = .array(elements)
    case json_type_object:
      var members: [(String, JSON)] = []
      var iterator = json_object_iter_begin(object)
      var end = json_object_iter_end(object)
      while json_object_iter_equal(&iterator, &end) == 0 {
        let name = json_object_iter_peek_name(&iterator).map { String(cString: $0) } ?? ""
        members.append((name, JSON(borrowing: json_object_iter_peek_value(&iterator))))
        json_object_iter_next(&iterator)
      }
      self = .object(JSONObject(members))
    default:
      self = .null
    }
  }
}
