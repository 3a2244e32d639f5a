import Foundation
import Testing

/// Something a test needs beyond the toolchain and the Debian `-dev` packages.
///
/// A bare `swift test` skips (cancels) a test whose requirement is missing and says
/// which script installs it. `scripts/test` installs everything and sets
/// `QEMU_CAPS_TEST_ALL=1`, which turns a missing requirement into a failure: there,
/// nothing may be skipped.
public enum Requirement: String, Sendable, CaseIterable {
  /// `qemu-system-x86_64` (Debian's `qemu-system-x86`).
  case systemQEMU = "the system QEMU"
  /// Debian's other QEMU builds, side by side.
  case qemuBuilds = "the side-by-side QEMU builds"
  /// libvirt 9.0: virsh, virt-xml-validate and the QEMU driver.
  case libvirt = "libvirt"
  /// libvirt 11.3 from Debian trixie, side by side: virsh with its QEMU driver.
  case libvirt11 = "libvirt 11.3"
  /// libvirt 11.3.0's `tests/qemuxmlconfdata`.
  case libvirtTestSuite = "libvirt's test suite"
  /// Headless Chromium.
  case browser = "Chromium"
  /// Debian's python3-jsonschema.
  case jsonSchema = "python3-jsonschema"
  /// xmllint (libxml2-utils), for the RELAX NG schema.
  case xmllint = "xmllint"
  /// zsh, for the completion tests.
  case zsh = "zsh"
  /// fish, for the completion tests.
  case fish = "fish"
  /// cmark-gfm, GitHub's Markdown renderer, for the Markdown report.
  case markdownRenderer = "cmark-gfm"

  /// The script that installs it.
  public var script: String {
    switch self {
    case .systemQEMU, .libvirt, .browser, .jsonSchema, .xmllint, .zsh, .fish, .markdownRenderer: "scripts/install-deps"
    case .qemuBuilds: "scripts/fetch-qemu-builds"
    case .libvirtTestSuite: "scripts/fetch-libvirt-tests"
    case .libvirt11: "scripts/fetch-libvirt"
    }
  }

  /// Whether `scripts/test` asked for every tier: then nothing may be skipped.
  public static var everyTierRequired: Bool {
    ProcessInfo.processInfo.environment["QEMU_CAPS_TEST_ALL"] == "1"
  }

  /// What a skipped test says: what is missing and what installs it.
  public var hint: String {
    "needs \(rawValue): run \(script) (scripts/test runs it)"
  }

  /// Skip the running test because this requirement is missing, or fail it under
  /// `scripts/test`. `detail` says what exactly was not found.
  public func unmet(_ detail: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Never {
    let message = hint + (detail.map { " (\($0))" } ?? "")
    if Self.everyTierRequired {
      throw RequirementError(message: message + "; QEMU_CAPS_TEST_ALL=1 forbids skipping")
    }
    FileHandle.standardError.write(Data("qemu-caps tests: skipped: \(message)\n".utf8))
    try Test.cancel(Comment(rawValue: message), sourceLocation: sourceLocation)
  }

  /// Continue only if `condition` holds; otherwise ``unmet(_:sourceLocation:)``.
  public func require(_ condition: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if !condition { try unmet(sourceLocation: sourceLocation) }
  }

  /// `value`, or ``unmet(_:sourceLocation:)`` when it is `nil`.
  public func require<T>(_ value: T?, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
    guard let value else { try unmet(sourceLocation: sourceLocation) }
    return value
  }
}

/// A requirement was missing where every tier must run.
public struct RequirementError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
