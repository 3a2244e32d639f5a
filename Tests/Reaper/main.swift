// qemu-caps-test-reaper SECONDS PROGRAM [ARGUMENT...]
//
// Runs PROGRAM as a child subreaper that reaps every orphaned descendant at once,
// as systemd does for its services. libvirt's embedded QEMU driver (virsh -c
// qemu:///embed?root=DIR) starts its probe QEMUs with -daemonize and waits, polling
// kill(pid, 0), until each is gone; under an init that reaps orphans late that
// wait takes seconds per QEMU. Exits with PROGRAM's status (128+signal when it was
// killed). After SECONDS, or 10 s after PROGRAM ends, whatever is still running
// below it is killed and named on stderr, and the exit status is 124.
import CTestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

func say(_ message: String) {
  let bytes = Array("qemu-caps-test-reaper: \(message)\n".utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
  say(message)
  exit(125)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let limit = Double(arguments[1]), limit > 0 else {
  fail("usage: qemu-caps-test-reaper SECONDS PROGRAM [ARGUMENT...]")
}
guard qemu_caps_become_child_subreaper() == 0 else { fail("prctl(PR_SET_CHILD_SUBREAPER) failed: errno \(errno)") }

func now() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The pids whose parent is this process (children and adopted orphans).
func ownChildren() -> [pid_t] {
  guard let directory = opendir("/proc") else { return [] }
  defer { closedir(directory) }
  var result: [pid_t] = []
  let me = getpid()
  while let entry = readdir(directory) {
    let name = withUnsafePointer(to: entry.pointee.d_name) {
      $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
    }
    guard let pid = pid_t(name), let file = fopen("/proc/\(pid)/stat", "r") else { continue }
    var buffer = [CChar](repeating: 0, count: 1024)
    let line =
      fgets(&buffer, 1024, file) == nil
      ? "" : String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    fclose(file)
    // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
    guard let close = line.lastIndex(of: ")") else { continue }
    let fields = line[line.index(after: close)...].split(separator: " ")
    if fields.count > 1, pid_t(fields[1]) == me { result.append(pid) }
  }
  return result
}

var argv: [UnsafeMutablePointer<CChar>?] = arguments.dropFirst(2).map { strdup($0) } + [nil]
var child: pid_t = 0
let spawned = posix_spawnp(&child, arguments[2], nil, nil, &argv, environ)
guard spawned == 0 else { fail("cannot run \(arguments[2]): errno \(spawned)") }

let deadline = now() + limit
var childStatus: Int32?
var graceEnd = Double.infinity
var timedOut = false
while true {
  var status: Int32 = 0
  let pid = waitpid(-1, &status, WNOHANG)
  if pid == child {
    let signal = status & 0x7f
    childStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
    graceEnd = now() + 10
    continue
  }
  if pid > 0 { continue }
  if pid < 0 && errno == ECHILD { break }
  if now() > min(deadline, graceEnd) {
    let left = ownChildren()
    for pid in left {
      say("killing leftover process \(pid)")
      kill(pid, SIGKILL)
    }
    timedOut = true
    // Reap what was killed, then stop.
    while waitpid(-1, nil, 0) > 0 {}
    break
  }
  usleep(5000)
}
exit(timedOut ? 124 : childStatus ?? 125)
