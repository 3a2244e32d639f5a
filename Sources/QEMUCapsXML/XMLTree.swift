import CLibXML2

/// Parses XML through libxml2 into ``XMLElement`` values, refusing what could
/// make reading unsafe.
///
/// No DTD is loaded or allowed, no entity is substituted, nothing is fetched
/// from the network, and inputs over ``maximumSize`` bytes are refused before
/// parsing. libxml2 itself bounds nesting depth.
package enum XMLTree {
  /// The largest document accepted, in bytes.
  package static let maximumSize = 16 << 20

  /// The most attributes (namespace declarations included) one element may have.
  ///
  /// libxml2's duplicate-attribute check is quadratic in this number; real libvirt
  /// domains and capability files use fewer than 30.
  package static let maximumAttributesPerElement = 64

  /// Parse `bytes` of the document called `file` and return its root element.
  ///
  /// - Throws: ``XMLError`` naming `file` and the line of the problem.
  package static func parse(_ bytes: [UInt8], file: String) throws(XMLError) -> XMLElement {
    guard bytes.count <= maximumSize else {
      throw XMLError(
        .tooLarge, file: file, line: nil,
        message: "the document is \(bytes.count) bytes; at most \(maximumSize) are accepted")
    }
    guard !bytes.isEmpty else { throw XMLError(.malformed, file: file, line: 1, message: "the document is empty") }
    if isUTF16(bytes) {
      throw XMLError(
        .malformed, file: file, line: 1,
        message: "the document is UTF-16, but \(utf8Only); convert it with 'iconv -f UTF-16 -t UTF-8'")
    }
    if let line = XMLPreScan.elementWithTooManyAttributes(bytes, limit: maximumAttributesPerElement) {
      throw XMLError(
        .tooLarge, file: file, line: line,
        message:
          "an element has more than \(maximumAttributesPerElement) attributes; at most \(maximumAttributesPerElement) are accepted"
      )
    }
    // libxml2 still prints some errors (encoding errors) despite XML_PARSE_NOERROR;
    // a structured handler, set per thread, silences them. Errors are read from the context.
    xmlSetStructuredErrorFunc(nil, { _, _ in })
    guard let context = xmlNewParserCtxt() else {
      throw XMLError(.unreadable, file: file, line: nil, message: "libxml2 could not allocate a parser")
    }
    defer { xmlFreeParserCtxt(context) }
    let options = Int32(readOptions | XML_PARSE_NOBLANKS.rawValue)
    let document = bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, nil, options)
      }
    }
    guard let document else {
      // A document with a DOCTYPE is refused whatever else is wrong with it
      // (libxml2 stops entity bombs itself, with a less telling message).
      if let line = firstLine(of: "<!DOCTYPE", in: bytes) {
        throw XMLError(.forbiddenConstruct, file: file, line: line, message: doctypeRefusal)
      }
      throw lastError(of: context, file: file)
    }
    defer { xmlFreeDoc(document) }
    if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
      throw XMLError(
        .forbiddenConstruct, file: file, line: firstLine(of: "<!DOCTYPE", in: bytes), message: doctypeRefusal)
    }
    guard let root = xmlDocGetRootElement(document) else {
      throw XMLError(.malformed, file: file, line: nil, message: "the document has no root element")
    }
    return try convert(root, file: file)
  }

  /// libxml2's options for every document qemu-caps reads: no network, no messages of
  /// its own, and UTF-8 whatever the XML declaration says, as libvirt reads domain XML
  /// (libvirt 9.0 refuses a Latin-1 domain that declares its encoding, and accepts a
  /// UTF-8 one that declares UTF-16); UTF-16 is refused before libxml2 runs.
  static let readOptions =
    XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
    | XML_PARSE_IGNORE_ENC.rawValue

  /// Why a document must be UTF-8, for messages.
  static let utf8Only =
    "qemu-caps reads XML as UTF-8 whatever its encoding declaration says, as libvirt reads domain XML"

  /// Whether `bytes` start like UTF-16: a byte order mark, or `<` next to a zero byte.
  static func isUTF16(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2 else { return false }
    let (first, second) = (bytes[0], bytes[1])
    return (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF)
      || (first == UInt8(ascii: "<") && second == 0) || (first == 0 && second == UInt8(ascii: "<"))
  }

  /// An attribute's value: without entities, its text children, read in place.
  static func value(of attribute: xmlAttrPtr) -> String {
    var value = ""
    var text = attribute.pointee.children
    while let part = text {
      if let content = part.pointee.content { value += String(cString: content) }
      text = part.pointee.next
    }
    return value
  }

  private static let doctypeRefusal =
    "DOCTYPE declarations are not accepted (they can expand entities or read other files)"

  private static func convert(_ node: xmlNodePtr, file: String) throws(XMLError) -> XMLElement {
    let line = Int(xmlGetLineNo(node))
    let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
    var element = XMLElement(name: string(node.pointee.name), namespace: namespace, line: line)
    var attribute = node.pointee.properties
    while let current = attribute {
      element.attributes.append((string(current.pointee.name), value(of: current)))
      attribute = current.pointee.next
    }
    var child = node.pointee.children
    while let current = child {
      switch current.pointee.type {
      case XML_ELEMENT_NODE:
        element.children.append(try convert(current, file: file))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = current.pointee.content { element.text += String(cString: content) }
      case XML_ENTITY_REF_NODE, XML_ENTITY_NODE:
        throw XMLError(
          .forbiddenConstruct, file: file, line: Int(xmlGetLineNo(current)),
          message: "entity references are not accepted")
      default:
        break
      }
      child = current.pointee.next
    }
    return element
  }

  private static func lastError(of context: xmlParserCtxtPtr, file: String) -> XMLError {
    guard let error = xmlCtxtGetLastError(context) else {
      return XMLError(.malformed, file: file, line: nil, message: "not well-formed XML")
    }
    var message = error.pointee.message.map { String(cString: $0) } ?? "not well-formed XML"
    while message.last == "\n" || message.last == " " { message.removeLast() }
    // libxml2 writes some messages on two lines ("…indicate encoding !\nBytes: 0xE9 …").
    message = message.split(separator: "\n").joined(separator: "; ")
    if message.contains("not proper UTF-8") {
      message += "; \(utf8Only): convert the file to UTF-8, e.g. with 'iconv -f ISO-8859-1 -t UTF-8'"
    }
    let line = error.pointee.line > 0 ? Int(error.pointee.line) : nil
    let code: XMLError.Code =
      message.contains("Entity") || message.contains("entity") ? .forbiddenConstruct : .malformed
    if message.contains("Huge input lookup") {
      // libxml2's XML_MAX_LOOKUP_LIMIT: without XML_PARSE_HUGE (never set here, so
      // that its other limits stay) it keeps at most 10,000,000 bytes it cannot release.
      message +=
        " (libxml2 keeps at most 10,000,000 bytes of input it cannot release yet, which many namespace declarations can reach below the 10 MiB size limit; make the document smaller)"
    }
    return XMLError(code, file: file, line: line, message: "not well-formed XML: \(message)")
  }

  private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }

  private static func firstLine(of marker: String, in bytes: [UInt8]) -> Int? {
    let needle = Array(marker.utf8)
    guard bytes.count >= needle.count else { return nil }
    var line = 1
    for index in 0...(bytes.count - needle.count) {
      if bytes[index] == 0x0A { line += 1 }
      if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle { return line }
    }
    return nil
  }
}
