/// The version of qemu-caps, written into every capability file.
public enum ToolVersion {
  /// `major.minor.patch`.
  public static let current = "0.1.0"
}
