// A fake qemu-system-x86_64 for fault-injection tests: it speaks just enough QMP
// (over stdin/stdout, like `-qmp stdio`) to be probed, and misbehaves on request.
//
//   qemu-caps-fake-qemu --fault FAULT [--fault-machine NAME] [--package TEXT] [--tag TEXT]
//                       [--delay SECONDS] [--machines JSON] [--start-log FILE] QEMU-ARGS...
//
// --machines replaces the reply to query-machines (a JSON array, given verbatim);
// --start-log appends one line per start to FILE (O_APPEND: concurrent starts all count).
// The fault applies to every QEMU started with `-machine NAME` (NAME may be a
// glob; all when no --fault-machine is given). Faults: none, exit-before-greeting, no-greeting,
// silent, garbage, truncated, huge-line, event-flood, crash, ignore-quit,
// error-all, hostile-names, duplicate-names, escape-stderr, escape-pm-device; slow (waits --delay seconds after the greeting),
// amplified (answers device-list-properties and qom-list with a 16 MiB line `[{},{},…]`),
// no-quit-reply (answers everything but quit, and stays), grandchild (forks a
// child that sleeps, then works), refuse-start-monitor-first and
// refuse-start-exit-first (greet, print an error, exit 1: closing the monitor
// before exiting, or exiting while a child still holds the monitor open, as
// QEMU 11 does for machine type nitro).

#if canImport(Glibc)
  import Glibc
#endif

@main
struct FakeQEMU {
  static func main() {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var fault = "none"
    var faultMachine: String?
    var package = "fake"
    var machine = "pc"
    var delay = 0.0
    var machines: String?
    var index = 0
    while index < arguments.count {
      switch arguments[index] {
      case "--fault" where index + 1 < arguments.count:
        fault = arguments[index + 1]
        arguments.removeSubrange(index...index + 1)
      case "--fault-machine" where index + 1 < arguments.count:
        faultMachine = arguments[index + 1]
        arguments.removeSubrange(index...index + 1)
      case "--tag" where index + 1 < arguments.count:
        // Only marks the command line, so tests can find leftover processes.
        arguments.removeSubrange(index...index + 1)
      case "--delay" where index + 1 < arguments.count:
        delay = Double(arguments[index + 1]) ?? 0
        arguments.removeSubrange(index...index + 1)
      case "--machines" where index + 1 < arguments.count:
        machines = arguments[index + 1]
        arguments.removeSubrange(index...index + 1)
      case "--start-log" where index + 1 < arguments.count:
        let fd = open(arguments[index + 1], O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if fd >= 0 {
          var line = Array("start \(getpid())\n".utf8)
          _ = Glibc.write(fd, &line, line.count)
          close(fd)
        }
        arguments.removeSubrange(index...index + 1)
      case "--package" where index + 1 < arguments.count:
        package = arguments[index + 1]
        arguments.removeSubrange(index...index + 1)
      case "-machine" where index + 1 < arguments.count:
        machine = arguments[index + 1]
        index += 2
      default:
        index += 1
      }
    }
    let active = faultMachine.map { fnmatch($0, machine, 0) == 0 } ?? true
    let session = Session(
      machine: machine, fault: active ? fault : "none", package: package, delay: delay, machineList: machines)
    session.run()
  }
}

struct Session {
  let machine: String
  let fault: String
  let package: String
  let delay: Double
  /// The reply to query-machines, when the test chose one.
  let machineList: String?

  static let machines = [
    ("pc-i440fx-7.2", "pc", true), ("pc-q35-7.2", "q35", false), ("pc-i440fx-7.1", nil, false),
    ("isapc", nil, false), ("none", nil, false),
  ]

  func write(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.append(contentsOf: [0x0D, 0x0A])
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 { exit(0) }
      offset += written
    }
  }

  func readLine() -> String? {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while true {
      let count = Glibc.read(0, &byte, 1)
      if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
      if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
      line.append(byte)
    }
  }

  func sleepForever() -> Never {
    while true { sleep(1000) }
  }

