import CLibXML2

extension XMLEditor {
  /// The document as UTF-8 bytes: the input's XML declaration (verbatim) when it had
  /// one, the top-level comments and processing instructions, the root element, and
  /// a final newline only when the input ended with one.
  public func serialized() -> [UInt8] {
    var out = ""
    if let declaration { out += declaration + "\n" }
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
    if endsWithNewline { out += "\n" }
    return Array(out.utf8)
  }

  private func write(_ node: xmlNodePtr, to out: inout String) {
    switch node.pointee.type {
    case XML_ELEMENT_NODE:
      let name = qualifiedName(node.pointee.name, node.pointee.ns)
      out += "<" + name
      var attribute = node.pointee.properties
      while let current = attribute {
        var value = ""
        var part = current.pointee.children
        while let text = part {
          if let content = text.pointee.content { value += String(cString: content) }
          part = text.pointee.next
        }
        out += " \(qualifiedName(current.pointee.name, current.pointee.ns))=\(quoted(value))"
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
      // split it again, or the output would not be well-formed.
      var section = ""
      for character in content(node) {
        if character == ">" && section.hasSuffix("]]") { section += "]]><![CDATA[" }
        section.append(character)
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

  private func quoted(_ value: String) -> String {
    var result = String(quote)
    for character in value {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case "\n": result += "&#10;"
      case "\r": result += "&#13;"
      case "\r\n": result += "&#13;&#10;"
      case "\t": result += "&#9;"
      case quote: result += quote == "'" ? "&apos;" : "&quot;"
      default: result.append(character)
      }
    }
    return result + String(quote)
  }

  /// Text content: `&` and `<` escaped, and `>` where it would close `]]>`.
  private func escapedText(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">" where result.hasSuffix("]]"): result += "&gt;"
      case "\r": result += "&#13;"
      default: result.append(character)
      }
    }
    return result
  }

  /// `<?xml ...?>` at the start of `bytes` (after a byte order mark), verbatim.
  static func declaration(in bytes: [UInt8]) -> String? {
    let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
    let text = bytes[start...].prefix(512)
    guard
      let end = text.indices.first(where: {
        text[$0] == UInt8(ascii: "?") && $0 + 1 < text.endIndex && text[$0 + 1] == UInt8(ascii: ">")
      })
    else { return nil }
    let declaration = String(decoding: bytes[start...(end + 1)], as: UTF8.self)
    // The output is UTF-8: keep another encoding's declaration out of it.
    let lowered = declaration.lowercased()
    if lowered.contains("encoding") && !lowered.contains("utf-8") && !lowered.contains("utf8") {
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    }
    return declaration
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
