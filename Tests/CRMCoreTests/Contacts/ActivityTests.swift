import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A moment in Moscow: `msk(11, 24, 10)` is 2026-11-24 10:00 MSK (UTC+3 all year).
func msk(_ month: Int, _ day: Int, _ hour: Int, year: Int = 2026) -> Date {
  var c = DateComponents()
  (c.year, c.month, c.day, c.hour) = (year, month, day, hour)
  var cal = Calendar(identifier: .gregorian)
  cal.timeZone = moscow
  return cal.date(from: c)!
}

/// Users anna (admin), boris and vera (managers); two weeks 23 Nov – 6 Dec 2026 crossing the month
/// boundary; "now" is Wednesday 2 December 12:00 MSK. Rows are written by hand, so every figure
/// below is known exactly (see the comments).
struct ActivityFixture {
  let db: CRMDatabase
  let clock: FixedClock
  let anna: User
  let boris: User
  let vera: User
  var base: [Int64: Int64] = [:]
  var stages: [Int64] = []
  var pipeline: Int64 = 0

  static let from = msk(11, 23, 0)
  static let to = msk(12, 7, 0)
  static let now = msk(12, 2, 12)

  init() throws {
    clock = FixedClock(Self.now)
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    vera = try #require(try db.user(login: "vera"))
    _ = try PipelineService(db: db, language: .en).pipeline()
    let (p, s) = try db.read { d in
      (
        try Int64.fetchOne(d, sql: "SELECT id FROM pipeline ORDER BY position LIMIT 1")!,
        try Int64.fetchAll(
          d, sql: "SELECT id FROM stage WHERE pipeline_id = 1 ORDER BY position")
      )
    }
    pipeline = p
    stages = s
    for u in [anna, boris, vera] {
      base[u.id] = try client("База \(u.login)", owner: u.id, at: msk(10, 1, 10))
    }
    try fill()
  }

  func sql(_ text: String, _ args: StatementArguments = []) throws {
    try db.write { d in try d.execute(sql: text, arguments: args) }
  }

  func lastId() throws -> Int64 {
    try db.read { d in try Int64.fetchOne(d, sql: "SELECT max(id) FROM client")! }
  }

  @discardableResult
  func client(_ name: String, owner: Int64, at: Date, trashed: Bool = false) throws -> Int64 {
    let t = at.timeIntervalSince1970
    try sql(
      """
      INSERT INTO client (kind, name, name_key, owner_id, created_by, created_at, updated_at,
        deleted_at)
      VALUES ('company', ?, ?, ?, ?, ?, ?, ?)
      """, [name, name.lowercased(), owner, owner, t, t, trashed ? t : nil])
    return try lastId()
  }

