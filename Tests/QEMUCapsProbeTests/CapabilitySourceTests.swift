import Foundation
import Logging
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsTestSupport
import Testing

/// The library's choice of where capability data comes from: capability files from
/// capabilities-data/, or a QEMU binary (the Swift fake) through a probe cache.
@Suite("Capability source")
struct CapabilitySourceTests {
  static let data = Fixtures.capabilitiesData()

  @Test("files: a directory and a version, a version prefix, one file without a version")
  func files() throws {
    let exact = try CapabilitySource.files(path: Self.data, version: "7.2.22").load()
    #expect(exact.qemu.version.description == "7.2.22")
    let prefix = try CapabilitySource.files(path: Self.data, version: "7.2").load(.one("q35"))
    #expect(prefix == exact, "files are read whole, whatever machine type is asked for")
    let file = try CapabilitySource.files(path: "\(Self.data)/qemu-5.2.0.xml").load()
    #expect(file.qemu.version.description == "5.2.0")
  }

  @Test("files: errors are lookup errors with their codes")
  func fileErrors() {
    let ambiguous = #expect(throws: LookupError.self) { try CapabilitySource.files(path: Self.data).load() }
    #expect(ambiguous?.code == .ambiguousVersion)
    let bad = #expect(throws: LookupError.self) {
      try CapabilitySource.files(path: Self.data, version: "v7").load()
    }
    #expect(bad?.code == .badVersion)
    let missing = #expect(throws: LookupError.self) {
      try CapabilitySource.files(path: "\(Self.data)/no-such.xml").load()
    }
    #expect(missing?.code == .unreadable)
  }

  @Test("files: a machine type the build lacks is the caller's to report, not a load error")
  func filesCovering() throws {
    let document = try CapabilitySource.files(path: Self.data, version: "7.2").load(covering: "pc-q35-99.0")
    #expect(document.machine(named: "pc-q35-99.0") == nil)
    #expect(document.machine(named: "q35") != nil)
  }
}

/// ``CapabilitySource/binary(path:cache:refresh:timeouts:)`` against fake QEMU builds.
@Suite("Capability source: a binary through the probe cache", .liveQEMU)
struct CapabilitySourceBinaryTests {
  @Test("one machine type is probed once, then answered from the cache; an unknown one returns every machine type")
  func cached() throws {
    try TemporaryDirectory.with("source") { scratch in
      let log = scratch.appendingPathComponent("starts.log").path
      let fake = try FakeQEMU.faulty(.none, startLog: log)
      defer { FakeQEMU.remove(fake) }
      let cache = ProbeCache(directory: scratch.appendingPathComponent("cache").path, logger: Logger(label: "test"))
      let source = CapabilitySource.binary(path: fake, cache: cache)

      let first = try source.load(.one("q35"))
      #expect(first.machine(named: "q35")?.name == "pc-q35-7.2")
      let started = FakeQEMU.starts(log)
      #expect(started == 2, "one -machine none QEMU and one for the machine type")
      #expect(try source.load(.one("q35")) == first)
      #expect(FakeQEMU.starts(log) == started, "the second load started QEMU")

      let all = try source.load(covering: "pc-q35-99.0")
      #expect(all.machine(named: "pc-q35-99.0") == nil)
      #expect(all.machine(named: "pc") != nil && all.machine(named: "q35") != nil)
    }
  }

  @Test("a probe that runs out of time is probeFailed, with the QEMU timeout as the underlying error")
  func timeout() throws {
    try TemporaryDirectory.with("source") { scratch in
      let fake = try FakeQEMU.faulty(.noGreeting, machine: "none")
      defer { FakeQEMU.remove(fake) }
      let cache = ProbeCache(directory: scratch.path, logger: Logger(label: "test"))
      let source = CapabilitySource.binary(
        path: fake, cache: cache, timeouts: .init(session: .milliseconds(500), shutdown: .milliseconds(200)))
      let error = #expect(throws: LookupError.self) { try source.load(.one("pc")) }
      #expect(error?.code == .probeFailed)
      let probe = try #require(error?.underlying as? ProbeError)
      #expect(probe.code == .binaryFacts)
      #expect(probe.underlying?.code == .timeout)
    }
  }
}
