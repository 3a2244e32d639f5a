/// A test helper could not run a program, or the program outlived its deadline.
public struct CommandError: Error, CustomStringConvertible {
  /// What went wrong, naming the program.
  public var description: String

  public init(_ description: String) { self.description = description }
}
