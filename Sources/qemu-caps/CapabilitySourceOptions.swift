import ArgumentParser
import QEMUCapsLauncher
import QEMUCapsLookup
import QEMUCapsModel
import QEMUCapsProbe

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Where `list` and `convert` get the capability data of one QEMU build:
/// `--caps FILE`, `--caps DIR --qemu-version V`, or `--qemu BIN` (probed now).
struct CapabilitySourceOptions: ParsableArguments {
  @Option(name: .long, help: "A capability file, or a directory of them (then --qemu-version picks one).")
  var caps: String?

  @Option(name: .long, help: "With --caps DIR: the QEMU version, exact (7.2.22) or a prefix (7.2, newest match).")
  var qemuVersion: String?

  @Option(name: .long, help: "A QEMU binary (a path or a name on PATH), probed now, every machine type.")
  var qemu: String?

  func validate() throws {
    guard (caps == nil) != (qemu == nil) else { throw ValidationError("give exactly one of --caps and --qemu") }
    if qemu != nil && qemuVersion != nil { throw ValidationError("--qemu-version goes with --caps") }
  }

  /// The capability data, or an exit status 2 failure naming the file or binary.
  func load(global: GlobalOptions) throws(ExitFailure) -> CapabilityDocument {
    try ExitFailure.wrap { () throws(LookupError) in try loadDocument(global: global) }
  }

  private func loadDocument(global: GlobalOptions) throws(LookupError) -> CapabilityDocument {
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
    do {
      return try Prober(logger: global.bootstrapLogging()).probe(configuration)
    } catch {
      throw LookupError(.probeFailed, error.message)
    }
  }
}
