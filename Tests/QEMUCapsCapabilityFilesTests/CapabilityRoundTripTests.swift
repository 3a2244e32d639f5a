import QEMUCapsCapabilityFiles
import QEMUCapsModel
import QEMUCapsXML
import Testing

/// The prober never writes what its reader rejects: whatever probe results the writer
/// is given (names from QOM's alphabet, free text with any character), the reader
/// accepts the output and gives back the same document.
@Suite("Capability XML round trip (property test)")
struct CapabilityRoundTripTests {
  /// A small deterministic generator (SplitMix64), so a failure can be replayed by its seed.
  struct Generator {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
      range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    /// A QOM name: letters, digits and -_.+, not starting with '-'.
    mutating func name() -> String {
      let alphabet = Array("abcXYZ0123456789-_.+")
      var result = String(alphabet[int(0...8)])
      for _ in 0..<int(0...20) { result.append(alphabet[int(0...alphabet.count - 1)]) }
      return result
    }

    /// Free text: markup, quotes, control characters, backslash escapes, blanks, non-ASCII.
    mutating func text() -> String {
      let pieces: [String] = [
        "a", "Z", " ", "\n", "\t", "\r", "\r\n", "<", ">", "&", "\"", "'", "\\", "\\x1b", "\\u{41}", "\\\\",
        "\u{0}", "\u{1}", "\u{7}", "\u{1B}[2J", "\u{1B}]0;t\u{7}", "\u{7F}", "\u{85}", "\u{9B}", "é", "\u{202E}",
        "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "😀", "]]>", "&amp;", "-chardev", ",", "=", "%",
      ]
      var result = ""
      for _ in 0..<int(0...12) { result += pieces[int(0...pieces.count - 1)] }
      return result
    }
  }

  static func document(_ generator: inout Generator) -> CapabilityDocument {
    let info = QEMUBuildInfo(
      binaryPath: "/" + generator.text(), binarySize: Int64(generator.int(0...Int(Int32.max))),
      binaryModificationTime: Int64(generator.int(0...4_000_000_000)),
      binarySHA256: String(repeating: "0123456789abcdef", count: 4),
      version: QEMUVersion(major: generator.int(0...99), minor: generator.int(0...99), micro: generator.int(0...99)),
      package: generator.text(), arch: generator.name())
    var names: Set<String> = []
    var machines: [MachineCapabilities] = []
    for _ in 0..<generator.int(0...8) {
      let name = generator.name()
      guard !name.hasPrefix("alias"), names.insert(name).inserted else { continue }
      let outcome: MachineCapabilities.Outcome
      if generator.int(0...3) == 0 {
        outcome = .failed(generator.text())
      } else {
        var options: [HotplugOption: OptionCapability] = [:]
        for option in HotplugOption.allCases {
          options[option] =
            generator.bool() ? .supported(default: generator.bool()) : .unsupported(reason: generator.text())
        }
        outcome = .probed(pmDevice: generator.bool() ? generator.name() : nil, options: options)
      }
      machines.append(
        MachineCapabilities(
          // Aliases unique and default at most once, as QEMU has them (the reader refuses others).
          name: name, alias: generator.bool() ? "alias\(machines.count)-\(generator.name())" : nil,
          isDefault: generator.bool() && !machines.contains(where: \.isDefault),
          isDeprecated: generator.bool(), outcome: outcome))
    }
    let devices = (0..<generator.int(0...2)).map { index in
      DeviceProperties(
        type: "DEV\(index)", isPresent: true,
        properties: [
          .init(name: "gsi[\(index)]", type: "link<irq>", staticDefault: generator.bool() ? generator.text() : nil)
        ])
    }
    return CapabilityDocument(
      toolVersion: "0.1.0", qemu: info, devices: devices, machines: machines,
      machineSelection: generator.bool() ? [generator.name() + "*"] : [])
  }

  @Test("2,000 generated documents with hostile strings are read back exactly")
  func roundTrip() throws {
    for seed in UInt64(1)...2000 {
      var generator = Generator(state: seed)
      let document = Self.document(&generator)
      let xml = CapabilityXMLWriter.xml(document)
      let read: CapabilityDocument
      do {
        read = try CapabilityXMLReader.read(Array(xml.utf8), file: "seed-\(seed).xml")
      } catch {
        Issue.record("seed \(seed): the reader rejected the writer's output: \(error)")
        continue
      }
      #expect(read == document, "seed \(seed)")
      #expect(CapabilityXMLWriter.xml(read) == xml, "seed \(seed)")
    }
  }
}
