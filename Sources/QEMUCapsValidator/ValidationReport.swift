import QEMUCapsJSON
import QEMUCapsModel

/// The verdict on one domain: diagnostics and, when valid, the QEMU arguments.
public struct ValidationReport: Sendable, Hashable {
  /// The canonical machine type the domain resolved to, or `nil` when it did not resolve.
  public var machine: String?
  /// Every finding, ordered by line (domain-wide findings first).
  public var diagnostics: [Diagnostic]
  /// The effect of the hotplug settings as argv words: one `-global DEVICE.PROPERTY=on|off`
  /// per option set (docs/validation.md, "What qemuArgs means"); empty when invalid.
  public var qemuArguments: [String]
  /// What each option's QEMU property will be on the started guest; `nil` when the
  /// machine type did not resolve. See docs/validation.md, "effective".
  public var effective: [HotplugOption: EffectiveValue]?

  /// Whether no diagnostic is an error.
  public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

  /// Whether the verdict is unknown rather than invalid: every error says that the
  /// machine type's probe failed, so the capability data has no answer for it.
  public var isUnknown: Bool {
    let errors = diagnostics.filter { $0.severity == .error }
    return !errors.isEmpty && errors.allSatisfy { $0.code == .machineProbeFailed }
  }

  /// Create a report.
  public init(
    machine: String?, diagnostics: [Diagnostic], qemuArguments: [String],
    effective: [HotplugOption: EffectiveValue]? = nil
  ) {
    self.machine = machine
    self.diagnostics = diagnostics
    self.qemuArguments = qemuArguments
    self.effective = effective
  }

  /// The report in `qemu-caps validate --json` form:
  /// `{"valid", "machine", "diagnostics": [{"severity", "code", "message", "line"}], "qemuArgs",
  /// "effective": {OPTION: {"value", "source", "line"?, "spelling"?}} | null}`.
  package var json: JSON {
    .object(
      JSONObject([
        ("valid", .bool(isValid)),
        ("machine", machine.map(JSON.string) ?? .null),
        (
          "diagnostics",
          .array(
            diagnostics.map { diagnostic in
              .object(
                JSONObject([
                  ("severity", .string(diagnostic.severity.rawValue)), ("code", .string(diagnostic.code.rawValue)),
                  ("message", .string(diagnostic.message)), ("line", diagnostic.line.map { .int(Int64($0)) } ?? .null),
                ]))
            })
        ),
        ("qemuArgs", .array(qemuArguments.map(JSON.string))),
        ("effective", effective.map(Self.json) ?? .null),
      ]))
  }

  /// The options in ``HotplugOption`` order, each `{"value", "source"}`, with `"line"`
  /// and `"spelling"` when the domain sets it.
  private static func json(_ effective: [HotplugOption: EffectiveValue]) -> JSON {
    .object(
      JSONObject(
        HotplugOption.allCases.sorted().compactMap { option in
          guard let value = effective[option] else { return nil }
          var fields: [(String, JSON)] = [
            ("value", value.value.map(JSON.bool) ?? .null), ("source", .string(value.source.name)),
          ]
          if case .domain(let line, let spelling) = value.source {
            fields += [("line", .int(Int64(line))), ("spelling", .string(spelling))]
          }
          return (option.rawValue, .object(JSONObject(fields)))
        }))
  }
}
