/// The members of a JSON object, in the order they were parsed or added.
///
/// Order is kept so that written JSON is stable and readable; equality ignores
/// order, as JSON does. json-c keeps keys as C strings, so a key containing
/// U+0000 is cut there (QMP never sends one).
package struct JSONObject: Sendable, Hashable, RandomAccessCollection {
  /// One member of an object.
  package typealias Element = (key: String, value: JSON)

  private var members: [Element]

  /// Create an object from members; a later duplicate key replaces an earlier one.
  package init(_ members: some Sequence<(String, JSON)> = []) {
    // A position index keeps this linear for objects with many members.
    var positions: [String: Int] = [:]
    var ordered: [Element] = []
    for (key, value) in members {
      if let position = positions[key] {
        ordered[position].value = value
      } else {
        positions[key] = ordered.count
        ordered.append((key, value))
      }
    }
    self.members = ordered
  }

  /// The index of the first member.
  package var startIndex: Int { members.startIndex }
  /// The index after the last member.
  package var endIndex: Int { members.endIndex }
  /// The member at `position`, in the order written.
  package subscript(position: Int) -> Element { members[position] }

  /// The keys in order.
  package var keys: [String] { members.map(\.key) }

  /// Get or set the member named `key`; setting `nil` removes it.
  package subscript(key: String) -> JSON? {
    get { members.first { $0.key == key }?.value }
    set {
      let index = members.firstIndex { $0.key == key }
      switch (index, newValue) {
      case (let index?, let value?): members[index].value = value
      case (let index?, nil): members.remove(at: index)
      case (nil, let value?): members.append((key, value))
      case (nil, nil): break
      }
    }
  }

  /// Objects are equal when they have the same members, in any order.
  package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.members.count == rhs.members.count else { return false }
    if lhs.members.count <= 8 {
      return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
    // Large objects: one dictionary keeps the comparison linear.
    let other = Dictionary(rhs.members.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    return lhs.members.allSatisfy { other[$0.key] == $0.value }
  }

  /// Hash what ``==`` compares, independent of member order.
  package func hash(into hasher: inout Hasher) {
    // Order-independent: combine per-member hashes commutatively.
    var combined = 0
    for member in members {
      var memberHasher = Hasher()
      memberHasher.combine(member.key)
      memberHasher.combine(member.value)
      combined ^= memberHasher.finalize()
    }
    hasher.combine(members.count)
    hasher.combine(combined)
  }
}
