/// The version of qemu-caps, written into every capability file.
package enum ToolVersion {
  /// `major.minor.patch`.
  package static let current = "0.1.0"
}
