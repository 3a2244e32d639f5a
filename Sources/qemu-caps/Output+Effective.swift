import QEMUCapsModel
import QEMUCapsSystem
import QEMUCapsValidator

extension Output {
  /// `validate --explain`: what each option's property will be on the started guest,
  /// one `FILE: effective: …` line per option on stderr (or one line saying the machine
  /// type did not resolve); none with `--quiet`.
  static func effective(_ report: ValidationReport, file: String) {
    guard !settings.quiet else { return }
    for line in effectiveLines(report) {
      Terminal.writeStandardError(Terminal.escaped("\(file): effective: \(line)") + "\n")
    }
  }

  /// The text after `effective: `, one entry per option in ``HotplugOption`` order.
  static func effectiveLines(_ report: ValidationReport) -> [String] {
    guard let effective = report.effective, let machine = report.machine else {
      return ["none: the domain's machine type did not resolve, so nothing is known of the started guest"]
    }
    return HotplugOption.allCases.sorted().compactMap { option in
      guard let effective = effective[option] else { return nil }
      switch effective.source {
      case .domain(let line, let spelling):
        guard let value = effective.value else {
          return
            "\(option): none (set both on and off, so the domain is invalid; QEMU would apply \(spelling) on line \(line) last)"
        }
        return "\(option)=\(value.onOff) (set by \(spelling) on line \(line))"
      case .default:
        return "\(option)=\(effective.value?.onOff ?? "none") (default of machine type \(machine))"
      case .unsupported(let reason):
        return "\(option): absent (\(reason))"
      case .unknown(let failure):
        return "\(option): unknown (machine type \(machine) could not be probed: \(failure))"
      }
    }
  }
}
