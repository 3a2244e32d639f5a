import QEMUCapsModel
import QEMUCapsValidator
import QEMUCapsXML

/// The edits of one conversion, applied to a parsed, already validated domain.
struct DomainRewrite {
  let editor: XMLEditor
  let machine: MachineCapabilities
  /// The `-global`s the validator produced: what QEMU's argv must hold, once each.
  let globals: [QEMUGlobal]
  /// Whether libvirt takes a pci-root `<target hotplug>` (its flag is not deleted by
  /// `<qemu:capabilities>`).
  let rootTargetAllowed: Bool
  /// Conflicts and notes found while rewriting.
  private(set) var diagnostics: [Diagnostic] = []

  init(editor: XMLEditor, machine: MachineCapabilities, globals: [QEMUGlobal], rootTargetAllowed: Bool = true) {
    self.editor = editor
    self.machine = machine
    self.globals = globals
    self.rootTargetAllowed = rootTargetAllowed
  }

  private var root: XMLEditor.Element { editor.root }

  /// Apply the edits; nothing is edited when a conflict is found (an error diagnostic).
  ///
  /// - Throws: ``XMLError`` when libxml2 cannot allocate memory for an edit.
  mutating func run() throws(XMLError) {
    let passthrough = Passthrough(editor: editor)
    let rootController = pciRootController()
    var plan: [(global: QEMUGlobal, native: Bool, existing: [Passthrough.Entry])] = []
    for global in globals {
      let native =
        global.property == HotplugOption.acpiRootHotplug.property && rootController.isPCIRoot && rootTargetAllowed
      let existing = passthrough.globals.filter { $0.global.key == global.key }
      for entry in existing where !entry.global.sameValue(as: global) {
        diagnostics.append(
          Diagnostic(
            .error, .convertCommandlineConflict,
            "<qemu:commandline> already passes -global \(entry.global) but the domain's settings need -global \(global); remove one of them",
            line: entry.line))
      }
      plan.append((global, native, existing))
    }
    checkFeaturesPCI()
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return }
    // Comments taken out with the spellings, and put back where each setting goes.
    var notes = try removeUnknownSpellings()
    var toAppend: [(global: QEMUGlobal, notes: [XMLEditor.Note])] = []
    for (global, native, existing) in plan {
      let explanation = notes.removeValue(forKey: global.property) ?? []
      if native {
        // libvirt writes this -global itself from <target hotplug>: drop passthrough copies.
        for entry in existing {
          diagnostics.append(
            Diagnostic(
              .note, .convertCommandlineDuplicate,
              "-global \(entry.global) is removed from <qemu:commandline>: libvirt passes it from the pci-root controller's <target hotplug>",
              line: entry.line))
          passthrough.remove(entry)
        }
        try setRootHotplug(global.value, controller: rootController.element, notes: explanation)
      } else if let first = existing.first?.elements.first {
        try editor.insertNotes(explanation, before: first.argument)
      } else {
        toAppend.append((global, explanation))
      }
    }
    if !toAppend.isEmpty {
      try passthrough.append(toAppend)
      let written = toAppend.map { "-global \($0.global)" }.joined(separator: " and ")
      diagnostics.append(
        Diagnostic(
          .note, .convertCustomArgv,
          "\(written) goes into <qemu:commandline>, and libvirt marks a domain with <qemu:commandline> as tainted when it starts the guest (its log: \"… is tainted: custom-argv\"; virsh dominfo: \"tainted: custom configuration parameters specified\"): libvirt has no element for acpi-hotplug-bridge (acpi-pci-hotplug-with-bridge-support), and takes acpi-root-hotplug as the pci-root controller's <target hotplug> only on an i440fx machine type whose <qemu:capabilities> keeps its flag",
          line: nil))
    }
  }

  /// libvirt refuses any `<features><pci>` ("unexpected feature 'pci'"), and convert
  /// removes it: an element in it other than `<acpi-bridge-hotplug>` is an error, as
  /// convert would drop a setting it does not know.
  private mutating func checkFeaturesPCI() {
    for features in editor.children(of: root, named: "features") {
      for pci in editor.children(of: features, named: "pci") {
        for element in editor.children(of: pci) where editor.name(of: element) != "acpi-bridge-hotplug" {
          let name = editor.name(of: element).truncated(to: 40)
          diagnostics.append(
            Diagnostic(
              .error, .convertFeaturesPCIUnknown,
              "<features><pci> holds <\(name)>, which neither qemu-caps nor libvirt reads; libvirt refuses any <features><pci> (\"unexpected feature 'pci'\"), so convert must remove it and would lose <\(name)>: remove <\(name)> (acpi-root-hotplug is written <controller type='pci' index='0' model='pci-root'><target hotplug='on|off'/></controller> on i440fx machine types), or move it out of <pci>",
              line: editor.line(of: element)))
        }
      }
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

  /// Set `<target hotplug>` of bus 0's controller (added when missing), with the
  /// comments (and processing instructions) of the setting it replaces right before
  /// `<target>`.
  private func setRootHotplug(_ value: String, controller: XMLEditor.Element?, notes: [XMLEditor.Note]) throws(XMLError)
  {
    let state = value == "on" ? "on" : "off"
    if let controller {
      if let target = editor.children(of: controller, named: "target").first {
        if editor.attribute("hotplug", of: target) != state {
          try editor.setAttribute("hotplug", to: state, of: target)
        }
        try editor.insertNotes(notes, before: target)
      } else {
        let target = try editor.append("target", to: controller, attributes: [("hotplug", state)])
        try editor.insertNotes(notes, before: target)
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
    let target = try editor.append("target", to: created, attributes: [("hotplug", state)])
    try editor.insertNotes(notes, before: target)
  }

  // MARK: - Spellings libvirt does not have

  /// Remove the spellings libvirt does not know, and return the comments (and
  /// processing instructions) that explained them, by the QEMU property they set.
  /// `<hotplug require>` sets none: the comments inside it stay where it was. Comments
  /// left in a `<pm>` or `<pci>` that goes move with its last setting.
  private func removeUnknownSpellings() throws(XMLError) -> [String: [XMLEditor.Note]] {
    var notes: [String: [XMLEditor.Note]] = [:]
    let written = Set(globals.map(\.property))
    func remove(
      _ options: [XMLEditor.Element], property: (XMLEditor.Element) -> String?, from container: XMLEditor.Element
    ) throws(XMLError) {
      // Read before the element is removed: removal frees its node.
      var last: String?
      for element in options {
        let taken = editor.takeNotes(of: element)
        last = property(element)
        if let property = last, written.contains(property) {
          notes[property, default: []] += taken
        } else {
          try editor.insertNotes(taken, before: element)
        }
        editor.remove(element)
      }
      // Left with comments only, <pm> and <pci> go too: libvirt refuses <features><pci>.
      guard editor.children(of: container).isEmpty else { return }
      if let last, written.contains(last) {
        notes[last, default: []] += editor.takeNotes(in: container)
      }
      // Whatever has nowhere else to go stays where the container was.
      try editor.insertNotes(editor.takeNotes(in: container), before: container)
      editor.remove(container)
    }
    for pm in editor.children(of: root, named: "pm") {
      let options = editor.children(of: pm).filter { HotplugOption(rawValue: editor.name(of: $0)) != nil }
      guard !options.isEmpty else { continue }
      try remove(options, property: { HotplugOption(rawValue: editor.name(of: $0))?.property }, from: pm)
    }
    for features in editor.children(of: root, named: "features") {
      for pci in editor.children(of: features, named: "pci") {
        // Even an empty <pci/> goes: libvirt refuses the domain while it is there.
        let options = editor.children(of: pci, named: "acpi-bridge-hotplug")
        try remove(options, property: { _ in HotplugOption.acpiHotplugBridge.property }, from: pci)
      }
    }
    for devices in editor.children(of: root, named: "devices") {
      for device in editor.children(of: devices) {
        for hotplug in editor.children(of: device, named: "hotplug") {
          try editor.insertNotes(editor.takeNotes(in: hotplug), before: hotplug)
          editor.remove(hotplug)
        }
      }
    }
    return notes
  }
}
