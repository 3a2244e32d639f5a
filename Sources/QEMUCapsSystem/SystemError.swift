#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An error number from a failed system call, with the call that failed.
package struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The `errno` value.
  package var errno: Int32
  /// The system call that failed, e.g. `socketpair`.
  package var call: SystemCall

  package init(errno: Int32, call: SystemCall) {
    self.errno = errno
    self.call = call
  }

  /// The C library's text for the error number.
  package var message: String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text)
  }

  package var description: String { "\(call.rawValue): \(message)" }
}
