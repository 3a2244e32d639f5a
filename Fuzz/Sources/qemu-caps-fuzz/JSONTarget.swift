import QEMUCapsJSON
import QEMUCapsQMP

/// The json-c bridge and QMP framing.
///
/// 1. The whole input is parsed as one JSON value; when that succeeds, the
///    value must hold only finite numbers (JSON has no NaN or Infinity, and
///    json-c would write them as such), both layouts of `serialized()` must
///    parse back to an equal value, and writing that value again must give
///    the same compact text.
/// 2. The input is fed as a QMP byte stream through ``QMPLineFramer`` in uneven
///    chunks; the lines must be exactly those of a naive LF split (one CR
///    dropped before each LF, all CRs after the last line), and every line
///    goes through check 1 and the greeting decoder, as the QMP client does.
/// 3. The same stream through a framer with a small line limit must give a
///    prefix of those lines and then `lineTooLong` only for a line that is
///    really longer than the limit.
enum JSONTarget: FuzzTarget {
  /// Read sizes cycled through when feeding the framer, like short and long `read`s.
  static let chunkSizes = [1, 7, 4096, 2, 61, 1 << 16, 3, 509]
  /// The line limit of the second framer.
  static let smallLimit = 1024
  /// How many framed lines of one input are parsed: each parse allocates a
  /// json-c tokener, and a stream of thousands of empty lines teaches little.
  static let parsedLineLimit = 64

  static func setUp(options: [String: String]) {}

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    checkJSON(bytes)
    let reference = Split(bytes)
    checkFramer(bytes, reference: reference, limit: QMPLineFramer.defaultMaximumLineLength, decodeLines: true)
    checkFramer(bytes, reference: reference, limit: smallLimit, decodeLines: false)
  }

  /// Parse, and when that succeeds, check the round trip through `serialized()`.
  static func checkJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    let value: JSON
    do { value = try JSON.parse(bytes) } catch { return }
    if let number = nonFiniteNumber(in: value) {
      Fuzz.fail(
        "parse accepted a number that is not JSON: \(number)\n"
          + "input: \(Fuzz.quote(String(decoding: bytes, as: UTF8.self)))\nserialized: \(Fuzz.quote(value.serialized()))"
      )
    }
    let compact = value.serialized()
    for (layout, text) in [("compact", compact), ("pretty", value.serialized(.pretty))] {
      let again: JSON
      do {
        again = try JSON.parse(text)
      } catch {
        Fuzz.fail(
          "the \(layout) serialization of a parsed value does not parse: \(error)\n"
            + "input: \(Fuzz.quote(String(decoding: bytes, as: UTF8.self)))\nserialized: \(Fuzz.quote(text))")
      }
      guard again == value else {
        Fuzz.fail(
          "the \(layout) serialization parses to a different value\n"
            + "input: \(Fuzz.quote(String(decoding: bytes, as: UTF8.self)))\nserialized: \(Fuzz.quote(text))\n"
            + "reparsed: \(Fuzz.quote(again.serialized()))")
      }
      let rewritten = again.serialized()
      guard rewritten == compact else {
        Fuzz.fail("writing the reparsed value changes the text: \(Fuzz.quote(compact)) -> \(Fuzz.quote(rewritten))")
      }
    }
    _ = try? QMPGreeting(message: value)
    _ = value.description
  }

  /// The first NaN or infinite number in `value`.
  static func nonFiniteNumber(in value: JSON) -> Double? {
    switch value {
    case .double(let number): return number.isFinite ? nil : number
    case .array(let elements):
      for element in elements { if let number = nonFiniteNumber(in: element) { return number } }
    case .object(let members):
      for member in members { if let number = nonFiniteNumber(in: member.value) { return number } }
    default: break
    }
    return nil
  }

  /// Feed `bytes` to a framer in chunks and compare with `reference`.
  static func checkFramer(_ bytes: UnsafeBufferPointer<UInt8>, reference: Split, limit: Int, decodeLines: Bool) {
    var framer = QMPLineFramer(maximumLineLength: limit)
    var lines: [[UInt8]] = []
    var offset = 0
    var chunk = 0
    func take(_ line: [UInt8]) {
      guard !line.contains(0x0A) else { Fuzz.fail("framer line contains LF: \(line)") }
      guard lines.count < reference.lines.count, line == reference.lines[lines.count] else {
        Fuzz.fail(
          "framer (limit \(limit)) line \(lines.count) is \(Fuzz.quote(String(decoding: line, as: UTF8.self))), "
            + "expected \(lines.count < reference.lines.count ? Fuzz.quote(String(decoding: reference.lines[lines.count], as: UTF8.self)) : "no more lines")"
        )
      }
      lines.append(line)
      if decodeLines && lines.count <= parsedLineLimit { line.withUnsafeBufferPointer { checkJSON($0) } }
    }
    do throws(QMPError) {
      repeat {
        let count = min(chunkSizes[chunk % chunkSizes.count], bytes.count - offset)
        chunk += 1
        framer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])))
        offset += count
        while let line = try framer.nextLine() { take(line) }
      } while offset < bytes.count
    } catch {
      guard error.code == .lineTooLong else { Fuzz.fail("framer threw \(error.code), expected lineTooLong") }
      // The line being framed (with any CR still on it) must really be over the limit.
      let next = lines.count < reference.rawLengths.count ? reference.rawLengths[lines.count] : reference.tail.count
      guard next > limit else {
        Fuzz.fail("framer (limit \(limit)) refused line \(lines.count) of \(next) bytes as too long")
      }
      return
    }
    guard lines.count == reference.lines.count else {
      Fuzz.fail("framer (limit \(limit)) gave \(lines.count) lines, expected \(reference.lines.count)")
    }
    if let tooLong = lines.firstIndex(where: { $0.count > limit }) {
      Fuzz.fail("framer (limit \(limit)) accepted line \(tooLong) of \(lines[tooLong].count) bytes")
    }
    guard framer.pendingByteCount == reference.tail.count else {
      Fuzz.fail("framer holds \(framer.pendingByteCount) bytes, expected \(reference.tail.count)")
    }
    guard reference.tail.count <= limit else {
      Fuzz.fail("framer (limit \(limit)) holds \(reference.tail.count) bytes without complaint")
    }
    let rest = framer.remainder()
    guard rest == reference.remainder else {
      Fuzz.fail(
        "framer remainder is \(rest.map { "\($0.count) bytes" } ?? "nil"), expected \(reference.remainder.map { "\($0.count) bytes" } ?? "nil")"
      )
    }
    guard framer.pendingByteCount == 0, (try? framer.nextLine()) == .some(nil) else {
      Fuzz.fail("framer is not empty after remainder()")
    }
    if decodeLines, let rest { rest.withUnsafeBufferPointer { checkJSON($0) } }
  }

  /// The naive reference framing of a whole stream.
  struct Split {
    /// Complete lines without their LF and without one CR before it.
    var lines: [[UInt8]] = []
    /// The length of each complete line with its CR (if any) but without its LF.
    var rawLengths: [Int] = []
    /// Bytes after the last LF.
    var tail: [UInt8] = []
    /// `tail` without trailing CRs; nil when that is empty.
    var remainder: [UInt8]?

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
      var start = 0
      for index in bytes.indices where bytes[index] == 0x0A {
        var end = index
        rawLengths.append(end - start)
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        lines.append(Array(bytes[start..<end]))
        start = index + 1
      }
      tail = Array(bytes[start...])
      var rest = tail[...]
      while rest.last == 0x0D { rest = rest.dropLast() }
      remainder = rest.isEmpty ? nil : Array(rest)
    }
  }
}
