import Foundation
import QEMUCapsConvert
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// The conversion corpus: each `Corpus/NAME.xml` is converted against Debian 12's
/// QEMU 7.2 snapshot; a valid one must give `NAME.out.xml` byte for byte, an invalid
/// one no output and the diagnostics in `NAME.err`.
@Suite("Conversion corpus with golden outputs")
struct ConvertCorpusTests {
  static let corpus = Fixtures.directory("Corpus")
  static let caps = Fixtures.capabilitiesData("qemu-7.2.22.xml")

  static var cases: [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
    return files.filter { $0.hasSuffix(".xml") && !$0.hasSuffix(".out.xml") }.map { String($0.dropLast(4)) }.sorted()
  }

  /// The cases with a golden `NAME.out.xml`: those that must convert.
  static var convertible: [String] {
    cases.filter { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("\($0).out.xml").path) }
  }

  static func convert(_ name: String) throws -> (Conversion, input: [UInt8]) {
    let converter = DomainConverter(validator: try Validator(capabilitiesFile: caps))
    let input = Array(try Data(contentsOf: corpus.appendingPathComponent("\(name).xml")))
    return (try converter.convert(domainXML: input, file: "\(name).xml"), input)
  }

  static func diagnostics(_ report: ValidationReport) -> String {
    report.diagnostics.map { "\($0.line.map(String.init) ?? "-"): \($0.severity.rawValue): \($0.message) [\($0.code)]" }
      .joined(separator: "\n") + "\n"
  }

  @Test("the corpus has valid and invalid domains")
  func corpusSize() {
    #expect(Self.cases.count >= 12)
  }

  @Test("each domain gives its golden output, or no output and its golden diagnostics", arguments: cases)
  func golden(name: String) throws {
    let (conversion, _) = try Self.convert(name)
    let outputFile = Self.corpus.appendingPathComponent("\(name).out.xml")
    let errorFile = Self.corpus.appendingPathComponent("\(name).err")
    if conversion.isValid {
      let output = try #require(conversion.output)
      Golden.check(String(decoding: output, as: UTF8.self), against: outputFile)
      #expect(!FileManager.default.fileExists(atPath: errorFile.path), "\(name) converts but has a .err golden file")
    } else {
      #expect(conversion.output == nil)
      Golden.check(Self.diagnostics(conversion.report), against: errorFile)
      #expect(!FileManager.default.fileExists(atPath: outputFile.path), "\(name) is invalid but has a .out.xml")
    }
  }

  @Test("converting a converted domain changes nothing more", arguments: convertible)
  func idempotent(name: String) throws {
    let (conversion, _) = try Self.convert(name)
    let output = try #require(conversion.output, "\(name) has a .out.xml but does not convert")
    let converter = DomainConverter(validator: try Validator(capabilitiesFile: Self.caps))
    let again = try converter.convert(domainXML: output, file: "\(name).out.xml")
    #expect(again.output == output)
  }

  @Test(
    "a domain without hotplug settings comes out byte for byte as it went in, quotes and entities included",
    arguments: ["no-options-unchanged", "mixed-quotes-entities-unchanged"])
  func untouched(name: String) throws {
    let (conversion, input) = try Self.convert(name)
    #expect(conversion.output == input)
  }

  @Test("the spellings libvirt lacks are gone and the passthrough -globals are those of validate")
  func spellingsRemoved() throws {
    var converted = 0
    for name in Self.cases {
      let (conversion, _) = try Self.convert(name)
      guard let output = conversion.output else { continue }
      converted += 1
      let text = String(decoding: output, as: UTF8.self)
      for removed in ["<acpi-hotplug-bridge", "<acpi-root-hotplug", "<acpi-bridge-hotplug", "<hotplug "] {
        #expect(!text.contains(removed), "\(name) still has \(removed)")
      }
      let expected = QEMUGlobal.parse(arguments: conversion.report.qemuArguments)
      // Every attribute value that is a -global word, in either of QEMU's forms.
      let words = text.split(separator: " value=").dropFirst().compactMap { rest -> QEMUGlobal? in
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        return QEMUGlobal(String(rest.dropFirst().prefix { $0 != quote }))
      }
      for global in expected where global.property == "acpi-pci-hotplug-with-bridge-support" {
        #expect(words.filter { $0.key == global.key && $0.sameValue(as: global) }.count == 1, "\(name): \(global) once")
      }
    }
    #expect(converted == Self.convertible.count && converted > 0, "\(converted) domains converted")
  }
}
