import QEMUCapsModel

extension CapabilityDocument {
  /// Why this build's data has no answer about `machine` (one of its machine types), or
  /// about `option` on it: a failure is not an answer. The answer is unknown when the
  /// machine type's probe failed, or when the probe did not establish `option`.
  ///
  /// - Returns: `nil` when the data answers; else a ``LookupError`` with code
  ///   `unknownAnswer` that quotes the probe's failure.
  public func unknownAnswer(for machine: MachineCapabilities, option: HotplugOption? = nil) -> LookupError? {
    var failure = machine.error
    if failure == nil, let option, case .unknown(let reason) = machine.option(option) {
      failure = reason
    }
    guard let failure else { return nil }
    return LookupError(
      .unknownAnswer,
      "the answer is unknown: probing machine type \(machine.name) of QEMU \(qemu.version) failed: \(failure)")
  }
}
