import CRMCore
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// Kills writers with SIGKILL at random moments and checks the database after every kill.
///
/// The writers are the real `crm` binary running real commands — a CSV import, an edit, a merge,
/// a handover, a bulk change, an import undo — on a scratch database. Each is started, killed
/// after a random delay (uniform over its usual running time, so kills land before, during and
/// after the transaction), and then the database is opened as the next user would open it
/// (SQLite recovers the WAL) and checked: `PRAGMA integrity_check`, `foreign_key_check`, the
/// search index against the tables (presence for every client, text for the clients the
/// operation touched), the client counter, and the operation's own all-or-nothing rule — every
/// row it would write is there, or none is.
public struct CrashHarness: Sendable {
  public struct Options: Sendable {
    /// The `crm` binary that runs the writers.
    public var binary: String
    /// A scratch folder (created; the database and import files go there).
    public var folder: String
    public var kills: Int
    public var seed: UInt64
    public var clients: Int
    /// The largest CSV an import run brings (runs bring a tenth of it up to all of it).
    public var importRows: Int
    /// Every how many kills the whole search index's text is compared (0: only at the end).
    public var fullCheckEvery: Int
    public var log: @Sendable (String) -> Void

    public init(
      binary: String, folder: String, kills: Int = 200, seed: UInt64 = 1, clients: Int = 2_000,
      importRows: Int = 3_000, fullCheckEvery: Int = 50,
      log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
      self.binary = binary
      self.folder = folder
      self.kills = kills
      self.seed = seed
      self.clients = clients
      self.importRows = max(10, importRows)
      self.fullCheckEvery = fullCheckEvery
      self.log = log
    }
  }

  /// What happened to one kind of operation.
  public struct OperationStats: Codable, Sendable, Equatable {
    /// Times the operation was started.
    public var runs = 0
    /// Runs ended by SIGKILL.
    public var killed = 0
    /// Killed runs whose change was found whole afterwards (the kill came after the commit).
    public var killedAfterCommit = 0
    /// Killed runs that left no trace of their change.
    public var killedBeforeCommit = 0
    /// Of those, runs killed after they had written pages of their transaction to the WAL.
    public var killedMidWrite = 0
    /// Runs that finished on their own before the kill came.
    public var finished = 0
    /// Median running time of the runs that finished, in milliseconds.
    public var medianMs = 0.0
  }

  public struct Report: Codable, Sendable {
    public var kills = 0
    public var runs = 0
    public var seconds = 0.0
    public var operations: [String: OperationStats] = [:]
    /// Checks made (one after every run, plus the full ones).
    public var checks = 0
    public var fullIndexChecks = 0
    public var problems: [String] = []
    public var liveClientsAtEnd = 0
    public var databaseBytes: Int64 = 0
    public var seed: UInt64 = 0
    public var ok: Bool { problems.isEmpty }
  }

  public let options: Options
  public init(_ options: Options) { self.options = options }

  /// A planned run: the command's arguments, and how to judge the database afterwards.
  struct Planned {
    var name: String
    var arguments: [String]
    /// Clients whose search-index text must be compared afterwards.
    var touched: (Database) throws -> [Int64]
    /// Applied in full, not at all, or a problem (a half-applied change).
    var verdict: (Database) throws -> Verdict
  }

  enum Verdict: Equatable {
    case applied
    case notApplied
    case broken(String)
  }

  var database: String { options.folder + "/crash.sqlite" }

