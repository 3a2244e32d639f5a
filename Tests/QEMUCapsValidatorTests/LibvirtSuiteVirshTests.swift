import Foundation
import QEMUCapsTestSupport
import QEMUCapsValidator
import Testing

/// libvirt's own inputs about PCI controllers, hotplug and its QEMU namespace, given
/// to libvirt 9.0 and 11.3 themselves (`virsh domxml-to-native` on Debian 12's QEMU
/// 7.2, one session per libvirt): where libvirt builds a command line, the domain is
/// valid against the 7.2 snapshot and `qemuArgs` has the effect of libvirt's
/// hotplug `-global`s.
@Suite("libvirt's suite inputs through virsh", .serialized)
struct LibvirtSuiteVirshTests {
  /// Words that make an input one about what qemu-caps checks.
  static let topics = [
    "hotplug", "xmlns:qemu", "model='pci-bridge'", "model='pcie-root-port'", "model='pcie-to-pci-bridge'",
    "model='dmi-to-pci-bridge'", "model='pci-expander-bus'", "model='pcie-expander-bus'",
    "model='pcie-switch-upstream-port'", "model='pcie-switch-downstream-port'",
  ]
  /// Devices that end a virsh 9.0 session with SIGSEGV (its embedded driver has no
  /// secret driver; e.g. disk-network-iscsi-zero-hosts-invalid, hostdev-scsi-*):
  /// such inputs concern no hotplug setting.
  static let crashing = ["<auth", "<secret", "<disk type='network'", "<hostdev"]

  /// The x86 inputs (no arch or x86_64/i686, no other emulator) about those topics.
  static func inputs() throws -> [LibvirtSuite.Input] {
    try LibvirtSuite.shared().inputs.filter { input in
      let text = String(decoding: input.bytes, as: UTF8.self)
      return input.root != nil && [nil, "x86_64", "i686"].contains(input.arch)
        && [nil, "/usr/bin/qemu-system-x86_64"].contains(input.emulator)
        && topics.contains { text.contains($0) } && !crashing.contains { text.contains($0) }
    }
  }

  @Test("what libvirt accepts is valid, and qemuArgs has the effect of its -globals", arguments: LibvirtBuild.all)
  func libvirtAgrees(_ libvirt: LibvirtBuild) async throws {
    try libvirt.require()
    let inputs = try Self.inputs()
    #expect(inputs.count >= 40, "libvirt 11.3.0 has 47 such inputs; found \(inputs.count)")
    let validator = try LibvirtMutationTests.systemValidator()
    let verdicts = try await Libvirt.verdicts(of: inputs.map(\.url.path), libvirt: libvirt)
    var accepted = 0
    for (input, verdict) in zip(inputs, verdicts) {
      guard case .success(let argv) = verdict else { continue }
      accepted += 1
      let report = try validator.validate(domainXML: input.bytes, file: input.url.lastPathComponent)
      let errors = report.diagnostics.filter { $0.severity == .error }
      #expect(errors.isEmpty, "\(libvirt) accepts \(input.name); we say \(errors)")
      #expect(LibvirtMutation.isCanonical(report.qemuArguments), "\(input.name): \(report.qemuArguments)")
      #expect(
        Libvirt.hotplugEffect(of: report.qemuArguments) == Libvirt.hotplugEffect(of: argv),
        "\(libvirt), \(input.name): qemuArgs \(report.qemuArguments), libvirt's \(Libvirt.globals(in: argv, properties: Libvirt.hotplugProperties))"
      )
    }
    // Both libvirts accept the bus-0 hotplug inputs and the PCI controller ones.
    #expect(accepted >= 20, "\(libvirt) accepts \(accepted) of \(inputs.count)")
  }
}
