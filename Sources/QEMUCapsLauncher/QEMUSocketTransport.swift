import QEMUCapsQMP
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// QMP over QEMU's standard input and output (one socket), with its standard
/// error collected on the side.
///
/// Standard error is drained while waiting for QMP so a chatty QEMU never
/// blocks on a full pipe; the last ``maximumStandardErrorBytes`` are kept for
/// error messages.
final class QEMUSocketTransport: QMPTransport {
  static let maximumStandardErrorBytes = 64 * 1024

  private let monitor: FileDescriptor
  private var standardErrorDescriptor: FileDescriptor?
  private var framer: QMPLineFramer
  private var monitorClosed = false
  private(set) var standardError: [UInt8] = []
  private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

  init(monitor: FileDescriptor, standardError: FileDescriptor, maximumLineLength: Int) {
    self.monitor = monitor
    self.standardErrorDescriptor = standardError
    self.framer = QMPLineFramer(maximumLineLength: maximumLineLength)
  }

  func send(_ message: String) throws(QMPError) {
    var bytes = Array(message.utf8)
    bytes.append(contentsOf: [0x0D, 0x0A])
    do {
      try Syscalls.sendAll(monitor, bytes)
    } catch {
      if error.errno == EPIPE || error.errno == ECONNRESET {
        throw QMPError(.endOfStream, detail: "QEMU is gone (\(error.message))")
      }
      throw QMPError(.transport, detail: error.description)
    }
  }

  func receiveLine(before deadline: ContinuousClock.Instant) throws(QMPError) -> [UInt8]? {
    while true {
      if let line = try framer.nextLine() { return line }
      if monitorClosed { return framer.remainder() }
      try waitAndRead(before: deadline)
    }
  }

  /// Discard QMP output until QEMU closes the monitor (it exits) or `deadline` passes;
  /// return whether the monitor closed.
  func waitForEndOfStream(before deadline: ContinuousClock.Instant) -> Bool {
    while !monitorClosed {
      do {
        _ = try framer.nextLine()
        try waitAndRead(before: deadline)
      } catch {
        return false
      }
    }
    return true
  }

  /// Read whatever QEMU writes to standard error until it closes it or `deadline` passes.
  func drainStandardError(before deadline: ContinuousClock.Instant) {
    while standardErrorDescriptor != nil {
      do {
        try waitAndRead(before: deadline, monitorToo: false)
      } catch {
        return
      }
    }
  }

  /// Whether QEMU's standard error is still open.
  var standardErrorIsOpen: Bool { standardErrorDescriptor != nil }

  /// QEMU's standard error as text, trimmed.
  var standardErrorText: String {
    String(decoding: standardError, as: UTF8.self).trimmingWhitespace()
  }

  private func waitAndRead(before deadline: ContinuousClock.Instant, monitorToo: Bool = true) throws(QMPError) {
    var fds: [pollfd] = []
    if monitorToo && !monitorClosed { fds.append(pollfd(fd: monitor.rawValue, events: Int16(POLLIN), revents: 0)) }
    if let standardErrorDescriptor {
      fds.append(pollfd(fd: standardErrorDescriptor.rawValue, events: Int16(POLLIN), revents: 0))
    }
    guard !fds.isEmpty else { return }
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { throw QMPError(.timeout, detail: "timed out") }
    let ready: Int32
    do {
      ready = try Syscalls.poll(&fds, timeout: remaining)
    } catch {
      throw QMPError(.transport, detail: error.description)
    }
    if ready == 0 {
      if ContinuousClock.now >= deadline { throw QMPError(.timeout, detail: "timed out") }
      return
    }
    for entry in fds where entry.revents != 0 {
      let count: Int
      do {
        count = try Syscalls.read(FileDescriptor(rawValue: entry.fd), into: &readBuffer)
      } catch {
        if error.errno == ECONNRESET { count = 0 } else { throw QMPError(.transport, detail: error.description) }
      }
      if entry.fd == monitor.rawValue {
        if count == 0 {
          monitorClosed = true
        } else {
          readBuffer.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
      } else if count == 0 {
        standardErrorDescriptor = nil
      } else {
        standardError.append(contentsOf: readBuffer[..<count])
        if standardError.count > Self.maximumStandardErrorBytes {
          standardError.removeFirst(standardError.count - Self.maximumStandardErrorBytes)
        }
      }
    }
  }
}

extension String {
  func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
