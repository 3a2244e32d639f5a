// swift-tools-version: 6.0
// An example consumer of qemu-caps as a library: it depends on the QEMUCaps product
// only (capability files, lookup, validation), by path. scripts/test builds and runs it
// and checks that it links neither nettle nor the launcher (scripts/check-example).
import PackageDescription

// SwiftPM names a path dependency after its directory, which is whatever the
// checkout of qemu-caps happens to be called ("qemu-caps", "main", ...).
let qemuCaps = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "qemu-caps").lowercased()

let package = Package(
  name: "qemu-caps-example",
  dependencies: [
    .package(path: "..")
  ],
  targets: [
    .executableTarget(
      name: "caps-example",
      dependencies: [.product(name: "QEMUCaps", package: qemuCaps)],
      swiftSettings: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
      ]
    )
  ]
)
