import Foundation
import QEMUCapsModel
import QEMUCapsTestSupport
import QEMUCapsXML
import Testing

/// libvirt 11.3.0's `tests/qemuxmlconfdata`, fetched by scripts/fetch-libvirt-tests:
/// domain inputs `NAME.xml`, and for x86_64 either the QEMU command line libvirt
/// builds, `NAME.x86_64-latest.args`, or its refusal, `NAME.x86_64-latest.err`.
struct LibvirtSuite: Sendable {
  /// `$QEMU_CAPS_LIBVIRT_TESTS/11.3.0/qemuxmlconfdata`, by default under `~/.cache/qemu-caps/libvirt-tests`.
  static var directory: URL {
    let environment = ProcessInfo.processInfo.environment
    let base =
      environment["QEMU_CAPS_LIBVIRT_TESTS"] ?? "\(environment["HOME"] ?? "/root")/.cache/qemu-caps/libvirt-tests"
    return URL(fileURLWithPath: base).appendingPathComponent("11.3.0/qemuxmlconfdata")
  }

  /// One input with what libvirt did with it on x86_64.
  struct Input: Sendable {
    var name: String
    var url: URL
    var bytes: [UInt8]
    /// The parsed XML, or `nil` when it is not well-formed.
    var root: XMLElement?
    /// libvirt's QEMU command line for x86_64 (`NAME.x86_64-latest.args`), split into words.
    var x86Arguments: [String]?
    /// libvirt's refusal for x86_64 (`NAME.x86_64-latest.err`).
    var x86Error: String?

    /// `<os><type arch>`.
    var arch: String? { root?.child(named: "os")?.child(named: "type")?[attribute: "arch"] }
    /// `<os><type machine>`.
    var machine: String? { root?.child(named: "os")?.child(named: "type")?[attribute: "machine"] }
    /// `<devices><emulator>`.
    var emulator: String? {
      root?.child(named: "devices")?.child(named: "emulator")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// libvirt accepts it for x86_64, it asks for an x86 guest (x86_64, i686 or no
    /// arch) and names no emulator other than qemu-system-x86_64.
    var isAcceptedX86Guest: Bool {
      x86Arguments != nil && [nil, "x86_64", "i686"].contains(arch)
        && [nil, "/usr/bin/qemu-system-x86_64"].contains(emulator)
    }

    /// The `-global` words of libvirt's command line that set an ACPI hotplug property.
    var hotplugGlobals: [String] {
      guard let words = x86Arguments else { return [] }
      var result: [String] = []
      for (position, word) in words.enumerated().dropLast() where word == "-global" {
        let value = words[position + 1]
        if value.contains(".\(HotplugAttribute.bridge)=") || value.contains(".\(HotplugAttribute.root)=") {
          result += [word, value]
        }
      }
      return result
    }
  }

  let inputs: [Input]

  /// Output files are `NAME.ARCH-VERSION[+VARIANT][.abi-update].{xml,args,err}`; inputs are the other `.xml`.
  private static var outputPattern: Regex<(Substring, Substring, Substring?, Substring?, Substring)> {
    #/\.[a-z0-9_]+-(latest|[0-9][0-9.]*)(\+[A-Za-z0-9_-]+)?(\.abi-update)?\.(xml|args|err)$/#
  }

  /// The suite could not be read: it names the folder and how to fetch it.
  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  private static let loaded: Result<LibvirtSuite, Missing> = {
    do {
      return .success(try load())
    } catch {
      return .failure(Missing(description: "cannot read \(directory.path), or set QEMU_CAPS_LIBVIRT_TESTS: \(error)"))
    }
  }()

  /// The suite, loaded once per test process; throws when the folder is missing.
  static func shared() throws -> LibvirtSuite {
    switch loaded {
    case .success(let suite): return suite
    case .failure(let missing): try Requirement.libvirtTestSuite.unmet(missing.description)
    }
  }

  /// Load every input; throws when the folder is missing.
  static func load() throws -> LibvirtSuite {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    let files = Set(names)
    let inputs = names.filter { $0.hasSuffix(".xml") && $0.firstMatch(of: outputPattern) == nil }.sorted()
    return LibvirtSuite(
      inputs: try inputs.map { file in
        let name = String(file.dropLast(4))
        let url = directory.appendingPathComponent(file)
        let bytes = Array(try Data(contentsOf: url))
        func text(_ suffix: String) throws -> String? {
          guard files.contains(name + suffix) else { return nil }
          return try String(contentsOf: directory.appendingPathComponent(name + suffix), encoding: .utf8)
        }
        return Input(
          name: name, url: url, bytes: bytes, root: try? XMLTree.parse(bytes, file: file),
          x86Arguments: try text(".x86_64-latest.args").map(Self.words), x86Error: try text(".x86_64-latest.err"))
      })
  }

  /// The words of a `.args` file (one shell command, lines continued with `\`; the
  /// values libvirt's tests quote hold no hotplug settings).
  static func words(_ args: String) -> [String] {
    args.replacingOccurrences(of: "\\\n", with: " ").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
  }

  /// The capability snapshots in capabilities-data/, oldest QEMU version first.
  static func snapshots(in root: URL) throws -> [URL] {
    let folder = root.appendingPathComponent("capabilities-data")
    let snapshots = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasPrefix("qemu-") && $0.hasSuffix(".xml") }
      .sorted(by: NaturalOrder.precedes)
    guard !snapshots.isEmpty else { throw CocoaError(.fileNoSuchFile) }
    return snapshots.map { folder.appendingPathComponent($0) }
  }

  /// The newest capability snapshot in capabilities-data/, by QEMU version.
  static func newestSnapshot(in root: URL) throws -> URL {
    guard let newest = try snapshots(in: root).last else { throw CocoaError(.fileNoSuchFile) }
    return newest
  }
}
