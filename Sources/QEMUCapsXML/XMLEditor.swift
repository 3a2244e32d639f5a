import CLibXML2

/// Edits an XML document in place through libxml2, keeping what it does not touch
/// as it was: element order, comments, attributes and their order, the whitespace
/// between elements, the byte order mark and XML declaration (verbatim), and the
/// line ends. Inserted elements take the indentation of their new siblings. What
/// libxml2's tree does not keep is normalized: every attribute is written with the
/// quote the input uses most, character references are written as the characters,
/// empty elements as `<x/>`, namespace declarations after the other attributes,
/// every line end as the one the input uses most (CRLF, LF or CR), and the nodes
/// around the root element one line apart.
///
/// Parse only documents ``XMLTree`` has accepted: this type also refuses DTDs and
/// entities, but it does not repeat every check. Not thread-safe; one owner at a time.
package final class XMLEditor {
  /// An element of the document; valid while its editor lives and it is not removed.
  package struct Element: Hashable {
    let node: xmlNodePtr
  }

  let document: xmlDocPtr
  /// The file name, for errors.
  let file: String
  /// Whether the input began with a UTF-8 byte order mark.
  let byteOrderMark: Bool
  /// The input's XML declaration, verbatim, when it had one.
  let declaration: [UInt8]?
  /// The line end the input uses most: CRLF, LF or CR (libxml2 reads each as LF).
  let lineEnd: [UInt8]
  /// Whether the input ended with a line end.
  let endsWithLineEnd: Bool
  /// The quote the input uses most around attribute values (`'` in libvirt's own output).
  let quote: Character
  /// Whether any edit was made: an unedited document is best written as the input bytes.
  package internal(set) var isModified = false

  /// Parse `bytes` of the file called `file`, keeping whitespace and comments.
  ///
  /// - Throws: ``XMLError`` when the text is not well-formed or uses a DTD or entities.
  package init(_ bytes: [UInt8], file: String) throws(XMLError) {
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
    self.file = file
    byteOrderMark = bytes.starts(with: Self.utf8ByteOrderMark)
    declaration = Self.declaration(in: bytes)
    lineEnd = Self.prevailingLineEnd(in: bytes)
    endsWithLineEnd = bytes.last == UInt8(ascii: "\n") || bytes.last == UInt8(ascii: "\r")
    quote = Self.prevailingQuote(in: bytes)
    if Self.containsEntityReference(xmlDocGetRootElement(parsed)) {
      xmlFreeDoc(parsed)
      throw XMLError(.forbiddenConstruct, file: file, line: nil, message: "entity references are not accepted")
    }
  }

  deinit { xmlFreeDoc(document) }

  // MARK: - Reading

  /// The root element.
  package var root: Element {
    // The initializer checked that there is one.
    Element(node: xmlDocGetRootElement(document))
  }

  /// The element's local name (without prefix).
  package func name(of element: Element) -> String {
    String(cString: element.node.pointee.name)
  }

  /// The namespace URI of the element, if it has one.
  package func namespace(of element: Element) -> String? {
    element.node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
  }

  /// The 1-based line the element starts on.
  package func line(of element: Element) -> Int {
    Int(xmlGetLineNo(element.node))
  }

  /// The child elements, in document order.
  package func children(of element: Element) -> [Element] {
    var result: [Element] = []
    var child = element.node.pointee.children
    while let current = child {
      if current.pointee.type == XML_ELEMENT_NODE { result.append(Element(node: current)) }
      child = current.pointee.next
    }
    return result
  }

  /// The child elements named `name` in no namespace (or in `namespace`).
  package func children(of element: Element, named name: String, namespace: String? = nil) -> [Element] {
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
  package func attribute(_ name: String, of element: Element) -> String? {
    firstAttribute(name, of: element).map(XMLTree.value(of:))
  }

  /// Whether the element holds anything but whitespace: elements, comments, text.
  package func hasContent(_ element: Element) -> Bool {
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
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory.
  package func setAttribute(_ name: String, to value: String, of element: Element) throws(XMLError) {
    isModified = true
    let set =
      if let existing = firstAttribute(name, of: element) {
        xmlSetNsProp(element.node, existing.pointee.ns, name, value)
      } else {
        xmlSetProp(element.node, name, value)
      }
    _ = try allocated(set)
  }

  /// Remove the element, with the whitespace that indents it.
  package func remove(_ element: Element) {
    removeNode(element.node)
  }

  /// Append a new element as the last child element of `parent`, indented like its
  /// siblings (or one step deeper than `parent` when it has none).
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory; nothing is added then.
  @discardableResult
  package func append(
    _ name: String, to parent: Element, attributes: [(String, String)] = [], namespace: String? = nil,
    prefix: String = "ns"
  ) throws(XMLError) -> Element {
    let element = try makeElement(name, in: parent.node, attributes: attributes, namespace: namespace, prefix: prefix)
    try appendNode(element, to: parent)
    return Element(node: element)
  }

  /// Insert a new element right after `sibling`, with the same indentation.
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory; nothing is added then.
  @discardableResult
  package func insert(
    _ name: String, after sibling: Element, attributes: [(String, String)] = [], namespace: String? = nil,
    prefix: String = "ns"
  ) throws(XMLError) -> Element {
    let parent = sibling.node.pointee.parent
    let element = try makeElement(name, in: parent, attributes: attributes, namespace: namespace, prefix: prefix)
    let indent: xmlNodePtr
    do {
      indent = try text("\n" + ownIndent(of: sibling))
    } catch {
      xmlFreeNode(element)
      throw error
    }
    isModified = true
    xmlAddNextSibling(sibling.node, element)
    xmlAddPrevSibling(element, indent)
    return Element(node: element)
  }

  // MARK: - Helpers

  /// `pointer`, or the error for libxml2 being out of memory when it is `nil`.
  func allocated<T>(_ pointer: UnsafeMutablePointer<T>?) throws(XMLError) -> UnsafeMutablePointer<T> {
    guard let pointer else {
      throw XMLError(.unreadable, file: file, line: nil, message: "libxml2 could not allocate memory for an edit")
    }
    return pointer
  }

  /// Append `node` after the last child element of `parent`, indented like its
  /// siblings (or one step deeper than `parent` when it has none); `node` is freed
  /// when that fails.
  private func appendNode(_ node: xmlNodePtr, to parent: Element) throws(XMLError) {
    let before: xmlNodePtr
    let after: xmlNodePtr
    do {
      before = try text("\n" + childIndent(of: parent))
      after = try text("\n" + ownIndent(of: parent))
    } catch {
      xmlFreeNode(node)
      throw error
    }
    isModified = true
    if let last = children(of: parent).last {
      xmlFreeNode(after)
      xmlAddNextSibling(last.node, node)
      xmlAddPrevSibling(node, before)
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
      xmlAddChild(parent.node, before)
      xmlAddChild(parent.node, node)
      xmlAddChild(parent.node, after)
    }
  }

  /// Unlink and free `node`, with the whitespace text right before it (its indentation).
  func removeNode(_ node: xmlNodePtr) {
    isModified = true
    if let previous = node.pointee.prev, previous.pointee.type == XML_TEXT_NODE, Self.isWhitespace(previous) {
      xmlUnlinkNode(previous)
      xmlFreeNode(previous)
    }
    xmlUnlinkNode(node)
    xmlFreeNode(node)
  }

  /// A new, unlinked element.
  private func makeElement(
    _ name: String, in parent: xmlNodePtr?, attributes: [(String, String)], namespace: String?, prefix: String
  ) throws(XMLError) -> xmlNodePtr {
    let element = try allocated(xmlNewDocNode(document, nil, name, nil))
    do {
      if let namespace {
        xmlSetNs(element, try binding(for: namespace, in: parent, declaringOn: element, preferred: prefix))
      }
      for (attribute, value) in attributes { _ = try allocated(xmlSetProp(element, attribute, value)) }
    } catch {
      xmlFreeNode(element)
      throw error
    }
    return element
  }

  /// The namespace a new child `element` of `parent` is written with so that it is in
  /// `href`: the prefix (or default namespace) bound to `href` where `parent` is —
  /// not on the root, where the same prefix may mean something else (`<x:commandline
  /// xmlns:x='…' xmlns:qemu='urn:other'>`). With no such binding, a new declaration:
  /// on the root for a child of the root (`preferred`, or `preferred2`… when the root
  /// binds it already), else on `element` itself, where `preferred` shadows any other.
  private func binding(for href: String, in parent: xmlNodePtr?, declaringOn element: xmlNodePtr, preferred: String)
    throws(XMLError) -> xmlNsPtr
  {
    // xmlSearchNsByHref skips a prefix that an element between `parent` and its
    // declaration binds to something else.
    if let existing = xmlSearchNsByHref(document, parent, href) { return existing }
    let root = xmlDocGetRootElement(document)
    guard parent == root else {
      // A declaration on the element itself cannot clash with anything.
      return try allocated(xmlNewNs(element, href, preferred))
    }
    var candidate = preferred
    var number = 1
    while xmlSearchNs(document, root, candidate) != nil {
      number += 1
      candidate = "\(preferred)\(number)"
    }
    isModified = true
    // xmlNewNs fails only for a duplicate prefix (excluded above) or out of memory.
    return try allocated(xmlNewNs(root, href, candidate))
  }

  /// A new, unlinked text node.
  func text(_ content: String) throws(XMLError) -> xmlNodePtr {
    try allocated(xmlNewDocText(document, content))
  }

  /// The indentation of an element: the spaces after the last newline before it.
  func ownIndent(of element: Element) -> String {
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

  static func isWhitespace(_ node: xmlNodePtr) -> Bool {
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
