import QEMUCapsModel

/// Names to offer when a machine type is unknown or does not fit.
package enum MachineSuggestions {
  /// What to suggest for an unknown machine type `name`, as the tail of a sentence:
  /// up to three machine types of its family (the name before the version number,
  /// `pc-q35` for `pc-q35-9.9`; a family named like an alias, `pc` for `pc-0.12`, is
  /// that alias's family), the newest current one first, then those nearest in
  /// version; without a family, the closest names. Aliases are listed separately.
  package static func closest(to name: String, in capabilities: CapabilityDocument) -> String {
    let machines = ordered(capabilities.machines)
    var family = self.family(of: name)
    if let aliased = machines.first(where: { $0.alias == family }) { family = self.family(of: aliased.name) }
    let members = machines.filter { self.family(of: $0.name) == family && $0.name != family }
    var result: [String] = []
    var sentence: String
    if !members.isEmpty {
      if let newest = members.last(where: { !$0.isDeprecated }) { result.append(newest.name) }
      let wanted = version(of: name)
      let byVersion = members.map { ($0.name, versionDistance(wanted, version(of: $0.name))) }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : NaturalOrder.precedes($1.0, $0.0) }
      for (candidate, _) in byVersion where result.count < 3 && !result.contains(candidate) {
        result.append(candidate)
      }
      sentence = "closest of its family (\(family)): \(result.joined(separator: ", "))"
    } else {
      // Edit distance is quadratic: compare at most the first 64 bytes of a hostile name.
      let target = Array(name.utf8.prefix(64))
      result = machines.map { ($0.name, editDistance(target, Array($0.name.utf8.prefix(64)))) }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : NaturalOrder.precedes($0.0, $1.0) }.prefix(3).map(\.0)
      sentence = result.isEmpty ? "it offers no machine type" : "closest names: \(result.joined(separator: ", "))"
    }
    let aliases = machines.compactMap { machine in machine.alias.map { "\($0) (\(machine.name))" } }
    if !aliases.isEmpty { sentence += "; aliases: \(aliases.joined(separator: ", "))" }
    return sentence
  }

  /// `machines` in natural order of their names (`pc-i440fx-2.12` after `pc-i440fx-2.9`):
  /// the capability data need not list them so (a probe-cache entry grows in the order
  /// machine types were first asked for), and "newest" means last in this order.
  static func ordered(_ machines: [MachineCapabilities]) -> [MachineCapabilities] {
    machines.sorted { NaturalOrder.precedes($0.name, $1.name) }
  }

  /// The name before the version number: `pc-q35` for `pc-q35-9.9`, `pc` for
  /// `pc-0.12`, `pc-q35-rhel` for `pc-q35-rhel9.6.0`; the whole name when it has no
  /// version after a dash (`q35`, `microvm`, `pc-i440fx-focal`).
  static func family(of name: String) -> String {
    guard let dash = name.lastIndex(of: "-") else { return name }
    let last = name[name.index(after: dash)...]
    let stem = last.prefix { !$0.isNumber }
    let version = last.dropFirst(stem.count)
    guard !version.isEmpty, version.allSatisfy({ $0.isNumber || $0 == "." }), stem.allSatisfy(\.isLetter) else {
      return name
    }
    return stem.isEmpty ? String(name[..<dash]) : String(name[...dash]) + stem
  }

  /// The numeric parts of the version at the end of a name (`[2, 12]` for `pc-i440fx-2.12`).
  private static func version(of name: String) -> [Int] {
    let family = self.family(of: name)
    guard family != name else { return [] }
    return name.dropFirst(family.count).split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap {
      Int($0.prefix(6))
    }
  }

  /// How far apart two versions are, major first (`[0, 12]` is nearer `[2, 4]` than `[9, 0]`).
  private static func versionDistance(_ a: [Int], _ b: [Int]) -> Int {
    func scalar(_ v: [Int]) -> Int { (v.first ?? 0) * 1000 + (v.dropFirst().first ?? 0) }
    return abs(scalar(a) - scalar(b))
  }

  /// A sentence naming machine types of the same build where `option` can be set, or what else to do.
  static func alternatives(
    for option: HotplugOption, machine: MachineCapabilities, in capabilities: CapabilityDocument
  ) -> String {
    let supporting = capabilities.machines.filter { $0.option(option).isSupported }
    guard !supporting.isEmpty else {
      let devices = capabilities.devices.filter { $0.isPresent }.map(\.type)
      return
        "No machine type of QEMU \(capabilities.qemu.version) has it; a QEMU build whose \(devices.joined(separator: " or ")) has \(option.property) is needed."
    }
    let sameDevice = supporting.filter { $0.pmDevice == machine.pmDevice && machine.pmDevice != nil }
    let pool = sameDevice.isEmpty ? supporting : sameDevice
    let devices = Set(pool.compactMap(\.pmDevice)).sorted().joined(separator: " or ")
    var sentence = "It can be set on machine types with \(devices): \(summary(pool))."
    if let device = machine.pmDevice, let properties = capabilities.device(device), properties.isPresent,
      properties.property(option.property) == nil, sameDevice.isEmpty
    {
      sentence += " No machine type with \(device) has it in this QEMU build."
    }
    return sentence
  }

  /// The newest machine type with the same PM device and a shared name prefix, for deprecation hints.
  static func newestSibling(of machine: MachineCapabilities, in capabilities: CapabilityDocument) -> String? {
    guard let cut = machine.name.lastIndex(of: "-") else { return nil }
    let prefix = machine.name[...cut]
    return ordered(capabilities.machines).last {
      $0.name.hasPrefix(prefix) && !$0.isDeprecated && $0.pmDevice == machine.pmDevice && $0.error == nil
    }?.name
  }

  /// Up to three names, current ones first (those with an alias, then the newest
  /// not deprecated), and how many more there are.
  static func summary(_ machines: [MachineCapabilities]) -> String {
    let machines = ordered(machines)
    let preferred =
      machines.filter { $0.alias != nil } + machines.reversed().filter { $0.alias == nil && !$0.isDeprecated }
      + machines.filter { $0.alias == nil && $0.isDeprecated }
    let shown = preferred.prefix(3).map { machine in machine.alias.map { "\(machine.name) (\($0))" } ?? machine.name }
    let more = machines.count - shown.count
    return shown.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
  }

  private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
