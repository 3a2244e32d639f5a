import Foundation
import Logging
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

/// The per-user probe cache, against the real QEMU behind a wrapper that counts its starts.
@Suite("Probe cache", .liveQEMU)
struct ProbeCacheTests {
  /// Run `body` with a probe cache in a fresh directory and the system QEMU.
  static func withCache<Result>(_ body: (ProbeCache, _ qemu: String) throws -> Result) throws -> Result {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    return try TemporaryDirectory.with("cache") { directory in
      try body(ProbeCache(directory: directory.path, logger: Logger(label: "test")), qemu)
    }
  }

  @Test("a second lookup starts no QEMU; a new machine type probes only it; touching the binary re-probes")
  func cache() throws {
    try TemporaryDirectory.with("cache") { scratch in
      let directory = scratch.appendingPathComponent("cache")
      let log = scratch.appendingPathComponent("starts.log").path
      let wrapper = try FakeQEMU.countingWrapper(log: log)
      defer { FakeQEMU.remove(wrapper) }
      let cache = ProbeCache(directory: directory.path, logger: Logger(label: "test"))

      let first = try cache.capabilities(binary: wrapper, machine: "pc-q35-6.0")
      #expect(first.probed)
      #expect(first.document.machine(named: "pc-q35-6.0")?.option(.acpiHotplugBridge).defaultValue == false)
      #expect(FakeQEMU.starts(log) == 2, "one -machine none QEMU and one for the machine type")

      let second = try cache.capabilities(binary: wrapper, machine: "pc-q35-6.0")
      #expect(!second.probed)
      #expect(FakeQEMU.starts(log) == 2)

      let alias = try cache.capabilities(binary: wrapper, machine: "pc")
      #expect(alias.probed)
      #expect(FakeQEMU.starts(log) == 4)
      let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
      let pc = try #require(try SystemQEMU.machineHelp(of: qemu).aliases["pc"])
      #expect(alias.document.machines.map(\.name) == [pc, "pc-q35-6.0"])

      let refreshed = try cache.capabilities(binary: wrapper, machine: "pc", refresh: true)
      #expect(refreshed.probed)
      #expect(FakeQEMU.starts(log) == 6)

      // Touch the binary: its modification time changes, the entry is stale.
      try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: wrapper)
      let touched = try cache.capabilities(binary: wrapper, machine: "pc")
      #expect(touched.probed)
      #expect(touched.document.machines.map(\.name) == [pc])
      #expect(FakeQEMU.starts(log) == 8)
    }
  }

  @Test("an unknown machine type is an error listing what the build offers")
  func unknownMachine() throws {
    try Self.withCache { cache, qemu in
      let error = #expect(throws: LookupError.self) { try cache.capabilities(binary: qemu, machine: "pc-q35-99.0") }
      #expect(error?.code == .unknownMachine)
      let q35 = try #require(try SystemQEMU.machineHelp(of: qemu).aliases["q35"])
      #expect(error?.message.contains(q35) == true)
    }
  }

  @Test("concurrent lookups of one binary each add their answer to one entry (beside its lock file)")
  func concurrent() async throws {
    let directory = try TemporaryDirectory.create("cache")
    defer { TemporaryDirectory.remove(directory) }
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    let cache = ProbeCache(directory: directory.path, logger: Logger(label: "test"))
    let machines = ["pc", "q35", "isapc", "pc-q35-6.0"]
    try await withThrowingTaskGroup(of: Void.self) { group in
      for machine in machines {
        group.addTask { _ = try cache.capabilities(binary: qemu, machine: machine) }
      }
      try await group.waitForAll()
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(files.count == 2 && files[1] == files[0] + ".lock", "\(files)")
    // Before the entry was merged under its lock, the last writer won: one answer stayed.
    let again = try machines.map { try cache.capabilities(binary: qemu, machine: $0).probed }
    #expect(again == machines.map { _ in false }, "\(again)")
  }

  @Test("without flock (a file system that has none) the cache is used unlocked, as before")
  func withoutLocks() throws {
    try Self.withCache { cache, qemu in
      let (result, failed) = try FaultInjection.inject(.flock, errno: ENOLCK) {
        try cache.capabilities(binary: qemu, machine: "isapc")
      }
      #expect(failed == 1)
      #expect(result.probed)
      #expect(try !cache.capabilities(binary: qemu, machine: "isapc").probed)
    }
  }

  @Test(
    "without XDG_CACHE_HOME and HOME the cache is in the password database's home, or nowhere when that lookup fails")
  func passwordDatabaseHome() throws {
    let entry = try #require(getpwuid(geteuid()), "this user has no password database entry")
    let home = String(cString: entry.pointee.pw_dir)
    let expected = home.hasPrefix("/") && home != "/" ? "\(home)/.cache/qemu-caps" : nil
    #expect(ProbeCache.defaultDirectory(environment: [:]) == expected)
    #expect(ProbeCache.defaultDirectory(environment: ["HOME": "relative"]) == expected)
    let (directory, failed) = FaultInjection.inject(.getpwuid, errno: EIO) {
      ProbeCache.defaultDirectory(environment: [:])
    }
    #expect(failed == 1)
    #expect(directory == nil, "a failed lookup must not fall back to a shared directory")
  }
}
