import Foundation
import QEMUCapsCapabilityFiles
import QEMUCapsTestSupport
import QEMUCapsValidator
import QEMUCapsXML
import Testing

/// Domain XML up to the 10 MiB limit is validated with work linear in its size:
/// shapes that make libxml2 or the rules do the most work per byte.
@Suite("Pathological domain XML", .serialized, .timeLimit(.minutes(10)))
struct PathologicalDomainTests {
  static let validator: Validator? = try? Validator(
    capabilitiesFile: Fixtures.capabilitiesData("qemu-7.2.22.xml"))

  /// The shapes, shared with scripts/bench: Fixtures/pathological-shapes.json.
  struct Shapes: Decodable {
    struct Shape: Decodable {
      var name: String
      var unit: String
      var inFeatures: Bool?
      var refusedByLibxml2: Bool?
    }
    var head: String
    var shapes: [Shape]
  }

  static let catalogue: Shapes = {
    let url = Fixtures.repositoryRoot.appendingPathComponent(
      "Tests/QEMUCapsValidatorTests/Fixtures/pathological-shapes.json")
    do {
      return try JSONDecoder().decode(Shapes.self, from: Data(contentsOf: url))
    } catch {
      fatalError("\(url.path): \(error)")
    }
  }()

  static let limit = DomainReader.maximumSize - 4096

  /// A domain of about `size` bytes (10 MiB by default) made of `shape`'s unit repeated.
  static func domain(_ shape: Shapes.Shape, size: Int = limit) -> [UInt8] {
    let head = catalogue.head
    let body = String(repeating: shape.unit, count: size / shape.unit.utf8.count)
    let text =
      shape.inFeatures == true
      ? head + body + "</features><devices/></domain>" : head + "</features><devices>" + body + "</devices></domain>"
    return Array(text.utf8)
  }

  @Test(
    "each 10 MiB shape is validated in full, and its work grows linearly with its size",
    arguments: catalogue.shapes.map(\.name))
  func shape(name: String) throws {
    let validator = try #require(Self.validator)
    let shape = try #require(Self.catalogue.shapes.first { $0.name == name })
    let bytes = Self.domain(shape)
    #expect(bytes.count <= DomainReader.maximumSize)
    var refusal: String?
    do {
      _ = try validator.validate(domainXML: bytes, file: "pathological.xml")
    } catch {
      refusal = error.description
    }
    // Every shape is validated in full, except where libxml2 itself gives up; that
    // refusal names the file and says why.
    if shape.refusedByLibxml2 == true {
      #expect(
        refusal?.hasPrefix("pathological.xml") == true && refusal?.contains("10,000,000") == true,
        "\(name): \(refusal ?? "validated")")
    } else {
      #expect(refusal == nil, "\(name): \(refusal ?? "")")
    }
    // Eight times the input, at most twice eight times the work: a quadratic rule (a
    // fresh scan of the controllers per controller took over 60 s at 10 MiB) grows 64
    // times. Absolute figures: scripts/bench.
    let small = Self.domain(shape, size: Self.limit / 64)
    let large = Self.domain(shape, size: Self.limit / 8)
    let growth = validator.growth(small: small, large: large)
    #expect(growth < Complexity.allowedGrowth(for: 8), "\(name): 8 times the input took \(growth) times the work")
    print("\(name): 8 times the input, \(growth) times the work")
  }

  @Test("the complexity guard tells a quadratic algorithm from a linear one")
  func guardCanFail() {
    func work(_ n: Int) -> Int {
      var total = 0
      for i in 0..<n { total &+= i &* 31 }
      return total
    }
    var sink = 0
    let linear = Complexity.growth(small: { sink &+= work(200_000) }, large: { sink &+= work(1_600_000) })
    let quadratic = Complexity.growth(small: { sink &+= work(1_000 * 1_000) }, large: { sink &+= work(8_000 * 8_000) })
    #expect(linear < Complexity.allowedGrowth(for: 8), "linear: \(linear)")
    #expect(quadratic > Complexity.allowedGrowth(for: 8), "quadratic: \(quadratic)")
    #expect(sink != 1)
  }

  /// A domain whose one element under <devices> has `count` attributes.
  static func attributes(_ count: Int) -> [UInt8] {
    let element = "<x " + (0..<count).map { "a\($0)=''" }.joined(separator: " ") + "/>"
    return Array((catalogue.head + "</features>\n<devices>\n" + element + "</devices></domain>").utf8)
  }

  @Test("80,000 attributes on one element are refused, naming the line, with work linear in their number")
  func manyAttributes() throws {
    let validator = try #require(Self.validator)
    #expect {
      _ = try validator.validate(domainXML: Self.attributes(80_000), file: "attributes.xml")
    } throws: { error in
      guard let error = error as? XMLError else { return false }
      return error.code == .tooLarge && error.line == 3 && error.message.contains("more than 64 attributes")
    }
    // libxml2's duplicate check is quadratic (80,000 attributes took 9 s): the refusal
    // must come before it.
    let small = Self.attributes(10_000)
    let large = Self.attributes(80_000)
    let growth = validator.growth(small: small, large: large)
    #expect(growth < Complexity.allowedGrowth(for: 8), "8 times the attributes took \(growth) times the work")
  }

  @Test("a domain over 10 MiB is refused, as virsh refuses it")
  func sizeLimit() throws {
    let validator = try #require(Self.validator)
    let bytes = Array(
      (Self.catalogue.head + "</features>" + String(repeating: " ", count: DomainReader.maximumSize) + "</domain>").utf8
    )
    #expect(throws: XMLError.self) { _ = try validator.validate(domainXML: bytes, file: "big.xml") }
  }
}
