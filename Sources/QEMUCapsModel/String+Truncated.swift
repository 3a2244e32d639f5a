extension String {
  /// This text cut to its first `limit` characters and `…`, or whole when it is no
  /// longer: a value quoted in a message, which a hostile input can make huge.
  package func truncated(to limit: Int) -> String {
    count > limit ? "\(prefix(limit))…" : self
  }
}