  func contact(
    _ user: User, _ kind: ContactKind, _ status: ContactStatus, _ at: Date, _ subject: String = ""
  ) throws {
    let t = at.timeIntervalSince1970
    let done = status == .done || status == .missed ? t : nil
    try sql(
      """
      INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id, created_at,
        updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [base[user.id]!, kind.rawValue, status.rawValue, t, done, subject, user.id, t, t])
  }

  func deal(
    _ user: User, _ title: String, amount: Int64, currency: String = "RUB", won: Date?,
    lost: Date? = nil, created: Date
  ) throws -> Int64 {
    let closed = won ?? lost
    let status = won != nil ? "won" : lost != nil ? "lost" : "open"
    try sql(
      """
      INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, title, amount,
        currency, owner_id, created_at, updated_at, stage_at, closed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        pipeline, stages[0], stages[0], status, base[user.id]!, title, amount, currency, user.id,
        created.timeIntervalSince1970, created.timeIntervalSince1970,
        created.timeIntervalSince1970, closed?.timeIntervalSince1970,
      ])
    let id = try db.read { d in try Int64.fetchOne(d, sql: "SELECT max(id) FROM deal")! }
    try move(user, id, from: nil, at: created)
    return id
  }

  func move(_ user: User, _ deal: Int64, from: Int? = 0, at: Date) throws {
    try sql(
      "INSERT INTO deal_stage (deal_id, from_stage_id, to_stage_id, at, user_id) VALUES (?, ?, ?, ?, ?)",
      [deal, from.map { stages[$0] }, stages[1], at.timeIntervalSince1970, user.id])
  }

  func fill() throws {
    // boris: calls 3 (w1 2, w2 1 in December), meetings 1, e-mails 1 (30 Nov), letters 1,
    // other 2 (request, visit), missed 1, planned 2 (27 Nov overdue, 3 Dec), overdue 1.
    try contact(boris, .call, .done, msk(11, 23, 10), "Первый звонок")
    try contact(boris, .call, .done, msk(11, 24, 11))
    try contact(boris, .call, .done, msk(12, 1, 9))
    try contact(boris, .meeting, .done, msk(11, 25, 15))
    try contact(boris, .email, .done, msk(11, 30, 10))
    try contact(boris, .letter, .done, msk(12, 2, 10))
    try contact(boris, .request, .done, msk(11, 26, 10))
    try contact(boris, .visit, .done, msk(12, 1, 14))
    try contact(boris, .call, .missed, msk(11, 27, 10))
    try contact(boris, .meeting, .planned, msk(11, 27, 10))
    try contact(boris, .call, .planned, msk(12, 3, 10))
    try contact(boris, .call, .planned, msk(12, 10, 10))  // after the period
    try contact(boris, .call, .cancelled, msk(11, 28, 10))  // never counted
    try contact(boris, .call, .done, msk(11, 20, 10))  // before the period
    // vera: calls 2, e-mails 1, other 1 (complaint), missed 1 (1 Dec), planned 1 (30 Nov),
    // overdue 2 (30 Nov and 10 Nov).
    try contact(vera, .call, .done, msk(11, 24, 9))
    try contact(vera, .call, .done, msk(12, 4, 9))
    try contact(vera, .email, .done, msk(12, 5, 9))
    try contact(vera, .complaint, .done, msk(11, 23, 18))
    try contact(vera, .meeting, .missed, msk(12, 1, 11))
    try contact(vera, .letter, .planned, msk(11, 30, 9))
    try contact(vera, .call, .planned, msk(11, 10, 9))
    // anna: one meeting on 2 Dec.
    try contact(anna, .meeting, .done, msk(12, 2, 9))
    // New clients: boris 3 (two on 24 Nov, one on 1 Dec), vera 1 (30 Nov).
    try client("Ромашка", owner: boris.id, at: msk(11, 24, 10))
    try client("Лютик", owner: boris.id, at: msk(11, 24, 12))
    try client("Василёк", owner: boris.id, at: msk(12, 1, 10))
    try client("Удалённый", owner: boris.id, at: msk(11, 25, 10), trashed: true)
    try client("Старый", owner: boris.id, at: msk(11, 1, 10))
    try client("Вера-клиент", owner: vera.id, at: msk(11, 30, 10))
    // Deals: boris moves 3 (24 Nov, 27 Nov, 1 Dec), wins 2 (27 Nov USD 5 000, 2 Dec RUB 100 000);
    // vera moves 1 (26 Nov), wins 1 (30 Nov RUB 25 000), loses 1.
    let d1 = try deal(
      boris, "Поставка", amount: 10_000_000, won: msk(12, 2, 10), created: msk(11, 20, 10))
    try move(boris, d1, at: msk(11, 24, 10))
    try move(boris, d1, at: msk(12, 1, 10))
    let d2 = try deal(
      boris, "Экспорт", amount: 500_000, currency: "USD", won: msk(11, 27, 12),
      created: msk(11, 25, 10))
    try move(boris, d2, at: msk(11, 27, 12))
    let d3 = try deal(
      vera, "Монтаж", amount: 2_500_000, won: msk(11, 30, 15), created: msk(11, 2, 10))
    try move(vera, d3, at: msk(11, 26, 10))
    _ = try deal(
      vera, "Отказ", amount: 100, lost: msk(11, 28, 10), won: nil, created: msk(11, 2, 10))
  }

  func service() -> ActivityService { ActivityService(db: db, language: .en, timeZone: moscow) }

  func report(_ g: ActivityGrouping? = nil, user: Int64? = nil) throws -> ActivityReport {
    try service().report(ActivityQuery(from: Self.from, to: Self.to, grouping: g, userId: user))
  }
}

extension ActivityFixture {
  func deal(
    _ user: User, _ title: String, amount: Int64, lost: Date, won: Date?, created: Date
  ) throws -> Int64 {
    try deal(user, title, amount: amount, currency: "RUB", won: won, lost: lost, created: created)
  }
}

