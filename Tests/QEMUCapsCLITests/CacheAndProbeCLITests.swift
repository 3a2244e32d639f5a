import Foundation
import QEMUCapsTestSupport
import Testing

/// The probe cache against a hostile local user, failed probes through lookup, numbers,
/// duplicate machine types and terminal escapes, end to end.
@Suite("Probe cache, failed probes, numbers and escapes", .liveQEMU)
struct CacheAndProbeCLITests {
  static let question = "--machine pc-i440fx-1.7 --option acpi-hotplug-bridge"

  /// Make a valid cache entry in `$T/good`, and a poisoned copy (every default flipped to on) in `$T/poison.json`.
  static let poison = """
    XDG_CACHE_HOME=$T/good "$QC" lookup --qemu "$QEMU" \(question) >/dev/null || exit 9
    entry=$(ls $T/good/qemu-caps/*.json); name=${entry##*/}
    sed 's/default=\\\\"off\\\\"/default=\\\\"on\\\\"/g' "$entry" > $T/poison.json
    """

  static func qemu() throws -> String {
    try Requirement.systemQEMU.require(SystemQEMU.path)
  }

  @Test("a cache directory others can write, or that another user owns, is not used; a private one is")
  func sharedCacheDirectory() throws {
    try Unattended.withDirectory { directory in
      let outcome = try Unattended.run(
        Self.poison + """

          mkdir -p $T/shared/qemu-caps && cp $T/poison.json $T/shared/qemu-caps/$name
          chmod 0777 $T/shared/qemu-caps
          echo "== world-writable"; XDG_CACHE_HOME=$T/shared "$QC" lookup --qemu "$QEMU" \(Self.question) 2>&1
          chmod 0700 $T/shared/qemu-caps && chown 65534 $T/shared/qemu-caps
          echo "== foreign owner"; XDG_CACHE_HOME=$T/shared "$QC" lookup --qemu "$QEMU" \(Self.question) 2>&1
          chown 0 $T/shared/qemu-caps
          echo "== private (the poison works here, so the test can fail)"
          XDG_CACHE_HOME=$T/shared "$QC" lookup --qemu "$QEMU" \(Self.question) 2>&1
          """, in: directory, environment: ["QEMU": try Self.qemu()])
      let parts = outcome.output.components(separatedBy: "== ")
      #expect(parts.count == 4, "\(outcome.output)")
      guard parts.count == 4 else { return }
      #expect(parts[1].contains("default off") && parts[1].contains("group or others may write"), "\(parts[1])")
      #expect(parts[2].contains("default off") && parts[2].contains("owned by user 65534"), "\(parts[2])")
      #expect(parts[3].contains("default on"), "the planted entry was not read even from a private directory")
    }
  }

  @Test(
    "entries that are links, FIFOs or another user's files are ignored and replaced",
    .enabled(if: getuid() == 0, "chown to another user needs root"))
  func hostileEntries() throws {
    try Unattended.withDirectory { directory in
      let outcome = try Unattended.run(
        Self.poison + """

          C=$T/good/qemu-caps
          rm $C/$name && ln -s $T/poison.json $C/$name
          echo "== link"; "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1
          stat -c %F $C/$name; cmp -s $T/poison.json $C/$name && echo same
          rm $C/$name && mkfifo $C/$name
          echo "== fifo"; "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1; stat -c %F $C/$name
          cp $T/poison.json $C/$name && chown 65534 $C/$name
          echo "== foreign"; "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1; stat -c '%F %u %a' $C/$name
          echo "== hit"; "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1
          """, in: directory, environment: ["QEMU": try Self.qemu(), "XDG_CACHE_HOME": "\(directory)/good"])
      let parts = outcome.output.components(separatedBy: "== ")
      #expect(parts.count == 5, "\(outcome.output)")
      guard parts.count == 5 else { return }
      #expect(parts[1].contains("it is a symbolic link") && parts[1].contains("default off"), "\(parts[1])")
      #expect(parts[1].contains("regular file") && !parts[1].contains("same"), "\(parts[1])")
      #expect(parts[2].contains("it is a FIFO") && parts[2].hasSuffix("regular file\n"), "\(parts[2])")
      #expect(parts[3].contains("owned by user 65534") && parts[3].hasSuffix("regular file 0 600\n"), "\(parts[3])")
      #expect(parts[4].contains("probe cache hit") && parts[4].contains("\(directory)/good/qemu-caps/"), "\(parts[4])")
    }
  }