  func escape(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  func run() {
    switch fault {
    case "exit-before-greeting":
      FileHandleStderr.write("qemu-system-x86_64: simulated start failure for \(machine)\n")
      exit(1)
    case "no-greeting":
      sleepForever()
    case "grandchild":
      // A child in QEMU's process group that would outlive it unless the group is killed.
      if fork() == 0 {
        renameForkedChild()
        sleepForever()
      }
    case "escape-stderr":
      FileHandleStderr.write("qemu-system-x86_64: \u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}[31mred\u{1B}[0m for \(machine)\n")
      exit(1)
    default:
      break
    }
    write(
      #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "\#(escape(package))"}, "capabilities": ["oob"]}}"#
    )
    switch fault {
    case "slow":
      usleep(UInt32(delay * 1_000_000))
    case "refuse-start-monitor-first":
      FileHandleStderr.write("qemu-system-x86_64: unable to map backing store for guest RAM: Cannot allocate memory\n")
      close(0)
      close(1)
      usleep(100_000)
      exit(1)
    case "refuse-start-exit-first":
      FileHandleStderr.write("qemu-system-x86_64: unable to map backing store for guest RAM: Cannot allocate memory\n")
      if fork() == 0 {
        // Hold the monitor open after the parent has exited.
        renameForkedChild()
        close(2)
        usleep(100_000)
        exit(0)
      }
      exit(1)
    case "huge-line":
      // 50 MB without a newline, written in 1 MB pieces.
      let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
      for _ in 0..<50 {
        chunk.withUnsafeBytes { buffer in
          var offset = 0
          while offset < buffer.count {
            let written = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { exit(0) }
            offset += written
          }
        }
      }
      sleepForever()
    case "event-flood":
      let event = #"{"event": "RTC_CHANGE", "data": {"offset": 1}, "timestamp": {"seconds": 1, "microseconds": 2}}"#
      while true { write(event) }
    default:
      break
    }
    var negotiated = false
    while let line = readLine() {
      let id = Self.field("id", in: line)
      let idPart = id.map { #", "id": "\#($0)""# } ?? ""
      let command = Self.field("execute", in: line) ?? ""
      switch fault {
      case "silent":
        continue
      case "garbage":
        write("{\"return\": tru,,, garbage")
        continue
      case "truncated":
        var bytes = Array("{\"return\": {\"qemu\": {\"maj".utf8)
        _ = Glibc.write(1, &bytes, bytes.count)
        exit(0)
      case "crash" where negotiated:
        // Die as a crashing QEMU does, even when built with a sanitizer that catches SIGSEGV.
        signal(SIGSEGV, SIG_DFL)
        raise(SIGSEGV)
      case "error-all":
        write(#"{"error": {"class": "GenericError", "desc": "simulated failure of \#(command)"}\#(idPart)}"#)
        continue
      default:
        break
      }
      if command == "qmp_capabilities" { negotiated = true }
      if command == "quit" && fault == "no-quit-reply" { sleepForever() }
      if command == "quit" {
        write(#"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": false}}"#)
        write(#"{"return": {}\#(idPart)}"#)
        if fault == "ignore-quit" { sleepForever() }
        exit(0)
      }
      if fault == "amplified" && (command == "device-list-properties" || command == "qom-list") {
        writeAmplified(idPart: idPart)
        continue
      }
      write(reply(command: command, line: line, idPart: idPart))
    }
    if fault == "ignore-quit" { sleepForever() }
    exit(0)
  }

  /// Name a forked child `fake-child` (its command line still names the fake's
  /// directory), so that once killed and adopted by a test's subreaper its zombie
  /// is not taken for an unreaped QEMU of the test process itself.
  func renameForkedChild() {
    let fd = open("/proc/self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    var name = Array("fake-child".utf8)
    _ = Glibc.write(fd, &name, name.count)
    close(fd)
  }

  /// A 16 MiB reply of empty objects, `{"return": [{},{},…], "id": …}`, in one write loop.
  func writeAmplified(idPart: String) {
    var bytes = Array(#"{"return": ["#.utf8)
    let count = ((16 << 20) - 64) / 3
    bytes.reserveCapacity(count * 3 + 64)
    for index in 0..<count {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
    }
    bytes.append(contentsOf: Array("]\(idPart)}\r\n".utf8))
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 { exit(0) }
      offset += written
    }
  }

  func reply(command: String, line: String, idPart: String) -> String {
    switch command {
    case "qmp_capabilities":
      return #"{"return": {}\#(idPart)}"#
    case "query-version":
      return
        #"{"return": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "\#(escape(package))"}\#(idPart)}"#
    case "query-target":
      return #"{"return": {"arch": "x86_64"}\#(idPart)}"#
    case "query-machines" where machineList != nil:
      return #"{"return": \#(machineList ?? "[]")\#(idPart)}"#
    case "query-machines":
      var entries = Self.machines.map { name, alias, isDefault in
        #"{"name": "\#(name)"\#(alias.map { #", "alias": "\#($0)""# } ?? "")\#(isDefault ? #", "is-default": true"# : "")}"#
      }
      if fault == "duplicate-names" {
        entries.append(#"{"name": "pc-q35-7.2"}"#)
      }
      if fault == "hostile-names" {
        entries += [#"{"name": "pc,accel=kvm"}"#, #"{"name": "-daemonize"}"#, #"{"name": "x<&'\"y"}"#]
      }
      return #"{"return": [\#(entries.joined(separator: ", "))]\#(idPart)}"#
    case "device-list-properties":
      return
        #"{"return": [{"name": "acpi-pci-hotplug-with-bridge-support", "type": "bool", "default-value": true}, {"name": "acpi-root-pci-hotplug", "type": "bool", "default-value": true}]\#(idPart)}"#
    case "query-command-line-options":
      return #"{"return": []\#(idPart)}"#
    case "qom-list-types":
      return
        #"{"return": [{"name": "tcg-accel", "parent": "accel"}, {"name": "kvm-accel", "parent": "accel"}]\#(idPart)}"#
    case "qom-get", "qom-list":
      let device =
        machine.hasPrefix("pc-i440fx") ? "PIIX4_PM" : machine.hasPrefix("pc-q35") ? "ICH9-LPC" : nil
      guard let device else {
        return
          #"{"error": {"class": "DeviceNotFound", "desc": "Device '/machine/acpi-device' not found"}\#(idPart)}"#
      }
      if command == "qom-list" {
        let root = device == "PIIX4_PM" ? #", {"name": "acpi-root-pci-hotplug", "type": "bool"}"# : ""
        return
          #"{"return": [{"name": "type", "type": "string"}, {"name": "acpi-pci-hotplug-with-bridge-support", "type": "bool"}\#(root)]\#(idPart)}"#
      }
      let property = Self.field("property", in: line) ?? ""
      if property == "type" {
        if fault == "escape-pm-device" { return #"{"return": "PIIX4_PM\u001b[2J,x=1 -chardev"\#(idPart)}"# }
        return #"{"return": "\#(device)"\#(idPart)}"#
      }
      if property == "acpi-root-pci-hotplug" && device != "PIIX4_PM" {
        return #"{"error": {"class": "GenericError", "desc": "Property not found"}\#(idPart)}"#
      }
      return #"{"return": true\#(idPart)}"#
    default:
      return #"{"error": {"class": "CommandNotFound", "desc": "The command \#(command) has not been found"}\#(idPart)}"#
    }
  }

  /// The string value of `"key": "value"` in a JSON line (enough for our own client's output).
  static func field(_ key: String, in line: String) -> String? {
    let needle = Array("\"\(key)\":".utf8)
    let bytes = Array(line.utf8)
    guard bytes.count >= needle.count,
      let start = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<$0 + needle.count]) == needle })
    else { return nil }
    var rest = Substring(String(decoding: bytes[(start + needle.count)...], as: UTF8.self)).drop { $0 == " " }
    guard rest.first == "\"" else { return nil }
    rest = rest.dropFirst()
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end])
  }
}

enum FileHandleStderr {
  static func write(_ text: String) {
    var bytes = Array(text.utf8)
    _ = Glibc.write(2, &bytes, bytes.count)
  }
}
