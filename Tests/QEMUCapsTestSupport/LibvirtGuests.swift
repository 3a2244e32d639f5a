import Foundation
import QEMUCapsJSON
import Testing

/// Guests that libvirt's embedded QEMU driver really starts: each is defined, started
/// paused, asked over QMP for properties of its ACPI PM device, given devices with
/// `attach-device --live`, then destroyed, all in one virsh session per batch (virsh
/// probes every QEMU it finds whenever a new virsh process starts).
public enum LibvirtGuests {
  /// One guest of a batch.
  public struct Guest: Sendable {
    /// The domain's `<name>`.
    public var name: String
    /// The domain XML.
    public var domain: String
    /// The properties of `/machine/acpi-device` to `qom-get` once it runs.
    public var properties: [String]
    /// Device XML to attach to the running guest, in order.
    public var devices: [String]

    public init(name: String, domain: String, properties: [String], devices: [String] = []) {
      self.name = name
      self.domain = domain
      self.properties = properties
      self.devices = devices
    }
  }

  /// What `qom-get` said of one property.
  public enum Reading: Sendable, Equatable, CustomStringConvertible {
    case value(Bool)
    /// QEMU says the device has no such property.
    case absent
    /// Any other failure: virsh's or QMP's message.
    case failed(String)

    public var description: String {
      switch self {
      case .value(let value): value ? "on" : "off"
      case .absent: "absent"
      case .failed(let message): "qom-get failed: \(message)"
      }
    }
  }

  /// What one guest showed.
  public struct Outcome: Sendable {
    /// What virsh printed when `define` or `start` failed; `nil` when the guest started.
    public var startError: String?
    /// Each property read.
    public var properties: [String: Reading]
    /// Per device: `nil` when attached, else virsh's error.
    public var attachErrors: [String?]

    public var started: Bool { startError == nil }
  }

  /// Start every guest of `guests` in one virsh session of `libvirt`'s embedded driver
  /// (under the tests' reaper, over a fresh root), and return what each showed.
  ///
  /// - Throws: when virsh cannot be run, its output cannot be split per guest, or a
  ///   process started for the root (a QEMU) is still running when virsh has ended.
  public static func start(_ guests: [Guest], libvirt: LibvirtBuild) async throws -> [Outcome] {
    try await gate.run { try startBlocking(guests, libvirt: libvirt) }
  }

  /// Two batches at once, one per core here; each keeps a QEMU busy while virsh waits on it.
  private static let gate = Blocking.Gate(limit: 2)

  private static func startBlocking(_ guests: [Guest], libvirt: LibvirtBuild) throws -> [Outcome] {
    // QEMU's output goes to files (no virtlogd) and QEMU runs without mount
    // namespaces (no daemon sets them up).
    try Libvirt.withEmbeddedRoot(libvirt, settings: ["stdio_handler = \"file\"", "namespaces = []"]) { root in
      var commands: [String] = []
      for guest in guests {
        let file = "\(root)/\(guest.name).xml"
        try guest.domain.write(toFile: file, atomically: true, encoding: .utf8)
        commands += [
          step(guest.name, "define"), "define \(file)", step(guest.name, "start"), "start \(guest.name) --paused",
        ]
        for property in guest.properties {
          let query = #"{"execute":"qom-get","arguments":{"path":"/machine/acpi-device","property":"\#(property)"}}"#
          commands += [step(guest.name, "qom:\(property)"), "qemu-monitor-command \(guest.name) '\(query)'"]
        }
        for (index, device) in guest.devices.enumerated() {
          let deviceFile = "\(root)/\(guest.name)-device\(index).xml"
          try device.write(toFile: deviceFile, atomically: true, encoding: .utf8)
          commands += [step(guest.name, "attach:\(index)"), "attach-device \(guest.name) \(deviceFile) --live"]
        }
        commands += [step(guest.name, "end"), "destroy \(guest.name)", "undefine \(guest.name)"]
      }
      // One stream, so that each error stays next to its step.
      let result = try Command.run(
        Command.builtExecutable("qemu-caps-test-reaper"),
        [
          "600", "/bin/sh", "-c", "exec \"$3\" -c \"qemu:///embed?root=$1\" \"$2\" 2>&1", "sh", root,
          commands.joined(separator: "; "), libvirt.virsh,
        ], timeout: .seconds(660))
      let leftovers = ProcessTable.processes(withCommandLineContaining: root)
      guard result.status != 124, leftovers.isEmpty else {
        throw LibvirtError(
          message: "processes outlived virsh for \(root) (\(leftovers)); reaper: \(result.standardError)")
      }
      let sections = Self.sections(of: result.standardOutput)
      return try guests.map { guest in
        guard sections[guest.name + " end"] != nil else {
          throw LibvirtError(
            message: "virsh (\(libvirt)) printed nothing for guest \(guest.name): \(result.standardOutput.suffix(2000))"
          )
        }
        return outcome(of: guest, sections)
      }
    }
  }

