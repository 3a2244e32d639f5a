import CJSONC

extension JSON {
  /// How to lay out written JSON.
  package enum Layout: Sendable {
    /// One line without spaces, `{"key":value}`: what QMP and `--json` outputs use.
    case compact
    /// Indented over several lines, as in libvirt's `.replies` files.
    case pretty
  }

  /// Write this value as JSON text through json-c.
  ///
  /// Every character that a terminal would act on, or that would reorder the text
  /// around it, is written as a `\u` escape: json-c escapes only U+0000–U+001F, so
  /// DEL, the C1 controls (U+0080–U+009F, `\u009b` is a CSI), the line and paragraph
  /// separators and the bidirectional controls are escaped here. The value read back
  /// is the same; the text can be printed to a terminal as it is.
  package func serialized(_ layout: Layout = .compact) -> String {
    guard let object = makeJSONC() else { return "null" }
    defer { json_object_put(object) }
    var flags = JSON_C_TO_STRING_NOSLASHESCAPE
    if layout == .pretty { flags |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED }
    var length = 0
    guard let text = json_object_to_json_string_length(object, Int32(flags), &length) else {
      return "null"
    }
    return JSONText.escapingInvisibles(UnsafeRawBufferPointer(start: text, count: length))
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

/// The escapes json-c leaves out.
enum JSONText {
  /// `json` (UTF-8 from json-c) with DEL, C1 controls, U+2028, U+2029 and the
  /// bidirectional controls U+202A–U+202E and U+2066–U+2069 written as `\u` escapes.
  /// These code points can occur only inside strings (JSON's syntax is ASCII), where
  /// the escape means the same character.
  static func escapingInvisibles(_ json: UnsafeRawBufferPointer) -> String {
    // Most output has none of the lead bytes (0x7F, 0xC2, 0xE2): no copy then.
    guard json.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else {
      return String(decoding: json, as: UTF8.self)
    }
    var result: [UInt8] = []
    result.reserveCapacity(json.count + 16)
    var index = 0
    while index < json.count {
      let byte = json[index]
      let next = index + 1 < json.count ? json[index + 1] : 0
      let third = index + 2 < json.count ? json[index + 2] : 0
      if byte == 0x7F {
        appendEscape(0x7F, to: &result)
        index += 1
      } else if byte == 0xC2, (0x80...0x9F).contains(next) {
        appendEscape(UInt32(next), to: &result)
        index += 2
      } else if byte == 0xE2, next == 0x80, (0xA8...0xAE).contains(third) {
        appendEscape(0x2000 + UInt32(third - 0x80), to: &result)
        index += 3
      } else if byte == 0xE2, next == 0x81, (0xA6...0xA9).contains(third) {
        appendEscape(0x2040 + UInt32(third - 0x80), to: &result)
        index += 3
      } else {
        result.append(byte)
        index += 1
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// `\u` and four lowercase hex digits, as json-c writes its own escapes.
  private static func appendEscape(_ scalar: UInt32, to result: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    result.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
    for shift in stride(from: 12, through: 0, by: -4) {
      result.append(digits[Int((scalar >> UInt32(shift)) & 0xF)])
    }
  }
}
