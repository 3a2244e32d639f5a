/// An element of a parsed XML document, as a plain Swift value.
///
/// Only elements, attributes and text are kept; comments and processing
/// instructions are dropped. Each element remembers its line for error messages.
package struct XMLElement: Sendable, Hashable {
  /// The element's local name (without prefix).
  package var name: String
  /// The element's namespace URI, `nil` for an element in no namespace.
  ///
  /// libvirt finds the elements it reads through XPath without prefixes, which
  /// matches elements in no namespace only (`<domain xmlns='…'>` is refused, a
  /// `<x:controller>` ignored); attributes it reads whatever their namespace.
  package var namespace: String?
  /// Attributes in document order.
  package var attributes: [(name: String, value: String)]
  /// Child elements in document order.
  package var children: [XMLElement]
  /// The element's own text (direct text children joined).
  package var text: String
  /// The 1-based line the element starts on.
  package var line: Int

  /// Create an element.
  package init(
    name: String, namespace: String? = nil, attributes: [(name: String, value: String)] = [],
    children: [XMLElement] = [], text: String = "", line: Int = 0
  ) {
    self.name = name
    self.namespace = namespace
    self.attributes = attributes
    self.children = children
    self.text = text
    self.line = line
  }

  /// The value of attribute `name`, if present.
  package subscript(attribute name: String) -> String? {
    attributes.first { $0.name == name }?.value
  }

  /// The child elements named `name`.
  package func children(named name: String) -> [XMLElement] {
    children.filter { $0.name == name }
  }

  /// The first child element named `name`.
  package func child(named name: String) -> XMLElement? {
    children.first { $0.name == name }
  }

  /// Elements are equal when name, namespace, attributes, children, text and line are.
  package static func == (lhs: XMLElement, rhs: XMLElement) -> Bool {
    lhs.name == rhs.name && lhs.namespace == rhs.namespace && lhs.text == rhs.text && lhs.line == rhs.line
      && lhs.children == rhs.children
      && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
      && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
  }

  /// Hash what ``==`` compares.
  package func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(namespace)
    hasher.combine(line)
    for attribute in attributes {
      hasher.combine(attribute.name)
      hasher.combine(attribute.value)
    }
    hasher.combine(children)
  }
}
