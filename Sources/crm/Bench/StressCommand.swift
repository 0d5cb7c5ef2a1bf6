import ArgumentParser
import CRMBench
import CRMCore
import Foundation

/// Harnesses that try to break the database: not for daily use, so hidden from `crm --help`
/// (docs/reliability.md describes them).
struct Stress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stress",
    abstract:
      tr(
        "Reliability harnesses: kill writers mid-write, many editors at once (docs/reliability.md).",
        "Проверки надёжности: убивать пишущих на полуслове, много редакторов сразу (docs/reliability.md)."
      ),
    shouldDisplay: false,
    subcommands: [StressCrash.self, StressConcurrency.self, StressConcurrencyWorker.self])
}

struct StressCrash: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crash",
    abstract: tr(
      "Kill writers (imports, edits, merges, handovers, bulk changes) with SIGKILL at "
        + "random moments and check the database after every kill.",
      "Убивать пишущих (импорт, правки, слияния, передачи, массовые изменения) сигналом SIGKILL "
        + "в случайные моменты и проверять базу после каждого убийства."),
    discussion: tr(
      """
      Runs in a scratch folder (never your database): seeds demo clients, then starts this crm \\
      binary on real commands and kills each after a random delay. After every run the \\
      database is opened as the next user would open it and checked: integrity_check, \\
      foreign_key_check, the search index against the tables, the client counter, and that the \\
      operation is all or nothing. Exit 0 when every check passed, 1 otherwise.
      """,
      """
      Работает во временной папке (никогда не в вашей базе): создаёт демо-клиентов, затем запускает \
      этот crm на настоящих командах и убивает каждый после случайной задержки. После каждого запуска \
      база открывается так, как открыл бы её следующий пользователь, и проверяется: integrity_check, \
      foreign_key_check, поисковый индекс против таблиц, счётчик клиентов и что операция прошла \
      целиком или не прошла совсем. Код 0, если все проверки прошли, иначе 1.
      """))
  @Option(
    help: tr(
      "How many SIGKILLs to deliver.",
      "Сколько раз послать SIGKILL.")) var kills = 200
  @Option(
    help: tr(
      "Random seed: the same seed plans the same operations.",
      "Случайное зерно: одно зерно планирует одни и те же операции.")) var seed: UInt64 = 1
  @Option(
    help: tr(
      "Demo clients to start with.",
      "Сколько демо-клиентов в начале.")) var clients = 2_000
  @Option(
    help: tr(
      "The largest CSV an import run brings.",
      "Самый большой CSV, который приносит запуск импорта.")) var importRows = 3_000
  @Option(
    help: tr(
      "Scratch folder (default: a new one under the temporary folder).",
      "Временная папка (по умолчанию: новая во временной папке системы)."))
  var folder: String?
  @Flag(
    help: tr(
      "Keep the scratch folder afterwards.",
      "Оставить временную папку после работы.")) var keep = false
  @Flag(
    help: tr(
      "The report as JSON.",
      "Отчёт в JSON.")) var json = false

  func run() throws {
    let binary =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    let scratch =
      folder ?? NSTemporaryDirectory() + "/crm-crash-\(getpid())-\(UInt32.random(in: 0...9999))"
    let quiet = json
    let harness = CrashHarness(
      .init(
        binary: binary, folder: scratch, kills: kills, seed: seed, clients: clients,
        importRows: importRows,
        log: { line in if !quiet { FileHandle.standardError.write(Data("\(line)\n".utf8)) } }))
    let report: CrashHarness.Report
    do { report = try harness.run() } catch {
      throw Failure(message: "crash harness: \(error)", code: 1)
    }
    if !keep && folder == nil { try? FileManager.default.removeItem(atPath: scratch) }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
      print(Self.text(report))
    }
    if !report.ok { throw ExitCode(1) }
  }

  static func text(_ r: CrashHarness.Report) -> String {
    var lines = [
      "crash harness: \(r.kills) kills in \(r.runs) runs, \(String(format: "%.0f", r.seconds)) s, "
        + "seed \(r.seed)",
      "operation     runs  killed  before-commit  mid-write  after-commit  finished  median ms",
    ]
    for (name, s) in r.operations.sorted(by: { $0.key < $1.key }) {
      lines.append(
        name.padding(toLength: 12, withPad: " ", startingAt: 0)
          + String(
            format: "%6d  %6d  %13d  %9d  %12d  %8d  %9.0f", s.runs, s.killed,
            s.killedBeforeCommit, s.killedMidWrite, s.killedAfterCommit, s.finished, s.medianMs))
    }
    lines.append(
      "checks: \(r.checks) after runs, \(r.fullIndexChecks) full search-index comparisons; "
        + "\(r.liveClientsAtEnd) live clients, \(r.databaseBytes / 1_048_576) MiB at the end")
    if r.problems.isEmpty {
      lines.append(
        "every check passed: integrity, foreign keys, search index, counter, all-or-nothing")
    } else {
      lines.append("PROBLEMS (\(r.problems.count)):")
      lines += r.problems.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }
}
