import Foundation
import QEMUCapsFiles
import QEMUCapsTestSupport
import Testing

/// An output never replaces a file the same command read or wrote: the command passes
/// its own ``InputFiles`` to the readers and writers; nothing is shared between two.
@Suite("Input files")
struct InputFilesTests {
  @Test("a file read with an InputFiles is refused as an output with it, by any path, and left intact")
  func readIsRefused() throws {
    try TemporaryDirectory.withFile("inputs", named: "caps.xml", contents: "input\n") { path, directory in
      let link = directory.appendingPathComponent("link").path
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "caps.xml")
      let inputs = InputFiles()
      _ = try FileContents.read(path, limit: 1 << 20, inputs: inputs)
      for target in [path, link] {
        let error = #expect(throws: OutputFile.Failure.self) {
          try OutputFile.write("output\n", to: target, inputs: inputs)
        }
        #expect(
          error?.description.contains("it is also an input of this command") == true, "\(String(describing: error))")
      }
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "input\n")
      // Another command, or a library caller with none, may write it.
      try OutputFile.write("other\n", to: path, inputs: InputFiles())
      try OutputFile.write("library\n", to: path, inputs: nil)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "library\n")
    }
  }

  @Test("a file written with an InputFiles is not replaced by a later output with it")
  func writtenIsRefused() throws {
    try TemporaryDirectory.with("inputs") { directory in
      let path = directory.appendingPathComponent("probe.json").path
      let inputs = InputFiles()
      try OutputFile.write("first\n", to: path, inputs: inputs)
      let error = #expect(throws: OutputFile.Failure.self) {
        try OutputFile.write("second\n", to: path, inputs: inputs)
      }
      #expect(error?.description.contains("this command wrote it already") == true, "\(String(describing: error))")
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
    }
  }
}
