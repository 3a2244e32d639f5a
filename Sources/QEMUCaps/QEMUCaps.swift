// The `QEMUCaps` library product: everything that works on capability files.
//
// `import QEMUCaps` gives the capability model, reading and writing capability
// files (XML and JSON), the index and lookup over files, the semantic diff,
// the domain XML validator and converter, and the machine list and capability
// matrix (Markdown, HTML), with their error types. None of it starts a
// process or hashes a file: probing QEMU is the `QEMUCapsProbe` product.
@_exported import QEMUCapsCapabilityFiles
@_exported import QEMUCapsConvert
@_exported import QEMUCapsDiff
@_exported import QEMUCapsLookup
@_exported import QEMUCapsModel
@_exported import QEMUCapsReport
@_exported import QEMUCapsValidator
@_exported import QEMUCapsXML
