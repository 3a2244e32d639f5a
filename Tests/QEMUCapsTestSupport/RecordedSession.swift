import QEMUCapsQMP

/// The QMP session recorded from the system QEMU 7.2 into
/// `Tests/QEMUCapsQMPTests/Fixtures/qemu-7.2-session.replies` (machine `pc`).
package enum RecordedSession {
  /// Where the recording lives.
  package static let fixturePath = "Tests/QEMUCapsQMPTests/Fixtures/qemu-7.2-session.replies"

  /// The commands sent after negotiation, as one pipelined batch.
  package static let commands: [QMPCommand] = [
    QMPCommand("query-version"),
    QMPCommand("query-machines"),
    .qomGet(path: "/machine/acpi-device", property: "type"),
    .qomGet(path: "/machine/acpi-device", property: "acpi-pci-hotplug-with-bridge-support"),
    .qomGet(path: "/machine/acpi-device", property: "no-such-property"),
  ]
}