  @Test("with HOME unset the cache is in the password database's home, never /tmp; without a home there is none")
  func homeUnset() throws {
    try Unattended.withDirectory { directory in
      let home = try #require(FileManager.default.homeDirectoryForCurrentUser.path.isEmpty ? nil : getpwuid(geteuid()))
      let passwordHome = String(cString: home.pointee.pw_dir)
      let outcome = try Unattended.run(
        """
        "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1
        echo "== nobody"
        chmod 0755 $T
        setpriv --reuid 65534 --regid 65534 --clear-groups "$QC" lookup --qemu "$QEMU" \(Self.question) --log-level debug 2>&1
        """, in: directory, environment: ["QEMU": try Self.qemu()], clean: true)
      let parts = outcome.output.components(separatedBy: "== ")
      #expect(parts.count == 2, "\(outcome.output)")
      guard parts.count == 2 else { return }
      #expect(parts[0].contains("\(passwordHome)/.cache/qemu-caps/"), "\(parts[0])")
      #expect(!outcome.output.contains("/tmp/.cache"), "\(outcome.output)")
      #expect(parts[1].contains("default off"), "\(parts[1])")
      #expect(parts[1].contains("not using the probe cache") || parts[1].contains("no probe cache"), "\(parts[1])")
    }
  }

  @Test(
    "a machine type whose probe fails is unknown: exit 3 quoting QEMU, its PM device unknown (not none), never cached, --timeout accepted"
  )
  func failedProbe() throws {
    try Unattended.withDirectory { directory in
      let timeout = try FakeQEMU.faulty(.noGreeting, machine: "pc-q35-7.2")
      defer { FakeQEMU.remove(timeout) }
      let escapes = try FakeQEMU.faulty(.escapeStandardError, machine: "pc-q35-7.2")
      defer { FakeQEMU.remove(escapes) }
      let outcome = try Unattended.run(
        """
        Q="lookup --machine pc-q35-7.2 --option acpi-hotplug-bridge --timeout 0.5"
        "$QC" $Q --qemu "$TIMEOUT"; echo "status $?"
        "$QC" $Q --qemu "$TIMEOUT" --json >$T/failed.json; echo "status $?"; cat $T/failed.json
        "$QC" $Q --qemu "$TIMEOUT" --log-level debug 2>&1 | grep -c "probe cache miss"
        echo "cached $(cat $T/cache/qemu-caps/*.json 2>/dev/null | grep -cF 'name=\\"pc-q35-7.2\\"')"
        "$QC" lookup --machine pc --option acpi-root-hotplug --qemu "$TIMEOUT"; echo "status $?"
        echo "pc cached $(cat $T/cache/qemu-caps/*.json | grep -cF 'name=\\"pc-i440fx-7.2\\"')"
        "$QC" $Q --qemu "$ESCAPES"; echo "status $?"
        """, in: directory,
        environment: ["TIMEOUT": timeout, "ESCAPES": escapes, "XDG_CACHE_HOME": "\(directory)/cache"])
      let lines = outcome.output.split(separator: "\n").map(String.init)
      #expect(lines.filter { $0 == "status 3" }.count == 3, "\(outcome.output)")
      // "none" would say the machine type has no PM device; the probe failed, so it is unknown.
      #expect(outcome.output.contains("pc-q35-7.2 (q35): ACPI PM device unknown (probe failed)\n"), "\(outcome.output)")
      #expect(!outcome.output.contains("ACPI PM device none"), "\(outcome.output)")
      let json = try String(contentsOfFile: "\(directory)/failed.json", encoding: .utf8)
      #expect(!json.contains(#""pmDevice""#), "\(json)")
      #expect(try JSONSchema.violations(of: json, schema: "lookup") == [])
      #expect(lines.contains("pc cached 1"), "the lookup that succeeded was not cached: \(outcome.output)")
      #expect(lines.contains("status 0"), "\(outcome.output)")
      #expect(lines.contains("cached 0"), "a failure was cached: \(outcome.output)")
      #expect(lines.contains("1"), "the second lookup did not probe again: \(outcome.output)")
      #expect(outcome.error.contains("the answer is unknown"), "\(outcome.error)")
      #expect(
        outcome.error.contains(
          "time limit of 0.5 s (from start to exit) ran out while waiting for the QMP greeting; QEMU was killed; raise --timeout if the host is slow"
        ),
        "\(outcome.error)")
      #expect(
        outcome.output.contains(#""error":"#) && !outcome.output.contains(#""supported":false"#), "\(outcome.output)")
      #expect(outcome.error.contains(#"\x1b]0;owned\x07\x1b[2J"#), "\(outcome.error)")
      #expect(!(outcome.output + outcome.error).unicodeScalars.contains("\u{1B}"), "a raw escape reached the terminal")
    }
  }

  @Test(
    "numbers out of range and unknown flags are usage errors (exit 2), never a crash",
    arguments: [
      "probe --timeout inf", "probe --timeout nan", "probe --timeout 1e300", "probe --timeout -1", "probe --timeout 0",
      "probe --timeout 0x1p3",
      "probe --timeout 1e1", "probe --timeout 1e-400", "probe --timeout 1.2.3", "probe --timeout 5s",
      "probe --jobs 0", "probe --jobs 100000", "qmp --timeout inf query-version", "qmp --timeout 1e300 query-version",
      "lookup --qemu x --machine pc --timeout 1e300", "lookup --caps x --machine pc --timeout 1",
      "probe --no-such-flag", "lookup", "validate", "diff a", "no-such-command",
    ])
  func usageErrors(arguments: String) throws {
    let result = try Command.qemuCaps(arguments.split(separator: " ").map(String.init))
    #expect(result.status == 2, "\(arguments): \(result.status) \(result.standardError)")
    #expect(!result.standardError.isEmpty)
  }

