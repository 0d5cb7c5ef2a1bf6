import CRMCore
import Foundation
import GRDB

/// The activity report case: the dataset plus contacts topped up to `activityContacts` over the
/// year before the dataset's "now" (a derived dataset, cached beside the main one), the report
/// for every manager by week over the whole range of the contacts.
extension Benchmark {
  /// 1,000,000 contacts on M and L (the issue's size); 100,000 on S.
  var activityContacts: Int { options.dataset == .small ? 100_000 : 1_000_000 }

  /// The dataset's "now" (as the dataset build uses).
  static let activityNow = Date(timeIntervalSince1970: 1_795_000_000)

  func activityDataset() throws -> String {
    let file = datasetFile("activity-")
    if FileManager.default.fileExists(atPath: file) { return file }
    try build(
      file, copying: path, note: "building the activity dataset: \(activityContacts) contacts…"
    ) { db in
      try Self.addContacts(db, total: activityContacts, now: Self.activityNow, seed: options.seed)
    }
    return file
  }

  /// Tops the contacts up to `total`: each on a random owned client by its owner, 85 % done,
  /// 5 % no answer over the past year in working hours, 10 % planned from a month ago to a
  /// month ahead; kinds mostly calls.
  static func addContacts(_ db: CRMDatabase, total: Int, now: Date, seed: UInt64) throws {
    var rng = SeededRandom(seed: seed ^ 0xAC71)
    try db.write { db in
      let clients = try Row.fetchAll(
        db,
        sql: "SELECT id, owner_id FROM client WHERE owner_id IS NOT NULL AND deleted_at IS NULL"
      ).map { (r: Row) -> (Int64, Int64) in (r[0], r[1]) }
      guard !clients.isEmpty else { return }
      let have = try Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0
      let insert = try db.makeStatement(
        sql: """
          INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id,
            author_id, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 'Звонок', ?, ?, ?, ?)
          """)
      let kinds = ["call", "call", "call", "call", "meeting", "letter", "email", "email", "other"]
      let day = (now.timeIntervalSince1970 / 86400).rounded(.down) * 86400
      for _ in 0..<Swift.max(0, total - have) {
        let (client, owner) = clients[Int.random(in: 0..<clients.count, using: &rng)]
        let kind = kinds[Int.random(in: 0..<kinds.count, using: &rng)]
        let roll = Int.random(in: 0..<100, using: &rng)
        let minute = Double(Int.random(in: (6 * 60)..<(15 * 60), using: &rng)) * 60
        if roll < 90 {
          let at = day - Double(Int.random(in: 0..<365, using: &rng)) * 86400 + minute
          let status = roll < 85 ? "done" : "missed"
          try insert.execute(arguments: [client, kind, status, at, at, owner, owner, at, at])
        } else {
          let at = day + Double(Int.random(in: -30...30, using: &rng)) * 86400 + minute
          try insert.execute(arguments: [
            client, kind, "planned", at, nil, owner, owner, at - 86400, at - 86400,
          ])
        }
      }
    }
  }

  /// The report for every manager, by week, as `crm report activity --by week` runs it: over
  /// the 13 weeks up to the dataset's "now" (`wholeRange` false: the case "activity report"),
  /// or over the whole range of the contacts, a year back and a month ahead ("activity report,
  /// whole range"). Bound: the same six statements through the C API.
  func activityReport(wholeRange: Bool) throws -> BenchCase {
    let file = try activityDataset()
    let db = try CRMDatabase(path: file)
    let service = ActivityService(
      ServiceContext(db: db, language: .ru, timeZone: TimeZone(identifier: "Europe/Moscow")!))
    let (first, last, contacts) = try db.read { d in
      (
        try Double.fetchOne(d, sql: "SELECT min(coalesce(done_at, due_at)) FROM contact") ?? 0,
        try Double.fetchOne(d, sql: "SELECT max(coalesce(done_at, due_at)) FROM contact") ?? 0,
        try Int.fetchOne(d, sql: "SELECT count(*) FROM contact") ?? 0
      )
    }
    let cal = service.calendar
    let to: Date
    let from: Date
    if wholeRange {
      from =
        ActivityGrouping.week.interval(containing: Date(timeIntervalSince1970: first), cal)
        .start
      to = ActivityGrouping.week.interval(containing: Date(timeIntervalSince1970: last), cal).end
    } else {
      to = ActivityGrouping.week.interval(containing: Self.activityNow, cal).end
      from = CalendarMath.addDays(to, -7 * 13, cal)
    }
    let query = ActivityQuery(from: from, to: to, grouping: .week)
    let statements = try service.statements(query).map { SQLStatement(sql: $0, arguments: []) }
    let raw = try RawSQLite(path: file)
    var users = 0
    var weeks = 0
    var done = 0
    let (ours, bound) = try sampled(warmup: 2, runs: options.quick ? 5 : 15) { _ in
      var report: ActivityReport?
      let t = try time { report = try service.report(query) }
      let b = try time { for s in statements { _ = try raw.run(s) } }
      users = report?.rows.count ?? 0
      weeks = report?.buckets.count ?? 0
      done = report.map { $0.team.total.contacts + $0.team.total.missed } ?? 0
      return (t, b)
    }
    return result(
      wholeRange ? "activity report, whole range" : "activity report", ours: ours, bound: bound,
      note:
        "\(users) users × \(weeks) weeks (\(wholeRange ? "the whole range" : "the last 13")), \(contacts) contacts (\(done) done or missed in them); bound: the same six statements"
    )
  }
}
