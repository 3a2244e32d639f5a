// swift-tools-version: 6.0
// libFuzzer harnesses for qemu-caps, kept in their own package so that the main
// package's `swift build` / `swift test` never see them. Build and run them with
// scripts/fuzz (`--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address`, see its
// header); a build without --sanitize fuzzer fails to link: libFuzzer provides `main`.
import PackageDescription

// SwiftPM names a path dependency after its directory, which is whatever the
// checkout of qemu-caps happens to be called ("qemu-caps", "main", ...).
let qemuCaps = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "qemu-caps").lowercased()
// The harnesses drive parsers that are `package` API of qemu-caps (JSON, QMP framing, the
// domain reader), not public: compile them as members of that package, whose name is
// SwiftPM's identity with every character other than a letter or digit made `_`.
let qemuCapsPackageName = String(qemuCaps.map { $0.isLetter || $0.isNumber ? $0 : "_" })

let package = Package(
  name: "qemu-caps-fuzz",
  dependencies: [
    .package(path: "..")
  ],
  targets: [
    .executableTarget(
      name: "qemu-caps-fuzz",
      dependencies: [
        // QEMUCaps for files and the validator; QEMUCapsProbe for the QMP framing.
        .product(name: "QEMUCaps", package: qemuCaps),
        .product(name: "QEMUCapsProbe", package: qemuCaps),
      ],
      swiftSettings: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .unsafeFlags(["-package-name", qemuCapsPackageName]),
      ]
    )
  ]
)
