import ArgumentParser
import CRMApp
import CRMBench
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

extension Dataset: ExpressibleByArgument {}

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: tr(
      "Measure speed and memory beside the SQLite floor (see docs/benchmarks.md).",
      "Измерить скорость и память рядом с пределом SQLite (см. docs/benchmarks.md)."))
  @Option(
    help: tr(
      "S (10,000 clients), M (100,000) or L (1,000,000).",
      "S (10 000 клиентов), M (100 000) или L (1 000 000).")) var dataset: Dataset?
  @Flag(
    help: tr(
      "Dataset S, fewer repetitions, and a check against bench/baseline.json.",
      "Набор S, меньше повторов и сверка с bench/baseline.json."))
  var quick = false
  @OptionGroup var output: JSONOutput
  @Option(
    help: tr(
      "Random seed of the dataset.",
      "Случайное зерно набора данных.")) var seed: UInt64 = 1
  @Option(
    help: tr(
      "Where datasets are kept (default: $XDG_CACHE_HOME/termcrm/bench).",
      "Где хранить наборы данных (по умолчанию: $XDG_CACHE_HOME/termcrm/bench)."))
  var dir: String?
  @Option(
    help: tr(
      "Baseline ratios to compare with (quick mode).",
      "Базовые отношения для сравнения (быстрый режим).")) var baseline =
    "bench/baseline.json"
  @Flag(
    help: tr(
      "Write this run's ratios as the new baseline.",
      "Записать отношения этого прогона как новую базу.")) var saveBaseline = false
  @Option(
    help: tr(
      "Run only the cases whose names contain this text (e.g. \"funnel\").",
      "Запустить только случаи, чьё имя содержит этот текст (например \"funnel\")."))
  var only: String?
  @Option(help: .hidden) var probeMemory: String?

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    if let path = probeMemory {
      let kb = try MainActor.assumeIsolated { try Benchmark.probeMemory(path: path) }
      print(kb)
      return
    }
    let cache =
      env["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? (env["HOME"] ?? NSHomeDirectory()) + "/.cache"
    let set = dataset ?? (quick ? .small : .medium)
    let options = BenchOptions(
      dataset: set, quick: quick, seed: seed, directory: dir ?? cache + "/termcrm/bench",
      only: only,
      executable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0])
    let report = try MainActor.assumeIsolated {
      try Benchmark(options: options) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        .run()
    }
    print(output.json ? report.json() : report.table())
    if saveBaseline {
      try Baseline(report).save(baseline)
      FileHandle.standardError.write(Data("saved ratios to \(baseline)\n".utf8))
    } else if quick {
      let base = try Baseline.load(baseline)
      let regressions = base.regressions(report)
      if !regressions.isEmpty {
        throw Failure(
          message: "benchmark regressions:\n" + regressions.joined(separator: "\n"), code: 1)
      }
      FileHandle.standardError.write(
        Data("no regression beyond \(Baseline.tolerance)× the baseline ratios\n".utf8))
    }
  }
}
