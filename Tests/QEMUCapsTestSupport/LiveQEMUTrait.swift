import Testing

/// Runs a test or suite that starts QEMU processes one at a time across the
/// whole test run, and fails it if any QEMU process is left afterwards.
///
/// Swift Testing runs suites in parallel; leak checks on the process table are
/// only meaningful while no other live test is starting processes.
public struct LiveQEMUTrait: SuiteTrait, TestTrait, TestScoping {
  public var isRecursive: Bool { true }

  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    guard testCase != nil || !test.isSuite else {
      try await function()
      return
    }
    ProcessTable.adoptOrphans
    await LiveTestGate.shared.enter()
    do {
      try await function()
    } catch {
      let leftovers = ProcessTable.leftoverQEMU()
      await LiveTestGate.shared.leave()
      #expect(leftovers.isEmpty, "QEMU processes left behind: \(leftovers)")
      throw error
    }
    let leftovers = ProcessTable.leftoverQEMU()
    await LiveTestGate.shared.leave()
    #expect(leftovers.isEmpty, "QEMU processes left behind: \(leftovers)")
  }
}

extension Trait where Self == LiveQEMUTrait {
  /// Serialize with every other live QEMU test and check for leftover processes.
  public static var liveQEMU: LiveQEMUTrait { LiveQEMUTrait() }
}

/// An async mutex: one live test at a time.
actor LiveTestGate {
  static let shared = LiveTestGate()
  private var busy = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func enter() async {
    if !busy {
      busy = true
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  func leave() {
    if waiters.isEmpty {
      busy = false
    } else {
      waiters.removeFirst().resume()
    }
  }
}
