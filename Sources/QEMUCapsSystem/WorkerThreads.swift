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
      return Handle(thread: nil, fallback: body)
    }
    return Handle(thread: thread, fallback: nil)
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
      let box = Unmanaged.passRetained(Box { body(index) })
      var thread = pthread_t()
      let status = pthread_create(
        &thread, nil,
        { context in
          guard let context else { return nil }
          let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
          box.body()
          return nil
        }, box.toOpaque())
      if status == 0 {
        threads.append(thread)
      } else {
        // No thread: run the work here rather than lose it.
        box.takeRetainedValue().body()
      }
    }
    for thread in threads { pthread_join(thread, nil) }
  }
}
