#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Runs blocking work on dedicated threads.
///
/// Probing blocks in `poll` while QEMU starts; plain threads let `--jobs` exceed
/// the number of cores without starving Swift's cooperative pool.
package enum WorkerThreads {
  private final class Box: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }

  /// A started thread, to be joined once.
  package struct Handle: ~Copyable {
    fileprivate let thread: pthread_t?
    fileprivate let fallback: (@Sendable () -> Void)?

    /// Wait for the thread to finish (or run the work here if no thread could start).
    package consuming func join() {
      if let thread {
        pthread_join(thread, nil)
      } else {
        fallback?()
      }
    }
  }

  /// Start `body` on its own thread; ``Handle/join()`` waits for it.
  package static func start(_ body: @escaping @Sendable () -> Void) -> Handle {
    guard let thread = spawn(body) else { return Handle(thread: nil, fallback: body) }
    return Handle(thread: thread, fallback: nil)
  }

  /// Start `body` on its own thread, never joined (it runs until the process exits).
  ///
  /// - Returns: whether the thread started.
  @discardableResult
  package static func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
    guard let thread = spawn(body) else { return false }
    pthread_detach(thread)
    return true
  }

  /// Run `body(index)` for `index` in `0..<count`, each on its own thread, and wait for all.
  ///
  /// With `count` 1 the body runs on the calling thread.
  package static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
      if let thread = spawn({ body(index) }) {
        threads.append(thread)
      } else {
        // No thread: run the work here rather than lose it.
        body(index)
      }
    }
    for thread in threads { pthread_join(thread, nil) }
  }

  /// The one place threads are created: `nil` when `pthread_create` fails.
  private static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    let box = Unmanaged.passRetained(Box(body))
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { context in
        guard let context else { return nil }
        Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
        return nil
      }, box.toOpaque())
    guard status == 0 else {
      box.release()
      return nil
    }
    return thread
  }
}
