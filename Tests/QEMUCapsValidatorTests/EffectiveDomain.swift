import Foundation
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator

/// A small domain for the `effective` tests: the lines are numbered as written, so a
/// test can say which line a setting is on.
struct EffectiveDomain {
  var machine: String
  var arch = "x86_64"
  /// `<acpi/>` in `<features>`.
  var acpi = true
  /// Extra children of `<features>`.
  var features: [String] = []
  /// Children of `<pm>`.
  var pm: [String] = []
  /// Children of `<devices>`.
  var devices: [String] = []
  /// The `<qemu:arg value>` words, and whether `<qemu:commandline>` comes before `<devices>`.
  var commandLine: [String] = []
  var commandLineFirst = false

  /// The domain's lines; the XML text is these joined by newlines.
  var lines: [String] {
    var lines = [
      "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>", "<name>g</name>",
      "<memory>65536</memory>", "<os><type arch='\(arch)' machine='\(machine)'>hvm</type></os>",
    ]
    if acpi || !features.isEmpty {
      lines += ["<features>"] + (acpi ? ["<acpi/>"] : []) + features + ["</features>"]
    }
    if !pm.isEmpty { lines += ["<pm>"] + pm + ["</pm>"] }
    let passthrough =
      commandLine.isEmpty
      ? [] : ["<qemu:commandline>"] + commandLine.map { "<qemu:arg value='\($0)'/>" } + ["</qemu:commandline>"]
    if commandLineFirst { lines += passthrough }
    lines += ["<devices>"] + devices + ["<memballoon model='none'/>", "</devices>"]
    if !commandLineFirst { lines += passthrough }
    return lines + ["</domain>"]
  }

  /// The line number of the first line containing `text`.
  func line(of text: String) -> Int? {
    lines.firstIndex { $0.contains(text) }.map { $0 + 1 }
  }

  var xml: String { lines.joined(separator: "\n") + "\n" }

  /// The validator of a committed snapshot, `capabilities-data/qemu-VERSION.xml`.
  static func validator(_ version: String) throws -> Validator {
    try Validator(capabilitiesFile: Fixtures.capabilitiesData("qemu-\(version).xml"))
  }
}
