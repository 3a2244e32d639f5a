/// A linear scan of XML text before libxml2 parses it, refusing what would make the
/// parse slow: libxml2 checks an element's attributes for duplicates pairwise, so an
/// element with 80,000 attributes takes seconds.
enum XMLPreScan {
  /// Find the first start tag with more than `limit` attributes; its 1-based line.
  static func elementWithTooManyAttributes(_ bytes: [UInt8], limit: Int) -> Int? {
    bytes.withUnsafeBufferPointer { text in
      let count = text.count
      var index = 0
      func skip(past terminator: [UInt8], from start: Int) -> Int {
        var position = start
        while position + terminator.count <= count {
          if text[position] == terminator[0] {
            var matches = true
            for offset in 1..<terminator.count where text[position + offset] != terminator[offset] {
              matches = false
              break
            }
            if matches { return position + terminator.count }
          }
          position += 1
        }
        return count
      }
      func starts(_ prefix: [UInt8], at position: Int) -> Bool {
        guard position + prefix.count <= count else { return false }
        for offset in 0..<prefix.count where text[position + offset] != prefix[offset] { return false }
        return true
      }
      let comment = Array("<!--".utf8)
      let cdata = Array("<![CDATA[".utf8)
      while index < count {
        guard text[index] == UInt8(ascii: "<") else {
          index += 1
          continue
        }
        let next = index + 1 < count ? text[index + 1] : 0
        if starts(comment, at: index) {
          index = skip(past: Array("-->".utf8), from: index + 4)
        } else if starts(cdata, at: index) {
          index = skip(past: Array("]]>".utf8), from: index + 9)
        } else if next == UInt8(ascii: "?") {
          index = skip(past: Array("?>".utf8), from: index + 2)
        } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "/") {
          index = skip(past: [UInt8(ascii: ">")], from: index + 2)
        } else {
          // A start tag: count `=` outside quoted values.
          let tagStart = index
          var attributes = 0
          index += 1
          while index < count && text[index] != UInt8(ascii: ">") {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
              index = skip(past: [byte], from: index + 1)
              continue
            }
            if byte == UInt8(ascii: "=") {
              attributes += 1
              if attributes > limit {
                var line = 1
                for position in 0..<tagStart where text[position] == 0x0A { line += 1 }
                return line
              }
            }
            index += 1
          }
          index += 1
        }
      }
      return nil
    }
  }
}
