import QEMUCapsModel
import QEMUCapsValidator
import QEMUCapsXML

/// The edits of one conversion, applied to a parsed, already validated domain.
struct DomainRewrite {
  let editor: XMLEditor
  let machine: MachineCapabilities
  /// The `-global`s the validator produced: what QEMU's argv must hold, once each.
  let globals: [QEMUGlobal]
  /// Conflicts and notes found while rewriting.
  private(set) var diagnostics: [Diagnostic] = []

  init(editor: XMLEditor, machine: MachineCapabilities, globals: [QEMUGlobal]) {
    self.editor = editor
    self.machine = machine
    self.globals = globals
  }

  private var root: XMLEditor.Element { editor.root }

  /// Apply the edits; nothing is written when a conflict is found (an error diagnostic).
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory for an edit.
  mutating func run() throws(XMLError) {
    let passthrough = Passthrough(editor: editor)
    let rootController = pciRootController()
    var toAppend: [QEMUGlobal] = []
    for global in globals {
      let native = global.property == HotplugOption.acpiRootHotplug.property && rootController.isPCIRoot
      let existing = passthrough.globals.filter { $0.global.key == global.key }
      for entry in existing where !entry.global.sameValue(as: global) {
        diagnostics.append(
          Diagnostic(
            .error, "convert.commandline-conflict",
            "<qemu:commandline> already passes -global \(entry.global) but the domain's settings need -global \(global); remove one of them",
            line: entry.line))
      }
      if native {
        // libvirt writes this -global itself from <target hotplug>: drop passthrough copies.
        for entry in existing where entry.global.sameValue(as: global) {
          diagnostics.append(
            Diagnostic(
              .note, "convert.commandline-duplicate",
              "-global \(entry.global) is removed from <qemu:commandline>: libvirt passes it from the pci-root controller's <target hotplug>",
              line: entry.line))
          passthrough.remove(entry)
        }
        try setRootHotplug(global.value, controller: rootController.element)
      } else if existing.isEmpty {
        toAppend.append(global)
      }
    }
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return }
    removeUnknownSpellings()
    if !toAppend.isEmpty {
      try passthrough.append(toAppend)
    }
  }

  // MARK: - pci-root

  /// The PCI controller libvirt makes bus 0 (index 0, written as libvirt reads it or
  /// given by libvirt's numbering of controllers without an index), and whether the
  /// machine's bus 0 is pci-root: its PM device is PIIX4_PM (the i440fx south bridge)
  /// and the domain does not declare another model for bus 0.
  private func pciRootController() -> (element: XMLEditor.Element?, isPCIRoot: Bool) {
    let controllers = editor.children(of: root, named: "devices").flatMap {
      editor.children(of: $0, named: "controller")
    }.filter { editor.attribute("type", of: $0) == "pci" }
    let indexes = PCIControllerNumbering.numbered(controllers.map { editor.attribute("index", of: $0) })
    let controller = zip(controllers, indexes).first { $0.1 == 0 }?.0
    let model = controller.flatMap { editor.attribute("model", of: $0) }
    return (controller, machine.pmDevice == "PIIX4_PM" && (model == nil || model == "pci-root"))
  }

  private func setRootHotplug(_ value: String, controller: XMLEditor.Element?) throws(XMLError) {
    let state = value == "on" ? "on" : "off"
    if let controller {
      if let target = editor.children(of: controller, named: "target").first {
        if editor.attribute("hotplug", of: target) != state {
          try editor.setAttribute("hotplug", to: state, of: target)
        }
      } else {
        try editor.append("target", to: controller, attributes: [("hotplug", state)])
      }
      return
    }
    let devices =
      if let devices = editor.children(of: root, named: "devices").first {
        devices
      } else {
        try editor.append("devices", to: root)
      }
    let attributes = [("type", "pci"), ("index", "0"), ("model", "pci-root")]
    let created =
      if let lastController = editor.children(of: devices, named: "controller").last {
        try editor.insert("controller", after: lastController, attributes: attributes)
      } else {
        try editor.append("controller", to: devices, attributes: attributes)
      }
    try editor.append("target", to: created, attributes: [("hotplug", state)])
  }

  // MARK: - Spellings libvirt does not have

  private func removeUnknownSpellings() {
    for pm in editor.children(of: root, named: "pm") {
      let options = editor.children(of: pm).filter { HotplugOption(rawValue: editor.name(of: $0)) != nil }
      guard !options.isEmpty else { continue }
      for element in options { editor.remove(element) }
      // Left with comments only, <pm> and <pci> go too: libvirt refuses <features><pci>.
      if editor.children(of: pm).isEmpty { editor.remove(pm) }
    }
    for features in editor.children(of: root, named: "features") {
      for pci in editor.children(of: features, named: "pci") {
        let options = editor.children(of: pci, named: "acpi-bridge-hotplug")
        guard !options.isEmpty else { continue }
        for element in options { editor.remove(element) }
        if editor.children(of: pci).isEmpty { editor.remove(pci) }
      }
    }
    for devices in editor.children(of: root, named: "devices") {
      for device in editor.children(of: devices) {
        for hotplug in editor.children(of: device, named: "hotplug") { editor.remove(hotplug) }
      }
    }
  }
}
