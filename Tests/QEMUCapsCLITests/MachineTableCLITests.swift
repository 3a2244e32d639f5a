import Foundation
import QEMUCapsTestSupport
import Testing

/// Through the real CLI: a QEMU whose `query-machines` breaks the model's invariants never
/// makes `probe` write, or the cache store, what `lookup` then refuses.
@Suite("probe and lookup with hostile query-machines tables", .liveQEMU)
struct MachineTableCLITests {
  /// Probe into a file holding `previous`, read it back, then look up twice through the cache.
  static let script = """
    echo previous > $T/caps.xml
    "$QC" probe --qemu "$FAKE" --output $T/caps.xml; echo "probe $?"
    head -c 5 $T/caps.xml; echo
    "$QC" lookup --caps $T/caps.xml --machine pc-q35-7.2 >/dev/null; echo "caps $?"
    "$QC" lookup --qemu "$FAKE" --machine pc-q35-7.2 >/dev/null; echo "qemu $?"
    "$QC" lookup --qemu "$FAKE" --machine pc-q35-7.2 --log-level debug 2>$T/debug >/dev/null; echo "again $?"
    echo "hits $(grep -c 'probe cache hit' $T/debug)"
    echo "entries $(ls $T/cache/qemu-caps | grep -c 'json$')"
    """

  static func run(_ rows: String) throws -> Unattended.Outcome {
    return try Unattended.withDirectory { directory in
      let machines = "[\(rows), {\"name\": \"isapc\"}]"
      let qemu = try FakeQEMU.faulty(.none, machines: machines)
      defer { FakeQEMU.remove(qemu) }
      return try Unattended.run(
        script, in: directory, environment: ["FAKE": qemu, "XDG_CACHE_HOME": "\(directory)/cache"])
    }
  }

  @Test(
    "an alias on two machine types or equal to another's name: probe exits 2, keeps the old file, caches nothing",
    arguments: [
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc"}, {"name": "pc-q35-7.2", "alias": "pc"}"#,
        "the alias pc is given to machine types pc-i440fx-7.2 and pc-q35-7.2"
      ),
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc"}, {"name": "pc-q35-7.2", "alias": "pc-i440fx-7.2"}"#,
        "the alias pc-i440fx-7.2 of machine type pc-q35-7.2 is the name of another machine type"
      ),
    ])
  func refused(rows: String, message: String) throws {
    let outcome = try Self.run(rows)
    #expect(
      outcome.output == "probe 2\nprevi\ncaps 2\nqemu 2\nagain 2\nhits 0\nentries 0\n", "\(outcome.output)")
    #expect(outcome.error.contains(message), "\(outcome.error)")
    #expect(!outcome.error.contains("damaged cache entry"), "\(outcome.error)")
  }

  @Test(
    "an alias equal to the machine's own name, or two defaults: recorded with a warning; read back and cached",
    arguments: [
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc-i440fx-7.2", "is-default": true}, {"name": "pc-q35-7.2", "alias": "q35"}"#,
        "its own name as alias"
      ),
      (
        #"{"name": "pc-i440fx-7.2", "alias": "pc", "is-default": true}, {"name": "pc-q35-7.2", "alias": "q35", "is-default": true}"#,
        "so none is recorded as the default"
      ),
    ])
  func recorded(rows: String, warning: String) throws {
    let outcome = try Self.run(rows)
    #expect(
      outcome.output == "probe 0\n<?xml\ncaps 0\nqemu 0\nagain 0\nhits 1\nentries 1\n", "\(outcome.output)")
    #expect(outcome.error.contains("warning: query-machines") && outcome.error.contains(warning), "\(outcome.error)")
    #expect(!outcome.error.contains("damaged cache entry"), "\(outcome.error)")
  }

  @Test("a QEMU whose alias moves between runs: the entry is replaced with a warning, never stored broken")
  func aliasMoves() throws {
    try Unattended.withDirectory { directory in
      let first = try FakeQEMU.faulty(
        .none, machines: #"[{"name": "pc-i440fx-7.2", "alias": "pc"}, {"name": "pc-q35-7.2"}]"#)
      defer { FakeQEMU.remove(first) }
      let second = try FakeQEMU.faulty(
        .none, machines: #"[{"name": "pc-i440fx-7.2"}, {"name": "pc-q35-7.2", "alias": "pc"}]"#)
      defer { FakeQEMU.remove(second) }
      // One binary (one cache entry) that answers as `first` until $T/moved exists.
      let qemu = try FakeQEMU.make(
        "qemu-system-x86_64", body: "[ -e '\(directory)/moved' ] && exec '\(second)' \"$@\"\nexec '\(first)' \"$@\"")
      defer { FakeQEMU.remove(qemu) }
      let outcome = try Unattended.run(
        """
        "$QC" lookup --qemu "$FAKE" --machine pc >/dev/null; echo "first $?"
        touch $T/moved
        "$QC" lookup --qemu "$FAKE" --machine pc-q35-7.2 >/dev/null; echo "moved $?"
        "$QC" lookup --qemu "$FAKE" --machine pc --log-level debug 2>$T/debug; echo "again $?"
        echo "hits $(grep -c 'probe cache hit' $T/debug)"
        """, in: directory, environment: ["FAKE": qemu, "XDG_CACHE_HOME": "\(directory)/cache"])
      #expect(outcome.output.hasPrefix("first 0\nmoved 0\n"), "\(outcome.output)")
      #expect(outcome.output.contains("machine type pc-q35-7.2 (pc)"), "\(outcome.output)")
      #expect(outcome.output.hasSuffix("again 0\nhits 1\n"), "\(outcome.output)")
      #expect(outcome.error.contains("the cache entry and a new probe disagree"), "\(outcome.error)")
      #expect(!outcome.error.contains("damaged cache entry"), "\(outcome.error)")
    }
  }
}
