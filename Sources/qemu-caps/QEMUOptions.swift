import ArgumentParser
import QEMUCapsLauncher
import QEMUCapsSystem

/// `--qemu` and `--timeout`, declared once for every command that starts QEMU (`probe`,
/// `qmp`) or may (`--qemu` in ``CapabilitySourceOptions``).
struct QEMUOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The QEMU binary: a path, or a name looked up on PATH (default: qemu-system-x86_64 on PATH).",
      valueName: "binary"),
    completion: .file())
  var qemu: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Seconds each QEMU session may take, from start to exit (the -machine none one included), a decimal number from 0.01 to 3600 (default 10); QEMU is killed then.",
      valueName: "seconds"))
  var timeout: Seconds?

  /// Refuse a timeout out of range (README, "Numbers").
  ///
  /// - Throws: ``UsageError``.
  func check() throws(UsageError) {
    if let timeout { try Limits.checkTimeout(timeout) }
  }

  /// The time limits of each QEMU session.
  var timeouts: QEMULauncher.Timeouts {
    timeout.map { QEMULauncher.Timeouts(session: Limits.duration($0)) } ?? QEMULauncher.Timeouts()
  }

  /// The binary's path: `--qemu` (a path, or a name looked up on `PATH`), else
  /// qemu-system-x86_64 on `PATH`.
  ///
  /// - Parameter otherwise: what else the command takes, advised when `--qemu` was not
  ///   given and the system QEMU is missing.
  /// - Throws: ``ExitFailure`` with the launcher's error (code `qemu.bad-binary`), and,
  ///   when `--qemu` was not given, the advice to give it (or `otherwise`).
  func binary(otherwise: String? = nil) throws(ExitFailure) -> String {
    let hint = "or pass --qemu PATH" + (otherwise.map { ", or \($0)" } ?? "")
    return try ExitFailure.wrap(hint: { _ in qemu == nil ? hint : nil }) { () throws(QEMUError) in
      try QEMULauncher.resolve(qemu ?? "qemu-system-x86_64", environment: Syscalls.environment)
    }
  }
}
