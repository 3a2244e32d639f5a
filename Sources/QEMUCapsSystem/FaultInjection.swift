import Synchronization

/// Makes chosen system calls fail, for tests.
///
/// Every call in ``Syscalls`` consults this first. With nothing armed the cost is
/// one atomic load.
package final class FaultInjection: Sendable {
  /// The process-wide instance the system call layer consults.
  package static let shared = FaultInjection()

  private let armedCount = Atomic<Int>(0)
  private let faults = LockedState<[SystemCall: Fault]>([:])

  private struct Fault {
    var errno: Int32
    /// How many more calls fail; `nil` means every call until disarmed.
    var remaining: Int?
  }

  /// Make the next `count` calls of `call` (all of them when `nil`) fail with `errno`.
  package func arm(_ call: SystemCall, errno: Int32, count: Int? = nil) {
    faults.withLock { $0[call] = Fault(errno: errno, remaining: count) }
    armedCount.add(1, ordering: .sequentiallyConsistent)
  }

  /// Stop injecting faults into `call`.
  package func disarm(_ call: SystemCall) {
    let removed = faults.withLock { $0.removeValue(forKey: call) != nil }
    if removed { armedCount.subtract(1, ordering: .sequentiallyConsistent) }
  }

  /// Return the errno to fail `call` with, if a fault is armed for it.
  package func injectedError(for call: SystemCall) -> Int32? {
    guard armedCount.load(ordering: .relaxed) > 0 else { return nil }
    let (errno, exhausted) = faults.withLock { table -> (Int32?, Bool) in
      guard var fault = table[call] else { return (nil, false) }
      if let remaining = fault.remaining {
        fault.remaining = remaining - 1
        if remaining - 1 <= 0 {
          table.removeValue(forKey: call)
          return (fault.errno, true)
        }
      }
      table[call] = fault
      return (fault.errno, false)
    }
    if exhausted { armedCount.subtract(1, ordering: .sequentiallyConsistent) }
    return errno
  }
}
