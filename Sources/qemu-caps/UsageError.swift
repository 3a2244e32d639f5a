/// Options that cannot go together, or a value out of its range: shown as
/// `qemu-caps: error: MESSAGE; see 'qemu-caps COMMAND --help'` with exit status 2
/// (see ``ToolCommand/prepare()``).
struct UsageError: Error {
  /// What is wrong, as one sentence without a final full stop.
  var message: String

  init(_ message: String) {
    self.message = message
  }
}
