import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Inserts an assigned cash payment (amount in kopecks).
func pay(
  _ db: CRMDatabase, _ client: Int64, _ date: String, _ amount: Int64, currency: String = "RUB"
) throws {
  try db.write { d in
    try d.execute(
      sql: """
        INSERT INTO payment (client_id, source, state, date, amount, currency, created_at, updated_at)
        VALUES (?, 'cash', 'assigned', ?, ?, ?, 0, 0)
        """, arguments: [client, date, amount, currency])
  }
}

/// The 15th of the month `k` months before June 2026 (k = 0: 2026-06-15).
func month(_ k: Int) -> String {
  let index = 2026 * 12 + 5 - k
  return String(format: "%04d-%02d-15", index / 12, index % 12 + 1)
}

@Suite struct ClassificationTests {
  @Test func monthsOfThePeriodEndOnTheSnapshotDay() {
    #expect(Classification.bucket("2026-06-30", day: "2026-06-30") == 0)
    #expect(Classification.bucket("2026-06-01", day: "2026-06-30") == 0)
    #expect(Classification.bucket("2026-05-31", day: "2026-06-30") == 0)
    #expect(Classification.bucket("2026-05-30", day: "2026-06-30") == 1)
    #expect(Classification.bucket("2026-10-20", day: "2026-11-15") == 0)
    #expect(Classification.bucket("2026-10-15", day: "2026-11-15") == 1)
    #expect(Classification.periodStart(day: "2026-06-30", months: 12) == "2025-06-30")
    #expect(Classification.periodStart(day: "2026-01-31", months: 1) == "2025-12-31")
    #expect(Classification.day("30.06.2026") == "2026-06-30")
    #expect(Classification.day("2026-02-29") == nil)
    #expect(Classification.day("2024-02-29") == "2024-02-29")
    #expect(Classification.day("yesterday") == nil)
  }

  @Test func abcTiesShareTheHigherClass() {
    // Total 13 360: A while the richer clients bring < 80 %, B < 95 %, else C.
    let classes = Classification.abc([7200, 2400, 1260, 1200, 1200, 100, 0], a: 80, b: 15)
    #expect(classes == ["A", "A", "A", "B", "B", "C", ""])
    // Exactly 80 % before a client puts it in B.
    #expect(Classification.abc([80, 10, 10], a: 80, b: 15) == ["A", "B", "B"])
    #expect(Classification.abc([0, 0], a: 80, b: 15) == ["", ""])
  }

  @Test func xyzCountsZeroMonthsFromTheFirstPayingMonth() {
    let limits = (x: 0.25, y: 0.5)
    #expect(Classification.xyz([0, 0, 0], limits: limits).xyz == .potential)
    let one = Classification.xyz([0, 500, 0], limits: limits)
    #expect(one.xyz == .oneOff && one.months == 2 && one.revenue == 500)
    // 100/300 alternating: CV exactly 0.5 — the Y limit is inclusive.
    let y = Classification.xyz([100, 300, 100, 300, 100, 300, 0, 0], limits: limits)
    #expect(y.cv == 0.5 && y.xyz == .y && y.months == 6 && y.payingMonths == 6)
    // Paid in month 3 and month 0: four months counted, two of them zero: CV 1.
    let z = Classification.xyz([1200, 0, 0, 1200, 0], limits: limits)
    #expect(z.cv == 1 && z.xyz == .z && z.months == 4)
    let x = Classification.xyz([100, 100, 100, 110, 110, 110], limits: limits)
    #expect(x.xyz == .x && x.cv == 0.0476)
  }

