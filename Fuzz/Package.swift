// swift-tools-version:6.0
// The libFuzzer binary. Not part of the main package's build or CI: scripts/fuzz.sh builds it
// with `-sanitize=fuzzer,address` (libFuzzer supplies `main`, hence `-parse-as-library`).
import PackageDescription

let package = Package(
  name: "TermCRMFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [.package(name: "TermCRM", path: "..")],
  targets: [
    .executableTarget(
      name: "FuzzCRM",
      dependencies: [.product(name: "FuzzChecks", package: "TermCRM")])
  ]
)
