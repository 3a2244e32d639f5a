#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A point on the monotonic clock, in nanoseconds, for deadlines.
package struct MonotonicInstant: Sendable, Comparable, Hashable {
  /// Nanoseconds since an arbitrary start.
  package var nanoseconds: UInt64

  /// The current time.
  package static func now() -> MonotonicInstant {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return MonotonicInstant(nanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
  }

  /// The instant `seconds` from now.
  package static func after(seconds: Double) -> MonotonicInstant {
    let delta = UInt64(max(0, min(seconds, 1e9)) * 1e9)
    return MonotonicInstant(nanoseconds: now().nanoseconds &+ delta)
  }

  /// The instant `duration` from now.
  package static func after(_ duration: Duration) -> MonotonicInstant {
    after(seconds: duration.inSeconds)
  }

  /// Milliseconds left until this instant, rounded up, clamped to `Int32`; 0 once passed.
  package var millisecondsFromNow: Int32 {
    let current = MonotonicInstant.now().nanoseconds
    guard nanoseconds > current else { return 0 }
    let milliseconds = (nanoseconds - current + 999_999) / 1_000_000
    return Int32(clamping: milliseconds)
  }

  /// Whether this instant has passed.
  package var hasPassed: Bool { MonotonicInstant.now() >= self }

  /// Seconds elapsed since this instant.
  package var secondsElapsed: Double {
    Double(MonotonicInstant.now().nanoseconds &- nanoseconds) / 1e9
  }

  package static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
    lhs.nanoseconds < rhs.nanoseconds
  }
}

extension Duration {
  /// The duration in seconds, as used for deadlines and log metadata.
  package var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  /// The duration in whole milliseconds, rounded up, clamped to `Int32` (for `poll`).
  package var roundedUpMilliseconds: Int32 {
    Int32(clamping: components.seconds * 1000 + (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
  }
}
