/// Carries QMP lines between the client and a peer (a QEMU process, a recording, a test).
///
/// The protocol logic in ``QMPClient`` knows nothing of sockets; a transport
/// knows nothing of QMP beyond lines.
package protocol QMPTransport: AnyObject {
  /// Send one JSON message; the transport adds the line terminator.
  ///
  /// - Throws: ``QMPError`` with code `transport` or `endOfStream`.
  func send(_ message: String) throws(QMPError)

  /// Return the next line without its terminator (CR and LF removed), or `nil`
  /// at end of stream.
  ///
  /// - Throws: ``QMPError`` with code `timeout` when nothing arrives before
  ///   `deadline`, or `transport`/`lineTooLong`.
  func receiveLine(before deadline: ContinuousClock.Instant) throws(QMPError) -> [UInt8]?
}
