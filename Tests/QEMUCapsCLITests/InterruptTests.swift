import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel
import QEMUCapsTestSupport
import Testing

/// SIGINT and SIGTERM during a probe, and two probes racing for one output file.
@Suite("Interrupted and concurrent probes", .liveQEMU)
struct InterruptTests {
  /// Start `qemu-caps probe` of `qemu` with `arguments`, send `signal` once two of its
  /// machine types hang, and wait for it: its exit status and how long it took to exit.
  static func interruptedProbe(
    _ arguments: [String], of qemu: FakeQEMU.Hanging, signal: Int32, standardOutput: ChildProcess.Stream? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (status: Int32?, elapsed: Duration) {
    let process = try ChildProcess.start(
      Command.qemuCapsExecutable, ["probe", "--qemu", qemu.path, "--timeout", "60", "--jobs", "2"] + arguments,
      standardOutput: standardOutput)
    defer { process.kill() }
    #expect(qemu.waitUntilHanging(2), "no machine type was seen hanging", sourceLocation: sourceLocation)
    return process.stop(with: signal)
  }

  @Test(
    "a signal stops every QEMU, keeps the previous output and exits 128 + signal",
    // SIGQUIT (Ctrl-\): before, the Swift runtime's backtracer printed a crash report
    // and the probe went on; SIGUSR1 and SIGALRM left the temporary files of an atomic write.
    arguments: [
      (SIGTERM, Int32(143)), (SIGINT, Int32(130)), (SIGQUIT, Int32(131)), (SIGHUP, Int32(129)),
      (SIGUSR1, Int32(138)), (SIGALRM, Int32(142)),
    ])
  func signal(signal: Int32, status: Int32) throws {
    try TemporaryDirectory.withFile("interrupt", named: "caps.xml", contents: "previous content\n") {
      output, directory in
      // Every machine type but `none` hangs before greeting: the probe waits on them.
      try FakeQEMU.withHangingMachines { qemu in
        let (exitStatus, elapsed) = try Self.interruptedProbe(["--output", output], of: qemu, signal: signal)
        #expect(elapsed < .seconds(10))
        #expect(exitStatus == status)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["caps.xml"])
        #expect(Readiness.poll { qemu.running.isEmpty })
      }
    }
  }

  @Test("probe --format json interrupted prints one JSON error object on standard output, as every failure does")
  func signalWithJSON() throws {
    try TemporaryDirectory.with("interrupt") { directory in
      let output = directory.appendingPathComponent("stdout.json").path
      let outputDescriptor = open(output, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
      #expect(outputDescriptor >= 0)
      defer { close(outputDescriptor) }
      let (status, _) = try FakeQEMU.withHangingMachines { qemu in
        try Self.interruptedProbe(
          ["--format", "json"], of: qemu, signal: SIGTERM, standardOutput: .descriptor(outputDescriptor))
      }
      #expect(status == 143)
      // Before: nothing on standard output, only "qemu-caps: error: interrupted; …" on standard error.
      let printed = try String(contentsOfFile: output, encoding: .utf8)
      let json = try JSON.parse(printed)
      #expect(json["error"]?["code"] == "interrupted", "\(printed)")
      #expect(json["error"]?["message"] == "interrupted by signal 15 (SIGTERM); no output was written", "\(printed)")
      #expect(try JSONSchema.violations(of: printed, schema: "probe") == [])
    }
  }

  @Test("--json commands a signal stops print one JSON error object, unless they had printed their answer")
  func signalWithJSONAnyCommand() throws {
    try Unattended.withDirectory { directory in
      // validate waits for its domain on a FIFO that stays open (fd 3); the signal stops it.
      let outcome = try Unattended.run(
        """
        mkfifo $T/in; exec 3<>$T/in
        \(Readiness.shellFunction)
        "$QC" validate - --caps \(Unattended.capabilities) --json < $T/in > $T/out 2> $T/err &
        pid=$!
        reading $pid; kill -TERM $pid; wait $pid; echo "status $?"
        cat $T/out; echo "--"; cat $T/err
        """, in: directory)
      let parts = outcome.output.components(separatedBy: "--\n")
      #expect(parts.count == 2, "\(outcome.output)")
      guard parts.count == 2 else { return }
      // Before: nothing on standard output, nothing on standard error.
      #expect(parts[0].hasPrefix("status 143\n"), "\(parts[0])")
      let printed = String(parts[0].dropFirst("status 143\n".count))
      #expect(
        printed == #"{"schemaVersion":2,"error":{"code":"interrupted","message":"interrupted by signal 15 (SIGTERM)"}}"#
          + "\n")
      #expect(try JSONSchema.violations(of: printed, schema: "validate") == [])
      #expect(parts[1] == "qemu-caps: error: interrupted by signal 15 (SIGTERM)\n", "\(parts[1])")
      // Without --json: the error line only.
      let plain = try Unattended.run(
        """
        \(Readiness.shellFunction)
        exec 3<>$T/in
        "$QC" lookup --caps - --machine pc < $T/in > $T/out 2> $T/err &
        pid=$!
        reading $pid; kill -INT $pid; wait $pid; echo "status $?"; cat $T/out $T/err
        """, in: directory)
      #expect(plain.output == "status 130\nqemu-caps: error: interrupted by signal 2 (SIGINT)\n", "\(plain.output)")
    }
  }

  @Test(
    "a signal after the probe, while the output FIFO has no reader, ends the command at once",
    arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
  func signalWhileWaitingForReader(signal: Int32, status: Int32) throws {
    try TemporaryDirectory.with("interrupt") { directory in
      let fifo = directory.appendingPathComponent("caps.fifo").path
      #expect(mkfifo(fifo, 0o600) == 0)
      let log = directory.appendingPathComponent("stderr.log").path
      let logDescriptor = open(log, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
      #expect(logDescriptor >= 0)
      defer { close(logDescriptor) }
      let fake = try FakeQEMU.faulty(.none)
      defer { FakeQEMU.remove(fake) }
      let process = try ChildProcess.start(
        Command.qemuCapsExecutable,
        ["probe", "--qemu", fake, "--output", fifo, "--jobs", "1", "--log-level", "debug"],
        standardError: .descriptor(logDescriptor))
      defer { process.kill() }
      // The probe is over once its resources are logged; the output is written next, and
      // the writer retries, sleeping, until the FIFO has a reader.
      #expect(
        Readiness.poll {
          ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("qemu-caps' own resources")
        })
      #expect(Readiness.poll { Readiness.isSleeping(process.pid) }, "not seen waiting for the FIFO's reader")
      // Before: the signal only cancelled the finished probe, and the FIFO was waited for 30 s.
      #expect(process.stop(with: signal, timeout: .seconds(10)).status == status)
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["caps.fifo", "stderr.log"])
      var status = stat()
      #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }
  }

  @Test("a signal during --record leaves no recording that replays: the earlier manifest is gone, no temporary file")
  func signalWhileRecording() throws {
    try TemporaryDirectory.with("interrupt") { directory in
      let recording = directory.appendingPathComponent("rec").path
      try FakeQEMU.withHangingMachines { qemu in
        try Command.qemuCaps([
          "probe", "--qemu", qemu.working, "--record", recording, "--output",
          directory.appendingPathComponent("first.xml").path,
        ]).expect(status: 0)
        #expect(FileManager.default.fileExists(atPath: "\(recording)/probe.json"))
        let (status, _) = try Self.interruptedProbe(["--record", recording, "--output", "-"], of: qemu, signal: SIGINT)
        #expect(status == 130)
      }
      // Before: the new `none` transcript sat beside the earlier probe.json and replayed as one recording.
      let files = try FileManager.default.contentsOfDirectory(atPath: recording)
      #expect(!files.contains("probe.json"))
      #expect(files.allSatisfy { $0.hasSuffix(".replies") }, "\(files)")
      let replay = try Command.qemuCaps(["probe", "--replay", recording]).expect(status: 2)
      #expect(replay.standardOutput.isEmpty)
      #expect(
        replay.standardError.contains("\(recording) holds no complete recording: probe.json is missing"),
        "\(replay.standardError)")
    }
  }

  @Test("a signal also stops `qemu-caps qmp` and its QEMU at once")
  func signalDuringQMP() throws {
    let fake = try FakeQEMU.faulty(.noGreeting)
    defer { FakeQEMU.remove(fake) }
    let process = try ChildProcess.start(
      Command.qemuCapsExecutable, ["qmp", "--qemu", fake, "--timeout", "60", "query-version"])
    defer { process.kill() }
    #expect(Readiness.poll(timeout: .seconds(10)) { !FakeQEMU.running(fake).isEmpty }, "QEMU was not seen starting")
    let (status, elapsed) = process.stop(with: SIGINT)
    #expect(elapsed < .seconds(10))
    #expect(status == 130)
    #expect(Readiness.poll { FakeQEMU.running(fake).isEmpty })
  }

  @Test("two probes writing the same output leave one complete, valid file")
  func concurrentWriters() throws {
    let qemu = try Requirement.systemQEMU.require(SystemQEMU.path)
    try TemporaryDirectory.with("interrupt") { directory in
      let output = directory.appendingPathComponent("caps.xml").path
      let processes = try (0..<2).map { _ in
        try ChildProcess.start(
          Command.qemuCapsExecutable,
          ["probe", "--qemu", qemu, "--output", output, "--machines", "pc-q35-*", "--jobs", "1"], quiet: false)
      }
      defer { for process in processes { process.kill() } }
      let statuses = processes.map { $0.wait(timeout: .seconds(120)) }
      #expect(statuses == [0, 0])
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["caps.xml"])
      let document = try CapabilityXMLReader.read(
        Array(try Data(contentsOf: URL(fileURLWithPath: output))), file: output)
      #expect(document.machines.count > 15)
    }
  }
}
