import Foundation
import QEMUCapsFiles
import QEMUCapsSystem
import QEMUCapsTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The error paths of file output and input, reached by making one system call fail
/// in this test only (`FaultInjection`, debug builds).
@Suite("File faults")
struct FileFaultTests {
  /// The names in `directory`, hidden ones included.
  private func names(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test(
    "a failed write, fsync or rename keeps the previous file and leaves no temporary file",
    arguments: [SystemCall.write, .fchmod, .fsync, .rename])
  func atomicWrite(call: SystemCall) throws {
    try TemporaryDirectory.with("atomic") { directory in
      let path = directory.appendingPathComponent("caps.xml").path
      try OutputFile.write("previous\n", to: path, inputs: nil)
      let (error, failed) = FaultInjection.inject(call, errno: EIO) {
        #expect(throws: OutputFile.Failure.self) { try OutputFile.write("new\n", to: path, inputs: nil) }
      }
      #expect(failed == 1)
      #expect(error?.system?.call == call)
      #expect(error?.system?.errno == EIO)
      #expect(error?.description.hasPrefix("cannot write \(path): ") == true, "\(String(describing: error))")
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\n")
      #expect(try names(directory) == ["caps.xml"])
      // The fault ended with the closure.
      try OutputFile.write("new\n", to: path, inputs: nil)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
    }
  }

  @Test("a read error while reading a file is reported, not taken for the end of the file")
  func readError() throws {
    try TemporaryDirectory.withFile("read", named: "input.xml", contents: "<domain/>") { path, _ in
      let (error, failed) = FaultInjection.inject(.read, errno: EIO) {
        #expect(throws: FileContents.Failure.self) { try FileContents.read(path, limit: 1 << 20, inputs: nil) }
      }
      #expect(failed == 1)
      guard case .system(let system)? = error else {
        Issue.record("expected a system error, got \(String(describing: error))")
        return
      }
      #expect(system.call == .read)
    }
  }
}
