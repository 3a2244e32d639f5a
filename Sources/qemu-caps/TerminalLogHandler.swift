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
    var all = metadata
    if let extra = event.metadata { all.merge(extra) { $1 } }
    let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let text = "\(Self.timestamp()) \(event.level) \(label):\(fields.isEmpty ? "" : " [\(fields)]") \(event.message)"
    Terminal.writeStandardError(Terminal.escaped(text) + "\n")
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
