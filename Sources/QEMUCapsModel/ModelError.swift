/// The one error type of the capability model: a document that breaks one of its
/// invariants (see ``CapabilityDocument/validate()``).
///
/// The prober throws it (wrapped) rather than write such a document, and the
/// capability file reader refuses a file that holds one, so that whatever qemu-caps
/// writes it also reads back.
public struct ModelError: CodedError, Hashable {
  /// Which invariant is broken, stable across releases.
  public enum Code: String, Sendable, Hashable {
    /// A name (machine type, alias, device, property, architecture, accelerator) is
    /// not a QOM name: it could carry options into a QEMU command line.
    case invalidName = "model.invalid-name"
    /// Two machine types have the same name.
    case duplicateMachine = "model.duplicate-machine"
    /// An alias is the machine type's own name.
    case aliasIsOwnName = "model.alias-is-own-name"
    /// An alias is the name of another machine type.
    case aliasIsMachineName = "model.alias-is-machine-name"
    /// Two machine types have the same alias.
    case duplicateAlias = "model.duplicate-alias"
    /// More than one machine type is the default.
    case multipleDefaults = "model.multiple-defaults"
    /// A device type, a property of one, a guest architecture or an accelerator is listed twice.
    case duplicateEntry = "model.duplicate-entry"
  }

  /// Which invariant is broken.
  public var code: Code
  /// The machine type whose row breaks it (the later one, in the order checked), if
  /// the invariant concerns machine types: readers use it to name the line.
  public var machine: String?
  /// A full sentence, without the file or binary it came from.
  public var message: String

  /// Create an error.
  public init(_ code: Code, machine: String? = nil, _ message: String) {
    self.code = code
    self.machine = machine
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
