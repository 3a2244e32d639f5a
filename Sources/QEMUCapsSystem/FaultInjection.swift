#if QEMU_CAPS_FAULT_INJECTION
  /// Makes chosen system calls fail inside one test, to prove the error paths.
  ///
  /// Compiled only into debug builds (`QEMU_CAPS_FAULT_INJECTION`, see
  /// Package.swift); release builds have no trace of it. Faults are scoped to
  /// the task that arms them: ``inject(_:errno:count:_:)`` arms them for the
  /// duration of its closure, in the current task only, so tests running in
  /// parallel, and threads started by the code under test, never see them.
  package final class FaultInjection: Sendable {
    @TaskLocal private static var current: FaultInjection?

    private struct Fault {
      var errno: Int32
      /// How many more calls fail; `nil` means every call.
      var remaining: Int?
    }

    private let faults: LockedState<[SystemCall: Fault]>
    private let hits = LockedState<[SystemCall: Int]>([:])

    private init(_ faults: [SystemCall: Fault]) {
      self.faults = LockedState(faults)
    }

    /// Run `body` with the next `count` calls of `call` (all of them when `nil`)
    /// failing with `errno`, in this task only. Returns what `body` returns and
    /// how many calls were made to fail, so a test can show the fault was reached.
    package static func inject<Result>(
      _ call: SystemCall, errno: Int32, count: Int? = nil, _ body: () throws -> Result
    ) rethrows -> (result: Result, failedCalls: Int) {
      let injection = FaultInjection([call: Fault(errno: errno, remaining: count)])
      let result = try $current.withValue(injection) { try body() }
      return (result, injection.hits.withLock { $0[call] ?? 0 })
    }

    /// The errno to fail `call` with, if the current task armed a fault for it.
    static func injectedError(for call: SystemCall) -> Int32? {
      guard let injection = current else { return nil }
      let errno = injection.faults.withLock { table -> Int32? in
        guard var fault = table[call] else { return nil }
        if let remaining = fault.remaining {
          if remaining <= 0 { return nil }
          fault.remaining = remaining - 1
        }
        table[call] = fault
        return fault.errno
      }
      if errno != nil { injection.hits.withLock { $0[call, default: 0] += 1 } }
      return errno
    }
  }
#endif

extension Syscalls {
  /// Throw the fault a test armed for `call` (see `FaultInjection`); a no-op in release builds.
  @inline(__always)
  package static func injectFault(_ call: SystemCall) throws(SystemError) {
    #if QEMU_CAPS_FAULT_INJECTION
      if let injected = FaultInjection.injectedError(for: call) {
        throw SystemError(errno: injected, call: call)
      }
    #endif
  }
}
