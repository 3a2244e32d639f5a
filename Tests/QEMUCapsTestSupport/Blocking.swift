import Foundation

/// Blocking work (a virsh session, QEMU runs) on a thread of its own.
///
/// Swift Testing runs tests on Swift concurrency's cooperative threads, one per core:
/// two tests that block in `waitpid` for minutes on this 2-core machine would stall
/// every other test, whose time limits keep running meanwhile. Awaiting the work
/// here frees the cooperative thread. Record issues (`#expect`) after the await, not
/// in `body`: the thread has no current test.
public enum Blocking {
  /// The result of `body`, run on a new thread.
  public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  /// At most `limit` bodies at once across the test run, e.g. guests started per core.
  public actor Gate {
    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Create a gate letting `limit` holders through at once.
    public init(limit: Int) {
      self.limit = limit
    }

    /// Run `body` once fewer than `limit` others are running.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
      if running < limit {
        running += 1
      } else {
        await withCheckedContinuation { waiters.append($0) }
      }
      defer {
        if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
      }
      return try await Blocking.run(body)
    }
  }
}
