import Testing

@testable import CRMBench

@Suite struct BenchTests {
  @Test func percentilesUseNearestRank() {
    let s = Stats((1...100).map(Double.init))
    #expect(s.median == 50)
    #expect(s.p95 == 95)
    #expect(s.p99 == 99)
    #expect(s.max == 100)
    #expect(Stats([7]).p99 == 7)
    #expect(Stats([]).median == 0)
  }

  func report(_ ratios: [String: Double]) -> BenchReport {
    BenchReport(
      dataset: .small, seed: 1, clients: 10, persons: 0, contacts: 0, users: 1, machine: "test",
      cases: ratios.map { name, r in
        BenchCase(
          name: name, ours: Stats([r]), bound: Stats([1]), ratio: r, target: 16, unit: "ms",
          value: nil, note: "")
      })
  }

  @Test func baselineFlagsOnlyRatiosMoreThanThreeTimesWorse() {
    let baseline = Baseline(report(["first screen": 4, "search keystroke": 2]))
    #expect(baseline.regressions(report(["first screen": 11.9, "search keystroke": 1])).isEmpty)
    let bad = baseline.regressions(report(["first screen": 12.5, "search keystroke": 2]))
    #expect(bad.count == 1)
    #expect(bad.first?.hasPrefix("first screen") == true)
    var other = report([:])
    other.dataset = .medium
    #expect(!baseline.regressions(other).isEmpty)
  }

  @Test func tableShowsTargetsAndVerdicts() {
    var r = report(["first screen": 2])
    r.cases += Benchmark.notBuiltYet(.medium)
    let table = r.table()
    #expect(table.contains("first screen"))
    #expect(table.contains("2.0×"))
    #expect(table.contains("ok"))
    // Every case of the issues is built now: nothing is listed as missing.
    #expect(Benchmark.notBuiltYet(.medium).isEmpty)
    #expect(!table.contains("not built yet"))
  }
}
