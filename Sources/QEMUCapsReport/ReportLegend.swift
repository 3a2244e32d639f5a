/// What the symbols of a capability report mean, shared by the Markdown and HTML forms.
package enum ReportLegend {
  /// One symbol and its meaning; `style` names the HTML class that colours it.
  package struct Entry: Sendable, Hashable {
    /// The symbol as printed, e.g. `on`.
    package var symbol: String
    /// The HTML class that colours it.
    package var style: String
    /// What it means, in words.
    package var meaning: String
  }

  /// Every entry, in the order shown.
  package static let entries: [Entry] = [
    Entry(symbol: "on", style: "on", meaning: "the option can be set; its default on this machine type is on"),
    Entry(symbol: "off", style: "off", meaning: "the option can be set; its default on this machine type is off"),
    Entry(
      symbol: "n/a", style: "na",
      meaning: "the machine type's ACPI PM device has no such property in this build: the option cannot be set"),
    Entry(
      symbol: "no PM device", style: "nopm",
      meaning: "the machine type has no ACPI PM device (/machine/acpi-device), so no ACPI PCI hotplug at all"),
    Entry(
      symbol: "FAILED", style: "failed",
      meaning: "the build offers the machine type but it could not be probed (QEMU's message is in the capability file)"
    ),
    Entry(symbol: "·", style: "absent", meaning: "the build does not offer this machine type"),
    Entry(symbol: "†", style: "deprecated", meaning: "the build marks the machine type deprecated"),
  ]

  /// How to read a cell.
  package static let cellLayout =
    "Each cell gives the default of acpi-hotplug-bridge (QEMU property acpi-pci-hotplug-with-bridge-support), then of acpi-root-hotplug (acpi-root-pci-hotplug), on that machine type in that build, as a live machine reports it."
}
