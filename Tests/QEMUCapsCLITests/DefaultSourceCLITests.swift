import Foundation
import QEMUCapsJSON
import QEMUCapsTestSupport
import Testing

/// What the commands read when no source is named: lookup, list, validate and convert
/// the system QEMU through the probe cache; report and diff `./capabilities-data`, else
/// the snapshots installed beside the executable.
@Suite("default capability sources", .liveQEMU)
struct DefaultSourceCLITests {
  static let data = Fixtures.capabilitiesData()

  /// Our environment with the probe cache in `cache` (never the user's).
  static func environment(cache: String, path: String? = nil) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CACHE_HOME"] = cache
    if let path { environment["PATH"] = path }
    return environment
  }

  @Test("lookup, list, validate and convert without --caps or --qemu answer for qemu-system-x86_64 on PATH")
  func systemQEMU() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("default-source") { scratch in
      let cache = scratch.appendingPathComponent("cache").path
      // The binary the default must pick: the first qemu-system-x86_64 on a PATH of its directory only.
      let path = (qemu as NSString).deletingLastPathComponent
      let environment = Self.environment(cache: cache, path: "\(path):/usr/bin:/bin")
      let lookup = try Command.qemuCaps(
        ["lookup", "--machine", "q35", "--option", "acpi-bridge-hotplug", "--json"], environment: environment)
      let answer = try JSON.parse(lookup.standardOutput)
      #expect(answer["qemu"]?["binary"]?.stringValue == qemu, "\(lookup.standardOutput) \(lookup.standardError)")
      #expect(answer["option"]?["name"] == "acpi-hotplug-bridge")
      // Through the probe cache: an entry is there, and the answer equals --qemu's.
      let entries = try FileManager.default.contentsOfDirectory(atPath: "\(cache)/qemu-caps")
      #expect(!entries.isEmpty, "no probe cache entry")
      let explicit = try Command.qemuCaps(
        ["lookup", "--qemu", qemu, "--machine", "q35", "--option", "acpi-bridge-hotplug", "--json"],
        environment: environment)
      #expect(explicit.standardOutput == lookup.standardOutput)
      #expect(explicit.status == lookup.status)

      let list = try Command.qemuCaps(["list"], environment: environment).expect(status: 0)
      let version = try #require(answer["qemu"]?["version"]?.stringValue)
      let snapshot = "\(Self.data)/qemu-\(version).xml"
      if FileManager.default.fileExists(atPath: snapshot) {
        // The system QEMU is a snapshotted build (Debian 12's 7.2.22): the same listing.
        let listed = try Command.qemuCaps(["list", "--caps", snapshot]).expect(status: 0)
        #expect(list.standardOutput == listed.standardOutput)
      }
      #expect(list.standardOutput.hasPrefix("Machine types of QEMU \(version)"), "\(list.standardOutput)")

      let domain = Fixtures.domain("q35-6.0-bridge-off-default")
      let validate = try Command.qemuCaps(["validate", domain, "-q"], environment: environment).expect(status: 0)
      #expect(validate.standardOutput == "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off\n")
      let convert = try Command.qemuCaps(["convert", domain], environment: environment).expect(status: 0)
      #expect(convert.standardOutput.contains("ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"))
    }
  }

  @Test("without a system QEMU, a capability command names the binary and says to install it or give --caps")
  func noSystemQEMU() throws {
    try TemporaryDirectory.with("no-qemu") { scratch in
      let environment = Self.environment(cache: scratch.path, path: scratch.path)
      let domain = Fixtures.domain("q35-6.0-bridge-off-default")
      for arguments in [["lookup", "--machine", "q35"], ["list"], ["validate", domain], ["convert", domain]] {
        let result = try Command.qemuCaps(arguments, environment: environment).expect(status: 2)
        #expect(result.standardOutput == "")
        let error = result.standardError
        #expect(error.hasPrefix("qemu-caps: error: cannot run qemu-system-x86_64: not found on PATH"), "\(error)")
        #expect(error.contains("apt-get install qemu-system-x86"), "\(error)")
        #expect(error.contains("--caps FILE|DIR"), "\(error)")
        // convert writes XML and has no --json.
        guard arguments[0] != "convert" else { continue }
        let json = try Command.qemuCaps(arguments + ["--json"], environment: environment).expect(status: 2)
        #expect(try JSON.parse(json.standardOutput)["error"]?["code"] == "qemu.bad-binary", "\(arguments)")
      }
    }
  }

  @Test("--caps and --qemu together, and the flags of the other source, are usage errors")
  func conflictingSources() throws {
    let caps = "\(Self.data)/qemu-7.2.22.xml"
    for (arguments, message) in [
      (["--caps", caps, "--qemu", "qemu-system-x86_64"], "give one of --caps FILE|DIR and --qemu BIN, not both"),
      (["--qemu-version", "7.2"], "--qemu-version goes with --caps"),
      (["--caps", caps, "--refresh"], "--refresh goes with --qemu or the system QEMU, not with --caps"),
      (["--caps", caps, "--timeout", "5"], "--timeout goes with --qemu or the system QEMU, not with --caps"),
    ] {
      let result = try Command.qemuCaps(["lookup", "--machine", "pc"] + arguments).expect(status: 2)
      #expect(result.standardError.hasPrefix("qemu-caps: error: \(message);"), "\(result.standardError)")
    }
  }

  /// A prefix as scripts/install lays it out, with the built executable copied in and the
  /// snapshots named by `versions`: `(prefix, data directory)`.
  static func installed(in directory: URL, versions: [String]) throws -> (prefix: String, data: String) {
    let prefix = directory.appendingPathComponent("prefix").path
    let data = "\(prefix)/share/qemu-caps/capabilities-data"
    let manager = FileManager.default
    try manager.createDirectory(atPath: "\(prefix)/bin", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: data, withIntermediateDirectories: true)
    // cp, not copyItem: a child another test spawns meanwhile would inherit our descriptor
    // open for writing, and exec would then fail with "Text file busy".
    try Command.run("/bin/cp", [Command.qemuCapsExecutable, "\(prefix)/bin/qemu-caps"]).expect(status: 0)
    for version in versions {
      try manager.copyItem(atPath: "\(Self.data)/qemu-\(version).xml", toPath: "\(data)/qemu-\(version).xml")
    }
    for path in [prefix, "\(prefix)/bin", "\(prefix)/share", "\(prefix)/share/qemu-caps", data] {
      try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return (prefix, data)
  }

  @Test("report and diff without paths read ./capabilities-data, else the snapshots installed beside the binary")
  func installedSnapshots() throws {
    try Unattended.withDirectory { directory in
      let (prefix, data) = try Self.installed(in: URL(fileURLWithPath: directory), versions: ["7.2.22", "10.0.13"])
      let script = "mkdir -p $T/empty && cd $T/empty && exec \"$P/bin/qemu-caps\" \"$@\""
      func run(_ arguments: String) throws -> Unattended.Outcome {
        try Unattended.run("set -- \(arguments); \(script)", in: directory, environment: ["P": prefix], clean: true)
      }
      let report = try run("report")
      #expect(report.status == 0, "\(report.error)")
      #expect(report.output.contains("qemu-7.2.22.xml") && report.output.contains("qemu-10.0.13.xml"))
      #expect(!report.output.contains("qemu-5.2.0.xml"))
      let diff = try run("diff --old-version 7.2 --new-version 10.0")
      #expect(diff.status == 1, "\(diff.error)")
      #expect(diff.output.contains("+ machine type pc-q35-10.0\n"), "\(diff.output)")

      // ./capabilities-data comes first.
      try FileManager.default.createDirectory(
        atPath: "\(directory)/empty/capabilities-data", withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        atPath: "\(Self.data)/qemu-5.2.0.xml", toPath: "\(directory)/empty/capabilities-data/qemu-5.2.0.xml")
      let local = try run("report")
      #expect(local.output.contains("qemu-5.2.0.xml") && !local.output.contains("qemu-7.2.22.xml"), "\(local.error)")
      try FileManager.default.removeItem(atPath: "\(directory)/empty/capabilities-data")

      // Snapshots another user could change are not read: the message says where and why.
      var cases: [(String, Int, Int?, String)] = [
        (data, 0o775, nil, "group or others may write to \(data) (mode 775)"),
        ("\(prefix)/share", 0o777, nil, "group or others may write to \(prefix)/share (mode 777)"),
      ]
      // Only root can give a directory to another user.
      if getuid() == 0 { cases.append((data, 0o755, 65534, "\(data) is owned by user 65534")) }
      for (path, mode, owner, why) in cases {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        if let owner { try FileManager.default.setAttributes([.ownerAccountID: owner], ofItemAtPath: path) }
        let refused = try run("report")
        #expect(refused.status == 2)
        #expect(refused.output == "")
        #expect(
          refused.error.hasPrefix("qemu-caps: error: the installed snapshots at \(data) are not used: \(why);"),
          "\(refused.error)")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        if owner != nil {
          try FileManager.default.setAttributes([.ownerAccountID: Int(getuid())], ofItemAtPath: path)
        }
      }
      #expect(try run("report").status == 0)
    }
  }
}
