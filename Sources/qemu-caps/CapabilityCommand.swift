import QEMUCapsModel

/// A command that reads capability data through ``CapabilitySourceOptions`` (lookup,
/// list, validate, convert): the source's flags are checked with the command's own.
protocol CapabilityCommand: ToolCommand {
  /// The `--caps`, `--qemu-version` and `--qemu` options.
  var source: CapabilitySourceOptions { get }
}

extension CapabilityCommand {
  func check() throws(UsageError) {
    try source.check()
  }
}

/// A capability command that checks a libvirt domain (validate, convert).
protocol DomainCommand: CapabilityCommand {
  /// The domain file; `-` is standard input.
  var domain: String { get }
  var global: GlobalOptions { get }
}

extension DomainCommand {
  /// Refuse what ``CapabilitySourceOptions/check()`` refuses, and `-` for both the domain and `--caps`.
  func check() throws(UsageError) {
    try source.check()
    try StandardInput.checkReadOnce([domain, source.caps])
  }

  /// Set up logging, read the domain, then load the capability data its machine type
  /// needs (``CapabilitySourceOptions/load(forDomain:logger:)``).
  ///
  /// - Throws: ``ExitFailure`` as that does.
  func loadDomain() throws(ExitFailure) -> (
    domain: CapabilitySourceOptions.Domain, capabilities: CapabilityDocument
  ) {
    try source.load(forDomain: domain, logger: global.bootstrapLogging())
  }
}
