// The pathological domain shapes as files (`qemu-caps-bench shapes`), for scripts/bench
// to time `qemu-caps validate` against `xmllint --noout` on each.
//
//   qemu-caps-bench shapes --dir DIR [--catalogue FILE]
//
// Reads the shapes from Tests/QEMUCapsValidatorTests/Fixtures/pathological-shapes.json
// (the catalogue PathologicalDomainTests uses), writes DIR/N.xml for the Nth shape at
// the size the test uses (10 MiB less 4 KiB), and prints one line per shape:
// `N<TAB>name`. Exit status 0, 2 when the catalogue cannot be read or a file written.

import QEMUCaps
import QEMUCapsJSON

enum Shapes {
  static func run(_ arguments: ArraySlice<String>) {
    let options = parseOptions(arguments, known: ["dir", "catalogue"])
    let catalogue = options["catalogue"] ?? "Tests/QEMUCapsValidatorTests/Fixtures/pathological-shapes.json"
    guard let directory = options["dir"] else { fail("shapes needs --dir DIR") }
    let parsed: JSON
    do {
      parsed = try JSON.parse(String(decoding: readFile(catalogue), as: UTF8.self))
    } catch {
      fail("\(catalogue): \(error)")
    }
    guard let head = parsed["head"]?.stringValue, let shapes = parsed["shapes"]?.arrayValue else {
      fail("\(catalogue): no head or shapes")
    }
    let size = DomainReader.maximumSize - 4096
    for (index, shape) in shapes.enumerated() {
      guard let name = shape["name"]?.stringValue, let unit = shape["unit"]?.stringValue, !unit.isEmpty else {
        fail("\(catalogue): shape \(index) has no name or unit")
      }
      let body = String(repeating: unit, count: size / unit.utf8.count)
      let text =
        shape["inFeatures"]?.boolValue == true
        ? head + body + "</features><devices/></domain>"
        : head + "</features><devices>" + body + "</devices></domain>"
      guard writeFile("\(directory)/\(index).xml", text) else { fail("cannot write \(directory)/\(index).xml") }
      print("\(index)\t\(name)")
    }
  }
}
