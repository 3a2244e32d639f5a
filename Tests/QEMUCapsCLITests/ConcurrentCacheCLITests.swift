import Foundation
import QEMUCapsTestSupport
import Testing

/// Many `lookup --qemu` processes at once on a cold cache, against a fake QEMU that
/// counts its starts: every answer persists, and a lookup that waited reuses what
/// another one probed.
@Suite("concurrent lookups through the probe cache", .liveQEMU)
struct ConcurrentCacheCLITests {
  static let machines = (0..<20).map { "pc-i440fx-2.\($0)" }

  /// Start one lookup per word of `$MACHINES` at once and wait for all; print how many
  /// failed, how many QEMUs started, and which machine types the entry lacks.
  static let script = """
    i=0
    for m in $MACHINES; do
      i=$((i + 1))
      ( "$QC" lookup --qemu "$FAKE" --machine $m --option acpi-hotplug-bridge >$T/out.$i 2>&1; echo $? >$T/status.$i ) &
    done
    wait
    echo "failed $(cat $T/status.* | grep -vc '^0$')"
    echo "starts $(wc -l <$T/starts)"
    entry=$(ls $T/cache/qemu-caps/*.json)
    for m in $MACHINES; do grep -qF "name=\\\\\\"$m\\\\\\"" "$entry" || echo "missing $m"; done
    for m in $MACHINES; do "$QC" lookup --qemu "$FAKE" --machine $m >/dev/null || echo "again failed $m"; done
    echo "restarts $(wc -l <$T/starts)"
    """

  static func run(machines: [String]) throws -> Unattended.Outcome {
    return try Unattended.withDirectory { directory in
      let table = "[" + Self.machines.map { #"{"name": "\#($0)"}"# }.joined(separator: ", ") + #", {"name": "none"}]"#
      let qemu = try FakeQEMU.faulty(.none, machines: table, startLog: "\(directory)/starts")
      defer { FakeQEMU.remove(qemu) }
      // The limit only ends a run that hangs; the lookups take a few seconds.
      return try Unattended.run(
        script, in: directory,
        environment: [
          "FAKE": qemu, "XDG_CACHE_HOME": "\(directory)/cache", "MACHINES": machines.joined(separator: " "),
        ], limit: 300)
    }
  }

  @Test("20 lookups of 20 machine types: all 20 answers are in the entry, each probed once")
  func differentMachines() throws {
    let outcome = try Self.run(machines: Self.machines)
    // Each lookup starts the -machine none QEMU and its machine type's; the second round none.
    #expect(outcome.output == "failed 0\nstarts 40\nrestarts 40\n", "\(outcome.output)\(outcome.error)")
  }

  @Test("20 lookups of one machine type: one probes, the others wait and reuse its answer")
  func sameMachine() throws {
    let outcome = try Self.run(machines: Array(repeating: "pc-i440fx-2.7", count: 20))
    #expect(outcome.output.hasPrefix("failed 0\nstarts 2\n"), "\(outcome.output)\(outcome.error)")
    #expect(outcome.output.contains("restarts 2\n"), "\(outcome.output)")
  }
}
