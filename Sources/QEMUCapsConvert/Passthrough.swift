import QEMUCapsModel
import QEMUCapsXML

/// A domain's `<qemu:commandline>` arguments: the `-global`s already there, and
/// where new ones go.
final class Passthrough {
  /// One `-global` pair found among the `<qemu:arg>` elements.
  struct Entry {
    var global: QEMUGlobal
    var line: Int
    var elements: [XMLEditor.Element]
    var container: XMLEditor.Element
  }

  let editor: XMLEditor
  /// The first `<qemu:commandline>`, if any (`nil` once removed).
  private(set) var commandLine: XMLEditor.Element?
  /// Every `-global` pair, in document order, across all `<qemu:commandline>` elements.
  let globals: [Entry]

  init(editor: XMLEditor) {
    self.editor = editor
    let commandLines = editor.children(of: editor.root, named: "commandline", namespace: DomainConverter.qemuNamespace)
    commandLine = commandLines.first
    var entries: [Entry] = []
    for commandLine in commandLines {
      let arguments = editor.children(of: commandLine, named: "arg", namespace: DomainConverter.qemuNamespace)
      var index = 0
      while index < arguments.count {
        let word = editor.attribute("value", of: arguments[index])
        if word == "-global" || word == "--global", index + 1 < arguments.count,
          let global = QEMUGlobal(editor.attribute("value", of: arguments[index + 1]) ?? "")
        {
          entries.append(
            Entry(
              global: global, line: editor.line(of: arguments[index + 1]),
              elements: [arguments[index], arguments[index + 1]], container: commandLine))
          index += 2
        } else {
          index += 1
        }
      }
    }
    globals = entries
  }

  /// Remove one `-global` pair (and its `<qemu:commandline>` if nothing is left in it).
  func remove(_ entry: Entry) {
    for element in entry.elements { editor.remove(element) }
    if !editor.hasContent(entry.container) {
      editor.remove(entry.container)
      if entry.container == commandLine { commandLine = nil }
    }
  }

  /// Append `-global` pairs to the first `<qemu:commandline>`, creating it (and the
  /// `xmlns:qemu` declaration on `<domain>`) when there is none.
  func append(_ globals: [QEMUGlobal]) {
    let target =
      commandLine
      ?? editor.append("commandline", to: editor.root, namespace: DomainConverter.qemuNamespace, prefix: "qemu")
    for global in globals {
      for word in ["-global", global.description] {
        editor.append(
          "arg", to: target, attributes: [("value", word)], namespace: DomainConverter.qemuNamespace, prefix: "qemu")
      }
    }
  }
}
