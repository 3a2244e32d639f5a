import Foundation
import Testing

/// Checks JSON output against the JSON Schemas in docs/schemas/ with Debian's
/// python3-jsonschema (draft 2020-12), the validator a user of the schemas would have.
public enum JSONSchema {
  /// The Python that has Debian's python3-jsonschema (another python3 may come first on PATH).
  public static let python = "/usr/bin/python3"

  /// `docs/schemas/NAME.schema.json`.
  public static func path(_ name: String) -> String {
    Fixtures.repositoryRoot.appendingPathComponent("docs/schemas/\(name).schema.json").path
  }

  /// Reads a JSON array of documents on stdin; prints `INDEX PATH: message` per violation.
  private static let checker = """
    import json, sys
    try:
        from jsonschema import Draft202012Validator
    except ImportError:
        sys.exit(3)
    schema = json.load(open(sys.argv[1]))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    found = False
    for index, instance in enumerate(json.loads(sys.stdin.read())):
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            found = True
            print("%d /%s: %s" % (index, "/".join(str(p) for p in error.absolute_path), error.message))
    sys.exit(1 if found else 0)
    """

  /// The schema violations of `json` (one JSON text) against schema `name`; empty when valid.
  ///
  /// - Throws: ``JSONSchemaError`` when the validator is missing or the schema or the
  ///   text is not JSON, so a test fails instead of passing unchecked.
  public static func violations(of json: String, schema name: String) throws -> [String] {
    try violations(of: [json], schema: name)
  }

  /// The schema violations of several JSON texts (one Python run for all), each
  /// prefixed with the text's index; empty when all are valid.
  public static func violations(of documents: [String], schema name: String) throws -> [String] {
    let input = "[" + documents.joined(separator: ",\n") + "]"
    let result = try Command.run(python, ["-c", checker, path(name)], standardInput: input)
    switch result.status {
    case 0: return []
    case 1: return result.standardOutput.split(separator: "\n").map(String.init)
    case 3: try Requirement.jsonSchema.unmet("\(python) cannot import jsonschema")
    default:
      throw JSONSchemaError(message: "cannot check against \(name).schema.json: \(result.standardError)")
    }
  }
}

/// The schema check itself could not run.
public struct JSONSchemaError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