  @Test func aHandMadeBaseGetsExactClasses() throws {
    let db = try memoryDB()
    let s = try service(db)
    func add(_ name: String) throws -> Int64 { try s.add(Client(name: name)) }
    let steady = try add("Steady")  // 600 every month: X, revenue 7 200
    let wave = try add("Wave")  // 100/300 over six months: CV 0.5, Y, 1 200
    let gaps = try add("Gaps")  // 1 200 in months 3 and 0: Z, 2 400
    let once = try add("Once")  // 1 200 in month 2: one-off, 1 200 (ties with Wave)
    let lapsed = try add("Lapsed")  // paid before the period: potential
    let never = try add("Never")  // potential
    let dollars = try add("Dollars")  // USD only: potential, one foreign payment
    let near = try add("Near")  // 100 ×3, 110 ×3: X, 630
    let small = try add("Small")  // 100 once: C
    let gone = try add("Gone")  // in the trash: not classified
    for k in 0..<12 { try pay(db, steady, month(k), 600) }
    for k in 0..<6 { try pay(db, wave, month(k), k % 2 == 0 ? 100 : 300) }
    try pay(db, gaps, month(3), 1200)
    try pay(db, gaps, month(0), 1200)
    try pay(db, once, month(2), 1200)
    try pay(db, lapsed, "2025-05-15", 9999)
    try pay(db, dollars, month(1), 10000, currency: "USD")
    for k in 0..<6 { try pay(db, near, month(k), k < 3 ? 100 : 110) }
    try pay(db, small, month(4), 100)
    try pay(db, gone, month(0), 50000)
    try s.delete(gone)
    // Two payments in one month add up.
    try pay(db, near, "2026-06-30", 1)
    try db.write { d in
      try d.execute(
        sql: "UPDATE payment SET amount = 99 WHERE client_id = ? AND date = ?",
        arguments: [near, month(0)])
    }

    let c = ClassificationService(db: db, userId: nil, language: .en)
    let outcome = try c.classify(day: "2026-06-30")
    #expect(outcome.run.clients == 9)
    #expect(outcome.run.foreignPayments == 1)
    #expect(outcome.run.periodFrom == "2025-06-30")
    let rows = try db.read { d in
      try Row.fetchAll(
        d, sql: "SELECT client_id, abc, xyz, revenue, cv FROM client_class WHERE run_id = ?",
        arguments: [outcome.run.id])
    }
    var by: [Int64: (String, String, Int64, Double?)] = [:]
    for r in rows { by[r["client_id"]] = (r["abc"], r["xyz"], r["revenue"], r["cv"]) }
    // Revenues 7 200, 2 400, 1 200, 1 200, 630, 100 = 12 730. Wave and Once tie: 9 600 (75.4 %)
    // before them, so both are A, though Once alone would start past 80 %.
    #expect(by[steady]! == ("A", "X", 7200, 0))
    #expect(by[gaps]! == ("A", "Z", 2400, 1))
    #expect(by[wave]! == ("A", "Y", 1200, 0.5))
    #expect(by[once]! == ("A", "one-off", 1200, nil))
    #expect(by[near]!.0 == "B" && by[near]!.1 == "X" && by[near]!.2 == 630)
    #expect(by[small]! == ("C", "one-off", 100, nil))
    #expect(by[lapsed]! == ("", "potential", 0, nil))
    #expect(by[never]! == ("", "potential", 0, nil))
    #expect(by[dollars]! == ("", "potential", 0, nil))
    #expect(by[gone] == nil)
    #expect(outcome.abc.map(\.clients) == [4, 1, 1, 3])
    #expect(outcome.xyz.map(\.clients) == [3, 2, 2, 1, 1])
    #expect(outcome.run.revenue == 12730)

    // The same day again replaces the snapshot.
    let again = try c.classify(day: "2026-06-30")
    #expect(try c.runs().map(\.id) == [again.run.id])
    #expect(try c.latest(clientId: steady)?.abc == "A")
  }

  @Test func twoSnapshotsGiveAnExactTransitionMatrix() throws {
    let db = try memoryDB()
    let s = try service(db)
    let p = try s.add(Client(name: "P"))
    let q = try s.add(Client(name: "Q"))
    let r = try s.add(Client(name: "R"))
    let t = try s.add(Client(name: "S"))
    try pay(db, p, "2026-01-15", 1000)
    try pay(db, q, "2026-01-10", 100)
    try pay(db, t, "2026-01-05", 10)
    let c = ClassificationService(db: db, userId: nil, language: .en)
    let first = try c.classify(day: "2026-01-31").run
    try s.delete(t)
    let u = try s.add(Client(name: "U"))
    try pay(db, u, "2026-02-10", 500)
    try pay(db, r, "2026-02-20", 5000)
    let second = try c.classify(day: "2026-02-28").run

    let abc = try c.transitions(from: first, to: second, column: "abc")
    #expect(abc.cells == ["A": ["A": 1], "B": ["C": 1], "": ["A": 1]])
    #expect(abc.new == ["B": 1])
    #expect(abc.gone == ["C": 1])
    #expect(abc.moved == 2)
    let xyz = try c.transitions(from: first, to: second, column: "xyz")
    #expect(xyz.cells == ["one-off": ["one-off": 2], "potential": ["one-off": 1]])
    #expect(xyz.new == ["one-off": 1])
    #expect(xyz.gone == ["one-off": 1])
    let last = try #require(try c.lastTwo())
    #expect(last.0.id == first.id && last.1.id == second.id)
    #expect(try c.run("2026-01-31")?.id == first.id)
    #expect(try c.run(String(second.id))?.at == "2026-02-28")
    #expect(throws: CRMError.self) { try c.run("2020-01-01") }
  }

