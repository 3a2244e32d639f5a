// swift-tools-version: 6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 mode is the default for this
/// tools version; these upcoming features keep the code explicit.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// Debug builds (and so `swift test`) can make system calls fail in one test
/// (`FaultInjection`); release builds have no trace of it.
let faultInjection: [SwiftSetting] = [.define("QEMU_CAPS_FAULT_INJECTION", .when(configuration: .debug))]

let package = Package(
  name: "qemu-caps",
  // Linux only: the system call layer is written against Glibc.
  products: [
    .executable(name: "qemu-caps", targets: ["qemu-caps"]),
    // Capability files: model, read/write, index and lookup, diff, validator.
    // Starts no process, hashes nothing: links neither nettle nor the launcher.
    .library(name: "QEMUCaps", targets: ["QEMUCaps"]),
    // Probing a QEMU binary, recording and replay, the probe cache. Includes QEMUCaps.
    .library(name: "QEMUCapsProbe", targets: ["QEMUCapsProbe"]),
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
    // Raw system calls, behind one seam.
    .target(
      name: "QEMUCapsSystem",
      swiftSettings: swiftSettings + faultInjection
    ),
    // Files: size-limited reads, atomic and `>`-like output, the private cache directory
    // and its lock, input tracking, temporary files.
    .target(
      name: "QEMUCapsFiles",
      dependencies: ["QEMUCapsSystem"],
      swiftSettings: swiftSettings
    ),
    // Starting QEMU: vfork, then in the child its own process group and PR_SET_PDEATHSIG
    // (posix_spawn has no attribute for the latter), then exec; in C, as the child may only
    // make async-signal-safe calls (spawn.c says why).
    .target(name: "CQEMUCapsSpawn"),
    // JSON → QMP
    .target(
      name: "QEMUCapsQMP",
      dependencies: [
        "QEMUCapsJSON",
        "QEMUCapsModel",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    // QMP → a real QEMU process
    .target(
      name: "QEMUCapsLauncher",
      dependencies: [
        "CQEMUCapsSpawn",
        "QEMUCapsJSON",
        "QEMUCapsModel",
        "QEMUCapsQMP",
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
      dependencies: ["CLibXML2", "QEMUCapsModel", "QEMUCapsFiles"],
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
      dependencies: ["QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsJSON"],
      swiftSettings: swiftSettings
    ),
    // capability files → index and lookup, diff
    .target(
      name: "QEMUCapsLookup",
      dependencies: ["QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsXML", "QEMUCapsFiles", "QEMUCapsSystem"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "QEMUCapsDiff",
      dependencies: ["QEMUCapsModel", "QEMUCapsJSON"],
      swiftSettings: swiftSettings
    ),
    // capability model → machine list and capability matrix (Markdown, HTML)
    .target(
      name: "QEMUCapsReport",
      dependencies: ["QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsJSON", "QEMUCapsXML"],
      swiftSettings: swiftSettings
    ),
    // validator → libvirt-ready domain XML
    .target(
      name: "QEMUCapsConvert",
      dependencies: ["QEMUCapsValidator", "QEMUCapsModel", "QEMUCapsXML", "QEMUCapsSystem"],
      swiftSettings: swiftSettings
    ),
    // The QEMUCaps product: re-exports the modules above. Nothing here spawns or hashes.
    .target(
      name: "QEMUCaps",
      dependencies: [
        "QEMUCapsModel", "QEMUCapsXML", "QEMUCapsCapabilityFiles", "QEMUCapsLookup",
        "QEMUCapsDiff", "QEMUCapsValidator", "QEMUCapsReport", "QEMUCapsConvert",
      ],
      swiftSettings: swiftSettings
    ),
    // QEMUCaps + QMP + launcher → probe, recording, probe cache (the QEMUCapsProbe product)
    .systemLibrary(
      name: "CNettle",
      pkgConfig: "nettle",
      providers: [.apt(["nettle-dev"])]
    ),
    .target(
      name: "QEMUCapsProbe",
      dependencies: [
        "CNettle",
        "QEMUCaps",
        "QEMUCapsJSON",
        "QEMUCapsQMP",
        "QEMUCapsLauncher",
        "QEMUCapsLookup",
        "QEMUCapsModel",
        "QEMUCapsCapabilityFiles",
        "QEMUCapsXML",
        "QEMUCapsFiles",
        "QEMUCapsSystem",
        .product(name: "Logging", package: "swift-log"),
      ],
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
        "QEMUCapsFiles",
        "QEMUCapsSystem",
        "QEMUCapsValidator",
        "QEMUCapsXML",
        "QEMUCapsLookup",
        "QEMUCapsDiff",
        "QEMUCapsReport",
        "QEMUCapsConvert",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings
    ),
    // Library throughput figures for scripts/bench.
    .executableTarget(
      name: "qemu-caps-bench",
      dependencies: ["QEMUCaps", "QEMUCapsJSON"],
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
    // Runs a command as a child subreaper (libvirt's embedded driver in tests).
    .executableTarget(
      name: "qemu-caps-test-reaper",
      dependencies: ["CTestSupport"],
      path: "Tests/Reaper",
      swiftSettings: swiftSettings
    ),
    .target(
      name: "QEMUCapsTestSupport",
      dependencies: [
        "CTestSupport",
        "QEMUCapsJSON",
        "QEMUCapsModel",
        "QEMUCapsQMP",
      ],
      path: "Tests/QEMUCapsTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsSystemTests",
      dependencies: ["QEMUCapsSystem", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings + faultInjection
    ),
    .testTarget(
      name: "QEMUCapsFilesTests",
      dependencies: ["QEMUCapsFiles", "QEMUCapsSystem", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings + faultInjection
    ),
    .testTarget(
      name: "QEMUCapsXMLTests",
      dependencies: ["QEMUCapsXML", "QEMUCapsSystem", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings + faultInjection
    ),
    .testTarget(
      name: "QEMUCapsModelTests",
      dependencies: ["QEMUCapsModel"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsJSONTests",
      dependencies: ["QEMUCapsJSON", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsQMPTests",
      dependencies: [
        "QEMUCapsQMP", "QEMUCapsJSON", "QEMUCapsModel", "QEMUCapsTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsLauncherTests",
      dependencies: [
        "QEMUCapsLauncher", "QEMUCapsQMP", "QEMUCapsJSON", "QEMUCapsModel", "QEMUCapsSystem", "QEMUCapsTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings + faultInjection
    ),
    .testTarget(
      name: "QEMUCapsCapabilityFilesTests",
      dependencies: [
        "QEMUCapsCapabilityFiles", "QEMUCapsModel", "QEMUCapsXML", "QEMUCapsJSON", "QEMUCapsTestSupport",
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsProbeTests",
      dependencies: [
        "QEMUCapsProbe", "QEMUCapsLookup", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsQMP",
        "QEMUCapsJSON", "QEMUCapsLauncher", "QEMUCapsSystem", "QEMUCapsTestSupport",
        .product(name: "Logging", package: "swift-log"),
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
        "QEMUCapsLookup", "QEMUCapsModel", "QEMUCapsSystem", "QEMUCapsTestSupport",
      ],
      swiftSettings: swiftSettings + faultInjection
    ),
    .testTarget(
      name: "QEMUCapsDiffTests",
      dependencies: ["QEMUCapsDiff", "QEMUCapsLookup", "QEMUCapsModel", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsReportTests",
      dependencies: ["QEMUCapsReport", "QEMUCapsModel", "QEMUCapsLookup", "QEMUCapsJSON", "QEMUCapsTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsConvertTests",
      dependencies: [
        "QEMUCapsConvert", "QEMUCapsValidator", "QEMUCapsModel", "QEMUCapsCapabilityFiles", "QEMUCapsTestSupport",
      ],
      exclude: ["Corpus"],
      swiftSettings: swiftSettings
    ),
    // The public API of the library modules against a checked-in list.
    .testTarget(
      name: "QEMUCapsAPITests",
      dependencies: ["QEMUCaps", "QEMUCapsProbe", "QEMUCapsTestSupport"],
      exclude: ["public-api.txt"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "QEMUCapsCLITests",
      dependencies: [
        "QEMUCapsJSON", "QEMUCapsCapabilityFiles", "QEMUCapsModel", "QEMUCapsTestSupport",
      ],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
  ]
)

// libFuzzer harnesses (scripts/fuzz): a target only when QEMU_CAPS_FUZZ=1, so that
// `swift build` and `swift test` never see it (it has no `main`: libFuzzer provides one,
// linked by `--sanitize fuzzer`). It is part of this package because it drives parsers
// that are `package` API (JSON, QMP framing, the domain reader).
if Context.environment["QEMU_CAPS_FUZZ"] == "1" {
  package.targets.append(
    .executableTarget(
      name: "qemu-caps-fuzz",
      dependencies: [
        "QEMUCapsCapabilityFiles", "QEMUCapsJSON", "QEMUCapsModel", "QEMUCapsQMP", "QEMUCapsValidator",
      ],
      path: "Fuzz/Sources/qemu-caps-fuzz",
      swiftSettings: swiftSettings
    )
  )
}
