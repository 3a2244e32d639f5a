import CJSONC

extension JSON {
  /// How to lay out written JSON.
  public enum Layout: Sendable {
    /// One line without spaces, `{"key":value}`: what QMP and `--json` outputs use.
    case compact
    /// Indented over several lines, as in libvirt's `.replies` files.
    case pretty
  }

  /// Write this value as JSON text through json-c.
  public func serialized(_ layout: Layout = .compact) -> String {
    guard let object = makeJSONC() else { return "null" }
    defer { json_object_put(object) }
    var flags = JSON_C_TO_STRING_NOSLASHESCAPE
    if layout == .pretty { flags |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED }
    var length = 0
    guard let text = json_object_to_json_string_length(object, Int32(flags), &length) else {
      return "null"
    }
    let buffer = UnsafeRawBufferPointer(start: text, count: length)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// Build a json-c tree that the caller owns (release with `json_object_put`).
  ///
  /// `nil` stands for JSON null, as in json-c.
  func makeJSONC() -> OpaquePointer? {
    switch self {
    case .null:
      return nil
    case .bool(let value):
      return json_object_new_boolean(value ? 1 : 0)
    case .int(let value):
      return json_object_new_int64(value)
    case .uint(let value):
      return json_object_new_uint64(value)
    case .double(let value):
      return json_object_new_double(value)
    case .string(let value):
      var value = value
      return value.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { chars in
          // An empty buffer may have no base address; json-c needs a pointer.
          guard let base = chars.baseAddress else { return json_object_new_string("") }
          return json_object_new_string_len(base, Int32(clamping: chars.count))
        }
      }
    case .array(let elements):
      let array = json_object_new_array_ext(Int32(clamping: elements.count))
      for element in elements {
        json_object_array_add(array, element.makeJSONC())
      }
      return array
    case .object(let members):
      let object = json_object_new_object()
      for (key, value) in members {
        json_object_object_add(object, key, value.makeJSONC())
      }
      return object
    }
  }
}
