import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reads whole input files (capability files, domains, recordings) with a size limit.
///
/// A file is opened without blocking (a FIFO with no writer cannot hang the read) and
/// must be a regular file; `-` reads standard input, whatever it is.
package enum FileContents {
  /// Why a file could not be read.
  package enum Failure: Error, Sendable, CustomStringConvertible {
    case system(SystemError)
    case tooLarge(limit: Int)
    case notRegularFile(FileStatus.Kind)

    package var description: String {
      switch self {
      case .system(let error): error.message
      case .tooLarge(let limit): "the file is larger than \(limit) bytes"
      case .notRegularFile(let kind): "it is \(kind.phrase), not a regular file"
      }
    }
  }

  /// Read `path` whole (`-`: standard input); refuse it once it exceeds `limit`
  /// bytes, without reading further, and refuse anything but a regular file.
  /// A file read is noted in `inputs`, when given.
  package static func read(_ path: String, limit: Int, inputs: InputFiles?) throws(Failure) -> [UInt8] {
    if path == "-" { return try read(FileDescriptor(rawValue: 0), limit: limit, waitWhenEmpty: true) }
    let fd: FileDescriptor
    do {
      fd = try Syscalls.open(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY)
    } catch {
      throw .system(error)
    }
    defer { try? Syscalls.close(fd) }
    let status: FileStatus
    do {
      status = try Syscalls.fileStatus(fd)
    } catch {
      throw .system(error)
    }
    guard status.kind == .regular else { throw .notRegularFile(status.kind) }
    inputs?.noteRead(status)
    guard status.size <= Int64(limit) else { throw .tooLarge(limit: limit) }
    // Non-blocking stays on: a "regular" file that would block (/proc/kmsg) fails with EAGAIN.
    return try read(fd, limit: limit, waitWhenEmpty: false)
  }

  private static func read(_ fd: FileDescriptor, limit: Int, waitWhenEmpty: Bool) throws(Failure) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
      let count: Int
      do {
        count = try Syscalls.read(fd, into: &buffer)
      } catch  where error.errno == EAGAIN && waitWhenEmpty {
        // Standard input may be non-blocking; wait for it.
        var fds = [pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)]
        _ = try? Syscalls.poll(&fds, timeoutMilliseconds: -1)
        continue
      } catch {
        throw .system(error)
      }
      if count == 0 { return result }
      result.append(contentsOf: buffer[..<count])
      if result.count > limit { throw .tooLarge(limit: limit) }
    }
  }
}
