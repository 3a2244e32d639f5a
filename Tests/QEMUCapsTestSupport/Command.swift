import Foundation

/// Runs a program to completion and captures what it printed.
public enum Command {
  /// What a finished program returned.
  public struct Result: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// Wall time in seconds.
    public var seconds: Double
  }

  /// Run `executable` with `arguments`; wait for it.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    standardInput: String? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let input = Pipe()
    process.standardInput = input
    let start = Date()
    try process.run()
    if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so neither fills up.
    let errorData = LockedData()
    let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return Result(
      status: process.terminationStatus,
      standardOutput: String(decoding: outputData, as: UTF8.self),
      standardError: String(decoding: errorData.get(), as: UTF8.self),
      seconds: Date().timeIntervalSince(start))
  }

  /// The built `qemu-caps` executable next to the test bundle.
  public static var qemuCapsExecutable: String { builtExecutable("qemu-caps") }

  /// The executable product `name` of this package, built next to the test bundle.
  public static func builtExecutable(_ name: String) -> String {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // The test binary lives in DIR/qemu-capsPackageTests.xctest (a file on Linux).
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate), !candidate.hasSuffix(".xctest") {
        return candidate
      }
      directory = directory.deletingLastPathComponent()
    }
    return name
  }

  /// Run the built `qemu-caps` with `arguments`.
  public static func qemuCaps(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
    try run(qemuCapsExecutable, arguments, environment: environment)
  }
}

private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  func get() -> Data { lock.withLock { data ?? Data() } }
  var isSet: Bool { lock.withLock { data != nil } }
}
