/// The version of qemu-caps, printed by `--version`.
enum ToolVersion {
  static let current = "0.1.0"
}
