import Foundation

extension Command {
  /// The parent's ends of a child's three standard streams: writes what is left of
  /// its input, collects its output and error until each ends.
  struct Streams {
    private var input: Int32
    private var output: Int32
    private var error: Int32
    private var pending: [UInt8]
    private(set) var outputBytes: [UInt8] = []
    private(set) var errorBytes: [UInt8] = []

    init(input: Int32, output: Int32, error: Int32, pending: String?) {
      self.input = input
      self.output = output
      self.error = error
      self.pending = Array((pending ?? "").utf8)
      _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
      if pending != nil { Self.ignorePipeSignal() }
      if self.pending.isEmpty { Self.close(&self.input) }
    }

    /// Whether standard output or standard error may still bring something.
    var outputOpen: Bool { output >= 0 || error >= 0 }

    /// Wait at most `waitingMilliseconds` for any stream to be ready, then move what is ready.
    mutating func transfer(waitingMilliseconds: Int32) {
      var descriptors = [output, error].filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
      if input >= 0 { descriptors.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
      guard poll(&descriptors, nfds_t(descriptors.count), waitingMilliseconds) > 0 else { return }
      for entry in descriptors where entry.revents != 0 {
        if entry.fd == input {
          writeInput()
        } else if entry.fd == output {
          Self.read(&output, into: &outputBytes)
        } else {
          Self.read(&error, into: &errorBytes)
        }
      }
    }

    /// Close whatever is still open.
    mutating func closeAll() {
      Self.close(&input)
      Self.close(&output)
      Self.close(&error)
    }

    private mutating func writeInput() {
      let written = pending.withUnsafeBytes { Foundation.write(input, $0.baseAddress, $0.count) }
      if written > 0 { pending.removeFirst(written) }
      if pending.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) { Self.close(&input) }
    }

    private static func read(_ fd: inout Int32, into bytes: inout [UInt8]) {
      var buffer = [UInt8](repeating: 0, count: 65536)
      let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
      if count > 0 {
        bytes.append(contentsOf: buffer[0..<count])
      } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
        close(&fd)
      }
    }

    private static func close(_ fd: inout Int32) {
      if fd >= 0 { _ = Foundation.close(fd) }
      fd = -1
    }

    /// A child that stops reading its input makes our write fail with `EPIPE`
    /// instead of killing the test process.
    private static let pipeSignalIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
    private static func ignorePipeSignal() { pipeSignalIgnored }
  }
}
