#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reads whole input files (capability files, domains, recordings) with a size limit.
package enum FileContents {
  /// Why a file could not be read.
  package enum Failure: Error, Sendable, CustomStringConvertible {
    case system(SystemError)
    case tooLarge(limit: Int)

    package var description: String {
      switch self {
      case .system(let error): error.message
      case .tooLarge(let limit): "the file is larger than \(limit) bytes"
      }
    }
  }

  /// Read `path` whole; refuse it once it exceeds `limit` bytes, without reading further.
  package static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
    let fd: FileDescriptor
    do {
      fd = try Syscalls.open(path, flags: O_RDONLY)
    } catch {
      throw .system(error)
    }
    defer { try? Syscalls.close(fd) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
      let count: Int
      do {
        count = try Syscalls.read(fd, into: &buffer)
      } catch {
        throw .system(error)
      }
      if count == 0 { return result }
      result.append(contentsOf: buffer[..<count])
      if result.count > limit { throw .tooLarge(limit: limit) }
    }
  }
}
