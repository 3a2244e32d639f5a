import QEMUCapsModel
import QEMUCapsSystem
import Synchronization

/// The machine outcomes collected from worker threads, with the work queue position.
final class OutcomeTable: Sendable {
  private struct State {
    var outcomes: [String: MachineCapabilities.Outcome] = [:]
    var failures: [String: String] = [:]
  }

  private let state = LockedState(State())
  private let nextIndex = Atomic<Int>(0)
  private let total: Int
  private let progress: Prober.Progress?

  init(total: Int, progress: Prober.Progress?) {
    self.total = total
    self.progress = progress
  }

  /// Claim the next machine type of the queue.
  func takeNextIndex() -> Int { nextIndex.add(1, ordering: .relaxed).oldValue }

  func record(_ machine: String, _ outcome: MachineCapabilities.Outcome) {
    let done = state.withLock { state in
      state.outcomes[machine] = outcome
      if case .failed(let message) = outcome { state.failures[machine] = message }
      return state.outcomes.count
    }
    progress?(done, total)
  }

  func snapshot() -> (outcomes: [String: MachineCapabilities.Outcome], failures: [String: String]) {
    state.withLock { ($0.outcomes, $0.failures) }
  }
}
