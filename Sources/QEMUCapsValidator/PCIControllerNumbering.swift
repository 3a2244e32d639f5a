/// How libvirt numbers PCI controllers: the `index` attribute read in base 10
/// (`virStrToLong_i`), and a controller without one given the lowest index no other
/// PCI controller has, in document order (`virDomainControllerFindUnusedIndex`).
///
/// The validator and `convert` both use it, so that they agree on which controller
/// is bus 0.
package enum PCIControllerNumbering {
  /// The largest index libvirt accepts (it stores the index in a C `int`).
  package static let maximumIndex = Int(Int32.max)

  /// `text` as libvirt's parser reads an index: optional leading white space, an
  /// optional sign, decimal digits and nothing else, at most ``maximumIndex``.
  /// `nil` when libvirt refuses it.
  package static func index(_ text: String) -> Int? {
    var bytes = Substring(text).utf8.drop { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains($0) }
    var negative = false
    if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      negative = sign == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    let digits = bytes.drop { $0 == 0x30 }
    guard digits.count <= 10, let value = digits.isEmpty ? 0 : Int(String(decoding: digits, as: UTF8.self)),
      value <= maximumIndex, !(negative && value != 0)
    else { return nil }
    return value
  }

  /// The index libvirt gives each PCI controller, in document order, from the
  /// `index` attributes as written (`nil` when absent). An index libvirt refuses
  /// stays `nil` (the domain is invalid, and the controller numbers nothing).
  package static func numbered(_ written: [String?]) -> [Int?] {
    var result = written.map { $0.flatMap(index) }
    numberUnindexed(&result, at: result.indices.filter { written[$0] == nil })
    return result
  }

  /// Give the controllers at `positions` (in document order) the lowest index no
  /// other controller in `indexes` has, one after the other, as libvirt does.
  package static func numberUnindexed(_ indexes: inout [Int?], at positions: [Int]) {
    var taken = Set(indexes.compactMap { $0 })
    // Indexes are only ever added, so the lowest free one never goes down: one scan
    // from 0 for all controllers keeps a domain of many unnumbered controllers linear.
    var next = 0
    for position in positions {
      while taken.contains(next) { next += 1 }
      indexes[position] = next
      taken.insert(next)
    }
  }
}
