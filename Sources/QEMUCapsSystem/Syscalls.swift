#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The only place the project calls the C library's system calls.
///
/// Each function first fails if a test armed a fault for it (``injectFault(_:)``), retries on `EINTR`, and turns
/// `-1` into a ``SystemError`` naming the call.
package enum Syscalls {
  /// Run `body` until it stops failing with `EINTR`; throw its `errno` on `-1`.
  @inline(__always)
  static func valueOrErrno<T: FixedWidthInteger>(
    _ call: SystemCall,
    retryOnInterrupt: Bool = true,
    _ body: () -> T
  ) throws(SystemError) -> T {
    try injectFault(call)
    while true {
      let result = body()
      if result != -1 { return result }
      let error = errno
      if error == EINTR && retryOnInterrupt { continue }
      throw SystemError(errno: error, call: call)
    }
  }

  /// Create a connected pair of close-on-exec stream sockets.
  package static func socketPair() throws(SystemError) -> (FileDescriptor, FileDescriptor) {
    var fds: [Int32] = [-1, -1]
    _ = try valueOrErrno(.socketpair) {
      socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
    }
    return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
  }

  /// Close a descriptor; `EINTR` is not retried (Linux has closed it anyway).
  package static func close(_ fd: FileDescriptor) throws(SystemError) {
    _ = try valueOrErrno(.close, retryOnInterrupt: false) { Glibc.close(fd.rawValue) }
  }

  /// Read up to `buffer.count` bytes; 0 means end of file.
  package static func read(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError)
    -> Int
  {
    try valueOrErrno(.read) { Glibc.read(fd.rawValue, buffer.baseAddress, buffer.count) }
  }

  /// Read up to `buffer.count` bytes into an array; 0 means end of file.
  package static func read(_ fd: FileDescriptor, into buffer: inout [UInt8]) throws(SystemError) -> Int {
    try injectFault(.read)
    while true {
      let result = buffer.withUnsafeMutableBytes { Glibc.read(fd.rawValue, $0.baseAddress, $0.count) }
      if result >= 0 { return result }
      if errno != EINTR { throw SystemError(errno: errno, call: .read) }
    }
  }

  /// Send all of `bytes` on a socket without raising `SIGPIPE`.
  package static func sendAll(_ fd: FileDescriptor, _ bytes: [UInt8]) throws(SystemError) {
    try transferAll(bytes, .send) { Glibc.send(fd.rawValue, $0, $1, Int32(MSG_NOSIGNAL)) }
  }

  /// Write all of `bytes` to a file.
  package static func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8]) throws(SystemError) {
    try transferAll(bytes, .write) { Glibc.write(fd.rawValue, $0, $1) }
  }

  /// Call `transfer` (a start and a byte count; the count it took) on what is left of
  /// `bytes` until it has taken them all: one loop for `send` and `write`.
  private static func transferAll(
    _ bytes: [UInt8], _ call: SystemCall, _ transfer: (UnsafeRawPointer?, Int) -> Int
  ) throws(SystemError) {
    var offset = 0
    while offset < bytes.count {
      offset += try valueOrErrno(call) { bytes[offset...].withUnsafeBytes { transfer($0.baseAddress, $0.count) } }
    }
  }

  /// Wait until one of `fds` is ready or `timeoutMilliseconds` pass (-1: forever).
  ///
  /// An interrupted wait returns 0 so the caller re-checks its deadline.
  package static func poll(_ fds: inout [pollfd], timeoutMilliseconds: Int32) throws(SystemError) -> Int32 {
    do {
      return try valueOrErrno(.poll, retryOnInterrupt: false) {
        Glibc.poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
      }
    } catch  where error.errno == EINTR {
      return 0
    }
  }

  /// Wait until one of `fds` is ready or `timeout` passes, rounded up to whole milliseconds.
  ///
  /// An interrupted wait returns 0 so the caller re-checks its deadline.
  package static func poll(_ fds: inout [pollfd], timeout: Duration) throws(SystemError) -> Int32 {
    let (seconds, attoseconds) = max(timeout, .zero).components
    let milliseconds = Int32(
      clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    return try poll(&fds, timeoutMilliseconds: milliseconds)
  }

  /// Send `signal` to process `pid`.
  package static func kill(_ pid: pid_t, _ signal: Int32) throws(SystemError) {
    _ = try valueOrErrno(.kill) { Glibc.kill(pid, signal) }
  }

  /// Wait for `pid` to change state; returns 0 for the pid with `WNOHANG` when it still runs.
  package static func waitpid(_ pid: pid_t, status: inout Int32, options: Int32) throws(SystemError) -> pid_t {
    try valueOrErrno(.waitpid) { Glibc.waitpid(pid, &status, options) }
  }

  /// Open a file and return its close-on-exec descriptor.
  package static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemError)
    -> FileDescriptor
  {
    let fd = try valueOrErrno(.open) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    return FileDescriptor(rawValue: fd)
  }

  /// Flush a file to stable storage.
  package static func fsync(_ fd: FileDescriptor) throws(SystemError) {
    _ = try valueOrErrno(.fsync) { Glibc.fsync(fd.rawValue) }
  }

  /// Atomically replace `destination` with `source`.
  package static func rename(_ source: String, _ destination: String) throws(SystemError) {
    _ = try valueOrErrno(.rename) { Glibc.rename(source, destination) }
  }

  /// Remove a file.
  package static func unlink(_ path: String) throws(SystemError) {
    _ = try valueOrErrno(.unlink) { Glibc.unlink(path) }
  }

  /// Remove an empty directory.
  package static func rmdir(_ path: String) throws(SystemError) {
    _ = try valueOrErrno(.rmdir) { Glibc.rmdir(path) }
  }

  /// Create a private (0700) directory from a template ending in `XXXXXX`.
  package static func mkdtemp(_ template: String) throws(SystemError) -> String {
    try injectFault(.mkdtemp)
    var bytes = Array(template.utf8CString)
    guard let result = Glibc.mkdtemp(&bytes) else { throw SystemError(errno: errno, call: .mkdtemp) }
    return String(cString: result)
  }

  /// Return the status of a path, following symbolic links.
  package static func fileStatus(_ path: String) throws(SystemError) -> FileStatus {
    try injectFault(.stat)
    var info = stat()
    guard stat(path, &info) == 0 else { throw SystemError(errno: errno, call: .stat) }
    return FileStatus(info)
  }

  /// Return the status of a path itself: a symbolic link is not followed.
  package static func linkStatus(_ path: String) throws(SystemError) -> FileStatus {
    try injectFault(.lstat)
    var info = stat()
    guard lstat(path, &info) == 0 else { throw SystemError(errno: errno, call: .lstat) }
    return FileStatus(info)
  }

  /// Return the status of an open descriptor.
  package static func fileStatus(_ fd: FileDescriptor) throws(SystemError) -> FileStatus {
    var info = stat()
    _ = try valueOrErrno(.fstat) { fstat(fd.rawValue, &info) }
    return FileStatus(info)
  }

  /// The target of a symbolic link, as stored.
  package static func readLink(_ path: String) throws(SystemError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = try valueOrErrno(.readlink) { Glibc.readlink(path, &buffer, buffer.count - 1) }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Change the permission bits of an open file.
  package static func changeMode(_ fd: FileDescriptor, _ mode: mode_t) throws(SystemError) {
    _ = try valueOrErrno(.fchmod) { fchmod(fd.rawValue, mode) }
  }

  /// Change the owner and group of an open file (`UInt32.max` leaves one as it is).
  package static func changeOwner(_ fd: FileDescriptor, owner: uid_t, group: gid_t) throws(SystemError) {
    _ = try valueOrErrno(.fchown) { fchown(fd.rawValue, owner, group) }
  }

  /// Connect a new close-on-exec stream socket to the Unix socket at `path`.
  package static func connectUnixSocket(_ path: String) throws(SystemError) -> FileDescriptor {
    let fd = FileDescriptor(
      rawValue: try valueOrErrno(.connect) { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0) })
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity else {
      try? close(fd)
      throw SystemError(errno: ENAMETOOLONG, call: .connect)
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    do {
      _ = try valueOrErrno(.connect) {
        withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd.rawValue, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
          }
        }
      }
    } catch {
      try? close(fd)
      throw error
    }
    return fd
  }
}

