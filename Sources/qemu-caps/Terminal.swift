import QEMUCapsReport
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Output on standard output and standard error; only the executable writes to them.
///
/// Every write is checked. The first failure is remembered, and ``finish(_:)`` (the
/// only way the command ends) then exits with status 2 and one line on standard error
/// naming what failed, after checking that closing standard output succeeds too.
enum Terminal {
  private static let firstFailure = LockedState<String?>(nil)
  private static let pending = LockedState(StandardOutput())

  /// What is printed on standard output: the buffer, whether anything was printed at
  /// all, and whether a signal took it over (later prints are dropped).
  private struct StandardOutput {
    var buffer: [UInt8] = []
    var used = false
    var sealed = false
  }

  /// Make sure descriptors 0, 1 and 2 are open, first thing: a command started with
  /// standard output closed would otherwise open its next file as descriptor 1 and print
  /// into it. A closed one is taken by /dev/null opened read-only, so writes to it fail
  /// (and the command exits 2) instead of vanishing.
  static func reserveStandardDescriptors() {
    for fd in Int32(0)...2 where !Syscalls.isOpen(FileDescriptor(rawValue: fd)) {
      // The lowest free number is taken: this one.
      _ = try? Syscalls.open("/dev/null", flags: O_RDONLY)
      closedAtStart.withLock { $0.insert(fd) }
    }
  }

  private static let closedAtStart = LockedState<Set<Int32>>([])

  /// Whether standard descriptor `fd` (0, 1 or 2) was closed when the command started
  /// (it now holds a read-only /dev/null).
  static func wasClosedAtStart(_ fd: Int32) -> Bool {
    closedAtStart.withLock { $0.contains(fd) }
  }

  /// Write a document (JSON, XML) to standard output exactly as given (buffered; see ``flush()``).
  static func print(_ text: String, terminator: String = "\n") {
    let full = pending.withLock { state -> [UInt8]? in
      guard !state.sealed else { return nil }
      state.used = true
      state.buffer.append(contentsOf: text.utf8)
      state.buffer.append(contentsOf: terminator.utf8)
      guard state.buffer.count >= 1 << 16 else { return nil }
      defer { state.buffer.removeAll(keepingCapacity: true) }
      return state.buffer
    }
    if let full { write(full, to: 1, name: "standard output") }
  }

  /// Write what ``print(_:terminator:)`` buffered.
  static func flush() {
    let bytes = pending.withLock { state in
      defer { state.buffer.removeAll() }
      return state.buffer
    }
    if !bytes.isEmpty { write(bytes, to: 1, name: "standard output") }
  }

  /// The last words of a command a signal ends (called on the signal watcher thread,
  /// right before the exit): `error` on standard error and, when nothing has been printed
  /// on standard output yet, `output` there (later prints are dropped). Each is written
  /// only if its stream takes it within 100 ms: a stuck reader must not keep the process.
  static func lastWords(error: String, output: String?) {
    if let output {
      let unused = pending.withLock { state -> Bool in
        guard !state.used else { return false }
        state.sealed = true
        return true
      }
      if unused { writeWithoutWaiting(Array(output.utf8), to: 1) }
    }
    writeWithoutWaiting(Array(error.utf8), to: 2)
  }

  /// One write of `bytes` to `fd` if it is writable within 100 ms; failures are ignored.
  private static func writeWithoutWaiting(_ bytes: [UInt8], to fd: Int32) {
    var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
    guard (try? Syscalls.poll(&fds, timeoutMilliseconds: 100)) == 1, fds[0].revents & Int16(POLLOUT) != 0 else {
      return
    }
    _ = bytes.withUnsafeBytes { try? Syscalls.write(FileDescriptor(rawValue: fd), $0) }
  }

  /// Write one line of text for people to standard output, with control characters escaped.
  static func line(_ text: String) {
    print(escaped(text))
  }

  /// Write `qemu-caps: error: MESSAGE` to standard error, control characters escaped.
  static func error(_ message: String) {
    writeStandardError("qemu-caps: error: \(Self.message(message))\n")
  }

  /// Write `qemu-caps: warning: MESSAGE` to standard error, control characters escaped.
  static func warning(_ message: String) {
    writeStandardError("qemu-caps: warning: \(Self.message(message))\n")
  }

  /// Write raw text (our own, e.g. the progress display) to standard error, unbuffered.
  static func writeStandardError(_ text: String) {
    flush()
    write(Array(text.utf8), to: 2, name: "standard error")
  }

  /// `text` with control characters and bidirectional overrides escaped
  /// (``DisplayText/escaped(_:)``).
  static func escaped(_ text: String) -> String {
    DisplayText.escaped(text)
  }

  /// A message for standard error, control characters escaped. Its line breaks (QEMU's
  /// stderr quoted in an error has them) start new lines indented under the first when
  /// standard error is a terminal, where people read it; elsewhere they stay `\x0a`, so
  /// that a log or a script still gets one line per message.
  static func message(_ text: String) -> String {
    guard standardErrorIsTerminal, text.unicodeScalars.contains("\n") else { return escaped(text) }
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0[...]))
    }
    while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map(escaped).enumerated().map { index, line in
      index == 0 || line.isEmpty ? line : continuationIndent + line
    }.joined(separator: "\n")
  }

  /// The indentation of a message's later lines on a terminal.
  static let continuationIndent = "    "

  /// Close standard output and exit with `status`, or with 2 when a write to standard
  /// output or standard error failed (one line on standard error says which).
  static func finish(_ status: Int32) -> Never {
    flush()
    do {
      try Syscalls.close(FileDescriptor(rawValue: 1))
    } catch  where error.errno != EBADF && error.errno != EINTR {
      record("standard output", error.errno)
    } catch {}
    if let failure = firstFailure.withLock({ $0 }) {
      let bytes = Array("qemu-caps: error: cannot write \(failure)\n".utf8)
      _ = try? Syscalls.writeAll(FileDescriptor(rawValue: 2), bytes)
      exit(2)
    }
    // A failure to close standard error can no longer be reported, only signalled.
    do {
      try Syscalls.close(FileDescriptor(rawValue: 2))
    } catch  where error.errno != EBADF && error.errno != EINTR {
      exit(2)
    } catch {}
    exit(status)
  }

  private static func write(_ bytes: [UInt8], to fd: Int32, name: String) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        Result { () throws(SystemError) in
          try Syscalls.write(FileDescriptor(rawValue: fd), UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }
      }
      guard case .failure(let failure) = written else {
        offset += (try? written.get()) ?? 0
        continue
      }
      let number = failure.errno
      if number == EAGAIN {
        // A non-blocking descriptor from the caller: wait until it drains.
        var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
        _ = try? Syscalls.poll(&fds, timeoutMilliseconds: -1)
        continue
      }
      record(name, number)
      return
    }
  }

  private static func record(_ name: String, _ number: Int32) {
    let reason = String(cString: strerror(number))
    firstFailure.withLock { if $0 == nil { $0 = "\(name): \(reason)" } }
  }

  /// Whether standard error is a terminal (progress display goes there).
  static var standardErrorIsTerminal: Bool { Syscalls.isTerminal(FileDescriptor(rawValue: 2)) }
}
