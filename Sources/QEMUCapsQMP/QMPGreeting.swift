import QEMUCapsJSON
import QEMUCapsModel

/// What QEMU announces when a QMP session starts.
package struct QMPGreeting: Sendable, Hashable {
  /// QEMU's version, e.g. 7.2.22.
  package var version: QEMUVersion
  /// The distribution's package string; empty for upstream builds.
  package var package: String
  /// Capabilities offered, e.g. `oob`.
  package var capabilities: [String]

  /// Read a greeting message.
  ///
  /// - Throws: ``QMPError`` with code `protocolViolation` when `message` is not a greeting.
  package init(message: JSON) throws(QMPError) {
    guard let qmp = message["QMP"], let versionObject = qmp["version"],
      let version = QEMUVersion(qmpVersion: versionObject)
    else {
      throw QMPError(
        .protocolViolation, detail: "expected the QMP greeting, got \(message.serialized().prefix(200))")
    }
    self.version = version
    self.package = versionObject["package"]?.stringValue ?? ""
    self.capabilities = qmp["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}

extension QEMUVersion {
  /// Read the `{"qemu": {"major", "minor", "micro"}}` object of the greeting or `query-version`;
  /// `nil` unless each number is from 0 to 999,999,999 (what a capability file can carry).
  package init?(qmpVersion: JSON) {
    let range: ClosedRange<Int64> = 0...999_999_999
    guard let qemu = qmpVersion["qemu"], let major = qemu["major"]?.intValue,
      let minor = qemu["minor"]?.intValue, let micro = qemu["micro"]?.intValue,
      range.contains(major), range.contains(minor), range.contains(micro)
    else { return nil }
    self.init(major: Int(major), minor: Int(minor), micro: Int(micro))
  }
}
