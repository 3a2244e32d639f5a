import Foundation
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Lookups over the committed snapshots.
@Suite("Capability index over capabilities-data")
struct CapabilityIndexTests {
  static let data = Fixtures.capabilitiesData()

  @Test("answers by exact version, by version prefix (newest match), and by alias")
  func versions() throws {
    let index = try CapabilityIndex(path: Self.data)
    #expect(index.builds.count >= 1)
    let build = try index.build(version: "7.2")
    #expect(build.document.qemu.version == QEMUVersion(major: 7, minor: 2, micro: 22))
    #expect(try index.build(version: "7.2.22").document.qemu.version.description == "7.2.22")
    let q35 = try #require(build.machine("q35"))
    #expect(q35.name == "pc-q35-7.2")
    #expect(build.machine("pc-q35-6.1")?.option(.acpiHotplugBridge).defaultValue == true)
    #expect(build.machine("pc-q35-6.0")?.option(.acpiHotplugBridge).defaultValue == false)
    #expect(build.machine("no-such") == nil)
  }

  @Test("a version with no file, or a prefix that is not whole components, is an error listing what exists")
  func noVersion() throws {
    let index = try CapabilityIndex(path: Self.data)
    let missing = #expect(throws: LookupError.self) { try index.build(version: "1.0") }
    #expect(missing?.code == .noMatchingVersion)
    #expect(missing?.message.contains("7.2.22") == true)
    #expect(throws: LookupError.self) { try index.build(version: "7.2.2") }
  }

  @Test(
    "a version that is not one to three decimal numbers is lookup.bad-version, saying what a version looks like",
    arguments: ["", "abc", "7.", ".2", "v7.2", "7.2.x", " 7.2", "7.2.22.1", "-1"])
  func badVersion(version: String) throws {
    let index = try CapabilityIndex(path: Self.data)
    // Before: "no capability file for QEMU ; available: …", as if such a build could exist.
    let error = #expect(throws: LookupError.self) { try index.build(version: version) }
    #expect(error?.code == .badVersion, "\(version)")
    #expect(
      error?.message
        == "'\(version)' is not a QEMU version: give one to three decimal numbers separated by dots, such as 7, 7.2 or 7.2.22",
      "\(version)")
  }

  @Test("several builds and no version is ambiguous; one file needs no version")
  func ambiguity() throws {
    let index = try CapabilityIndex(path: Self.data)
    if index.builds.count > 1 {
      let error = #expect(throws: LookupError.self) { try index.build(version: nil) }
      #expect(error?.code == .ambiguousVersion)
    }
    let single = try CapabilityIndex(path: "\(Self.data)/qemu-7.2.22.xml")
    #expect(try single.build(version: nil).document.qemu.version.description == "7.2.22")
  }

  @Test("symbolic links to one file and copies of it are one build; two different files of one version are an error")
  func duplicateFiles() throws {
    try TemporaryDirectory.with("index") { directory in
      let snapshot = "\(Self.data)/qemu-7.2.22.xml"
      let text = try String(contentsOfFile: snapshot, encoding: .utf8)
      try text.write(to: directory.appendingPathComponent("a.xml"), atomically: true, encoding: .utf8)
      try FileManager.default.createSymbolicLink(
        atPath: directory.appendingPathComponent("b.xml").path, withDestinationPath: "a.xml")
      try text.write(to: directory.appendingPathComponent("c.xml"), atomically: true, encoding: .utf8)
      let same = try CapabilityIndex(path: directory.path)
      #expect(same.builds.count == 1)
      #expect(try same.build(version: nil).document.qemu.version.description == "7.2.22")

      let other = text.replacingOccurrences(of: "Debian 1:7.2", with: "Other 7.2")
      #expect(other != text)
      try other.write(to: directory.appendingPathComponent("z.xml"), atomically: true, encoding: .utf8)
      let two = try CapabilityIndex(path: directory.path)
      let error = #expect(throws: LookupError.self) { try two.build(version: "7.2") }
      #expect(error?.code == .duplicateVersion)
      #expect(error?.message.contains("a.xml") == true && error?.message.contains("z.xml") == true)
    }
  }

  @Test("an unreadable path or a file that is not capability XML is an error naming it")
  func unreadable() {
    let missing = #expect(throws: LookupError.self) { try CapabilityIndex(path: "/no/such/dir") }
    #expect(missing?.message.contains("/no/such/dir") == true)
    let wrong = #expect(throws: LookupError.self) {
      try CapabilityIndex(path: Fixtures.repositoryRoot.appendingPathComponent("docs/capabilities.rng").path)
    }
    #expect(wrong?.message.contains("capabilities.rng") == true)
  }

  @Test("a symbolic link loop as --caps says so, not that the file is missing")
  func linkLoop() throws {
    try TemporaryDirectory.with("index-loop") { directory in
      let first = directory.appendingPathComponent("a.xml").path
      let second = directory.appendingPathComponent("b.xml").path
      #expect(symlink(second, first) == 0 && symlink(first, second) == 0)
      let error = #expect(throws: LookupError.self) { try CapabilityIndex(path: first) }
      #expect(error?.message == "\(first): cannot read: Too many levels of symbolic links")
    }
  }

  @Test("a directory without capability files is an error naming the directory")
  func emptyDirectory() throws {
    try TemporaryDirectory.with("index-empty") { directory in
      try "not a capability file".write(
        to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
      let error = #expect(throws: LookupError.self) { try CapabilityIndex(path: directory.path) }
      #expect(error?.code == .noMatchingVersion)
      #expect(error?.message == "\(directory.path): the directory holds no capability files (*.xml)")
    }
  }

  @Test("a directory that cannot be listed is an error naming it and the failed call")
  func unlistable() throws {
    let (error, failed) = FaultInjection.inject(.opendir, errno: EACCES) {
      #expect(throws: LookupError.self) { try CapabilityIndex(path: Self.data) }
    }
    #expect(failed == 1)
    #expect(error?.code == .unreadable)
    #expect(error?.message.contains(Self.data) == true, "\(String(describing: error))")
    #expect(error?.message.contains(String(cString: strerror(EACCES))) == true, "\(String(describing: error))")
  }

  @Test("a capability file that cannot be read is an error naming the file")
  func unreadableFile() throws {
    let (error, failed) = FaultInjection.inject(.read, errno: EIO) {
      #expect(throws: LookupError.self) { try CapabilityIndex(path: "\(Self.data)/qemu-7.2.22.xml") }
    }
    #expect(failed == 1)
    #expect(error?.code == .unreadable)
    #expect(error?.message.contains("qemu-7.2.22.xml") == true, "\(String(describing: error))")
  }
}
