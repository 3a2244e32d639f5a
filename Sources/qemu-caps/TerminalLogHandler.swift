import Logging
import QEMUCapsSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Writes log lines to standard error through ``Terminal`` (so a failed write is
/// noticed), with control characters in messages and metadata escaped: QEMU's names
/// and messages reach the log as `\x1b`, never as raw terminal controls.
struct TerminalLogHandler: LogHandler {
  let label: String
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]

  init(label: String, logLevel: Logger.Level) {
    self.label = label
    self.logLevel = logLevel
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    Terminal.writeStandardError(Terminal.escaped(line(event)) + "\n")
  }

  /// One log line in the output contract's stderr format, `qemu-caps: SEVERITY: …`:
  /// a warning is `qemu-caps: warning: MESSAGE (key: value, …)` and an error or critical
  /// event `qemu-caps: error: …`, like every other warning and error; the levels below
  /// (asked for with `--log-level`) carry a timestamp (and the logger's label unless it is `qemu-caps`),
  /// `qemu-caps: debug: TIME MESSAGE (key: value, …)`.
  func line(_ event: LogEvent) -> String {
    var all = metadata
    if let extra = event.metadata { all.merge(extra) { $1 } }
    let fields = all.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    let text = "\(event.message)" + (fields.isEmpty ? "" : " (\(fields))")
    switch event.level {
    case .warning: return "qemu-caps: warning: \(text)"
    case .error, .critical: return "qemu-caps: error: \(text)"
    default:
      let source = label == "qemu-caps" ? "" : " \(label):"
      return "qemu-caps: \(event.level): \(Self.timestamp())\(source) \(text)"
    }
  }

  private static func timestamp() -> String {
    let now = Syscalls.wallClock()
    var parts = tm()
    var seconds = now.tv_sec
    gmtime_r(&seconds, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
    let millis = String(now.tv_nsec / 1_000_000)
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) + "."
      + String(repeating: "0", count: 3 - millis.count) + millis + "Z"
  }
}
