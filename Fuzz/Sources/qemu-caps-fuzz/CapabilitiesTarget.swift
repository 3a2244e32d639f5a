import QEMUCapsCapabilityFiles
import QEMUCapsJSON
import QEMUCapsModel

/// The capability XML reader, and the writers on whatever it accepts.
///
/// When `CapabilityXMLReader.read` accepts the input, `CapabilityXMLWriter.xml`
/// of the document must read back to an equal document, writing that again
/// must give the same bytes, and the JSON form must parse back to itself.
enum CapabilitiesTarget: FuzzTarget {
  static func setUp(options: [String: String]) {}

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    let document: CapabilityDocument
    do { document = try CapabilityXMLReader.read(Array(bytes), file: "fuzz.xml") } catch { return }
    let written = CapabilityXMLWriter.xml(document)
    let again: CapabilityDocument
    do {
      again = try CapabilityXMLReader.read(Array(written.utf8), file: "written.xml")
    } catch {
      Fuzz.fail(
        "the writer's XML for an accepted document does not read back: \(error)\nwritten: \(Fuzz.quote(written))")
    }
    guard again == document else {
      Fuzz.fail(
        "the writer's XML reads back to a different document\nread: \(document)\nreread: \(again)\n"
          + "written: \(Fuzz.quote(written))")
    }
    let rewritten = CapabilityXMLWriter.xml(again)
    guard rewritten == written else {
      Fuzz.fail("writing the reread document changes the XML: \(Fuzz.quote(written)) -> \(Fuzz.quote(rewritten))")
    }
    let json = CapabilityJSONWriter.json(document)
    let jsonText = json.serialized(.pretty)
    guard (try? JSON.parse(jsonText)) == json else {
      Fuzz.fail("the JSON form of an accepted document does not parse back to itself: \(Fuzz.quote(jsonText))")
    }
  }
}
