import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// libvirt itself, as a checker of what qemu-caps writes: its schema
/// (`virt-xml-validate`) and the QEMU command line its embedded QEMU driver builds
/// (`virsh -c qemu:///embed?root=DIR domxml-to-native qemu-argv`), no daemon needed.
public enum Libvirt {
  /// Whether `virsh`, `virt-xml-validate` and the QEMU driver are installed.
  public static var isInstalled: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/virsh")
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/virt-xml-validate")
      && FileManager.default.fileExists(
        atPath: "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so")
  }

  /// `virt-xml-validate FILE domain`; for another libvirt than the system's, what
  /// virt-xml-validate runs with that libvirt's schema: `xmllint --relaxng domain.rng`.
  public static func validateSchema(_ file: String, libvirt: LibvirtBuild = .system) throws -> Command.Result {
    try Requirement.libvirt.require(isInstalled)
    guard libvirt.virsh != LibvirtBuild.system.virsh else {
      return try Command.run("/usr/bin/virt-xml-validate", [file, "domain"])
    }
    try libvirt.require()
    let prefix = ((libvirt.virsh as NSString).deletingLastPathComponent as NSString).appendingPathComponent("prefix")
    return try Command.run(
      "/usr/bin/xmllint", ["--noout", "--relaxng", "\(prefix)/usr/share/libvirt/schemas/domain.rng", file])
  }

  /// The QEMU argv libvirt builds for each domain file, in one `virsh` session of
  /// the embedded QEMU driver over a fresh root, under a child subreaper.
  ///
  /// The root's qemu.conf runs QEMU as the current user: libvirt 9.0 otherwise
  /// checks /dev/kvm for the libvirt-qemu user, finds the capabilities it just
  /// probed as root "outdated", and probes QEMU again on every lookup (about 18
  /// probes, 5 s, per domxml-to-native).
  ///
  /// - Throws: when virsh fails; the error holds its stderr.
  public static func qemuArguments(of files: [String], libvirt: LibvirtBuild = .system) async throws -> [[String]] {
    try await Blocking.run { try qemuArgumentsBlocking(of: files, libvirt: libvirt) }
  }

  private static func qemuArgumentsBlocking(of files: [String], libvirt: LibvirtBuild) throws -> [[String]] {
    let commands = files.map { "domxml-to-native qemu-argv \($0)" }.joined(separator: "; ")
    let result = try withEmbeddedRoot(libvirt) { root in
      try Command.run(
        Command.builtExecutable("qemu-caps-test-reaper"),
        ["300", libvirt.virsh, "-c", "qemu:///embed?root=\(root)", commands])
    }
    let lines = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("LC_ALL=") }
    guard result.status == 0, lines.count == files.count else {
      throw LibvirtError(
        message:
          "virsh exited with \(result.status) and printed \(lines.count) command lines for \(files.count) domains: \(result.standardError)"
      )
    }
    return lines.map { $0.split(separator: " ").map(String.init) }
  }

  /// What libvirt does with each domain file, in one `virsh` session as
  /// ``qemuArguments(of:)``: the QEMU argv it builds, or the error it refuses the
  /// domain with (`error: …` as virsh prints it).
  ///
  /// - Throws: when virsh cannot be run or its output cannot be split per file.
  public static func verdicts(of files: [String], libvirt: LibvirtBuild = .system) async throws
    -> [Result<[String], LibvirtError>]
  {
    try await Blocking.run { try verdictsBlocking(of: files, libvirt: libvirt) }
  }

  private static func verdictsBlocking(of files: [String], libvirt: LibvirtBuild) throws
    -> [Result<[String], LibvirtError>]
  {
    let marker = "==qemu-caps-file=="
    let commands = files.map { "echo \(marker); domxml-to-native qemu-argv \($0)" }.joined(separator: "; ")
    // One stream, so that each error stays next to its file.
    let result = try withEmbeddedRoot(libvirt) { root in
      try Command.run(
        Command.builtExecutable("qemu-caps-test-reaper"),
        [
          "300", "/bin/sh", "-c", "exec \"$3\" -c \"qemu:///embed?root=$1\" \"$2\" 2>&1", "sh", root, commands,
          libvirt.virsh,
        ])
    }
    let sections = result.standardOutput.components(separatedBy: marker + "\n").dropFirst()
    guard sections.count == files.count else {
      throw LibvirtError(
        message: "virsh printed \(sections.count) sections for \(files.count) domains: \(result.standardOutput)")
    }
    return sections.map { section in
      if let line = section.split(separator: "\n").first(where: { $0.hasPrefix("LC_ALL=") }) {
        return .success(line.split(separator: " ").map(String.init))
      }
      return .failure(LibvirtError(message: section.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
  }

  /// Run `body` with the path of a fresh root for `libvirt`'s embedded QEMU driver,
  /// removed afterwards. Its qemu.conf runs QEMU as the current user (see above),
  /// followed by `settings` (lines of qemu.conf).
  public static func withEmbeddedRoot<T>(
    _ libvirt: LibvirtBuild, settings: [String] = [], _ body: (String) throws -> T
  ) throws -> T {
    try libvirt.require()
    let root = try TemporaryDirectory.create("libvirt")
    defer { TemporaryDirectory.remove(root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
    let user = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
    let group = getgrgid(getgid()).map { String(cString: $0.pointee.gr_name) } ?? "root"
    try (["user = \"\(user)\"", "group = \"\(group)\""] + settings).map { $0 + "\n" }.joined().write(
      to: root.appendingPathComponent("etc/qemu.conf"), atomically: true, encoding: .utf8)
    return try body(root.path)
  }

  /// The `-global` values in `argv` whose property is one of `properties`, in order,
  /// as `DRIVER.PROPERTY=VALUE` (QEMU's other form, `driver=D,property=P,value=V`,
  /// is rewritten so; libvirt passes `<qemu:arg>` words as they are).
  public static func globals(in argv: [String], properties: [String]) -> [String] {
    zip(argv, argv.dropFirst()).filter { $0.0 == "-global" }.map { dotted($0.1) }.filter { value in
      properties.contains { value.contains(".\($0)=") }
    }
  }

  /// The two ACPI hotplug properties, as QEMU names them.
  public static let hotplugProperties = ["acpi-pci-hotplug-with-bridge-support", "acpi-root-pci-hotplug"]

  /// What the `-global`s in `argv` set the two ACPI hotplug properties to, as QEMU
  /// applies them: in order, the last one of a `DEVICE.PROPERTY` winning, either
  /// form, booleans read as QEMU reads them (`on`, `yes`, `true`, `y` are `on`; `off`,
  /// `no`, `false`, `n` are `off`; any other value is kept as written). Keyed by
  /// `DEVICE.PROPERTY`; only those of `device` when it is given (QEMU ignores a
  /// `-global` for a device the machine does not have).
  public static func hotplugEffect(of argv: [String], device: String? = nil) -> [String: String] {
    var effect: [String: String] = [:]
    for global in globals(in: argv, properties: hotplugProperties) {
      let pair = global.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      guard pair.count == 2, device.map({ pair[0].hasPrefix("\($0).") }) ?? true else { continue }
      switch pair[1] {
      case "on", "yes", "true", "y": effect[pair[0]] = "on"
      case "off", "no", "false", "n": effect[pair[0]] = "off"
      default: effect[pair[0]] = pair[1]
      }
    }
    return effect
  }

  /// `driver=D,property=P,value=V` as `D.P=V`; any other word unchanged.
  private static func dotted(_ word: String) -> String {
    let unquoted =
      word.hasPrefix("'") && word.hasSuffix("'") && word.count > 1 ? String(word.dropFirst().dropLast()) : word
    var options: [String: String] = [:]
    for part in unquoted.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
      if pair.count == 2 { options[pair[0]] = pair[1] }
    }
    guard let driver = options["driver"], let property = options["property"], let value = options["value"] else {
      return word
    }
    return "\(driver).\(property)=\(value)"
  }
}

/// virsh failed.
public struct LibvirtError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
