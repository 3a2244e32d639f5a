// swift-tools-version: 6.0
// libFuzzer harnesses for qemu-caps, kept in their own package so that the main
// package's `swift build` / `swift test` never see them. Build and run them with
// scripts/fuzz (`--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address`, see its
// header); a build without --sanitize fuzzer fails to link: libFuzzer provides `main`.
import PackageDescription

// SwiftPM names a path dependency after its directory, which is whatever the
// checkout of qemu-caps happens to be called ("qemu-caps", "main", ...).
let qemuCaps = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "qemu-caps").lowercased()

let package = Package(
  name: "qemu-caps-fuzz",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(path: "..")
  ],
  targets: [
    .executableTarget(
      name: "qemu-caps-fuzz",
      dependencies: [
        .product(name: "QEMUCapsJSON", package: qemuCaps),
        .product(name: "QEMUCapsQMP", package: qemuCaps),
        .product(name: "QEMUCapsCapabilityFiles", package: qemuCaps),
        .product(name: "QEMUCapsValidator", package: qemuCaps),
      ],
      swiftSettings: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
      ]
    )
  ]
)
