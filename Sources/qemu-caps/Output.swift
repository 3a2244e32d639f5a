import QEMUCapsJSON
import QEMUCapsSystem
import QEMUCapsValidator

/// The output contract of every command, in one place.
///
/// - Standard output carries only the result: text lines meant for scripts, or,
///   with `--json`, exactly one JSON object (also on errors, as
///   `{"schemaVersion", "error": {"code", "message"}}`).
/// - Standard error carries everything else, in one format:
///   `qemu-caps: warning: …`, `qemu-caps: error: …`, and findings in a file as
///   `FILE:LINE: severity: message [code]`.
/// - `--quiet` keeps errors only; `--log-level` governs the log lines, and a level
///   above `warning` (`error`, `critical`) also silences `qemu-caps: warning:` lines.
///
/// Commands never print directly: they call these functions, which go through
/// ``Terminal`` for the bytes (checked writes, escaped control characters; a message's
/// line breaks become indented lines on a terminal, ``Terminal/message(_:)``).
enum Output {
  /// How the running command wants its output.
  struct Settings: Sendable {
    /// `--json`: the result, or the error, as one JSON object on stdout.
    var json = false
    /// The `schemaVersion` of the command's JSON, results and errors alike
    /// (``ToolCommand/jsonSchemaVersion``).
    var jsonSchemaVersion: Int64 = 1
    /// `--quiet`: only errors on stderr.
    var quiet = false
    /// `--log-level error` or `critical`: no `qemu-caps: warning:` or `note:` lines
    /// (findings in a file, `FILE:LINE: …`, still follow `--quiet` only).
    var errorsOnlyInMessages = false
  }

  private static let state = LockedState(Settings())

  /// The settings of the running command.
  static var settings: Settings {
    get { state.withLock { $0 } }
    set { state.withLock { $0 = newValue } }
  }

  // MARK: - Results (stdout)

  /// Print one line of the result for people and scripts, control characters escaped.
  static func result(_ line: String) {
    Terminal.line(line)
  }

  /// Print a document exactly as given (a whole file that ends with its own newline).
  static func resultText(_ text: String) {
    Terminal.print(text, terminator: "")
  }

  /// Print `value`, an object, as the command's JSON result, with `schemaVersion`
  /// first unless the object carries its own.
  static func json(_ value: JSON, pretty: Bool = false) {
    rawJSON(value.objectValue.map(stamped) ?? value, pretty: pretty)
  }

  /// Print `value` as JSON as it is (`qmp` prints QEMU's own reply, no `schemaVersion`).
  /// The JSON writer escapes every control character as `\u001b`, `\u007f`, `\u009b`,
  /// so the text is printed unchanged: the terminal escaping of ``result(_:)`` would
  /// make it invalid JSON (`\x7f`) and break `--pretty`'s line breaks.
  static func rawJSON(_ value: JSON, pretty: Bool = false) {
    Terminal.print(value.serialized(pretty ? .pretty : .compact))
  }

  /// `object` with `schemaVersion` in front (unless it already has one).
  static func stamped(_ object: JSONObject) -> JSON {
    if object["schemaVersion"] != nil { return .object(object) }
    var stamped = JSONObject([("schemaVersion", .int(settings.jsonSchemaVersion))])
    for (key, value) in object { stamped[key] = value }
    return .object(stamped)
  }

  // MARK: - Diagnostics (stderr)

  /// Severities of messages on stderr.
  enum Severity: String, Sendable {
    case error, warning, note
  }

  /// `qemu-caps: warning: MESSAGE`, unless `--quiet`.
  static func warning(_ message: String) {
    report(.warning, message)
  }

  /// `qemu-caps: note: MESSAGE`, unless `--quiet`.
  static func note(_ message: String) {
    report(.note, message)
  }

  /// `qemu-caps: error: MESSAGE`, always.
  static func error(_ message: String) {
    report(.error, message)
  }

  /// `qemu-caps: SEVERITY: MESSAGE`; only errors with `--quiet` or a log level above `warning`.
  static func report(_ severity: Severity, _ message: String) {
    let settings = settings
    guard severity == .error || !(settings.quiet || settings.errorsOnlyInMessages) else { return }
    Terminal.writeStandardError("qemu-caps: \(severity.rawValue): \(Terminal.message(message))\n")
  }

  /// The validator's findings in `file`, one line each: `FILE:LINE: severity: message
  /// [code]` (`FILE:` without a line); only errors with `--quiet`.
  static func findings(_ report: ValidationReport, file: String) {
    for diagnostic in report.diagnostics {
      finding(
        file: file, line: diagnostic.line, severity: Severity(diagnostic.severity), message: diagnostic.message,
        code: diagnostic.code.rawValue)
    }
  }

  private static func finding(file: String, line: Int?, severity: Severity, message: String, code: String) {
    guard severity == .error || !settings.quiet else { return }
    let location = line.map { "\(file):\($0):" } ?? "\(file):"
    Terminal.writeStandardError(Terminal.message("\(location) \(severity.rawValue): \(message) [\(code)]") + "\n")
  }

  /// Progress on a terminal: rewritten in place, never with `--quiet`.
  static func progress(_ text: String) {
    guard !settings.quiet else { return }
    Terminal.writeStandardError("\r\(text)")
  }

  /// Clear the progress line.
  static func clearProgress() {
    guard !settings.quiet else { return }
    Terminal.writeStandardError("\r\u{1B}[K")
  }

  // MARK: - Failures

  /// Report a failure: `qemu-caps: error: MESSAGE` on stderr and, with `--json`,
  /// `{"schemaVersion", "error": {"code", "message"}}` on stdout.
  static func failure(_ failure: ExitFailure) {
    error(failure.message)
    if settings.json { jsonError(code: failure.errorCode, message: failure.message) }
  }

  /// The last words of a command a signal stops (on the signal watcher thread, before
  /// the exit): `qemu-caps: error: interrupted by signal N (NAME)` on stderr and, under
  /// `--json` when nothing has been printed yet, the error object with code `interrupted`.
  static func interrupted(by signal: Int32) {
    let message = "interrupted by \(SignalHandling.describe(signal))"
    let body = JSONObject([("code", .string("interrupted")), ("message", .string(message))])
    Terminal.lastWords(
      error: "qemu-caps: error: \(message)\n",
      output: settings.json ? stamped(JSONObject([("error", .object(body))])).serialized() + "\n" : nil)
  }

  /// Print `{"schemaVersion", "error": {"code", "message"}}` on stdout.
  static func jsonError(code: String, message: String) {
    let body = JSONObject([("code", .string(code)), ("message", .string(message))])
    Terminal.print(stamped(JSONObject([("error", .object(body))])).serialized())
  }
}

extension Output.Severity {
  /// The output severity of a validator finding.
  init(_ severity: Diagnostic.Severity) {
    switch severity {
    case .error: self = .error
    case .warning: self = .warning
    case .note: self = .note
    }
  }
}
