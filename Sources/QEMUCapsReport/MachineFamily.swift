import QEMUCapsModel

/// Groups machine types into families by name, for display only, and orders them
/// as people read them: families alphabetically, each newest first, then the
/// machine types that belong to no family.
///
/// A family is the name up to its last `-` when what follows holds a digit
/// (`pc-q35-6.0` and `pc-q35-rhel9.6.0` are `pc-q35`, `pc-1.0` is `pc`,
/// `xenfv-4.2` is `xenfv`); a name whose prefix up to its last `-` is such a
/// family joins it (`pc-i440fx-focal`). Nothing is inferred from it: support and
/// defaults always come from the capability data.
package enum MachineFamily {
  /// The group heading of machine types that belong to no family.
  package static let standalone = "other"

  /// The family of each of `names`: a family name, or ``standalone``.
  package static func families(of names: some Sequence<String>) -> [String: String] {
    let names = Array(names)
    var result: [String: String] = [:]
    var known: Set<String> = []
    for name in names {
      if let cut = name.lastIndex(of: "-"), name[name.index(after: cut)...].contains(where: \.isNumber) {
        let family = String(name[..<cut])
        result[name] = family
        known.insert(family)
      }
    }
    for name in names where result[name] == nil {
      if let cut = name.lastIndex(of: "-"), known.contains(String(name[..<cut])) {
        result[name] = String(name[..<cut])
      } else {
        result[name] = standalone
      }
    }
    return result
  }

  /// `names` in display order, grouped: `[(family, names newest first)]`.
  package static func grouped(_ names: some Sequence<String>) -> [(family: String, names: [String])] {
    let families = families(of: names)
    var groups: [String: [String]] = [:]
    for (name, family) in families { groups[family, default: []].append(name) }
    let order =
      groups.keys.filter { $0 != standalone }.sorted { NaturalOrder.precedes($0, $1) }
      + (groups[standalone] == nil ? [] : [standalone])
    return order.map { family in
      let members = groups[family] ?? []
      let sorted =
        family == standalone
        ? members.sorted { NaturalOrder.precedes($0, $1) } : members.sorted { NaturalOrder.precedes($1, $0) }
      return (family, sorted)
    }
  }

  /// The machine types of `document` in display order.
  package static func ordered(_ document: CapabilityDocument) -> [MachineCapabilities] {
    let byName = Dictionary(document.machines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    return grouped(document.machines.map(\.name)).flatMap(\.names).compactMap { byName[$0] }
  }
}
