import QEMUCapsModel
import QEMUCapsXML

/// A domain's `<qemu:commandline>` arguments: the `-global`s already there, and
/// where new ones go.
///
/// libvirt passes the `<qemu:arg>`s of every `<qemu:commandline>` as one list, in
/// document order (`./qemu:commandline/qemu:arg`), so a `-global` at the end of one
/// element and its value at the start of the next are one pair, as the validator
/// reads them.
final class Passthrough {
  /// One `-global` pair found among the `<qemu:arg>` elements.
  struct Entry {
    var global: QEMUGlobal
    var line: Int
    /// The `-global` word and its value, each with the `<qemu:commandline>` holding it.
    var elements: [(argument: XMLEditor.Element, container: XMLEditor.Element)]
  }

  let editor: XMLEditor
  /// Every `<qemu:commandline>`, in document order (removed ones taken out).
  private var commandLines: [XMLEditor.Element]
  /// Every `-global` pair, in document order, across all `<qemu:commandline>` elements.
  let globals: [Entry]

  init(editor: XMLEditor) {
    self.editor = editor
    commandLines = editor.children(of: editor.root, named: "commandline", namespace: DomainConverter.qemuNamespace)
    let arguments = commandLines.flatMap { container in
      editor.children(of: container, named: "arg", namespace: DomainConverter.qemuNamespace).map {
        (argument: $0, container: container)
      }
    }
    let words = arguments.map { editor.attribute("value", of: $0.argument) ?? "" }
    var entries: [Entry] = []
    // As QEMU reads its argv (and the validator): a -global that is another option's
    // value is no -global.
    for option in QEMUArgv.options(in: words) where option.name == "global" {
      guard let value = option.valueIndex, let global = QEMUGlobal(words[value]) else { continue }
      entries.append(
        Entry(
          global: global, line: editor.line(of: arguments[value].argument),
          elements: [arguments[option.index], arguments[value]]))
    }
    globals = entries
  }

  /// Remove one `-global` pair (and each `<qemu:commandline>` it leaves empty).
  func remove(_ entry: Entry) {
    for (argument, _) in entry.elements { editor.remove(argument) }
    for (_, container) in entry.elements where commandLines.contains(container) && !editor.hasContent(container) {
      editor.remove(container)
      commandLines.removeAll { $0 == container }
    }
  }

  /// Append `-global` pairs after the last passthrough argument, in the last
  /// `<qemu:commandline>` (so that no pair split over two elements is separated),
  /// creating it (and the `xmlns:qemu` declaration on `<domain>`) when there is none;
  /// each pair preceded by its comments (and processing instructions).
  ///
  /// The new `<qemu:arg>`s are written with the prefix (or default namespace) that
  /// means libvirt's namespace inside that `<qemu:commandline>`: `qemu` may be bound to
  /// another namespace there.
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory.
  func append(_ globals: [(global: QEMUGlobal, notes: [XMLEditor.Note])]) throws(XMLError) {
    let target =
      if let last = commandLines.last {
        last
      } else {
        try editor.append("commandline", to: editor.root, namespace: DomainConverter.qemuNamespace, prefix: "qemu")
      }
    for (global, notes) in globals {
      let word = try editor.append(
        "arg", to: target, attributes: [("value", "-global")], namespace: DomainConverter.qemuNamespace,
        prefix: "qemu")
      try editor.append(
        "arg", to: target, attributes: [("value", global.description)], namespace: DomainConverter.qemuNamespace,
        prefix: "qemu")
      try editor.insertNotes(notes, before: word)
    }
  }
}
