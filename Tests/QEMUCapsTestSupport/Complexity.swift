#if canImport(Glibc)
  import Glibc
#endif

/// Complexity guards: how the work grows from one input size to another, measured in
/// one process, never against an absolute number (absolute figures live in
/// `scripts/bench`).
///
/// Work is the thread's CPU time, which other processes on a busy machine do not
/// inflate; each size takes the least of several runs, since noise only adds.
public enum Complexity {
  /// CPU seconds this thread has used.
  public static func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// The least thread CPU time of `repetitions` runs of `body`.
  public static func cpuSeconds(repetitions: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<max(1, repetitions) {
      let start = threadCPUSeconds()
      try body()
      best = min(best, threadCPUSeconds() - start)
    }
    return best
  }

  /// How many times more work `large` takes than `small`, where `large`'s input is
  /// `factor` times `small`'s. A linear algorithm gives about `factor`, a quadratic
  /// one `factor²`; guards allow ``allowedGrowth(for:)``.
  public static func growth(
    repetitions: Int = 3, small: () throws -> Void, large: () throws -> Void
  ) rethrows -> Double {
    // Warm up once, so that a first run's one-time costs count for neither size.
    try small()
    let smallSeconds = try cpuSeconds(repetitions: repetitions, small)
    let largeSeconds = try cpuSeconds(repetitions: repetitions, large)
    // A run too short for the clock's resolution counts as the resolution.
    return largeSeconds / max(smallSeconds, 1e-4)
  }

  /// The growth a guard accepts for inputs `factor` times larger: 2.5 times linear, so
  /// that n log n, caches that fit the small input only, and noise pass, and a quadratic
  /// algorithm (growth `factor²`) fails for every factor of 8 or more.
  public static func allowedGrowth(for factor: Double) -> Double {
    2.5 * factor
  }
}