  @Test("hostile numbers in files exit 2 naming the file: a replay mtime that overflows, a negative size")
  func hostileNumbersInFiles() throws {
    try Unattended.withDirectory { directory in
      let outcome = try Unattended.run(
        """
        cp -r \(Unattended.replay) $T/replay
        sed -i 's/"mtime": [0-9]*/"mtime": 99999999999/' $T/replay/probe.json
        "$QC" probe --replay $T/replay; echo "status $?"
        sed 's/size="[0-9]*"/size="-1"/' \(Unattended.capabilities) > $T/caps.xml
        "$QC" lookup --caps $T/caps.xml --machine q35; echo "status $?"
        """, in: directory)
      #expect(outcome.output == "status 2\nstatus 2\n", "\(outcome.output)")
      #expect(outcome.error.contains("\(directory)/replay/probe.json") && outcome.error.contains("out of range"))
      #expect(outcome.error.contains("\(directory)/caps.xml:"), "\(outcome.error)")
    }
  }

  @Test("a QEMU that lists a machine type twice: exit 2 naming binary and duplicate; the old output stays")
  func duplicateMachineNames() throws {
    try Unattended.run(
      """
      echo previous > $T/caps.xml
      "$QC" probe --qemu "$FAKE" --output $T/caps.xml; echo "status $?"
      cat $T/caps.xml; ls -A $T
      """, fake: .duplicateNames
    ) { outcome in
      #expect(outcome.output == "status 2\nprevious\ncaps.xml\n", "\(outcome.output)")
      let qemu = try #require(outcome.fake)
      #expect(
        outcome.error.contains(qemu) && outcome.error.contains("machine type pc-q35-7.2 is listed twice"),
        "\(outcome.error)")
    }
  }

  @Test("QEMU's stderr with terminal escapes is escaped in warnings and errors; files keep the exact bytes")
  func terminalEscapes() throws {
    try Unattended.withDirectory { directory in
      let qemu = try FakeQEMU.faulty(.escapeStandardError, machine: "pc-q35-7.2", package: "pkg \u{1B}[31m")
      defer { FakeQEMU.remove(qemu) }
      let outcome = try Unattended.run(
        """
        "$QC" probe --qemu "$FAKE" --format json --output $T/caps.json; echo "status $?"
        "$QC" qmp --qemu "$FAKE" --machine pc-q35-7.2 query-version; echo "status $?"
        "$QC" probe --qemu "$FAKE" --output $T/caps.xml --log-level debug; echo "status $?"
        "$QC" lookup --caps $T/caps.xml --machine pc; echo "status $?"
        """, in: directory, environment: ["FAKE": qemu])
      #expect(outcome.output.contains("status 0\nstatus 2\nstatus 0\n"), "\(outcome.output)")
      #expect(outcome.error.contains(#"\x1b]0;owned\x07"#), "\(outcome.error)")
      #expect(outcome.output.contains(#"(pkg \x1b[31m)"#), "\(outcome.output)")
      #expect(!(outcome.output + outcome.error).unicodeScalars.contains("\u{1B}"), "a raw escape reached the terminal")
      let json = try String(contentsOfFile: "\(directory)/caps.json", encoding: .utf8)
      #expect(json.contains(#"\u001b]0;owned\u0007"#), "the JSON file lost QEMU's exact message")
    }
  }

  @Test("qmp and --record check every write: /dev/full, a link, a recording that cannot be written")
  func recordingWrites() throws {
    try Unattended.run(
      """
      "$QC" qmp --qemu "$QEMU" query-version > /dev/full; echo "stdout $?"
      echo old > $T/target.replies && ln -s target.replies $T/link.replies
      "$QC" qmp --qemu "$QEMU" --record $T/link.replies query-version > /dev/null; echo "link $?"
      stat -c %F $T/link.replies; head -c 1 $T/target.replies; echo
      "$QC" qmp --qemu "$QEMU" --record /dev/full query-version > /dev/null; echo "full $?"
      mkdir -p $T/rec/isapc.replies
      "$QC" probe --qemu "$QEMU" --machines isapc --record $T/rec --output $T/caps.xml; echo "record $?"
      test -e $T/caps.xml || echo "no output"
      """, environment: ["QEMU": try Self.qemu()]
    ) { outcome in
      let lines = outcome.output.split(separator: "\n").map(String.init)
      #expect(
        lines == ["stdout 2", "link 0", "symbolic link", "{", "full 2", "record 2", "no output"], "\(outcome.output)")
      #expect(outcome.error.contains("cannot write standard output: No space left on device"), "\(outcome.error)")
      #expect(outcome.error.contains("cannot write /dev/full: No space left on device"), "\(outcome.error)")
      #expect(outcome.error.contains("\(outcome.directory)/rec/isapc.replies"), "\(outcome.error)")
    }
  }
}
