import QEMUCapsModel
import Testing

@Suite("QEMU versions")
struct QEMUVersionTests {
  @Test("reads major.minor.micro and nothing else")
  func parsing() {
    #expect(QEMUVersion("7.2.22") == QEMUVersion(major: 7, minor: 2, micro: 22))
    #expect(QEMUVersion("10.0.13")?.description == "10.0.13")
    for bad in ["", "7", "7.2", "7.2.22.1", "7..2", "v7.2.0", "7.2.x", " 7.2.0", "-1.2.3", "99999999999.0.0"] {
      #expect(QEMUVersion(bad) == nil, "\(bad)")
    }
  }

  @Test("orders by number, not by text")
  func ordering() throws {
    let versions = try ["10.0.13", "7.2.22", "5.2.0", "7.10.0", "7.2.3"].map { try #require(QEMUVersion($0)) }
    #expect(versions.sorted().map(\.description) == ["5.2.0", "7.2.3", "7.2.22", "7.10.0", "10.0.13"])
  }

  @Test("a pattern matches whole leading components")
  func matching() throws {
    let version = try #require(QEMUVersion("7.2.22"))
    #expect(version.matches("7"))
    #expect(version.matches("7.2"))
    #expect(version.matches("7.2.22"))
    #expect(!version.matches("7.2.2"))
    #expect(!version.matches("7.20"))
    #expect(!version.matches("7.2.22.0"))
    #expect(!version.matches(""))
    #expect(!version.matches("7.x"))
  }
}