extension Syscalls {
  /// The names in a directory, without `.` and `..`, sorted.
  package static func listDirectory(_ path: String) throws(SystemError) -> [String] {
    try injectFault(.opendir)
    guard let directory = opendir(path) else { throw SystemError(errno: errno, call: .opendir) }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Create one directory; an existing one is fine.
  package static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
    do {
      _ = try valueOrErrno(.mkdir) { Glibc.mkdir(path, mode) }
    } catch  where error.errno == EEXIST {
      return
    }
  }

  /// Create a directory and its missing parents; an existing directory is fine.
  package static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      prefix += "/\(component)"
      try makeDirectory(prefix, mode: mode)
    }
  }

  /// Whether `path` is executable by this process (`access(X_OK)`).
  package static func isExecutable(_ path: String) -> Bool {
    (try? valueOrErrno(.access) { Glibc.access(path, X_OK) }) != nil
  }
}

extension Syscalls {
  /// Make reads and writes on `fd` wait (`blocking`) or fail with `EAGAIN` instead.
  package static func setBlocking(_ fd: FileDescriptor, _ blocking: Bool) throws(SystemError) {
    let flags = try valueOrErrno(.fcntl) { fcntl(fd.rawValue, F_GETFL) }
    _ = try valueOrErrno(.fcntl) {
      fcntl(fd.rawValue, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK)
    }
  }

