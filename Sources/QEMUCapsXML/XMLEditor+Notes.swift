import CLibXML2

extension XMLEditor {
  /// A comment or processing instruction taken out of the document, to be put back
  /// elsewhere with ``insertNotes(_:before:)``.
  package struct Note: Sendable, Hashable {
    /// The processing instruction's target; `nil` for a comment.
    let target: String?
    /// The text between `<!--` and `-->`, or after the target.
    let content: String
  }

  /// Remove the comments and processing instructions that explain `element` and return
  /// them, in document order, so that they can go where its setting goes: those right
  /// before it (back to the previous element, leaving one on that element's own line to
  /// it), those inside it, and those after it on its own line.
  ///
  /// The element itself stays; remove it afterwards.
  package func takeNotes(of element: Element) -> [Note] {
    var before: [xmlNodePtr] = []
    var node = element.node.pointee.prev
    while let current = node {
      if current.pointee.type == XML_TEXT_NODE && Self.isWhitespace(current) {
        node = current.pointee.prev
      } else if Self.isNote(current) && !Self.followsOnItsLine(current) {
        before.insert(current, at: 0)
        node = current.pointee.prev
      } else {
        break
      }
    }
    var after: [xmlNodePtr] = []
    node = element.node.pointee.next
    while let current = node {
      if current.pointee.type == XML_TEXT_NODE && Self.isWhitespace(current) && !Self.containsNewline(current) {
        node = current.pointee.next
      } else if Self.isNote(current) {
        after.append(current)
        node = current.pointee.next
      } else {
        break
      }
    }
    return take(before + Self.notes(under: element.node) + after)
  }

  /// Remove every comment and processing instruction inside `element`, at any depth,
  /// and return them in document order.
  package func takeNotes(in element: Element) -> [Note] {
    take(Self.notes(under: element.node))
  }

  /// Insert notes right before `element`, each on a line of its own indented like
  /// `element` (or right before it on its line, when it does not start a line).
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory.
  package func insertNotes(_ notes: [Note], before element: Element) throws(XMLError) {
    let startsLine = element.node.pointee.prev.map { $0.pointee.type == XML_TEXT_NODE && Self.containsNewline($0) }
    let separator = startsLine == true ? "\n" + ownIndent(of: element) : nil
    for note in notes {
      let node = try allocated(
        note.target.map { xmlNewDocPI(document, $0, note.content) } ?? xmlNewDocComment(document, note.content))
      var line: xmlNodePtr?
      do {
        line = try separator.map { separator throws(XMLError) in try text(separator) }
      } catch {
        xmlFreeNode(node)
        throw error
      }
      isModified = true
      xmlAddPrevSibling(element.node, node)
      // Added after the note, so that libxml2 does not merge it into the text before.
      if let line { xmlAddPrevSibling(element.node, line) }
    }
  }

  private func take(_ nodes: [xmlNodePtr]) -> [Note] {
    let notes = nodes.map { node in
      Note(
        target: node.pointee.type == XML_PI_NODE ? node.pointee.name.map { String(cString: $0) } : nil,
        content: node.pointee.content.map { String(cString: $0) } ?? "")
    }
    for node in nodes { removeNode(node) }
    return notes
  }

  private static func isNote(_ node: xmlNodePtr) -> Bool {
    node.pointee.type == XML_COMMENT_NODE || node.pointee.type == XML_PI_NODE
  }

  /// The comments and processing instructions below `node`, in document order.
  private static func notes(under node: xmlNodePtr) -> [xmlNodePtr] {
    var result: [xmlNodePtr] = []
    var child = node.pointee.children
    while let current = child {
      if isNote(current) { result.append(current) }
      if current.pointee.type == XML_ELEMENT_NODE { result += notes(under: current) }
      child = current.pointee.next
    }
    return result
  }

  /// Whether `note` sits on the line of the element before it (`<a/> <!-- on a -->`).
  private static func followsOnItsLine(_ note: xmlNodePtr) -> Bool {
    var previous = note.pointee.prev
    if let text = previous, text.pointee.type == XML_TEXT_NODE, isWhitespace(text), !containsNewline(text) {
      previous = text.pointee.prev
    }
    return previous?.pointee.type == XML_ELEMENT_NODE
  }

  private static func containsNewline(_ node: xmlNodePtr) -> Bool {
    guard let content = node.pointee.content else { return false }
    return String(cString: content).contains("\n")
  }
}
