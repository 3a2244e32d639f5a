import Foundation
import QEMUCapsTestSupport
import Testing

/// Output files, standard output and standard error, and inputs that are not regular files.
@Suite("Output files, write errors and inputs")
struct OutputAndInputCLITests {
  @Test(
    "a regular file is replaced atomically, keeping its mode, owner and group",
    .enabled(if: getuid() == 0, "chown to another user needs root"))
  func regularFile() throws {
    try Unattended.run(
      """
      echo old > $T/caps.xml && chmod 0640 $T/caps.xml && chown 65534:65534 $T/caps.xml
      before=$(stat -c %i $T/caps.xml)
      "$QC" probe --replay "$REPLAY" --output $T/caps.xml || exit 9
      test "$(stat -c %i $T/caps.xml)" != "$before" || echo "not replaced"
      stat -c '%a %u %g %F' $T/caps.xml
      ls -A $T
      """
    ) { outcome in
      #expect(outcome.status == 0, "\(outcome.error)")
      #expect(outcome.output == "640 65534 65534 regular file\ncaps.xml\n", "\(outcome.output)")
      let written = try String(contentsOfFile: "\(outcome.directory)/caps.xml", encoding: .utf8)
      #expect(written.hasPrefix("<?xml"))
    }
  }

  @Test("a symlink (even a chain, relative or dangling) is followed; its target is replaced and the link stays")
  func symlinks() throws {
    try Unattended.run(
      """
      mkdir $T/real && echo old > $T/real/target.xml && chmod 0600 $T/real/target.xml
      ln -s real/target.xml $T/link1 && ln -s $T/link1 $T/link2 && ln -s real/new.xml $T/dangling
      "$QC" probe --replay "$REPLAY" --output $T/link2 || exit 9
      "$QC" probe --replay "$REPLAY" --output $T/dangling || exit 9
      stat -c '%F' $T/link1 $T/link2 $T/dangling
      stat -c '%a %F' $T/real/target.xml $T/real/new.xml
      head -c 5 $T/real/target.xml; echo; ls -A $T/real
      """
    ) { outcome in
      #expect(outcome.status == 0, "\(outcome.error)")
      #expect(
        outcome.output
          == "symbolic link\nsymbolic link\nsymbolic link\n600 regular file\n644 regular file\n<?xml\nnew.xml\ntarget.xml\n",
        "\(outcome.output)")
    }
  }

  @Test(
    "character devices, FIFOs and sockets are written directly, never replaced; directories and block devices are refused",
    .enabled(if: getuid() == 0, "mknod needs root"))
  func devices() throws {
    try Unattended.run(
      """
      mknod $T/null c 1 3 && mknod $T/full c 1 7 && mknod $T/block b 7 200 && mkfifo $T/fifo && mkdir $T/dir
      "$QC" probe --replay "$REPLAY" --output $T/null; echo "null $?"
      ln -s $T/null $T/link-to-null
      "$QC" probe --replay "$REPLAY" --output $T/link-to-null; echo "link-to-null $?"
      "$QC" probe --replay "$REPLAY" --output $T/full 2>$T/full.err; echo "full $?"; cat $T/full.err
      cat $T/fifo > $T/from-fifo & reader=$!
      "$QC" probe --replay "$REPLAY" --output $T/fifo; echo "fifo $?"; wait $reader
      head -c 5 $T/from-fifo; echo
      python3 -c 'import socket,sys
      s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); open(sys.argv[1]+".ready","w").close()
      c,_=s.accept(); d=b""
      while True:
          b=c.recv(65536)
          if not b: break
          d+=b
      open(sys.argv[2],"wb").write(d)' $T/sock $T/from-sock & server=$!
      while [ ! -e $T/sock.ready ]; do sleep 0.05; done
      "$QC" probe --replay "$REPLAY" --output $T/sock; echo "sock $?"; wait $server
      head -c 5 $T/from-sock; echo
      "$QC" probe --replay "$REPLAY" --output $T/block 2>$T/block.err; echo "block $?"; cat $T/block.err
      "$QC" probe --replay "$REPLAY" --output $T/dir 2>$T/dir.err; echo "dir $?"; cat $T/dir.err
      stat -c '%n %F' $T/null $T/full $T/block $T/fifo $T/sock $T/dir | sed "s|$T/||"
      ls -A $T/dir | wc -l
      """
    ) { outcome in
      let lines = outcome.output.split(separator: "\n").map(String.init)
      #expect(lines.contains("null 0"), "\(outcome.output)")
      #expect(lines.contains("link-to-null 0"), "\(outcome.output)")
      #expect(lines.contains("full 2"), "\(outcome.output)")
      #expect(
        outcome.output.contains("cannot write \(outcome.directory)/full: No space left on device"), "\(outcome.output)")
      #expect(lines.contains("fifo 0"), "\(outcome.output)")
      #expect(lines.contains("sock 0"), "\(outcome.output)")
      #expect(lines.filter { $0 == "<?xml" }.count == 2, "\(outcome.output)")
      #expect(lines.contains("block 2"), "\(outcome.output)")
      #expect(outcome.output.contains("it is a block device"), "\(outcome.output)")
      #expect(lines.contains("dir 2"), "\(outcome.output)")
      #expect(outcome.output.contains("it is a directory"), "\(outcome.output)")
      for expected in [
        "null character special file", "full character special file", "block block special file", "fifo fifo",
        "sock socket", "dir directory",
      ] {
        #expect(lines.contains(expected), "\(expected): \(outcome.output)")
      }
      #expect(lines.last == "0", "files were left in the refused directory")
    }
  }

  @Test(
    "another user's link in a sticky world-writable directory is not followed; /dev/stdout works for pipes and files",
    .enabled(if: getuid() == 0, "chown to another user needs root"))
  func protectedLinksAndStandardOutputPath() throws {
    try Unattended.run(
      """
      mkdir -m 1777 $T/tmp && echo secret > $T/victim && ln -s $T/victim $T/tmp/out.xml && chown -h 65534 $T/tmp/out.xml
      "$QC" probe --replay "$REPLAY" --output $T/tmp/out.xml; echo "sticky $?"; cat $T/victim
      ln -s $T/victim $T/tmp/mine.xml
      "$QC" probe --replay "$REPLAY" --output $T/tmp/mine.xml; echo "own link $?"; head -c 5 $T/victim; echo
      "$QC" probe --replay "$REPLAY" --output /dev/stdout | head -c 5; echo
      "$QC" probe --replay "$REPLAY" --output /dev/stdout > $T/file.xml; echo "file $?"; head -c 5 $T/file.xml; echo
      """
    ) { outcome in
      #expect(
        outcome.output == "sticky 2\nsecret\nown link 0\n<?xml\n<?xml\nfile 0\n<?xml\n", "\(outcome.output)")
      #expect(outcome.error.contains("fs.protected_symlinks"), "\(outcome.error)")
    }
  }

  @Test("an output that is one of the command's inputs, by any path, is refused and left intact")
  func outputIsAnInput() throws {
    try Unattended.run(
      """
      cp -r "$REPLAY" $T/rec && cp "$CAPS" $T/caps.xml
      ln -s caps.xml $T/link
      "$QC" report $T/caps.xml --output $T/caps.xml 2>&1; echo "report $?"
      "$QC" report $T/link --output $T/caps.xml 2>/dev/null; echo "report via link $?"
      "$QC" probe --replay $T/rec --output $T/rec/probe.json --format json 2>/dev/null; echo "replay $?"
      cp "$FAKE" $T/qemu && "$QC" probe --qemu $T/qemu --output $T/qemu 2>/dev/null; echo "binary $?"
      cmp "$FAKE" $T/qemu || echo "binary replaced"
      cmp $T/caps.xml "$CAPS" && diff -r $T/rec "$REPLAY" && echo intact
      ls -A $T
      """, fake: FakeQEMU.Fault.none
    ) { outcome in
      #expect(
        outcome.output == """
          qemu-caps: error: cannot write \(outcome.directory)/caps.xml: it is also an input of this command, which it would replace; write to another file
          report 2
          report via link 2
          replay 2
          binary 2
          intact
          caps.xml
          link
          qemu
          rec

          """, "\(outcome.output)")
    }
  }

  @Test("'-' is standard output for --output")
  func dashIsStandardOutput() throws {
    let result = try Command.qemuCaps(["probe", "--replay", Unattended.replay, "--output", "-"]).expect(status: 0)
    #expect(result.standardOutput == (try String(contentsOfFile: Unattended.capabilities, encoding: .utf8)))
  }

  @Test("a full or closed standard output exits 2 with one line naming it, for every command")
  func fullStandardOutput() throws {
    try Unattended.withDirectory { directory in
      let caps = Unattended.capabilities
      let commands = [
        "\"$QC\" lookup --caps \(caps) --machine q35",
        "\"$QC\" lookup --caps \(caps) --machine q35 --json",
        "\"$QC\" validate \"$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml\" --caps \(caps)",
        "\"$QC\" validate \"$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml\" --caps \(caps) --json",
        "\"$QC\" convert \"$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml\" --caps \(caps)",
        "\"$QC\" list --caps \(caps)",
        "\"$QC\" report \(caps)",
        "\"$QC\" report \(caps) --format html",
        "\"$QC\" diff \(caps) \(caps)",
        "\"$QC\" probe --replay \(Unattended.replay)",
        "\"$QC\" --help",
        "\"$QC\" --version",
      ]
      for command in commands {
        for redirect in ["> /dev/full", ">&-"] {
          let outcome = try Unattended.run("\(command) \(redirect)", in: directory)
          #expect(outcome.status == 2, "\(command) \(redirect): \(outcome.status) \(outcome.error)")
          #expect(
            outcome.error.hasSuffix(
              "qemu-caps: error: cannot write standard output: "
                + (redirect == ">&-" ? "Bad file descriptor\n" : "No space left on device\n")),
            "\(command) \(redirect): \(outcome.error)")
        }
      }
      let pipe = try Unattended.run(
        "\"$QC\" probe --replay \(Unattended.replay) | head -c 1 >/dev/null; true", in: directory)
      #expect(pipe.status == 0)
      // A full standard error: the warnings or the error are lost, the status says so.
      for command in [
        "\"$QC\" validate \"$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml\" --caps \(caps) >/dev/null",
        "\"$QC\" lookup --caps /no/such/file --machine q35",
      ] {
        let outcome = try Unattended.run("\(command) 2>/dev/full", in: directory)
        #expect(outcome.status == 2, "\(command) 2>/dev/full: \(outcome.status)")
      }
    }
  }

  @Test(
    "--output /dev/stdout (or /dev/fd/1, /proc/self/fd/1) with standard output closed exits 2, like any closed output")
  func outputToClosedStandardOutput() throws {
    try Unattended.withDirectory { directory in
      let caps = Unattended.capabilities
      let domain = "$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml"
      // Before: the path reached the /dev/null that holds descriptor 1's place, and the
      // command exited 0 having written nothing.
      for (command, path) in [
        ("\"$QC\" report \(caps) --output /dev/stdout >&-", "/dev/stdout"),
        ("\"$QC\" convert \(domain) --caps \(caps) --output /dev/fd/1 >&-", "/dev/fd/1"),
        ("\"$QC\" probe --replay \(Unattended.replay) --output /proc/self/fd/1 >&-", "/proc/self/fd/1"),
        ("\"$QC\" report \(caps) --output /dev/stderr 2>&-", "/dev/stderr"),
      ] {
        let outcome = try Unattended.run(command, in: directory)
        #expect(outcome.status == 2, "\(command): \(outcome.status) \(outcome.error)")
        if !command.hasSuffix("2>&-") {
          #expect(
            outcome.error.hasSuffix(
              "qemu-caps: error: cannot write \(path): it is a closed standard stream (Bad file descriptor)\n"),
            "\(command): \(outcome.error)")
        }
      }
      let open = try Unattended.run("\"$QC\" report \(caps) --output /dev/stdout | head -c 3", in: directory)
      #expect(open.status == 0 && open.output == "###", "\(open.error)")
    }
  }

  @Test("FIFOs, devices and directories as inputs exit 2 at once, naming the path; '-' reads standard input")
  func nonRegularInputs() throws {
    try Unattended.withDirectory { directory in
      let caps = Unattended.capabilities
      let domain = "$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml"
      let setup = """
        mkfifo $T/fifo && mkdir $T/capsdir $T/replay && mkfifo $T/capsdir/evil.xml && cp \(caps) $T/capsdir/
        cp -r \(Unattended.replay)/. $T/replay/ && rm $T/replay/probe.json && mkfifo $T/replay/probe.json
        mkdir $T/replay2 && cp -r \(Unattended.replay)/. $T/replay2/ && rm $T/replay2/pc-q35-7.2.replies
        mkfifo $T/replay2/pc-q35-7.2.replies
        """
      let cases: [(String, String)] = [
        ("\"$QC\" validate $T/fifo --caps \(caps)", "\(directory)/fifo"),
        ("\"$QC\" validate \(domain) --caps $T/fifo", "\(directory)/fifo"),
        ("\"$QC\" validate \(domain) --caps /dev/zero", "/dev/zero"),
        ("\"$QC\" validate $T/capsdir --caps \(caps)", "\(directory)/capsdir"),
        ("\"$QC\" lookup --caps $T/fifo --machine q35", "\(directory)/fifo"),
        ("\"$QC\" lookup --caps $T/capsdir --machine q35", "\(directory)/capsdir/evil.xml"),
        ("\"$QC\" diff $T/fifo \(caps)", "\(directory)/fifo"),
        ("\"$QC\" probe --replay $T/replay", "\(directory)/replay/probe.json"),
        ("\"$QC\" probe --replay $T/replay2", "\(directory)/replay2/pc-q35-7.2.replies"),
      ]
      _ = try Unattended.run(setup, in: directory)
      for (command, path) in cases {
        let outcome = try Unattended.run(command, in: directory)
        #expect(outcome.status == 2, "\(command): \(outcome.status) \(outcome.error)")
        #expect(outcome.error.contains(path), "\(command): \(outcome.error)")
        // A FIFO opened for reading without a writer would hang: Unattended.run bounds that.
      }
      let fromStandardInput = try Unattended.run(
        "\"$QC\" validate - --caps \(caps) < \(domain); echo \"status $?\"; cat \(caps) | \"$QC\" lookup --caps - --machine q35 --option acpi-hotplug-bridge",
        in: directory)
      #expect(fromStandardInput.status == 0, "\(fromStandardInput.error)")
      #expect(fromStandardInput.output.contains("status 0"), "\(fromStandardInput.output)")
      #expect(fromStandardInput.output.contains("acpi-hotplug-bridge: supported, default on"))
    }
  }

  @Test("'-' with standard input closed says so, for every command that reads '-'")
  func closedStandardInput() throws {
    try Unattended.withDirectory { directory in
      let caps = Unattended.capabilities
      let domain = "$REPO/Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/duplicate-same-value.xml"
      // Before: "standard input:1: the document is empty", as if an empty file had been given.
      for command in [
        "validate - --caps \(caps)", "validate \(domain) --caps -", "convert - --caps \(caps)",
        "lookup --caps - --machine pc", "list --caps -", "diff - \(caps)", "report -",
        "validate - --caps \(caps) --json",
      ] {
        let outcome = try Unattended.run("\"$QC\" \(command) <&-", in: directory)
        #expect(outcome.status == 2, "\(command): \(outcome.error)")
        #expect(
          outcome.error
            == "qemu-caps: error: cannot read standard input ('-'): it is closed (Bad file descriptor); give a file or pipe one in\n",
          "\(command): \(outcome.error)")
        if command.hasSuffix("--json") {
          #expect(outcome.output.contains(#""code":"input.closed""#), "\(outcome.output)")
        }
      }
    }
  }

  @Test("probe --output onto a file its own --record just wrote is refused; the recording stays whole")
  func outputIsPartOfTheRecording() throws {
    try Unattended.withDirectory { directory in
      let fake = try FakeQEMU.faulty(.none)
      defer { FakeQEMU.remove(fake) }
      // Before: exit 0, and DIR/probe.json (or DIR/none.replies) held the capability XML, so the
      // recording no longer replayed.
      for name in ["probe.json", "none.replies", "pc-q35-7.2.replies"] {
        let outcome = try Unattended.run(
          """
          rm -rf $T/rec
          "$FAKE_QEMU_CAPS" probe --qemu "$FAKE" --machines 'pc-q35-7.*' --record $T/rec --output $T/rec/\(name); echo "status $?"
          "$QC" probe --replay $T/rec --machines 'pc-q35-7.*' > /dev/null; echo "replay $?"
          """, in: directory, environment: ["FAKE": fake, "FAKE_QEMU_CAPS": Command.qemuCapsExecutable])
        #expect(outcome.output == "status 2\nreplay 0\n", "\(name): \(outcome.output) \(outcome.error)")
        #expect(
          outcome.error.contains(
            "cannot write \(directory)/rec/\(name): this command wrote it already, and would replace it; write to another file"
          ), "\(name): \(outcome.error)")
      }
    }
  }

  @Test("'-' for two inputs of one command is a usage error: standard input can be read once")
  func standardInputTwice() throws {
    let caps = Unattended.capabilities
    // Before: the second input read standard input empty ("standard input:1: the document is empty").
    for arguments in [
      ["validate", "-", "--caps", "-"], ["convert", "-", "--caps", "-"], ["diff", "-", "-"], ["report", "-", "-"],
    ] {
      let result = try Command.run(
        Command.qemuCapsExecutable, arguments, standardInput: try String(contentsOfFile: caps, encoding: .utf8))
      #expect(result.status == 2, "\(arguments)")
      #expect(
        result.standardError.hasPrefix("qemu-caps: error: only one input can be standard input ('-'); see "),
        "\(arguments): \(result.standardError)")
      #expect(result.standardOutput == "", "\(arguments)")
    }
    let once = try Command.run(
      Command.qemuCapsExecutable, ["diff", "-", caps], standardInput: try String(contentsOfFile: caps, encoding: .utf8))
    #expect(once.status == 0, "\(once.standardError)")
  }
}
