#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory a QMP session may use for what QEMU sends, checked on the text
/// before it is parsed.
///
/// A line limit alone does not bound memory: json-c spends about 800 bytes on
/// each object (a 16-slot hash table) and 150 on each array, so a 16 MiB line of
/// `[{},{},…]` (5.6 million objects) would take over 4 GB once parsed. A message
/// is therefore counted before parsing, and refused with ``QMPError/Code/overBudget``
/// when it, or the session so far, is over a limit. The defaults are ten times
/// the largest reply of a real QEMU (QEMU 11's `query-qmp-schema`: 223 KB,
/// 18,828 values, 5,206 objects); with them one message costs at most about
/// 100 MB while it is parsed.
package struct QMPBudget: Sendable, Hashable {
  /// The longest line accepted, in bytes (checked while reading).
  package var maximumLineLength: Int
  /// The most JSON values in one message (see ``QMPMessageSize/nodes``).
  package var maximumNodesPerMessage: Int
  /// The most JSON objects in one message.
  package var maximumObjectsPerMessage: Int
  /// The most bytes of the messages a session keeps (replies and kept events).
  package var maximumSessionBytes: Int
  /// The most JSON values of the messages a session keeps.
  package var maximumSessionNodes: Int

  /// Create a budget; the defaults suit every QEMU measured.
  package init(
    maximumLineLength: Int = QMPLineFramer.defaultMaximumLineLength,
    maximumNodesPerMessage: Int = 200_000,
    maximumObjectsPerMessage: Int = 50_000,
    maximumSessionBytes: Int = 32 << 20,
    maximumSessionNodes: Int = 500_000
  ) {
    self.maximumLineLength = maximumLineLength
    self.maximumNodesPerMessage = maximumNodesPerMessage
    self.maximumObjectsPerMessage = maximumObjectsPerMessage
    self.maximumSessionBytes = maximumSessionBytes
    self.maximumSessionNodes = maximumSessionNodes
  }
}
