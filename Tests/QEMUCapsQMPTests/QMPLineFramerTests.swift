import QEMUCapsQMP
import Testing

@Suite("QMP line framing")
struct QMPLineFramerTests {
  private func feed(_ framer: inout QMPLineFramer, _ text: String) {
    Array(text.utf8).withUnsafeBytes { framer.append($0) }
  }

  @Test("splits CRLF and LF lines, across reads")
  func splits() throws {
    var framer = QMPLineFramer()
    feed(&framer, "{\"a\":1}\r\n{\"b\"")
    #expect(try framer.nextLine() == Array("{\"a\":1}".utf8))
    #expect(try framer.nextLine() == nil)
    feed(&framer, ":2}\n\r\n")
    #expect(try framer.nextLine() == Array("{\"b\":2}".utf8))
    #expect(try framer.nextLine() == [])
    #expect(try framer.nextLine() == nil)
    feed(&framer, "tail\r")
    #expect(framer.remainder() == Array("tail".utf8))
  }

  @Test("returns a line of several hundred kilobytes in one piece")
  func bigLine() throws {
    var framer = QMPLineFramer()
    let big = String(repeating: "x", count: 600_000)
    for chunk in stride(from: 0, to: big.count, by: 65_536) {
      let end = min(chunk + 65_536, big.count)
      feed(&framer, String(big.dropFirst(chunk).prefix(end - chunk)))
      #expect(try framer.nextLine() == nil)
    }
    feed(&framer, "\r\n")
    #expect(try framer.nextLine()?.count == 600_000)
  }

  @Test("rejects a line over the limit, even before it ends")
  func tooLong() {
    var framer = QMPLineFramer(maximumLineLength: 10)
    feed(&framer, "0123456789abc")
    let error = #expect(throws: QMPError.self) { try framer.nextLine() }
    #expect(error?.code == .lineTooLong)
  }
}
