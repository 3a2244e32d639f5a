import CLibXML2

extension XMLEditor {
  /// The UTF-8 byte order mark.
  static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// The document as UTF-8 bytes (as it was read, whatever its declaration says): the
  /// input's byte order mark and XML declaration (verbatim) when it had them, the
  /// top-level comments and processing instructions, the root element, and a final
  /// line end only when the input ended with one; every line end is the input's.
  package func serialized() -> [UInt8] {
    var out = ""
    var node = document.pointee.children
    var first = true
    while let current = node {
      if current.pointee.type != XML_DTD_NODE {
        if !first { out += "\n" }
        first = false
        write(current, to: &out)
      }
      node = current.pointee.next
    }
    if endsWithLineEnd { out += "\n" }
    var bytes = byteOrderMark ? Self.utf8ByteOrderMark : []
    if let declaration { bytes += declaration + lineEnd }
    // Every carriage return in content is written as &#13;, so each LF here is a line
    // end that libxml2 read (from CRLF, LF or CR) or that an edit added.
    for byte in out.utf8 {
      if byte == UInt8(ascii: "\n") { bytes += lineEnd } else { bytes.append(byte) }
    }
    return bytes
  }

  private func write(_ node: xmlNodePtr, to out: inout String) {
    switch node.pointee.type {
    case XML_ELEMENT_NODE:
      let name = qualifiedName(node.pointee.name, node.pointee.ns)
      out += "<" + name
      var attribute = node.pointee.properties
      while let current = attribute {
        out += " \(qualifiedName(current.pointee.name, current.pointee.ns))=\(quoted(XMLTree.value(of: current)))"
        attribute = current.pointee.next
      }
      var declared = node.pointee.nsDef
      while let ns = declared {
        let prefix = ns.pointee.prefix.map { ":" + String(cString: $0) } ?? ""
        out += " xmlns\(prefix)=\(quoted(ns.pointee.href.map { String(cString: $0) } ?? ""))"
        declared = ns.pointee.next
      }
      guard var child = node.pointee.children else {
        out += "/>"
        return
      }
      out += ">"
      while true {
        write(child, to: &out)
        guard let next = child.pointee.next else { break }
        child = next
      }
      out += "</\(name)>"
    case XML_TEXT_NODE:
      out += escapedText(content(node))
    case XML_CDATA_SECTION_NODE:
      // libxml2 joins adjacent CDATA sections into one node, which may then hold "]]>":
      // split it again, or the output would not be well-formed. Unicode scalars, not
      // characters: a combining mark after ">" makes one character of the two.
      var section = ""
      for scalar in content(node).unicodeScalars {
        if scalar == ">" && section.utf8.suffix(2).elementsEqual("]]".utf8) { section += "]]><![CDATA[" }
        section.unicodeScalars.append(scalar)
      }
      out += "<![CDATA[\(section)]]>"
    case XML_COMMENT_NODE:
      out += "<!--\(content(node))-->"
    case XML_PI_NODE:
      let target = String(cString: node.pointee.name)
      let body = content(node)
      out += body.isEmpty ? "<?\(target)?>" : "<?\(target) \(body)?>"
    default:
      break
    }
  }

  private func content(_ node: xmlNodePtr) -> String {
    node.pointee.content.map { String(cString: $0) } ?? ""
  }

  private func qualifiedName(_ name: UnsafePointer<xmlChar>?, _ ns: xmlNsPtr?) -> String {
    let local = name.map { String(cString: $0) } ?? ""
    guard let prefix = ns?.pointee.prefix else { return local }
    return String(cString: prefix) + ":" + local
  }

  /// An attribute value in the input's prevailing quote; line ends and tabs as
  /// references, which attribute value normalization would turn into spaces.
  private func quoted(_ value: String) -> String {
    let escaped = value.markupEscaped { "\n\r\t".unicodeScalars.contains($0) || Character($0) == quote }
    return String(quote) + escaped + String(quote)
  }

  /// Text content: `&` and `<` escaped, `>` where it would close `]]>`, and a carriage
  /// return as `&#13;` (a raw one would be read back as a line end).
  private func escapedText(_ text: String) -> String {
    var previous: (Unicode.Scalar?, Unicode.Scalar?) = (nil, nil)
    return text.markupEscaped { scalar in
      defer { previous = (previous.1, scalar) }
      return scalar == "\r" || (scalar == ">" && previous == ("]", "]"))
    }
  }

  /// `<?xml ...?>` at the start of `bytes` (after a byte order mark), verbatim. The
  /// encoding it names stays as it was: qemu-caps reads every document as UTF-8, as
  /// libvirt reads domains (``XMLTree``), so the output is read as the input was.
  static func declaration(in bytes: [UInt8]) -> [UInt8]? {
    let text = bytes[(bytes.starts(with: utf8ByteOrderMark) ? 3 : 0)...]
    guard text.starts(with: Array("<?xml".utf8)) else { return nil }
    guard
      let end = text.indices.first(where: {
        text[$0] == UInt8(ascii: "?") && $0 + 1 < text.endIndex && text[$0 + 1] == UInt8(ascii: ">")
      })
    else { return nil }
    return Array(text[...(end + 1)])
  }

  /// The line end `bytes` use most (CRLF, LF or CR); LF when they have none.
  static func prevailingLineEnd(in bytes: [UInt8]) -> [UInt8] {
    var (crlf, lf, cr) = (0, 0, 0)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "\r") {
        if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") {
          crlf += 1
          index += 1
        } else {
          cr += 1
        }
      } else if bytes[index] == UInt8(ascii: "\n") {
        lf += 1
      }
      index += 1
    }
    if crlf > lf && crlf >= cr { return Array("\r\n".utf8) }
    if cr > lf && cr > crlf { return [UInt8(ascii: "\r")] }
    return [UInt8(ascii: "\n")]
  }

  /// `'` when more attribute values in `bytes` open with `='` than with `="`, else `"`.
  static func prevailingQuote(in bytes: [UInt8]) -> Character {
    var single = 0
    var double = 0
    var previous: UInt8 = 0
    for byte in bytes {
      if previous == UInt8(ascii: "=") {
        if byte == UInt8(ascii: "'") { single += 1 } else if byte == UInt8(ascii: "\"") { double += 1 }
      }
      previous = byte
    }
    return single > double ? "'" : "\""
  }
}