@Suite struct ActivityTests {
  func row(_ r: ActivityReport, _ login: String) throws -> ActivityRow {
    try #require(r.rows.first { $0.user?.login == login })
  }

  @Test func totalsPerUserAreExact() throws {
    let f = try ActivityFixture()
    let r = try f.report()
    #expect(r.rows.map { $0.user!.login } == ["anna", "boris", "vera"])
    let b = try row(r, "boris").total
    #expect(
      [b.calls, b.meetings, b.letters, b.emails, b.other, b.missed, b.planned]
        == [3, 1, 1, 1, 2, 1, 2] as [Int])
    #expect([b.newClients, b.dealsMoved, b.dealsWon] == [3, 3, 2] as [Int])
    #expect(b.revenue == ["RUB": 10_000_000, "USD": 500_000])
    #expect(b.revenueRUB == 10_000_000)
    #expect(try row(r, "boris").overdue == 1)
    let v = try row(r, "vera").total
    #expect(
      [v.calls, v.meetings, v.letters, v.emails, v.other, v.missed, v.planned]
        == [2, 0, 0, 1, 1, 1, 1] as [Int])
    #expect([v.newClients, v.dealsMoved, v.dealsWon] == [1, 1, 1] as [Int])
    #expect(v.revenue == ["RUB": 2_500_000])
    #expect(try row(r, "vera").overdue == 2)
    let a = try row(r, "anna").total
    #expect(a.meetings == 1 && a.contacts == 1)
    #expect(r.team.total.calls == 5 && r.team.total.contacts == 13 && r.team.overdue == 3)
    #expect(r.team.total.revenue == ["RUB": 12_500_000, "USD": 500_000])
  }

  @Test func weeksDaysAndMonths() throws {
    let f = try ActivityFixture()
    let w = try f.report(.week)
    #expect(w.buckets.count == 2)
    #expect(w.buckets[1].from == msk(11, 30, 0))
    let b = try row(w, "boris")
    #expect(b.buckets.map(\.calls) == [2, 1])
    #expect(b.buckets.map(\.other) == [1, 1])
    #expect(b.buckets.map(\.emails) == [0, 1])
    #expect(b.buckets.map(\.planned) == [1, 1])
    #expect(b.buckets.map(\.dealsMoved) == [2, 1])
    #expect(b.buckets.map(\.revenueRUB) == [0, 10_000_000])
    #expect(w.team.buckets.map(\.calls) == [3, 2])
    let m = try f.report(.month)
    #expect(m.buckets.map(\.from) == [msk(11, 23, 0), msk(12, 1, 0)])
    let bm = try row(m, "boris")
    #expect(bm.buckets.map(\.calls) == [2, 1])
    #expect(bm.buckets.map(\.emails) == [1, 0])
    #expect(bm.buckets.map(\.newClients) == [2, 1])
    #expect(try row(m, "vera").buckets.map(\.missed) == [0, 1])
    let d = try f.report(.day)
    #expect(d.buckets.count == 14)
    let bd = try row(d, "boris")
    #expect(bd.buckets[0].calls == 1 && bd.buckets[1].calls == 1 && bd.buckets[8].calls == 1)
    #expect(bd.buckets.map(\.calls).reduce(0, +) == 3)
    #expect(try row(d, "vera").buckets[0].other == 1)
    // A period cut mid-week still counts by calendar week.
    let cut = try f.service().report(
      ActivityQuery(from: msk(11, 25, 0), to: msk(12, 2, 0), grouping: .week))
    #expect(cut.buckets.count == 2)
    #expect(try row(cut, "boris").buckets.map(\.calls) == [0, 1])
  }

  @Test func drillDownRowsEqualCounts() throws {
    let f = try ActivityFixture()
    let s = f.service()
    for g in [nil, ActivityGrouping.week, .month, .day] {
      let r = try f.report(g)
      for row in r.rows + [r.team] {
        for metric in ActivityMetric.allCases {
          for bucket in [nil] + r.buckets.map(\.index) {
            let cell = ActivityCell(userId: row.user?.id, metric: metric, bucket: bucket)
            let figures = bucket.map { row.buckets[$0] } ?? row.total
            let expected: Int
            switch metric {
            case .overdue: expected = row.overdue
            case .revenue:
              expected = try s.drill(
                r, ActivityCell(userId: row.user?.id, metric: .dealsWon, bucket: bucket), limit: 100
              )
              .filter { $0.amount?.currency.code == "RUB" }.count
            default: expected = Int(figures[metric])
            }
            let items = try s.drill(r, cell, limit: 100)
            #expect(
              items.count == expected, "\(row.user?.login ?? "team") \(metric) \(bucket ?? -1)")
            #expect(try s.drillCount(r, cell) == expected)
            if metric == .revenue {
              #expect(items.compactMap { $0.amount?.minor }.reduce(0, +) == figures.revenueRUB)
            }
          }
        }
      }
    }
  }

  @Test func drillDownRowsCarryClientTimeKindAndPage() throws {
    let f = try ActivityFixture()
    let r = try f.report()
    let s = f.service()
    let calls = try s.drill(r, ActivityCell(userId: f.boris.id, metric: .calls), limit: 10)
    #expect(calls.map(\.at) == [msk(12, 1, 9), msk(11, 24, 11), msk(11, 23, 10)])
    #expect(calls.last?.title == "Первый звонок" && calls.last?.clientName == "База boris")
    #expect(calls.last?.kind == "call" && calls.last?.entity == .contact)
    let page = try s.drill(r, ActivityCell(userId: f.boris.id, metric: .calls), limit: 2, offset: 2)
    #expect(page.map(\.at) == [msk(11, 23, 10)])
    let clients = try s.drill(r, ActivityCell(userId: f.boris.id, metric: .newClients), limit: 10)
    #expect(Set(clients.map(\.clientName)) == ["Ромашка", "Лютик", "Василёк"])
    let won = try s.drill(r, ActivityCell(userId: nil, metric: .dealsWon), limit: 10)
    #expect(won.map(\.title) == ["Поставка", "Монтаж", "Экспорт"])
    #expect(won.first?.amount == Money(minor: 10_000_000))
  }

  @Test func oneUserAndEmptyUsers() throws {
    let f = try ActivityFixture()
    let r = try f.report(user: f.vera.id)
    #expect(r.rows.map { $0.user!.login } == ["vera"])
    #expect(r.team.total.calls == 2)
    // A manager with nothing in the period still has a row (active managers always do).
    _ = try f.db.user(login: "gleb")
    #expect(try f.report().rows.contains { $0.user?.login == "gleb" && $0.total.isEmpty })
    #expect(throws: CRMError.self) {
      try f.service().report(ActivityQuery(from: ActivityFixture.to, to: ActivityFixture.from))
    }
  }

  @Test func aManagerUnderOwnVisibilitySeesOnlyThemselves() throws {
    let f = try ActivityFixture()
    _ = try f.db.setSetting("visibility", "own", language: .en)
    try f.db.signIn(f.boris)
    let r = try f.report()
    #expect(r.rows.map { $0.user!.login } == ["boris"])
    #expect(r.team.total.calls == 3)
    #expect(try f.report(user: f.vera.id).rows.isEmpty)
    let s = f.service()
    #expect(try s.drill(r, ActivityCell(userId: f.vera.id, metric: .calls), limit: 10).isEmpty)
    #expect(try s.drill(r, ActivityCell(userId: nil, metric: .calls), limit: 10).count == 3)
  }

  @Test func targetsPlanAgainstFact() throws {
    let f = try ActivityFixture()
    try f.db.signIn(f.anna)
    let t = TargetService(db: f.db, userId: f.anna.id, language: .en, timeZone: moscow)
    try t.set(user: f.boris, metric: .calls, period: .week, amount: 2)
    try t.set(user: f.boris, metric: .revenue, period: .month, amount: 20_000_000)
    try t.set(user: f.boris, metric: .calls, period: .week, amount: 1)
    try t.set(user: f.boris, metric: .calls, period: .week, amount: 2)
    let list = try t.list()
    #expect(
      list.map { "\($0.login) \($0.metric.rawValue) \($0.period.rawValue) \($0.amount)" }
        == ["boris calls week 2", "boris revenue month 20000000"])
    let audit = try f.db.read { d in
      try Int.fetchOne(
        d,
        sql:
          "SELECT count(*) FROM change_set WHERE entity = 'target' AND client_id = 0 AND action = 'set'"
      )
    }
    #expect(audit == 4)
    let w = try f.report(.week)
    let pf = try #require(
      TargetService.planFact(t, list, report: w, row: try row(w, "boris"), metric: .calls))
    #expect(pf.buckets.map(\.plan) == [2, 2])
    #expect(pf.buckets.map(\.fact) == [2, 1])
    #expect(pf.buckets[0].met && !pf.buckets[1].met)
    #expect(pf.buckets[1].percent == "50%")
    #expect(pf.total.plan == 4 && pf.total.fact == 3)
    // Days: a weekly target / 5 on working days, nothing on weekends.
    let d = try f.report(.day)
    let days = try #require(
      TargetService.planFact(t, list, report: d, row: try row(d, "boris"), metric: .calls))
    #expect(days.buckets[0].plan == 0.4)
    #expect(days.buckets[5].plan == 0)  // Saturday 28 Nov
    // A monthly revenue target on a week: × 5 / the month's working days (21 in November 2026).
    let rev = try #require(
      TargetService.planFact(t, list, report: w, row: try row(w, "boris"), metric: .revenue))
    #expect(abs(rev.buckets[0].plan - 20_000_000.0 * 5 / 21) < 0.001)
    #expect(try t.remove(user: f.boris, metric: .calls, period: .week))
    #expect(try !t.remove(user: f.boris, metric: .calls, period: .week))
    #expect(try t.list().count == 1)
  }

  @Test func aManagerCannotSetTargets() throws {
    let f = try ActivityFixture()
    try f.db.signIn(f.boris)
    let t = TargetService(db: f.db, userId: f.boris.id, language: .en, timeZone: moscow)
    #expect(throws: CRMError.self) {
      try t.set(user: f.boris, metric: .calls, period: .week, amount: 100)
    }
    #expect(throws: CRMError.self) { try t.remove(user: f.boris, metric: .calls, period: .week) }
    let n = try f.db.read { d in try Int.fetchOne(d, sql: "SELECT count(*) FROM user_target") }
    #expect(n == 0)
  }

  @Test func daysAcrossAClockChangeCountInTheirLocalDay() throws {
    // Berlin falls back on Sunday 25 Oct 2026 (25 hours). 23:30 local that day is 22:30 UTC;
    // 00:30 local on Monday 26 Oct is 23:30 UTC on the 25th.
    let f = try ActivityFixture()
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = berlin
    func local(_ d: Int, _ h: Int, _ m: Int) -> Date {
      cal.date(from: DateComponents(year: 2026, month: 10, day: d, hour: h, minute: m))!
    }
    try f.contact(f.vera, .call, .done, local(25, 23, 30))
    try f.contact(f.vera, .call, .done, local(26, 0, 30))
    try f.client("Осень", owner: f.vera.id, at: local(25, 23, 30))
    try f.client("Зима", owner: f.vera.id, at: local(26, 0, 30))
    let s = ActivityService(db: f.db, language: .en, timeZone: berlin)
    let r = try s.report(ActivityQuery(from: local(24, 0, 0), to: local(27, 0, 0), grouping: .day))
    #expect(r.buckets.map { $0.to.timeIntervalSince($0.from) / 3600 } == [24, 25, 24])
    let v = try row(r, "vera")
    #expect(v.buckets.map(\.calls) == [0, 1, 1])
    #expect(v.buckets.map(\.newClients) == [0, 1, 1])
    for b in 0..<3 {
      let items = try s.drill(
        r, ActivityCell(userId: f.vera.id, metric: .calls, bucket: b), limit: 9)
      #expect(items.count == v.buckets[b].calls)
    }
  }

  @Test func bucketSQLUsesArithmeticOnlyForEqualBuckets() throws {
    let f = try ActivityFixture()
    let s = f.service()
    let weeks = s.buckets(from: msk(11, 2, 0), to: msk(11, 30, 0), grouping: .week)
    #expect(ActivityService.bucketSQL("t", weeks).hasPrefix("CAST"))
    let months = s.buckets(from: msk(10, 1, 0), to: msk(12, 1, 0), grouping: .month)
    #expect(ActivityService.bucketSQL("t", months).hasPrefix("CASE"))
    // Berlin changes its clocks on 25 Oct 2026: that week is an hour longer.
    let berlin = ActivityService(
      db: f.db, language: .en, timeZone: TimeZone(identifier: "Europe/Berlin")!)
    let dst = berlin.buckets(from: msk(10, 19, 1), to: msk(11, 2, 2), grouping: .week)
    #expect(ActivityService.bucketSQL("t", dst).hasPrefix("CASE"))
  }
}
