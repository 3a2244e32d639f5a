import QEMUCapsLauncher
import QEMUCapsModel

/// The one error type of the prober: what failed, on which binary, and what to do.
public struct ProbeError: CodedError {
  /// What went wrong, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// The binary cannot be read or run.
    case badBinary = "probe.bad-binary"
    /// The `-machine none` QEMU that reports binary-level facts failed.
    case binaryFacts = "probe.binary-facts"
    /// QEMU answered with something the prober cannot interpret.
    case unexpectedReply = "probe.unexpected-reply"
    /// No machine type matched the `--machines` patterns.
    case noMachinesSelected = "probe.no-machines-selected"
    /// A recording directory cannot be written.
    case recording = "probe.recording"
    /// A recording directory cannot be replayed.
    case replay = "probe.replay"
    /// A file of a recording directory is not a readable regular file.
    case unreadableInput = "probe.unreadable-input"
    /// The probe was interrupted.
    case cancelled = "probe.cancelled"
  }

  /// What went wrong.
  public var code: Code
  /// The full explanation, naming the binary or file.
  public var message: String
  /// The launcher error behind it, if any.
  public var underlying: QEMUError?

  /// Create an error.
  public init(_ code: Code, _ message: String, underlying: QEMUError? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// The message.
  public var description: String { message }
}
