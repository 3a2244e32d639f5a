import CNettle
import QEMUCapsFiles
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Identifies a QEMU binary's content and file state.
public struct BinaryFingerprint: Sendable, Hashable {
  /// The path.
  public var path: String
  /// Size in bytes.
  public var size: Int64
  /// Modification time, nanoseconds since the epoch.
  public var modificationTimeNanoseconds: Int64
  /// Status change time, nanoseconds since the epoch.
  public var changeTimeNanoseconds: Int64
  /// SHA-256 of the content, lowercase hex.
  public var sha256: String

  /// Create a fingerprint from known values (e.g. a recording).
  public init(
    path: String, size: Int64, modificationTimeNanoseconds: Int64, changeTimeNanoseconds: Int64, sha256: String
  ) {
    self.path = path
    self.size = size
    self.modificationTimeNanoseconds = modificationTimeNanoseconds
    self.changeTimeNanoseconds = changeTimeNanoseconds
    self.sha256 = sha256
  }

  /// Read `path`'s status and hash its content, 1 MiB at a time; `isCancelled`
  /// is asked before each MiB, so a multi-GB binary's hash stops within milliseconds.
  ///
  /// - Throws: ``ProbeError`` with code `badBinary`, or `cancelled`.
  public static func compute(path: String, isCancelled: () -> Bool = { false }) throws(ProbeError)
    -> BinaryFingerprint
  {
    try compute(path: path, isCancelled: isCancelled, inputs: nil)
  }

  /// Compute as ``compute(path:isCancelled:)`` does, noting the binary in `inputs`.
  package static func compute(path: String, isCancelled: () -> Bool, inputs: InputFiles?) throws(ProbeError)
    -> BinaryFingerprint
  {
    let fd: FileDescriptor
    let status: FileStatus
    do {
      fd = try Syscalls.open(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY)
      status = try Syscalls.fileStatus(fd)
    } catch {
      throw ProbeError(.badBinary, "cannot read the QEMU binary \(path): \(error.message)")
    }
    defer { try? Syscalls.close(fd) }
    guard status.isRegularFile else {
      throw ProbeError(.badBinary, "the QEMU binary \(path) is \(status.kind.phrase), not a regular file")
    }
    // An input too: `--output` must not replace the binary.
    inputs?.noteRead(status)
    guard status.timesInRange else {
      throw ProbeError(
        .badBinary,
        "the QEMU binary \(path) has a modification or change time outside the years 1678 to 2262; fix it with touch")
    }
    do {
      var context = sha256_ctx()
      nettle_sha256_init(&context)
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      while true {
        if isCancelled() { throw ProbeError(.cancelled, "hashing \(path) was interrupted") }
        let count = try Syscalls.read(fd, into: &buffer)
        if count == 0 { break }
        buffer.withUnsafeBufferPointer { nettle_sha256_update(&context, count, $0.baseAddress) }
      }
      var digest = [UInt8](repeating: 0, count: 32)
      nettle_sha256_digest(&context, 32, &digest)
      let hex = digest.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
      }.joined()
      return BinaryFingerprint(
        path: path, size: status.size, modificationTimeNanoseconds: status.modificationTime,
        changeTimeNanoseconds: status.changeTime, sha256: hex)
    } catch let error as ProbeError {
      throw error
    } catch let error as SystemError {
      throw ProbeError(.badBinary, "cannot read the QEMU binary \(path): \(error.message)")
    } catch {
      throw ProbeError(.badBinary, "cannot read the QEMU binary \(path): \(error)")
    }
  }
}