  /// Whether `fd` is an open descriptor (`fcntl(F_GETFD)`).
  package static func isOpen(_ fd: FileDescriptor) -> Bool {
    fcntl(fd.rawValue, F_GETFD) != -1 || errno != EBADF
  }

  /// Write once (retrying on `EINTR`) and return how many bytes were written.
  package static func write(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
    try valueOrErrno(.write) { Glibc.write(fd.rawValue, bytes.baseAddress, bytes.count) }
  }

  /// Whether `fd` is a terminal.
  package static func isTerminal(_ fd: FileDescriptor) -> Bool {
    isatty(fd.rawValue) == 1
  }

  /// How many processors are online (at least 1).
  package static func onlineProcessorCount() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
  }

  /// This process's own CPU time and peak resident set size (children excluded).
  package static func ownResourceUsage() -> (userSeconds: Double, systemSeconds: Double, peakRSSKiB: Int) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (
      Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
      Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6, usage.ru_maxrss
    )
  }
}

extension Syscalls {
  /// Open `name` in the directory open as `directory`, close-on-exec; `flags` should hold
  /// `O_NOFOLLOW` where a link must not be followed.
  package static func open(
    _ name: String, relativeTo directory: FileDescriptor, flags: Int32, mode: mode_t = 0o600
  ) throws(SystemError) -> FileDescriptor {
    FileDescriptor(rawValue: try valueOrErrno(.open) { openat(directory.rawValue, name, flags | O_CLOEXEC, mode) })
  }

  /// The status of `name` in the directory open as `directory`; a link is not followed.
  package static func linkStatus(_ name: String, relativeTo directory: FileDescriptor) throws(SystemError)
    -> FileStatus
  {
    var info = stat()
    _ = try valueOrErrno(.fstatat) { fstatat(directory.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) }
    return FileStatus(info)
  }

  /// Atomically replace `destination` with `source`, both in the directory open as `directory`.
  package static func rename(_ source: String, _ destination: String, relativeTo directory: FileDescriptor)
    throws(SystemError)
  {
    _ = try valueOrErrno(.rename) { renameat(directory.rawValue, source, directory.rawValue, destination) }
  }

  /// Remove `name` (not a directory) from the directory open as `directory`.
  package static func unlink(_ name: String, relativeTo directory: FileDescriptor) throws(SystemError) {
    _ = try valueOrErrno(.unlinkat) { unlinkat(directory.rawValue, name, 0) }
  }

  /// Try to take an exclusive `flock` lock on `fd` without waiting: `false` when another
  /// open file description holds it. The kernel releases it when the last descriptor of
  /// this open file description is closed, so also when the process dies.
  package static func tryLockExclusive(_ fd: FileDescriptor) throws(SystemError) -> Bool {
    do {
      _ = try valueOrErrno(.flock) { flock(fd.rawValue, LOCK_EX | LOCK_NB) }
      return true
    } catch  where error.errno == EWOULDBLOCK {
      return false
    }
  }
}