  public func run() throws -> Report {
    let started = Date()
    var report = Report()
    report.seed = options.seed
    var rng = SeededRandom(seed: options.seed)
    try FileManager.default.createDirectory(
      atPath: options.folder, withIntermediateDirectories: true)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: database + suffix)
    }
    options.log("seeding \(options.clients) demo clients into \(database)")
    let seeded = try spawn(
      ["demo", "--clients", String(options.clients), "--seed", String(options.seed)],
      killAfter: nil)
    guard seeded.status == 0 else {
      throw CRMError.other("crm demo failed (exit \(seeded.status)): \(seeded.output)")
    }
    var durations: [String: [Double]] = [:]
    var index = 0
    while report.kills < options.kills {
      index += 1
      let planned = try plan(index: index, rng: &rng)
      var stats = report.operations[planned.name] ?? OperationStats()
      stats.runs += 1
      report.runs += 1
      // The first run of each kind is not killed: it measures how long the kind takes.
      let known = durations[planned.name] ?? []
      let delay: Double? =
        known.isEmpty ? nil : Double.random(in: 0...(median(known) * 1.25), using: &rng)
      let result = try spawn(planned.arguments, killAfter: delay)
      let verdict = try check(planned, report: &report)
      if result.killed {
        report.kills += 1
        stats.killed += 1
        switch verdict {
        case .applied: stats.killedAfterCommit += 1
        case .notApplied:
          stats.killedBeforeCommit += 1
          if result.walBytes > 0 { stats.killedMidWrite += 1 }
        case .broken: break
        }
        if options.fullCheckEvery > 0 && report.kills % options.fullCheckEvery == 0 {
          try fullCheck(&report)
        }
      } else {
        stats.finished += 1
        durations[planned.name, default: []].append(result.seconds)
        if result.status != 0 {
          report.problems.append(
            "\(planned.name) run \(index) failed without a kill (exit \(result.status)): "
              + result.output.prefix(300))
        } else if verdict == .notApplied {
          report.problems.append("\(planned.name) run \(index) finished but changed nothing")
        }
      }
      if case .broken(let why) = verdict {
        report.problems.append("\(planned.name) run \(index): \(why)")
      }
      stats.medianMs = (durations[planned.name].map(median) ?? 0) * 1000
      report.operations[planned.name] = stats
      if report.runs % 20 == 0 {
        options.log("\(report.kills) kills, \(report.runs) runs, \(report.problems.count) problems")
      }
      if report.problems.count >= 20 { break }
    }
    try fullCheck(&report)
    let db = try CRMDatabase(path: database)
    report.liveClientsAtEnd = try db.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM client WHERE deleted_at IS NULL") ?? 0
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size]) as? NSNumber
    report.databaseBytes = size?.int64Value ?? 0
    report.seconds = Date().timeIntervalSince(started)
    return report
  }

  // MARK: - Checking

  /// Opens the database as the next user would and runs the checks for one run.
  func check(_ planned: Planned, report: inout Report) throws -> Verdict {
    let db = try CRMDatabase(path: database)
    report.checks += 1
    let (problems, _) = try db.check()
    for p in problems { report.problems.append("after \(planned.name): \(p)") }
    let touched = try db.read { try planned.touched($0) }
    for p in try db.checkSearchIndex(clientIds: touched) {
      report.problems.append("after \(planned.name): \(p)")
    }
    return try db.read { try planned.verdict($0) }
  }

  func fullCheck(_ report: inout Report) throws {
    let db = try CRMDatabase(path: database)
    report.fullIndexChecks += 1
    for p in try db.checkSearchIndex() { report.problems.append("full check: \(p)") }
  }

  // MARK: - Operations

  func plan(index: Int, rng: inout SeededRandom) throws -> Planned {
    let db = try CRMDatabase(path: database)
    return try db.read { db in
      switch index % 7 {
      case 0, 1: return try importCSV(db, index: index, rng: &rng)
      case 2: return try edit(db, index: index, rng: &rng)
      case 3: return try merge(db, index: index, rng: &rng) ?? edit(db, index: index, rng: &rng)
      case 4:
        return try handover(db, index: index, rng: &rng) ?? edit(db, index: index, rng: &rng)
      case 5: return try bulkTag(db, index: index, rng: &rng)
      default:
        return try importUndo(db, index: index, rng: &rng)
          ?? importCSV(db, index: index, rng: &rng)
      }
    }
  }

  static func count(_ db: Database, _ sql: String, _ arguments: StatementArguments = [])
    throws -> Int
  {
    try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
  }

  static func randomLiveClient(_ db: Database, rng: inout SeededRandom, kind: String? = nil)
    throws -> Int64?
  {
    let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM client") ?? 0
    guard maxId > 0 else { return nil }
    let from = Int64.random(in: 1...maxId, using: &rng)
    let sameKind = kind == nil ? "" : " AND kind = ?"
    let extra: StatementArguments = kind.map { [$0] } ?? []
    return try Int64.fetchOne(
      db,
      sql:
        "SELECT id FROM client WHERE id >= ? AND deleted_at IS NULL\(sameKind) ORDER BY id LIMIT 1",
      arguments: [from] + extra)
      ?? Int64.fetchOne(
        db, sql: "SELECT min(id) FROM client WHERE deleted_at IS NULL\(sameKind)", arguments: extra)
  }

  /// A CSV of new clients: all of them are there afterwards with their batch, or none.
  func importCSV(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned {
    let rows = Int.random(in: options.importRows / 10...options.importRows, using: &rng)
    let file = "\(options.folder)/import-\(index).csv"
    var text = "Название;Город;Телефон;E-mail;Заметки\n"
    for j in 1...rows {
      text +=
        "Crash \(index)-\(j) Рога и копыта;Казань;+7 9\(String(format: "%02d", index % 100))"
        + " \(String(format: "%07d", j));c\(index)-\(j)@example.ru;строка \(j)\n"
    }
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let pattern = "Crash \(index)-%"
    let fileName = "import-\(index).csv"
    return Planned(
      name: "import",
      arguments: ["import", "csv", file, "--on-duplicate", "create"],
      touched: { db in
        try Int64.fetchAll(
          db, sql: "SELECT id FROM client WHERE name LIKE ? ORDER BY id LIMIT 50",
          arguments: [pattern])
      },
      verdict: { db in
        let live = try Self.count(
          db, "SELECT count(*) FROM client WHERE name LIKE ?", [pattern])
        let batches = try Self.count(
          db, "SELECT count(*) FROM import_batch WHERE file_name = ?", [fileName])
        let phones = try Self.count(
          db,
          "SELECT count(*) FROM phone WHERE client_id IN (SELECT id FROM client WHERE name LIKE ?)",
          [pattern])
        if live == rows && batches == 1 && phones == rows { return .applied }
        if live == 0 && batches == 0 && phones == 0 { return .notApplied }
        return .broken(
          "import of \(rows) rows left \(live) clients, \(phones) phones, \(batches) batches")
      })
  }

  /// One client's notes and phones: both with their audit rows, or nothing.
  func edit(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned {
    guard let id = try Self.randomLiveClient(db, rng: &rng) else {
      throw CRMError.other("no live client to edit")
    }
    let notes = "crash edit \(index)"
    let phone = "+7 998 \(String(format: "%07d", index))"
    let changes = try Self.count(
      db, "SELECT count(*) FROM change_set WHERE entity = 'client' AND entity_id = ?", [id])
    return Planned(
      name: "edit",
      arguments: ["client", "edit", String(id), "--notes", notes, "--phone", phone],
      touched: { _ in [id] },
      verdict: { db in
        let noted = try Self.count(
          db, "SELECT count(*) FROM client WHERE id = ? AND notes = ?", [id, notes])
        let phoned = try Self.count(
          db, "SELECT count(*) FROM phone WHERE client_id = ? AND person_id IS NULL AND raw = ?",
          [id, phone])
        let now = try Self.count(
          db, "SELECT count(*) FROM change_set WHERE entity = 'client' AND entity_id = ?", [id])
        if noted == 1 && phoned == 1 && now == changes + 1 { return .applied }
        if noted == 0 && phoned == 0 && now == changes { return .notApplied }
        return .broken(
          "edit of client \(id): notes \(noted), phone \(phoned), changes \(changes)→\(now)")
      })
  }

  /// Two live clients: the duplicate is in the trash with everything moved and a merge log
  /// row, or both are as they were.
  func merge(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned? {
    // Duplicates are of one kind: merging a company into a person is refused (its КПП), which
    // would be a refusal, not a crash, to judge.
    guard let keep = try Self.randomLiveClient(db, rng: &rng),
      let kind = try String.fetchOne(
        db, sql: "SELECT kind FROM client WHERE id = ?", arguments: [keep]),
      let other = try Self.randomLiveClient(db, rng: &rng, kind: kind), keep != other
    else { return nil }
    func owned(_ db: Database, _ id: Int64) throws -> [Int] {
      [
        try Self.count(db, "SELECT count(*) FROM contact WHERE client_id = ?", [id]),
        try Self.count(db, "SELECT count(*) FROM deal WHERE client_id = ?", [id]),
        try Self.count(
          db, "SELECT count(*) FROM contact_person WHERE client_id = ? AND deleted_at IS NULL",
          [id]),
      ]
    }
    let keepBefore = try owned(db, keep)
    let otherBefore = try owned(db, other)
    let logs = try Self.count(db, "SELECT count(*) FROM merge_log")
    return Planned(
      name: "merge",
      arguments: ["merge", "pair", String(keep), String(other), "--force"],
      touched: { _ in [keep, other] },
      verdict: { db in
        let gone = try Self.count(
          db, "SELECT count(*) FROM client WHERE id = ? AND deleted_at IS NOT NULL", [other])
        let logsNow = try Self.count(db, "SELECT count(*) FROM merge_log")
        let keepNow = try owned(db, keep)
        let otherNow = try owned(db, other)
        let moved = zip(keepBefore, otherBefore).map { $0 + $1 }
        if gone == 1 && logsNow == logs + 1 && otherNow == [0, 0, 0] && keepNow == moved {
          return .applied
        }
        if gone == 0 && logsNow == logs && otherNow == otherBefore && keepNow == keepBefore {
          return .notApplied
        }
        return .broken(
          "merge \(other)→\(keep): in trash \(gone), log \(logs)→\(logsNow), "
            + "kept \(keepBefore)→\(keepNow), other \(otherBefore)→\(otherNow)")
      })
  }

  /// All live clients of one manager to another: all moved (with their planned contacts), or
  /// none.
  func handover(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned? {
    let managers = try Row.fetchAll(
      db,
      sql: """
        SELECT u.id, u.login, count(c.id) AS n FROM app_user u
        LEFT JOIN client c ON c.owner_id = u.id AND c.deleted_at IS NULL
        WHERE u.role = 'manager' AND u.deactivated_at IS NULL
        GROUP BY u.id ORDER BY u.id
        """)
    let withClients = managers.filter { ($0["n"] as Int) > 0 }
    guard let from = withClients.randomElement(using: &rng) else { return nil }
    guard
      let to = managers.filter({ ($0["id"] as Int64) != (from["id"] as Int64) })
        .randomElement(using: &rng)
    else { return nil }
    let fromId: Int64 = from["id"]
    let toId: Int64 = to["id"]
    let clientsSQL = "SELECT count(*) FROM client WHERE owner_id = ? AND deleted_at IS NULL"
    // What moves with the clients: the old owner's planned contacts and open deals on them.
    let plannedSQL = "SELECT count(*) FROM contact WHERE user_id = ? AND status = 'planned'"
    let movingPlannedSQL = """
      SELECT count(*) FROM contact k JOIN client c ON c.id = k.client_id
      WHERE k.status = 'planned' AND k.user_id = ? AND c.owner_id = ? AND c.deleted_at IS NULL
      """
    let dealsSQL = "SELECT count(*) FROM deal WHERE owner_id = ? AND closed_at IS NULL"
    let movingDealsSQL = """
      SELECT count(*) FROM deal d JOIN client c ON c.id = d.client_id
      WHERE d.owner_id = ? AND d.closed_at IS NULL AND c.owner_id = ? AND c.deleted_at IS NULL
      """
    func state(_ db: Database) throws -> [Int] {
      [
        try Self.count(db, clientsSQL, [fromId]), try Self.count(db, clientsSQL, [toId]),
        try Self.count(db, plannedSQL, [fromId]), try Self.count(db, plannedSQL, [toId]),
        try Self.count(db, dealsSQL, [fromId]), try Self.count(db, dealsSQL, [toId]),
      ]
    }
    let before = try state(db)
    let clients = before[0]
    let planned = try Self.count(db, movingPlannedSQL, [fromId, fromId])
    let deals = try Self.count(db, movingDealsSQL, [fromId, fromId])
    let after = [
      0, before[1] + clients, before[2] - planned, before[3] + planned, before[4] - deals,
      before[5] + deals,
    ]
    let sample = try Int64.fetchAll(
      db, sql: "SELECT id FROM client WHERE owner_id = ? AND deleted_at IS NULL LIMIT 5",
      arguments: [fromId])
    return Planned(
      name: "handover",
      arguments: ["handover", "--from", from["login"], "--to", to["login"], "--with-deals"],
      touched: { _ in sample },
      verdict: { db in
        // [clients, clients, planned, planned, open deals, open deals] of from and to.
        let now = try state(db)
        if now == after { return .applied }
        if now == before { return .notApplied }
        return .broken("handover \(fromId)→\(toId): \(before) → \(now), whole would be \(after)")
      })
  }

  /// A new tag on every live client (or one owner's): on all of them with one bulk change, or
  /// on none.
  func bulkTag(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned {
    let tag = "crash\(index)"
    let owner = try String.fetchOne(
      db,
      sql: "SELECT login FROM app_user WHERE role = 'manager' ORDER BY random() LIMIT 1")
    let everyone = Bool.random(using: &rng) || owner == nil
    let target =
      everyone
      ? try Self.count(db, "SELECT count(*) FROM client WHERE deleted_at IS NULL")
      : try Self.count(
        db,
        """
        SELECT count(*) FROM client c JOIN app_user u ON u.id = c.owner_id
        WHERE u.login = ? AND c.deleted_at IS NULL
        """, [owner ?? ""])
    let bulks = try Self.count(db, "SELECT count(*) FROM change_set WHERE action = 'bulk'")
    return Planned(
      name: "bulk",
      arguments: ["bulk", "add-tag", tag] + (everyone ? ["--all"] : ["--owner", owner ?? ""]),
      touched: { db in
        try Int64.fetchAll(
          db, sql: "SELECT client_id FROM client_tag WHERE tag = ? LIMIT 20", arguments: [tag])
      },
      verdict: { db in
        let tagged = try Self.count(db, "SELECT count(*) FROM client_tag WHERE tag = ?", [tag])
        let bulksNow = try Self.count(
          db, "SELECT count(*) FROM change_set WHERE action = 'bulk'")
        if tagged == target && (target == 0 || bulksNow > bulks) { return .applied }
        if tagged == 0 && bulksNow == bulks { return .notApplied }
        return .broken(
          "bulk tag on \(target) clients left \(tagged) tagged, bulk changes \(bulks)→\(bulksNow)")
      })
  }

  /// Takes back an earlier import: its clients all leave with the batch marked undone, or
  /// nothing changes.
  func importUndo(_ db: Database, index: Int, rng: inout SeededRandom) throws -> Planned? {
    guard
      let batch = try Row.fetchOne(
        db,
        sql: """
          SELECT id, file_name FROM import_batch WHERE undone_at IS NULL
          ORDER BY random() LIMIT 1
          """)
    else { return nil }
    let batchId: Int64 = batch["id"]
    let fileName: String = batch["file_name"]
    let runIndex = fileName.dropFirst("import-".count).dropLast(".csv".count)
    let pattern = "Crash \(runIndex)-%"
    let liveSQL = "SELECT count(*) FROM client WHERE name LIKE ? AND deleted_at IS NULL"
    let live = try Self.count(db, liveSQL, [pattern])
    let sample = try Int64.fetchAll(
      db, sql: "SELECT id FROM client WHERE name LIKE ? LIMIT 20", arguments: [pattern])
    return Planned(
      name: "import undo",
      arguments: ["import", "undo", String(batchId)],
      touched: { _ in sample },
      verdict: { db in
        let undone = try Self.count(
          db, "SELECT count(*) FROM import_batch WHERE id = ? AND undone_at IS NOT NULL",
          [batchId])
        let liveNow = try Self.count(db, liveSQL, [pattern])
        if undone == 1 && liveNow == 0 { return .applied }
        if undone == 0 && liveNow == live { return .notApplied }
        return .broken(
          "undo of import \(batchId): undone \(undone), live clients \(live)→\(liveNow)")
      })
  }

  // MARK: - Processes

  struct RunResult {
    var status: Int32
    var killed: Bool
    var seconds: Double
    /// Size of the `-wal` file right after the process ended (pages it left there).
    var walBytes: Int64
    var output: String
  }

  /// Runs `crm ARGS --db … --user admin --lang en`; with `killAfter`, sends SIGKILL after that
  /// many seconds unless it has ended.
  func spawn(_ arguments: [String], killAfter: Double?) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.binary)
    process.arguments = arguments + ["--db", database, "--user", "admin", "--lang", "en"]
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "dumb"
    process.environment = environment
    let outputPath = options.folder + "/last-run.txt"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    let output = FileHandle(forWritingAtPath: outputPath)
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    let start = Date()
    try process.run()
    if let killAfter {
      let deadline = start.addingTimeInterval(killAfter)
      while process.isRunning && Date() < deadline { usleep(500) }
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    try? output?.close()
    let seconds = Date().timeIntervalSince(start)
    let killed =
      process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    let wal =
      (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size]) as? NSNumber
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return RunResult(
      status: process.terminationStatus, killed: killed, seconds: seconds,
      walBytes: wal?.int64Value ?? 0, output: text)
  }

  func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
  }
}
