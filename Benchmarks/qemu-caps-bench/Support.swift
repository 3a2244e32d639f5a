// Small helpers shared by the benchmark's subcommands.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Write to standard error (the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in
    var offset = 0
    while offset < bytes.count {
      let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
      if written <= 0 { return }
      offset += written
    }
  }
}

/// The `--NAME VALUE` pairs of `arguments` by NAME. Fails on an argument without a value
/// and, with `known`, on a NAME not in it; `context` starts the messages.
func parseOptions(_ arguments: ArraySlice<String>, known: Set<String>? = nil, context: String = "") -> [String: String]
{
  var options: [String: String] = [:]
  var arguments = arguments
  while let argument = arguments.popFirst() {
    guard known != nil || argument.hasPrefix("--"), let value = arguments.popFirst() else {
      fail("\(context)\(argument) needs a value")
    }
    let name = String(argument.dropFirst(2))
    guard argument.hasPrefix("--"), known?.contains(name) ?? true else { fail("unknown option \(argument)") }
    options[name] = value
  }
  return options
}

func fail(_ message: String) -> Never {
  printError("qemu-caps-bench: \(message)\n")
  exit(2)
}

func seconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func readFile(_ path: String) -> [UInt8] {
  guard let file = fopen(path, "rb") else { fail("\(path): cannot open: \(String(cString: strerror(errno)))") }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let count = fread(&chunk, 1, chunk.count, file)
    if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
    if count < chunk.count { break }
  }
  return bytes
}

/// The bytes of `path`, or none when it cannot be opened (a measurement that never ran).
func readFileIfPresent(_ path: String) -> [UInt8] {
  guard let file = fopen(path, "rb") else { return [] }
  fclose(file)
  return readFile(path)
}

/// Write `text` to `path`, replacing it; whether every byte was written and the file closed.
func writeFile(_ path: String, _ text: String) -> Bool {
  guard let file = fopen(path, "w") else { return false }
  let written = fputs(text, file) >= 0
  return fclose(file) == 0 && written
}
