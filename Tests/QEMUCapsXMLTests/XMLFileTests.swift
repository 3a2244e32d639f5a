import Foundation
import QEMUCapsSystem
import QEMUCapsTestSupport
import QEMUCapsXML
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Reading XML input files: the one reader capability files and domains go through.
@Suite("XML input files")
struct XMLFileTests {
  @Test("a file is read whole; its elements, attributes and lines come through")
  func reads() throws {
    let text = "<domain type='kvm'>\n  <os><type machine='q35'>hvm</type></os>\n</domain>\n"
    try TemporaryDirectory.withFile("xml", named: "domain.xml", contents: text) { path, _ in
      let root = try XMLTree.parse(try XMLFile.read(path), file: path)
      #expect(root.name == "domain")
      #expect(root[attribute: "type"] == "kvm")
      let type = try #require(root.child(named: "os")?.child(named: "type"))
      #expect(type[attribute: "machine"] == "q35")
      #expect(type.line == 2)
    }
  }

  @Test("a file over the limit is tooLarge, a missing one unreadable, both naming the path")
  func refusals() throws {
    let text = String(repeating: "x", count: 2048)
    try TemporaryDirectory.withFile("xml", named: "big.xml", contents: text) { path, directory in
      let large = #expect(throws: XMLError.self) { try XMLFile.read(path, limit: 1024) }
      #expect(large?.code == .tooLarge)
      #expect(large?.description.hasPrefix(path) == true, "\(String(describing: large))")
      let missing = directory.appendingPathComponent("missing.xml").path
      let unreadable = #expect(throws: XMLError.self) { try XMLFile.read(missing) }
      #expect(unreadable?.code == .unreadable)
      #expect(unreadable?.description.contains(missing) == true, "\(String(describing: unreadable))")
    }
  }

  @Test("a read error is unreadable, naming the file and the failed call")
  func readError() throws {
    try TemporaryDirectory.withFile("xml", named: "domain.xml", contents: "<domain/>") { path, _ in
      let (error, failed) = FaultInjection.inject(.read, errno: EIO) {
        #expect(throws: XMLError.self) { try XMLFile.read(path) }
      }
      #expect(failed == 1)
      #expect(error?.code == .unreadable)
      #expect(error?.description.contains(path) == true, "\(String(describing: error))")
      #expect(error?.description.contains(String(cString: strerror(EIO))) == true, "\(String(describing: error))")
    }
  }

  @Test("DTDs and entities are refused before anything is expanded")
  func forbidden() {
    let text = "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><d>&e;</d>"
    let error = #expect(throws: XMLError.self) { try XMLTree.parse(Array(text.utf8), file: "hostile.xml") }
    #expect(error?.code == .forbiddenConstruct || error?.code == .malformed, "\(String(describing: error))")
    #expect(error?.description.contains("root:x:0") == false)
  }
}
