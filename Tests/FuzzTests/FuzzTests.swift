import Foundation
import FuzzChecks
import Testing

/// The short form of fuzzing, in CI without libFuzzer: every parser gets its seeds, seeded
/// structure-aware mutations of them and random text, each checked for the same properties as
/// the long form (`scripts/fuzz.sh`, see docs/reliability.md). Fixed seeds: a failure here
/// fails the same way every time, and its message shows the input.
@Suite struct FuzzTests {
  /// The repository, from this file's path.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func seeds(_ t: FuzzTarget) throws -> [Data] {
    try FuzzSeeds.files(t).map { try Data(contentsOf: root.appendingPathComponent($0)) }
      + FuzzSeeds.generated(t)
  }

  /// Mutated inputs per target; the whole suite takes a few seconds in a debug build.
  static func budget(_ t: FuzzTarget) -> Int {
    switch t {
    case .search, .toml, .xml: return 150
    case .bank, .csv, .vcard, .xlsx: return 250
    default: return 600
    }
  }

  @Test(arguments: FuzzTarget.allCases)
  func seedsMutationsAndNoiseKeepEveryProperty(_ t: FuzzTarget) throws {
    let seeds = try Self.seeds(t)
    #expect(!seeds.isEmpty)
    var mutator = FuzzMutator(
      seed: 0x7E57_0000 + UInt64(FuzzTarget.allCases.firstIndex(of: t)!), target: t)
    var failures: [String] = []
    func run(_ input: Data) {
      if ProcessInfo.processInfo.environment["FUZZ_TRACE"] == t.rawValue {
        try? input.write(to: URL(fileURLWithPath: "/tmp/fuzz-trace-\(t.rawValue)"))
      }
      do {
        try FuzzChecks.check(t, input)
      } catch {
        if failures.count < 3 {
          failures.append("\(error)\ninput: \(Array(input.prefix(400)).debugDescription)")
        }
      }
    }
    for s in seeds { run(s) }
    let n = Self.budget(t)
    for i in 0..<n {
      let input =
        i % 5 == 4
        ? mutator.noise(count: Int.random(in: 0...200, using: &mutator.random))
        : mutator.mutate(seeds[i % seeds.count], limit: 20_000)
      run(input)
    }
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
  }

  @Test func theMutatorIsDeterministic() {
    var a = FuzzMutator(seed: 42, target: .csv)
    var b = FuzzMutator(seed: 42, target: .csv)
    let seed = Data("name;city\nРомашка;Москва\n".utf8)
    for _ in 0..<20 { #expect(a.mutate(seed) == b.mutate(seed)) }
  }
}
