#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One fuzz target: bytes in, no crash out. Errors the library throws are fine;
/// a broken invariant calls ``Fuzz/fail(_:)``, which libFuzzer reports as a crash.
protocol FuzzTarget {
  /// Prepare state shared by every input (called once, before fuzzing).
  static func setUp(options: [String: String])
  /// Run one input.
  static func run(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// The entry points libFuzzer's own `main` calls:
/// `qemu-caps-fuzz --target=NAME [--capabilities=FILE] [libFuzzer flags] [corpus dirs or files]`.
///
/// libFuzzer ignores flags that start with `--` (and hands them on to the
/// processes it forks), so the target is chosen with one. The environment
/// variable QEMU_CAPS_FUZZ_TARGET works as well.
enum Fuzz {
  static let targetNames = ["capabilities", "domain", "json"]

  static func target(named name: String) -> (any FuzzTarget.Type)? {
    switch name {
    case "json": JSONTarget.self
    case "capabilities": CapabilitiesTarget.self
    case "domain": DomainTarget.self
    default: nil
    }
  }

  /// The target chosen on the command line; set once before the first input.
  nonisolated(unsafe) static var target: (any FuzzTarget.Type)?

  static func initialize(_ arguments: [String]) {
    var options: [String: String] = [:]
    for argument in arguments.dropFirst() where argument.hasPrefix("--") {
      let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1)
      guard let name = parts.first else { continue }
      options[String(name)] = parts.count > 1 ? String(parts[1]) : ""
    }
    let name = options["target"] ?? getenv("QEMU_CAPS_FUZZ_TARGET").map { String(cString: $0) }
    guard let name, let chosen = target(named: name) else {
      let known = targetNames.joined(separator: "|")
      printError("usage: qemu-caps-fuzz --target=\(known) [--capabilities=FILE] [libFuzzer flags] [CORPUS...]")
      exit(2)
    }
    chosen.setUp(options: options)
    target = chosen
  }

  /// Report a broken invariant and crash, so that libFuzzer saves the input.
  static func fail(_ message: String) -> Never {
    printError("qemu-caps-fuzz: invariant broken: \(message)")
    abort()
  }

  /// Write a line to standard error.
  static func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { bytes in
      var rest = UnsafeRawBufferPointer(bytes)
      while !rest.isEmpty {
        let written = write(2, rest.baseAddress, rest.count)
        if written <= 0 { break }
        rest = UnsafeRawBufferPointer(rebasing: rest[written...])
      }
    }
  }

  /// `text` quoted for a failure message, cut to `limit` characters.
  static func quote(_ text: String, limit: Int = 2000) -> String {
    let escaped = text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
    return escaped.count > limit ? "\"\(escaped.prefix(limit))\"... (\(text.utf8.count) bytes)" : "\"\(escaped)\""
  }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
  var arguments: [String] = []
  if let vector = argv.pointee {
    for index in 0..<Int(argc.pointee) {
      if let argument = vector[index] { arguments.append(String(cString: argument)) }
    }
  }
  Fuzz.initialize(arguments)
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let target = Fuzz.target else { Fuzz.fail("LLVMFuzzerInitialize did not run") }
  target.run(UnsafeBufferPointer(start: size == 0 ? nil : data, count: size))
  return 0
}
