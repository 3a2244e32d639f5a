// swift-tools-version: 6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 mode is the default for this
/// tools version; these upcoming features keep the code explicit.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "qemu-caps",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "qemu-caps", targets: ["qemu-caps"]),
    .library(name: "QEMUCapsJSON", targets: ["QEMUCapsJSON"]),
    .library(name: "QEMUCapsQMP", targets: ["QEMUCapsQMP"]),
    .library(name: "QEMUCapsLauncher", targets: ["QEMUCapsLauncher"]),
    .library(name: "QEMUCapsModel", targets: ["QEMUCapsModel"]),
    .library(name: "QEMUCapsCapabilityFiles", targets: ["QEMUCapsCapabilityFiles"]),
    .library(name: "QEMUCapsProbe", targets: ["QEMUCapsProbe"]),
    .library(name: "QEMUCapsValidator", targets: ["QEMUCapsValidator"]),
    .library(name: "QEMUCapsLookup", targets: ["QEMUCapsLookup"]),
    .library(name: "QEMUCapsDiff", targets: ["QEMUCapsDiff"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // C shim → JSON
    .systemLibrary(
      name: "CJSONC",
      pkgConfig: "json-c",
      providers: [.apt(["libjson-c-dev"])]
    ),
    .target(
      name: "QEMUCapsJSON",
      dependencies: ["CJSONC"],
      swiftSettings: swiftSettings
    ),
    // fork/exec with PR_SET_PDEATHSIG and a process group (posix_spawn cannot).
    .target(name: "CQEMUCapsSpawn"),
    // Raw system calls, behind one seam.
    .target(
      name: "QEMUCapsSystem",
      dependencies: ["CQEMUCapsSpawn"],
      swiftSettings: swiftSettings
    ),
    // JSON → QMP
    .target(
      name: "QEMUCapsQMP",
      dependencies: [
        "QEMUCapsJSON",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    // QMP → a real QEMU process
    .target(
      name: "QEMUCapsLauncher",
      dependencies: [
        "QEMUCapsJSON",
        "QEMUCapsQMP",
        "QEMUCapsSystem",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    // probe → capability model → files
    .systemLibrary(
      name: "CNettle",
      pkgConfig: "nettle",
      providers: [.apt(["nettle-dev"])]
    ),
    .target(
      name: "QEMUCapsProbe",
      dependencies: [
        "CNettle",
        "QEMUCapsJSON",
        "QEMUCapsQMP",
        "QEMUCapsLauncher",
        "QEMUCapsModel",
        "QEMUCapsSystem",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "QEMUCapsModel",
      swiftSettings: swiftSettings
    ),
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    .target(
      name: "QEMUCapsXML",
      dependencies: ["CLibXML2"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "QEMUCapsCapabilityFiles",
      dependencies: ["QEMUCapsModel", "QEMUCapsXML", "QEMUCapsJSON"],
      swiftSettings: swiftSettings
    ),
    // capability model → validator
    .target(
      name: "QEMUCapsValidator",
      dependencies: ["QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsJSON", "QEMUCapsSystem"],
      swiftSettings: swiftSettings
    ),
    // capability model → lookup, probe cache, diff
    .target(
      name: "QEMUCapsLookup",
      dependencies: [
        "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsJSON", "QEMUCapsSystem",
        "QEMUCapsProbe", "QEMUCapsLauncher", .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "QEMUCapsDiff",
      dependencies: ["QEMUCapsModel", "QEMUCapsJSON"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "qemu-caps",
      dependencies: [
        "QEMUCapsJSON",
        "QEMUCapsQMP",
        "QEMUCapsLauncher",
        "QEMUCapsModel",
        "QEMUCapsProbe",
        "QEMUCapsCapabilityFiles",
        "QEMUCapsSystem",
        "QEMUCapsValidator",
        "QEMUCapsXML",
        "QEMUCapsLookup",
        "QEMUCapsDiff",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    // Library throughput figures for scripts/bench.
    .executableTarget(
      name: "qemu-caps-bench",
      dependencies: ["QEMUCapsLookup", "QEMUCapsValidator", "QEMUCapsModel", "QEMUCapsCapabilityFiles"],
      path: "Benchmarks/qemu-caps-bench",
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "qemu-caps-fake-qemu",
      path: "Tests/FakeQEMU",
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CTestSupport",
      path: "Tests/CTestSupport"
    ),
    .target(
      name: "QEMUCapsTestSupport",
      dependencies: [
        "CTestSupport",
        "QEMUCapsJSON",
        "QEMUCapsQMP",
        "QEMUCapsSystem",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/QEMUCapsTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsJSONTests",
      dependencies: ["QEMUCapsJSON"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsQMPTests",
      dependencies: ["QEMUCapsQMP", "QEMUCapsJSON", "QEMUCapsTestSupport"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsLauncherTests",
      dependencies: ["QEMUCapsLauncher", "QEMUCapsQMP", "QEMUCapsJSON", "QEMUCapsSystem", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsProbeTests",
      dependencies: [
        "QEMUCapsProbe", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsJSON",
        "QEMUCapsLauncher", "QEMUCapsTestSupport",
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsValidatorTests",
      dependencies: [
        "QEMUCapsValidator", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsJSON",
        "QEMUCapsTestSupport",
      ],
      exclude: ["Corpus", "Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsLookupTests",
      dependencies: [
        "QEMUCapsLookup", "QEMUCapsDiff", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsProbe",
        "QEMUCapsTestSupport",
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsReliabilityTests",
      dependencies: [
        "QEMUCapsProbe", "QEMUCapsLauncher", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsJSON",
        "QEMUCapsXML", "QEMUCapsValidator", "QEMUCapsTestSupport",
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsCLITests",
      dependencies: ["QEMUCapsJSON", "QEMUCapsSystem", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings
    ),
  ]
)
