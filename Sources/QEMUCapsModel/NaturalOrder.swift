/// Orders names with embedded numbers as people expect: `pc-q35-2.10` after `pc-q35-2.9`.
package enum NaturalOrder {
  /// Whether `lhs` sorts before `rhs`: runs of digits compare by value, the rest by bytes.
  package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    var left = lhs.utf8[...]
    var right = rhs.utf8[...]
    while let l = left.first, let r = right.first {
      if isDigit(l) && isDigit(r) {
        let leftRun = left.prefix(while: isDigit)
        let rightRun = right.prefix(while: isDigit)
        let leftValue = leftRun.drop { $0 == UInt8(ascii: "0") }
        let rightValue = rightRun.drop { $0 == UInt8(ascii: "0") }
        if leftValue.count != rightValue.count { return leftValue.count < rightValue.count }
        if !leftValue.elementsEqual(rightValue) { return leftValue.lexicographicallyPrecedes(rightValue) }
        if leftRun.count != rightRun.count { return leftRun.count < rightRun.count }
        left = left.dropFirst(leftRun.count)
        right = right.dropFirst(rightRun.count)
      } else {
        if l != r { return l < r }
        left = left.dropFirst()
        right = right.dropFirst()
      }
    }
    return left.isEmpty && !right.isEmpty
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