  @Test func completenessRatesAndScoresAreExact() throws {
    let db = try memoryDB()
    let s = try service(db)
    let full = try s.add(
      Client(
        name: "Полная", inn: "7707083893", phones: [Phone("+7 495 123-45-67")],
        emails: ["a@b.ru"], city: "Казань", legalAddress: "ул. Баумана, 1", leadSource: "сайт",
        segment: "VIP"))
    _ = try s.addPerson(ContactPerson(clientId: full, name: "Иван"))
    let bare = try s.add(Client(name: "Пустая"))
    let person = try s.add(
      Client(kind: .person, name: "Пётр Петров", phones: [Phone("+7 900 000-00-00")]))
    let other = try service(db, login: "boris")
    let foreign = try other.add(Client(name: "Чужая", city: "Тула"))

    let fields = Completeness.Field.defaults
    let anna = try #require(try db.user(login: "anna")).id
    let sum = try Completeness.summary(db, fields: fields, mine: anna)
    #expect(sum.clients == 4)
    #expect(sum.complete == 1)
    func rate(_ f: Completeness.Field, _ list: [Completeness.Rate]) -> (Int, Int) {
      let r = list.first { $0.field == f }!
      return (r.filled, r.applicable)
    }
    #expect(rate(.phone, sum.base) == (2, 4))
    #expect(rate(.inn, sum.base) == (1, 3))  // the person client has no ИНН requirement
    #expect(rate(.person, sum.base) == (1, 3))
    #expect(rate(.city, sum.base) == (2, 4))
    #expect(rate(.owner, sum.base) == (4, 4))
    #expect(sum.myClients == 3)
    #expect(rate(.city, try #require(sum.mine)) == (1, 3))
    // Scores: full 9/9, bare 1/9 (owner), person 2/7 (phone, owner), other 2/9.
    let expected = (1.0 + 1.0 / 9 + 2.0 / 7 + 2.0 / 9) / 4
    #expect(abs((sum.meanScore ?? 0) - expected) < 1e-9)
    let rows = try Completeness.incomplete(db, fields: fields, limit: 10)
    #expect(rows.map(\.id) == [bare, foreign, person])
    #expect(rows[0].filled == 1 && rows[0].applicable == 9)
    #expect(rows[2].filled == 2 && rows[2].applicable == 7)
    #expect(!rows[2].missing.contains(.inn) && rows[2].missing.contains(.email))
    #expect(try Completeness.incompleteCount(db, fields: fields, scope: .init()) == 3)
    let page = try Completeness.incomplete(db, fields: fields, offset: 1, limit: 1)
    #expect(page.count == 1 && page[0].id == foreign)
    #expect(throws: CRMError.self) {
      try Completeness.Field.parseList("phone,bogus", language: .ru)
    }
    #expect(
      try Completeness.Field.parseList("phone, lead-source", language: .en) == [
        .phone, .leadSource,
      ])
  }

  @Test func segmentRulesLeaveHandSegmentsAloneAndAreAudited() throws {
    let db = try memoryDB()
    let s = try service(db)
    let big = try s.add(Client(name: "Big"))
    let one = try s.add(Client(name: "One"))
    let manual = try s.add(Client(name: "Manual", segment: "Партнёр"))
    let none = try s.add(Client(name: "None"))
    try pay(db, big, "2026-05-10", 2_000_000_00)
    try pay(db, one, "2026-05-10", 1000_00)
    try pay(db, manual, "2026-05-10", 5_000_000_00)
    let rules = SegmentService(db: db, language: .en)
    try rules.add(SegmentRule(segment: "VIP", metric: .revenue, op: .atLeast, value: 1_000_000_00))
    try rules.add(SegmentRule(segment: "Разовый", metric: .payments, op: .equal, value: 1))
    let anna = try #require(try db.user(login: "anna")).id
    let c = ClassificationService(db: db, userId: anna, language: .en)
    let run = try c.classify(day: "2026-06-30").run
    #expect(run.segmentsChanged == 2)
    #expect(try s.client(big)?.segment == "VIP")
    #expect(try s.client(one)?.segment == "Разовый")
    #expect(try s.client(manual)?.segment == "Партнёр")
    #expect(try s.client(none)?.segment == "")
    let audit = try db.read { d in
      try Row.fetchAll(
        d,
        sql:
          "SELECT client_id, action, field, old, new FROM audit WHERE action = 'classify' ORDER BY client_id"
      )
    }
    #expect(audit.count == 2)
    #expect(audit[0]["client_id"] == big && audit[0]["field"] == "segment")
    #expect((audit[0]["new"] as String?) == "VIP" && (audit[0]["old"] as String?) == nil)
    // Running again changes nothing; a hand edit of a rule's segment makes it manual.
    #expect(try c.classify(day: "2026-06-30").run.segmentsChanged == 0)
    var b = try #require(try s.client(big))
    b.segment = "Ключевой"
    try s.update(b)
    // Revenue of One drops out of the rule's months: its rule segment is taken back.
    let later = try c.classify(day: "2027-06-30").run
    #expect(later.segmentsChanged == 1)
    #expect(try s.client(big)?.segment == "Ключевой")
    #expect(try s.client(one)?.segment == "")
    // The segments report counts by segment, with the rule-given ones.
    let report = try rules.report(day: "2026-06-30")
    #expect(report.clients == 4)
    #expect(report.revenue == 7_001_000_00)
    let manualLine = try #require(report.lines.first { $0.segment == "Партнёр" })
    #expect(manualLine.clients == 1 && manualLine.byRule == 0 && manualLine.revenue == 5_000_000_00)
    #expect(throws: CRMError.self) { try SegmentRule.parseCondition("revenue > 5", language: .en) }
    let parsed = try SegmentRule.parseCondition("выручка ≥ 1 000 000", language: .ru)
    #expect(parsed.0 == .revenue && parsed.1 == .atLeast && parsed.2 == 1_000_000_00)
  }
}
