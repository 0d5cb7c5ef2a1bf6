// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "TermCRM",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "crm", targets: ["crm"]),
    // For the fuzzing package in Fuzz/ (scripts/fuzz.sh), which can only use products.
    .library(name: "FuzzChecks", targets: ["FuzzChecks"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
  ],
  targets: [
    // No pkgConfig: `pkg-config ncursesw` adds -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600, which
    // SwiftPM rejects with a warning on every build; the module map links what it needs.
    .systemLibrary(
      name: "CNCurses",
      providers: [.apt(["libncursesw5-dev"])]
    ),
    .target(name: "TerminalUI", dependencies: ["CNCurses"]),
    .target(
      name: "CRMCore",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        // The C API for the classification's one pass over a million payments.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]),
    .target(
      name: "CRMExchange",
      dependencies: ["CRMCore", .product(name: "TOMLKit", package: "TOMLKit")]
    ),
    .target(name: "CRMApp", dependencies: ["CRMCore", "TerminalUI"]),
    .target(
      name: "CRMBench",
      dependencies: [
        "CRMApp", "CRMCore", "CRMExchange", "TerminalUI",
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    .executableTarget(
      name: "crm",
      dependencies: [
        "CRMApp", "CRMBench", "CRMExchange", "CRMCore", "TerminalUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The fuzzers' properties, shared by Fuzz/ (libFuzzer) and FuzzTests (seeded, in CI).
    .target(name: "FuzzChecks", dependencies: ["CRMCore", "CRMExchange"]),
    .testTarget(name: "FuzzTests", dependencies: ["FuzzChecks", "CRMCore", "CRMExchange"]),
    // Helpers the test targets share: acting as a user the way the CLI and the interface do.
    .target(name: "TestSupport", dependencies: ["CRMCore"], path: "Tests/TestSupport"),
    .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore", "TestSupport"]),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
    .testTarget(
      name: "CRMExchangeTests", dependencies: ["CRMExchange", "TerminalUI", "TestSupport"],
      exclude: ["Golden", "Fixtures"]),
    .testTarget(
      name: "CRMAppTests", dependencies: ["CRMApp", "TerminalUI", "CRMCore", "TestSupport"]),
    .testTarget(name: "CRMBenchTests", dependencies: ["CRMBench", "CRMCore", "TestSupport"]),
    .testTarget(name: "EndToEndTests", dependencies: ["crm", "CRMExchange", "TestSupport"]),
  ]
)
