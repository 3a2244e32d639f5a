import ArgumentParser
import Logging
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Where `list` and `convert` read capability data from: `--caps FILE`,
/// `--caps DIR [--qemu-version V]`, or `--qemu BIN` (probed).
///
/// Same flags and interface as the capability-source group of issue 14, which
/// replaces this file when both are on main.
struct CapabilitySourceOptions: ParsableArguments {
  @Option(name: .long, help: "A capability file (from qemu-caps probe), or a directory of them.")
  var caps: String?

  @Option(name: .long, help: "With --caps DIR: the QEMU version, exact (7.2.22) or a prefix (7.2, newest match).")
  var qemuVersion: String?

  @Option(name: .long, help: "A QEMU binary (a path or a name on PATH), probed.")
  var qemu: String?

  /// Which machine types a command needs from a `--qemu` binary.
  enum Machines: Sendable {
    /// One machine type (a name or an alias).
    case one(String)
    /// Every machine type of the build.
    case all
  }

  func validate() throws {
    guard (caps == nil) != (qemu == nil) else {
      throw ValidationError("give exactly one of --caps FILE|DIR and --qemu BIN")
    }
    if qemu != nil && qemuVersion != nil { throw ValidationError("--qemu-version goes with --caps") }
  }

  /// Load the capability data.
  ///
  /// - Throws: ``ExitFailure`` with status 2 when a file cannot be read, no build
  ///   matches the version, or the binary cannot be found or probed.
  func load(_ machines: Machines, logger: Logger) throws(ExitFailure) -> CapabilityDocument {
    try ExitFailure.wrap { () throws(LookupError) in try loadDocument(machines, logger: logger) }
  }

  private func loadDocument(_ machines: Machines, logger: Logger) throws(LookupError) -> CapabilityDocument {
    if let caps {
      return try CapabilityIndex(path: caps).build(version: qemuVersion).document
    }
    let binary: String
    do {
      binary = try QEMULauncher.resolve(qemu ?? "qemu-system-x86_64", environment: Terminal.environment)
    } catch {
      throw LookupError(.probeFailed, error.description)
    }
    var configuration = Prober.Configuration(binary: binary)
    configuration.jobs = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    if case .one(let machine) = machines { configuration.machinePatterns = [machine] }
    do {
      return try Prober(logger: logger).probe(configuration)
    } catch {
      throw LookupError(.probeFailed, error.message)
    }
  }
}
