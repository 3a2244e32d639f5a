import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

@Suite("JSON through json-c")
struct JSONTests {
  @Test("parses every kind of value")
  func parsesKinds() throws {
    let value = try JSON.parse(
      #"{"n": null, "t": true, "f": false, "i": -42, "d": 1.5, "s": "x", "a": [1, "2"], "o": {}}"#)
    #expect(value["n"] == .null)
    #expect(value["t"] == .bool(true))
    #expect(value["f"] == .bool(false))
    #expect(value["i"] == .int(-42))
    #expect(value["d"] == .double(1.5))
    #expect(value["s"] == .string("x"))
    #expect(value["a"] == .array([.int(1), .string("2")]))
    #expect(value["o"] == .object(JSONObject()))
    #expect(value["missing"] == nil)
  }

  @Test(
    "round-trips through json-c",
    arguments: [
      #"{"a":[1,2,{"b":null}],"c":"d","e":true}"#,
      #"[]"#,
      #"{"QMP":{"version":{"qemu":{"micro":22,"minor":2,"major":7},"package":"Debian 1:7.2+dfsg-7+deb12u18+b3"},"capabilities":["oob"]}}"#,
      #""line\nbreak \"quoted\" back\\slash\t""#,
      #"-9223372036854775808"#,
    ])
  func roundTrip(text: String) throws {
    let value = try JSON.parse(text)
    let written = value.serialized()
    #expect(try JSON.parse(written) == value)
    #expect(written == text)
  }

  @Test("keeps member order when writing")
  func keepsOrder() throws {
    let value = try JSON.parse(#"{"z": 1, "a": 2, "m": 3}"#)
    #expect(value.objectValue?.keys == ["z", "a", "m"])
    #expect(value.serialized() == #"{"z":1,"a":2,"m":3}"#)
  }

  @Test("compares objects regardless of member order")
  func orderInsensitiveEquality() throws {
    #expect(try JSON.parse(#"{"a": 1, "b": 2}"#) == JSON.parse(#"{"b": 2, "a": 1}"#))
    #expect(try JSON.parse(#"{"a": 1, "b": 2}"#) != JSON.parse(#"{"a": 2, "b": 1}"#))
    #expect(try JSON.parse(#"[1, 2]"#) != JSON.parse(#"[2, 1]"#))
  }

  @Test("handles unicode: escapes, non-BMP characters and raw UTF-8")
  func unicode() throws {
    let value = try JSON.parse(#"["\u00e9\u4e2d\ud83d\ude00", "é中😀", "\u0000nul"]"#)
    #expect(value.arrayValue?[0] == .string("é中😀"))
    #expect(value.arrayValue?[1] == .string("é中😀"))
    #expect(value.arrayValue?[2].stringValue?.utf8.count == 4)
    #expect(try JSON.parse(value.serialized()) == value)
  }

  @Test("rejects invalid UTF-8 inside strings")
  func invalidUTF8() {
    let bytes: [UInt8] = Array(#"{"a": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
    #expect(throws: JSONError.self) {
      try bytes.withUnsafeBufferPointer { try JSON.parse($0) }
    }
  }

  @Test("keeps 64-bit integers exact, signed and unsigned")
  func bigIntegers() throws {
    #expect(try JSON.parse("9223372036854775807") == .int(Int64.max))
    #expect(try JSON.parse("-9223372036854775808") == .int(Int64.min))
    #expect(try JSON.parse("18446744073709551615") == .uint(UInt64.max))
    #expect(try JSON.parse("9223372036854775808") == .uint(9_223_372_036_854_775_808))
    #expect(JSON.uint(UInt64.max).serialized() == "18446744073709551615")
    #expect(JSON.int(Int64.min).serialized() == "-9223372036854775808")
  }

  @Test("accepts nesting up to the limit and rejects deeper input without crashing")
  func deepNesting() throws {
    let depth = JSON.maximumDepth - 1
    let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    var value = try JSON.parse(nested)
    var levels = 0
    while case .array(let elements) = value, let first = elements.first {
      value = first
      levels += 1
    }
    #expect(levels == depth - 1)
    let tooDeep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let error = #expect(throws: JSONError.self) { try JSON.parse(tooDeep) }
    #expect(error?.code == .tooDeep)
  }

  @Test(
    "reports malformed input as an error value",
    arguments: [
      ("", JSONError.Code.empty),
      ("   ", .empty),
      ("{", .truncated),
      (#"{"a": "#, .truncated),
      (#"{"a" 1}"#, .malformed),
      ("[1,]", .malformed),
      ("nul", .truncated),
      ("{} {}", .trailingData),
      ("1 x", .trailingData),
      ("\u{1}", .malformed),
      ("NaN", .malformed),
      ("[Infinity, -Infinity]", .malformed),
      (#"{"size": 1e400}"#, .malformed),
    ])
  func malformed(text: String, code: JSONError.Code) {
    let error = #expect(throws: JSONError.self) { try JSON.parse(text) }
    #expect(error?.code == code, "\(text) gave \(String(describing: error))")
  }

  @Test("parses a line of several hundred kilobytes")
  func largeLine() throws {
    let element = #"{"name": "acpi-pci-hotplug-with-bridge-support", "type": "bool"}"#
    let text = "[" + Array(repeating: element, count: 5_000).joined(separator: ",") + "]"
    #expect(text.utf8.count > 300_000)
    let value = try JSON.parse(text)
    #expect(value.arrayValue?.count == 5_000)
  }

  @Test("parses and compares an object with 20,000 members with work linear in its size (found by the fuzzer)")
  func wideObject() throws {
    func object(_ count: Int) -> String { "{" + (0..<count).map { #""k\#($0)":0"# }.joined(separator: ",") + "}" }
    let value = try JSON.parse(object(20_000))
    #expect(value.objectValue?.count == 20_000)
    #expect(value["k19999"] == 0)
    #expect(try JSON.parse(value.serialized()) == value)
    // Parsing and comparing were quadratic in the number of members.
    let small = object(2_500)
    let large = object(20_000)
    let growth = Complexity.growth(
      small: { _ = try? JSON.parse(small) == JSON.parse(small) },
      large: { _ = try? JSON.parse(large) == JSON.parse(large) })
    #expect(growth < Complexity.allowedGrowth(for: 8), "8 times the members took \(growth) times the work")
  }

  @Test("writes a pretty layout that parses back")
  func pretty() throws {
    let value: JSON = ["execute": "qom-get", "arguments": ["path": "/machine", "property": "type"], "id": 1]
    let text = value.serialized(.pretty)
    #expect(text.contains("\n"))
    #expect(!text.contains("\n\n"))
    #expect(try JSON.parse(text) == value)
  }

  @Test(
    "writes DEL, C1, line separators and bidirectional controls as \\u escapes, in keys and values, in both layouts",
    arguments: [JSON.Layout.compact, .pretty])
  func escapesInvisibles(layout: JSON.Layout) throws {
    let text =
      "only del \u{7F} csi \u{9B}31m c1 \u{80}\u{9F} ls \u{2028}\u{2029} bidi \u{202A}\u{202E}\u{2066}\u{2069} é ‐ € 😀"
    let value = JSON.object(JSONObject([("package", .string(text)), ("key\u{7F}", .array([.string("\u{9B}")]))]))
    let written = value.serialized(layout)
    for escape in [
      #"\u007f"#, #"\u009b"#, #"\u0080\u009f"#, #"\u2028\u2029"#, #"\u202a\u202e\u2066\u2069"#, #""key\u007f""#,
    ] {
      #expect(written.contains(escape), "\(escape) in \(written)")
    }
    let invisible = written.unicodeScalars.filter { scalar in
      scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || (0x2028...0x202E).contains(scalar.value)
        || (0x2066...0x2069).contains(scalar.value)
    }
    #expect(invisible.isEmpty, "written raw: \(invisible.map { String($0.value, radix: 16) })")
    // Characters that look alike but are not controls stay as they are.
    #expect(written.contains("é ‐ € 😀"))
    #expect(try JSON.parse(written) == value)
  }
}
