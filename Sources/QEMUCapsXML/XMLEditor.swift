import CLibXML2

/// Edits an XML document in place through libxml2, keeping what it does not touch
/// as it was: element order, comments, attributes and their order, and the
/// whitespace between elements. Inserted elements take the indentation of their
/// new siblings. What libxml2's tree does not keep is normalized: every attribute
/// is written with the quote the input uses most, character references are written
/// as the characters, empty elements as `<x/>`, and namespace declarations after
/// the other attributes.
///
/// Parse only documents ``XMLTree`` has accepted: this type also refuses DTDs and
/// entities, but it does not repeat every check. Not thread-safe; one owner at a time.
public final class XMLEditor {
  /// An element of the document; valid while its editor lives and it is not removed.
  public struct Element: Hashable {
    let node: xmlNodePtr
  }

  let document: xmlDocPtr
  /// The input's XML declaration, verbatim, when it had one.
  let declaration: String?
  /// Whether the input ended with a newline.
  let endsWithNewline: Bool
  /// The quote the input uses most around attribute values (`'` in libvirt's own output).
  let quote: Character
  /// Whether any edit was made: an unedited document is best written as the input bytes.
  public private(set) var isModified = false

  /// Parse `bytes` of the file called `file`, keeping whitespace and comments.
  ///
  /// - Throws: ``XMLError`` when the text is not well-formed or uses a DTD or entities.
  public init(_ bytes: [UInt8], file: String) throws(XMLError) {
    guard bytes.count <= XMLTree.maximumSize else {
      throw XMLError(
        .tooLarge, file: file, line: nil, message: "the document is larger than \(XMLTree.maximumSize) bytes")
    }
    xmlSetStructuredErrorFunc(nil, { _, _ in })
    guard let context = xmlNewParserCtxt() else {
      throw XMLError(.unreadable, file: file, line: nil, message: "libxml2 could not allocate a parser")
    }
    defer { xmlFreeParserCtxt(context) }
    let options = Int32(XMLTree.readOptions)
    let parsed = bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, nil, options)
      }
    }
    guard let parsed else {
      throw XMLError(.malformed, file: file, line: nil, message: "not well-formed XML")
    }
    guard parsed.pointee.intSubset == nil, parsed.pointee.extSubset == nil, xmlDocGetRootElement(parsed) != nil else {
      xmlFreeDoc(parsed)
      throw XMLError(.forbiddenConstruct, file: file, line: nil, message: "DOCTYPE declarations are not accepted")
    }
    document = parsed
    declaration = Self.declaration(in: bytes)
    endsWithNewline = bytes.last == UInt8(ascii: "\n")
    quote = Self.prevailingQuote(in: bytes)
    if Self.containsEntityReference(xmlDocGetRootElement(parsed)) {
      xmlFreeDoc(parsed)
      throw XMLError(.forbiddenConstruct, file: file, line: nil, message: "entity references are not accepted")
    }
  }

  deinit { xmlFreeDoc(document) }

  // MARK: - Reading

  /// The root element.
  public var root: Element {
    // The initializer checked that there is one.
    Element(node: xmlDocGetRootElement(document))
  }

  /// The element's local name (without prefix).
  public func name(of element: Element) -> String {
    String(cString: element.node.pointee.name)
  }

  /// The namespace URI of the element, if it has one.
  public func namespace(of element: Element) -> String? {
    element.node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
  }

  /// The 1-based line the element starts on.
  public func line(of element: Element) -> Int {
    Int(xmlGetLineNo(element.node))
  }

  /// The child elements, in document order.
  public func children(of element: Element) -> [Element] {
    var result: [Element] = []
    var child = element.node.pointee.children
    while let current = child {
      if current.pointee.type == XML_ELEMENT_NODE { result.append(Element(node: current)) }
      child = current.pointee.next
    }
    return result
  }

  /// The child elements named `name` in no namespace (or in `namespace`).
  public func children(of element: Element, named name: String, namespace: String? = nil) -> [Element] {
    children(of: element).filter { self.name(of: $0) == name && self.namespace(of: $0) == namespace }
  }

  /// The first attribute whose local name is `name`, whatever its namespace, as
  /// libvirt reads attributes (`xmlGetProp`) and as ``XMLElement`` does.
  private func firstAttribute(_ name: String, of element: Element) -> xmlAttrPtr? {
    var attribute = element.node.pointee.properties
    while let current = attribute {
      if let local = current.pointee.name, String(cString: local) == name { return current }
      attribute = current.pointee.next
    }
    return nil
  }

  /// The value of the attribute `name` (the first with that local name, whatever its
  /// namespace), if present.
  public func attribute(_ name: String, of element: Element) -> String? {
    guard let attribute = firstAttribute(name, of: element) else { return nil }
    var value = ""
    var part = attribute.pointee.children
    while let current = part {
      if let content = current.pointee.content { value += String(cString: content) }
      part = current.pointee.next
    }
    return value
  }

  /// Whether the element holds anything but whitespace: elements, comments, text.
  public func hasContent(_ element: Element) -> Bool {
    var child = element.node.pointee.children
    while let current = child {
      if current.pointee.type != XML_TEXT_NODE || !Self.isWhitespace(current) { return true }
      child = current.pointee.next
    }
    return false
  }

  // MARK: - Editing

  /// Set the attribute `name` (the one ``attribute(_:of:)`` reads, in its namespace),
  /// or add it in no namespace after the others.
  public func setAttribute(_ name: String, to value: String, of element: Element) {
    isModified = true
    if let existing = firstAttribute(name, of: element) {
      xmlSetNsProp(element.node, existing.pointee.ns, name, value)
    } else {
      xmlSetProp(element.node, name, value)
    }
  }

  /// Remove the element, with the whitespace that indents it.
  public func remove(_ element: Element) {
    isModified = true
    if let previous = element.node.pointee.prev, previous.pointee.type == XML_TEXT_NODE, Self.isWhitespace(previous) {
      xmlUnlinkNode(previous)
      xmlFreeNode(previous)
    }
    xmlUnlinkNode(element.node)
    xmlFreeNode(element.node)
  }

  /// Append a new element as the last child element of `parent`, indented like its
  /// siblings (or one step deeper than `parent` when it has none).
  @discardableResult
  public func append(
    _ name: String, to parent: Element, attributes: [(String, String)] = [], namespace: String? = nil,
    prefix: String = "ns"
  ) -> Element {
    isModified = true
    let element = makeElement(name, attributes: attributes, namespace: namespace, prefix: prefix)
    let indent = childIndent(of: parent)
    if let last = children(of: parent).last {
      xmlAddNextSibling(last.node, element)
      xmlAddPrevSibling(element, text("\n" + indent))
    } else {
      // Only whitespace (or nothing) inside: rebuild it around the new child.
      var child = parent.node.pointee.children
      while let current = child {
        child = current.pointee.next
        if current.pointee.type == XML_TEXT_NODE && Self.isWhitespace(current) {
          xmlUnlinkNode(current)
          xmlFreeNode(current)
        }
      }
      xmlAddChild(parent.node, text("\n" + indent))
      xmlAddChild(parent.node, element)
      xmlAddChild(parent.node, text("\n" + ownIndent(of: parent)))
    }
    return Element(node: element)
  }

  /// Insert a new element right after `sibling`, with the same indentation.
  @discardableResult
  public func insert(
    _ name: String, after sibling: Element, attributes: [(String, String)] = [], namespace: String? = nil,
    prefix: String = "ns"
  ) -> Element {
    isModified = true
    let element = makeElement(name, attributes: attributes, namespace: namespace, prefix: prefix)
    xmlAddNextSibling(sibling.node, element)
    xmlAddPrevSibling(element, text("\n" + ownIndent(of: sibling)))
    return Element(node: element)
  }

  /// The prefix bound to `namespace` on the root element, declaring it there
  /// (as `preferred`, or `preferred` plus a number when that prefix is taken) if needed.
  public func declareNamespace(_ namespace: String, preferred: String) -> String {
    rootNamespace(namespace, preferred: preferred).pointee.prefix.map { String(cString: $0) } ?? preferred
  }

  // MARK: - Helpers

  private func makeElement(_ name: String, attributes: [(String, String)], namespace: String?, prefix: String)
    -> xmlNodePtr
  {
    let ns = namespace.map { rootNamespace($0, preferred: prefix) }
    let element = xmlNewDocNode(document, ns, name, nil)
    for (attribute, value) in attributes { xmlSetProp(element, attribute, value) }
    // libxml2 only returns nil here when out of memory.
    return element!
  }

  private func rootNamespace(_ href: String, preferred: String) -> xmlNsPtr {
    let root = xmlDocGetRootElement(document)
    if let existing = xmlSearchNsByHref(document, root, href) { return existing }
    isModified = true
    var candidate = preferred
    var number = 1
    while xmlSearchNs(document, root, candidate) != nil {
      number += 1
      candidate = "\(preferred)\(number)"
    }
    // xmlNewNs fails only for a duplicate prefix (excluded above) or out of memory.
    return xmlNewNs(root, href, candidate)!
  }

  private func text(_ content: String) -> xmlNodePtr {
    xmlNewDocText(document, content)!
  }

  /// The indentation of an element: the spaces after the last newline before it.
  private func ownIndent(of element: Element) -> String {
    guard let previous = element.node.pointee.prev, previous.pointee.type == XML_TEXT_NODE,
      let content = previous.pointee.content
    else { return "" }
    let text = String(cString: content)
    guard let newline = text.lastIndex(of: "\n") else { return "" }
    return String(text[text.index(after: newline)...])
  }

  /// The indentation children of `parent` have, or should have.
  private func childIndent(of parent: Element) -> String {
    for child in children(of: parent) {
      if let previous = child.node.pointee.prev, previous.pointee.type == XML_TEXT_NODE,
        let content = previous.pointee.content, String(cString: content).contains("\n")
      {
        return ownIndent(of: child)
      }
    }
    return ownIndent(of: parent) + indentUnit
  }

  /// One level of indentation, as the root's children show it (two spaces by default).
  private var indentUnit: String {
    let unit = children(of: root).lazy.compactMap { child -> String? in
      let indent = self.ownIndent(of: child)
      return indent.isEmpty ? nil : indent
    }.first
    return unit ?? "  "
  }

  private static func isWhitespace(_ node: xmlNodePtr) -> Bool {
    guard let content = node.pointee.content else { return true }
    var pointer = content
    while pointer.pointee != 0 {
      switch pointer.pointee {
      case 0x20, 0x09, 0x0A, 0x0D: pointer += 1
      default: return false
      }
    }
    return true
  }

  private static func containsEntityReference(_ node: xmlNodePtr?) -> Bool {
    var child = node?.pointee.children
    while let current = child {
      if current.pointee.type == XML_ENTITY_REF_NODE || current.pointee.type == XML_ENTITY_NODE { return true }
      if current.pointee.type == XML_ELEMENT_NODE && containsEntityReference(current) { return true }
      child = current.pointee.next
    }
    return false
  }
}
