import QEMUCapsModel

/// Names to offer when a machine type is unknown or does not fit.
enum MachineSuggestions {
  /// Up to three machine names or aliases close to `name`: the newest machine type
  /// sharing its prefix (`pc-q35-` for `pc-q35-9.9`) first, then by edit distance.
  static func closest(to name: String, in capabilities: CapabilityDocument) -> [String] {
    let candidates = capabilities.machines.flatMap { [$0.name] + ($0.alias.map { [$0] } ?? []) }
    // Edit distance is quadratic: compare at most the first 64 bytes of a hostile name.
    let target = Array(name.utf8.prefix(64))
    var result: [String] = []
    if let cut = name.lastIndex(of: "-"),
      let newest = capabilities.machines.last(where: { $0.name.hasPrefix(name[...cut]) && !$0.isDeprecated })
    {
      result.append(newest.name)
    }
    let byDistance = candidates.map { ($0, editDistance(target, Array($0.utf8))) }
      .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : NaturalOrder.precedes($0.0, $1.0) }
    for (candidate, _) in byDistance where result.count < 3 && !result.contains(candidate) {
      result.append(candidate)
    }
    return result
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
    return capabilities.machines.last {
      $0.name.hasPrefix(prefix) && !$0.isDeprecated && $0.pmDevice == machine.pmDevice && $0.error == nil
    }?.name
  }

  /// Up to three names, current ones first (those with an alias, then the newest
  /// not deprecated), and how many more there are.
  static func summary(_ machines: [MachineCapabilities]) -> String {
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
