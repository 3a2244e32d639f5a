// swift-tools-version: 6.0
// An example consumer of qemu-caps as a library: it depends on the QEMUCaps product
// only (capability files, lookup, validation), the way the README shows ("Using it from
// Swift"). scripts/check-example builds it from a directory of another name, with
// QEMU_CAPS_URL naming a copy of this checkout whose URL ends in qemu-caps.git, and checks
// that it links neither nettle nor the launcher.
import PackageDescription

let package = Package(
  name: "qemu-caps-example",
  dependencies: [
    // SwiftPM names the package after the URL's last component: qemu-caps.
    .package(
      url: Context.environment["QEMU_CAPS_URL"] ?? "https://github.com/OWNER/qemu-caps.git",
      branch: Context.environment["QEMU_CAPS_BRANCH"] ?? "main")
  ],
  targets: [
    .executableTarget(
      name: "caps-example",
      dependencies: [.product(name: "QEMUCaps", package: "qemu-caps")],
      swiftSettings: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
      ]
    )
  ]
)