  /// A domain of type `qemu` (TCG) that libvirt's embedded driver starts here: 64 MiB,
  /// ACPI on unless `acpi` is false, no balloon, `emulator` as its QEMU; `features`, `pm`
  /// and `devices` are XML inserted into those elements, `commandline` the words of
  /// `<qemu:commandline>`.
  public static func domain(
    name: String, machine: String, emulator: String, acpi: Bool = true, features: [String] = [],
    pm: [String] = [], devices: [String] = [], commandline: [String] = []
  ) -> String {
    var lines = [
      "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
      "  <name>\(name)</name>",
      "  <memory unit='MiB'>64</memory>",
      "  <os><type arch='x86_64' machine='\(machine)'>hvm</type></os>",
      "  <features>\(acpi ? "<acpi/>" : "")\(features.joined())</features>",
    ]
    if !pm.isEmpty { lines.append("  <pm>\(pm.joined())</pm>") }
    lines.append("  <devices>")
    lines.append("    <emulator>\(emulator)</emulator>")
    lines += devices.map { "    \($0)" }
    lines.append("    <memballoon model='none'/>")
    lines.append("  </devices>")
    if !commandline.isEmpty {
      lines.append("  <qemu:commandline>")
      lines += commandline.map { "    <qemu:arg value='\($0)'/>" }
      lines.append("  </qemu:commandline>")
    }
    lines.append("</domain>")
    return lines.joined(separator: "\n") + "\n"
  }

  private static let marker = "==qemu-caps-guest=="

  private static func step(_ guest: String, _ name: String) -> String {
    "echo \(marker) \(guest) \(name)"
  }

  /// virsh's output split at the markers: `"GUEST STEP"` to the lines that followed.
  private static func sections(of output: String) -> [String: String] {
    var sections: [String: String] = [:]
    var key: String?
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix(marker + " ") {
        let step = String(line.dropFirst(marker.count + 1))
        if sections[step] == nil { sections[step] = "" }
        key = step
      } else if let key {
        sections[key, default: ""] += line + "\n"
      }
    }
    return sections
  }

  private static func outcome(of guest: Guest, _ sections: [String: String]) -> Outcome {
    let started = sections[guest.name + " start"] ?? ""
    let startError =
      started.contains("Domain '\(guest.name)' started")
      ? nil : errors(in: (sections[guest.name + " define"] ?? "") + started)
    var properties: [String: Reading] = [:]
    for property in guest.properties {
      let text = sections["\(guest.name) qom:\(property)"] ?? ""
      let reply = text.split(separator: "\n").first { $0.hasPrefix("{") }.flatMap { try? JSON.parse(String($0)) }
      if let value = reply?["return"]?.boolValue {
        properties[property] = .value(value)
      } else if let message = reply?["error"]?["desc"]?.stringValue,
        message.hasSuffix("\(property)' not found") || message == "Device '/machine/acpi-device' not found"
      {
        // The PM device lacks the property, or the machine has no PM device (ACPI off on i440fx).
        properties[property] = .absent
      } else {
        properties[property] = .failed(reply?["error"]?["desc"]?.stringValue ?? errors(in: text))
      }
    }
    let attachErrors = guest.devices.indices.map { index -> String? in
      let text = sections["\(guest.name) attach:\(index)"] ?? ""
      return text.contains("Device attached successfully") ? nil : errors(in: text)
    }
    return Outcome(startError: startError, properties: properties, attachErrors: attachErrors)
  }

  /// What virsh printed for a step that failed: all of it, as libvirt's message goes on
  /// over several lines (QEMU's own, which names what it refused, comes last).
  private static func errors(in text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
