/// What the cells of a capability report mean, shared by the Markdown and HTML forms.
package enum ReportLegend {
  /// One cell text and its meaning; `style` names the HTML class that colours it.
  package struct Entry: Sendable, Hashable {
    /// The text as printed, e.g. `on`.
    package var symbol: String
    /// The HTML class that colours it: one per ``OptionCell/Kind``.
    package var style: String
    /// What it means, in words.
    package var meaning: String
  }

  /// Every entry, in the order shown.
  package static let entries: [Entry] = [
    Entry(symbol: "on", style: OptionCell.Kind.settable.style, meaning: "can be set; the default is on"),
    Entry(symbol: "off", style: OptionCell.Kind.settable.style, meaning: "can be set; the default is off"),
    Entry(
      symbol: "n/a", style: OptionCell.Kind.notSettable.style,
      meaning: "cannot be set: the machine type's ACPI PM device has no such property in this build"),
    Entry(
      symbol: "no PM", style: OptionCell.Kind.notSettable.style,
      meaning: "cannot be set: the machine type has no ACPI PM device (/machine/acpi-device), so no ACPI PCI hotplug"),
    Entry(
      symbol: "FAILED", style: OptionCell.Kind.failed.style,
      meaning:
        "the probe failed: the build offers the machine type but could not start it (QEMU's message is in the capability file)"
    ),
    Entry(symbol: "·", style: OptionCell.Kind.absent.style, meaning: "not offered: the build has no such machine type"),
  ]

  /// How to read a table, before the entries.
  package static let cellLayout =
    "Each cell says whether the option can be set on that machine type in that build, as a live machine reports it, and if so its default."

  /// How to read a row's name and notes, after the entries.
  package static let rowNotes =
    "A row named like pc-i440fx-2.0 – 2.12 stands for every machine type of that family from the first version to the second, which every build treats alike. Deprecated: every build that offers the machine type marks it deprecated; deprecated in: the builds that do."
}
