import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Reads whole small files (recordings, manifests) through the system call layer.
enum FileText {
  /// The largest file read, against runaway inputs.
  static let maximumSize = 64 << 20

  static func read(_ path: String) throws(ProbeError) -> String {
    String(decoding: try bytes(path), as: UTF8.self)
  }

  static func bytes(_ path: String) throws(ProbeError) -> [UInt8] {
    do {
      let fd = try Syscalls.open(path, flags: O_RDONLY)
      defer { try? Syscalls.close(fd) }
      var result: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 256 * 1024)
      while result.count <= maximumSize {
        let count = try Syscalls.read(fd, into: &buffer)
        if count == 0 { return result }
        result.append(contentsOf: buffer[..<count])
      }
    } catch {
      throw ProbeError(.replay, "cannot read \(path): \(error.message)")
    }
    throw ProbeError(.replay, "\(path) is larger than \(maximumSize) bytes")
  }
}
