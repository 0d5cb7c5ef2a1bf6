import Foundation
import GRDB
import GRDBSQLite

/// ABC by revenue and XYZ by stability of monthly revenue, stored as dated snapshots, with the
/// segment rules applied on the way. The exact rules are in docs/classification.md.
public enum Classification {
  /// `2026-06-30` or `30.06.2026` as `yyyy-mm-dd`; nil when it is not a real day.
  public static func day(_ text: String) -> String? {
    CalendarMath.isoDay(text, years: 1900...9999)
  }

  static func parts(_ day: String) -> (y: Int, m: Int, d: Int) {
    let p = day.split(separator: "-").map { Int($0) ?? 0 }
    return (p[0], p[1], p[2])
  }

  /// The period of `months` ending on `day`: payments dated after the returned text, up to
  /// `day` inclusive. The text is the same day-of-month `months` earlier, compared as text (so
  /// `2025-02-30` is fine: it sorts after every real day of February).
  public static func periodStart(day: String, months: Int) -> String {
    let (y, m, d) = parts(day)
    let index = y * 12 + (m - 1) - months
    return String(format: "%04d-%02d-%02d", index / 12, index % 12 + 1, d)
  }

  /// Which month of the period a payment dated `date` falls in: 0 for the month ending on the
  /// snapshot day, 1 for the one before, … Month k runs from the day after the same day-of-month
  /// k + 1 months earlier to that day-of-month k months earlier.
  public static func bucket(_ date: String, day: String) -> Int {
    let a = parts(day)
    let p = parts(date)
    return (a.y * 12 + a.m) - (p.y * 12 + p.m) - (p.d > a.d ? 1 : 0)
  }

  public enum XYZ: String, CaseIterable, Sendable {
    case potential
    case oneOff = "one-off"
    case x = "X"
    case y = "Y"
    case z = "Z"

    public func name(_ l: Language) -> String {
      switch self {
      case .potential: return l.pick("potential", "потенциальный")
      case .oneOff: return l.pick("one-off", "разовый")
      case .x: return "X"
      case .y: return "Y"
      case .z: return "Z"
      }
    }
  }

  /// The classes of one client from its monthly revenue (index 0 = the latest month).
  public struct Result: Equatable, Sendable {
    public var revenue: Int64
    public var payingMonths: Int
    /// Months counted for the CV: from the first paying month of the period to its end.
    public var months: Int
    /// Rounded to four decimals; nil below two paying months.
    public var cv: Double?
    public var xyz: XYZ
  }

  /// XYZ of one client. `monthly[k]` is the revenue of month k of the period.
  public static func xyz(_ monthly: ArraySlice<Int64>, limits: (x: Double, y: Double)) -> Result {
    var total: Int64 = 0
    var paying = 0
    var first = -1
    for (k, v) in monthly.enumerated() where v > 0 {
      total += v
      paying += 1
      first = k
    }
    if paying == 0 {
      return Result(revenue: 0, payingMonths: 0, months: 0, cv: nil, xyz: .potential)
    }
    if paying == 1 {
      return Result(revenue: total, payingMonths: 1, months: first + 1, cv: nil, xyz: .oneOff)
    }
    let n = Double(first + 1)
    let mean = Double(total) / n
    var squares = 0.0
    for k in 0...first {
      let d = Double(monthly[monthly.startIndex + k]) - mean
      squares += d * d
    }
    let cv = ((squares / n).squareRoot() / mean * 10000).rounded() / 10000
    let cls: XYZ = cv <= limits.x ? .x : cv <= limits.y ? .y : .z
    return Result(revenue: total, payingMonths: paying, months: first + 1, cv: cv, xyz: cls)
  }

  /// ABC classes of revenues (zero revenue: ""). A client is A when the clients with strictly
  /// more revenue bring less than `a` % of the total, B when less than `a + b` %, else C; equal
  /// revenues so always share a class.
  public static func abc(_ revenues: [Int64], a: Int, b: Int) -> [String] {
    var out = [String](repeating: "", count: revenues.count)
    let order = revenues.indices.filter { revenues[$0] > 0 }.sorted {
      revenues[$0] > revenues[$1]
    }
    let total = order.reduce(Int64(0)) { $0 + revenues[$1] }
    guard total > 0 else { return out }
    var before: Int64 = 0
    var i = 0
    while i < order.count {
      let r = revenues[order[i]]
      let cls =
        before * 100 < Int64(a) * total
        ? "A" : before * 100 < Int64(a + b) * total ? "B" : "C"
      var j = i
      while j < order.count && revenues[order[j]] == r {
        out[order[j]] = cls
        before += r
        j += 1
      }
      i = j
    }
    return out
  }
}

/// One stored snapshot.
public struct ClassRun: Equatable, Sendable {
  public var id: Int64
  public var at: String
  public var months: Int
  public var periodFrom: String
  public var shareA: Double
  public var shareB: Double
  public var cvX: Double
  public var cvY: Double
  public var clients: Int
  public var revenue: Int64
  public var foreignPayments: Int
  public var segmentsChanged: Int

  init(_ r: Row) {
    id = r["id"]
    at = r["at"]
    months = r["months"]
    periodFrom = r["period_from"]
    shareA = r["share_a"]
    shareB = r["share_b"]
    cvX = r["cv_x"]
    cvY = r["cv_y"]
    clients = r["clients"]
    revenue = r["revenue"]
    foreignPayments = r["foreign_payments"]
    segmentsChanged = r["segments_changed"]
  }
}

/// Runs `crm classify` and reads its snapshots.
public struct ClassificationService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Counts of a class and its revenue.
  public struct ClassCount: Equatable, Sendable {
    public var name: String
    public var clients: Int
    public var revenue: Int64
  }

  /// What one run did.
  public struct Outcome: Equatable, Sendable {
    public var run: ClassRun
    public var abc: [ClassCount]
    public var xyz: [ClassCount]
  }

  /// Today in the database clock's local calendar, `yyyy-mm-dd`.
  public func today(timeZone: TimeZone = .current) -> String {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = timeZone
    let c = cal.dateComponents([.year, .month, .day], from: db.clock.now())
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  /// Reads a snapshot day typed by a person; refuses malformed days and days after `today`.
  public func snapshotDay(_ text: String, today: String, option: String = "--at") throws(CRMError)
    -> String
  {
    let l = language
    guard let day = Classification.day(text) else {
      throw .invalid(
        field: option,
        problem: l.pick(
          "«\(text)» is not a date; write 2026-06-30 or 30.06.2026",
          "«\(text)» — не дата; пишите 2026-06-30 или 30.06.2026"))
    }
    guard day <= today else {
      throw .invalid(
        field: option,
        problem: l.pick(
          "\(day) is in the future (today is \(today))", "\(day) — в будущем (сегодня \(today))"))
    }
    return day
  }

  /// Classifies every live client as of `day` (yyyy-mm-dd), stores the snapshot (replacing one
  /// of the same day), and, unless `applySegments` is false, gives the segment rules' segments
  /// to clients whose segment was not set by hand — each change audited. One transaction.
  @discardableResult
  public func classify(day: String, applySegments: Bool = true) throws(CRMError) -> Outcome {
    // A snapshot of the whole base that may rewrite many clients' segments: not a manager's call.
    try db.require([.supervisor, .admin], to: "crm classify", language: language)
    let now = db.clock.now()
    let service = context.clients
    return try db.write { db in
      let settings = try CRMDatabase.loadSettings(db)
      let rules = applySegments ? try SegmentService.rules(db) : []
      let months = settings.abcMonths
      let span = Swift.max(months, rules.map(\.months).max() ?? 0)
      let from = Classification.periodStart(day: day, months: span)
      let periodFrom = Classification.periodStart(day: day, months: months)

      // The live clients, in id order.
      var ids: [Int64] = []
      var segments: [String] = []
      var ruleSegments: [String?] = []
      ids.reserveCapacity(
        try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'live_clients'") ?? 0)
      if rules.isEmpty {
        let cursor = try Int64.fetchCursor(
          db, sql: "SELECT id FROM client WHERE deleted_at IS NULL ORDER BY id")
        while let id = try cursor.next() { ids.append(id) }
      } else {
        let cursor = try Row.fetchCursor(
          db,
          sql: "SELECT id, segment, segment_rule FROM client WHERE deleted_at IS NULL ORDER BY id")
        while let r = try cursor.next() {
          ids.append(r[0])
          segments.append(r[1])
          ruleSegments.append(r[2])
        }
      }
      let n = ids.count

      // Revenue and payments by client and month: one pass over the covering index, in client
      // order, merged with the id list.
      var sums = [Int64](repeating: 0, count: n * span)
      var counts = [Int32](repeating: 0, count: rules.isEmpty ? 0 : n * span)
      let (ay, am, ad) = Classification.parts(day)
      let statement = try db.makeStatement(
        sql: """
          SELECT client_id, date, amount FROM payment INDEXED BY payment_revenue
          WHERE state = 'assigned' AND currency = 'RUB' AND client_id IS NOT NULL
            AND date > ? AND date <= ?
          ORDER BY client_id
          """)
      statement.arguments = [from, day]
      // Straight through the C API: a million rows, three columns, no per-row allocation.
      let stmt = statement.sqliteStatement
      defer { sqlite3_reset(stmt) }
      let anchor = ay * 12 + am
      var i = 0
      // Rouble payments of the ABC period, to tell how many in other currencies were left out.
      var roubleRows = 0
      while try db.stepRow(stmt) {
        let client = sqlite3_column_int64(stmt, 0)
        guard let text = sqlite3_column_text(stmt, 1), sqlite3_column_bytes(stmt, 1) >= 10 else {
          continue
        }
        // yyyy-mm-dd: digits at 0–3, 5–6, 8–9.
        let y =
          (Int(text[0]) - 48) * 1000 + (Int(text[1]) - 48) * 100 + (Int(text[2]) - 48) * 10
          + (Int(text[3]) - 48)
        let m = (Int(text[5]) - 48) * 10 + (Int(text[6]) - 48)
        let d = (Int(text[8]) - 48) * 10 + (Int(text[9]) - 48)
        let b = anchor - (y * 12 + m) - (d > ad ? 1 : 0)
        if b >= 0 && b < months { roubleRows += 1 }
        while i < n && ids[i] < client { i += 1 }
        guard i < n, ids[i] == client else { continue }
        guard b >= 0 && b < span else { continue }
        sums[i * span + b] += sqlite3_column_int64(stmt, 2)
        if !counts.isEmpty { counts[i * span + b] += 1 }
      }
      // Assigned payments (those with a client, by the table's CHECK) of the period in any
      // currency, from the index alone; less the rouble ones read above.
      let assigned =
        try Int.fetchOne(
          db,
          sql: """
            SELECT COUNT(*) FROM payment INDEXED BY payment_by_client
            WHERE client_id IS NOT NULL AND date > ? AND date <= ?
            """, arguments: [periodFrom, day]) ?? 0
      let foreign = Swift.max(0, assigned - roubleRows)

      // XYZ per client, then ABC over the revenues.
      var results: [Classification.Result] = []
      results.reserveCapacity(n)
      for k in 0..<n {
        results.append(
          Classification.xyz(
            sums[(k * span)..<(k * span + months)], limits: settings.xyzLimits))
      }
      let abc = Classification.abc(
        results.map(\.revenue), a: settings.abcSharePercents.a, b: settings.abcSharePercents.b)

      // Segments by rule.
      var changed = 0
      if !rules.isEmpty {
        for k in 0..<n {
          let current = segments[k]
          let byHand = !current.isEmpty && current != ruleSegments[k]
          if byHand { continue }
          var target = ""
          for rule in rules {
            var revenue: Int64 = 0
            var payments: Int64 = 0
            var paying: Int64 = 0
            for b in 0..<rule.months {
              let v = sums[k * span + b]
              revenue += v
              payments += Int64(counts[k * span + b])
              if v > 0 { paying += 1 }
            }
            if rule.holds(revenue: revenue, payments: payments, months: paying) {
              target = rule.segment
              break
            }
          }
          if target == current && (target.isEmpty || ruleSegments[k] == target) { continue }
          try service.setSegmentByRule(db, clientId: ids[k], segment: target, at: now)
          changed += 1
        }
      }

      // The snapshot.
      let revenue = results.reduce(Int64(0)) { $0 + $1.revenue }
      try db.execute(sql: "DELETE FROM class_run WHERE at = ?", arguments: [day])
      try db.execute(
        sql: """
          INSERT INTO class_run (at, months, period_from, share_a, share_b, cv_x, cv_y, clients,
            revenue, foreign_payments, segments_changed, user_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          day, months, periodFrom, Double(settings.abcSharePercents.a) / 100,
          Double(settings.abcSharePercents.b) / 100, settings.xyzLimits.x, settings.xyzLimits.y,
          n, revenue, foreign, changed, service.userId, now.timeIntervalSince1970,
        ])
      let runId = db.lastInsertedRowID
      let insert = try db.makeStatement(
        sql: """
          INSERT INTO client_class (run_id, client_id, abc, xyz, revenue, paying_months, months, cv)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """)
      // The C API again: 100,000 rows bound and stepped without building argument arrays.
      let ins = insert.sqliteStatement
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      for k in 0..<n {
        let r = results[k]
        sqlite3_bind_int64(ins, 1, runId)
        sqlite3_bind_int64(ins, 2, ids[k])
        sqlite3_bind_text(ins, 3, abc[k], -1, transient)
        sqlite3_bind_text(ins, 4, r.xyz.rawValue, -1, transient)
        sqlite3_bind_int64(ins, 5, r.revenue)
        sqlite3_bind_int64(ins, 6, Int64(r.payingMonths))
        sqlite3_bind_int64(ins, 7, Int64(r.months))
        if let cv = r.cv { sqlite3_bind_double(ins, 8, cv) } else { sqlite3_bind_null(ins, 8) }
        let rc = sqlite3_step(ins)
        sqlite3_reset(ins)
        guard rc == SQLITE_DONE else { throw db.sqliteError(rc) }
      }
      sqlite3_clear_bindings(ins)
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM class_run WHERE id = ?", arguments: [runId])
      else { throw CRMError.other("the snapshot was not stored") }
      // The counts from memory rather than reading the snapshot back.
      var abcCounts = ["A", "B", "C", ""].map { ClassCount(name: $0, clients: 0, revenue: 0) }
      var xyzCounts = Classification.XYZ.allCases.map {
        ClassCount(name: $0.rawValue, clients: 0, revenue: 0)
      }
      let abcIndex = ["A": 0, "B": 1, "C": 2, "": 3]
      let xyzIndex = Dictionary(
        uniqueKeysWithValues: Classification.XYZ.allCases.enumerated().map { ($1, $0) })
      for k in 0..<n {
        let a = abcIndex[abc[k]] ?? 3
        abcCounts[a].clients += 1
        abcCounts[a].revenue += results[k].revenue
        let x = xyzIndex[results[k].xyz] ?? 0
        xyzCounts[x].clients += 1
        xyzCounts[x].revenue += results[k].revenue
      }
      return Outcome(run: ClassRun(row), abc: abcCounts, xyz: xyzCounts)
    }
  }

  static func counts(
    _ db: Database, run: Int64, column: String, access: ClientAccess = .all
  ) throws -> [ClassCount] {
    let order = column == "abc" ? ["A", "B", "C", ""] : Classification.XYZ.allCases.map(\.rawValue)
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT \(column) AS name, COUNT(*) AS n, SUM(revenue) AS revenue FROM client_class
        WHERE run_id = ? AND \(access.condition(clientIdColumn: "client_id")) GROUP BY \(column)
        """, arguments: [run])
    var by: [String: ClassCount] = [:]
    for r in rows {
      by[r["name"]] = ClassCount(name: r["name"], clients: r["n"], revenue: r["revenue"] ?? 0)
    }
    return order.map { by[$0] ?? ClassCount(name: $0, clients: 0, revenue: 0) }
  }

  // MARK: Reading snapshots

  /// Every snapshot, the latest first.
  public func runs() throws(CRMError) -> [ClassRun] {
    let access = db.access
    return try db.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM class_run ORDER BY at DESC").map {
        try Self.scoped(db, ClassRun($0), access)
      }
    }
  }

  /// A snapshot as the viewer may see it: its totals (clients, revenue, payments left out) are
  /// those of the clients they may see, so the shares of the report add up to their part of the
  /// base and nothing of the whole base shows; the number of segments the run changed (a
  /// whole-base figure) is 0 unless everything is visible.
  static func scoped(_ db: Database, _ run: ClassRun, _ access: ClientAccess) throws -> ClassRun {
    if access.isAll { return run }
    var r = run
    let seen = access.condition(clientIdColumn: "client_id")
    if let row = try Row.fetchOne(
      db,
      sql: """
        SELECT COUNT(*) AS n, coalesce(SUM(revenue), 0) AS revenue FROM client_class
        WHERE run_id = ? AND \(seen)
        """, arguments: [run.id])
    {
      r.clients = row["n"]
      r.revenue = row["revenue"]
    }
    r.foreignPayments =
      try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM payment
          WHERE state = 'assigned' AND currency <> 'RUB' AND date > ? AND date <= ? AND \(seen)
          """, arguments: [run.periodFrom, run.at]) ?? 0
    r.segmentsChanged = 0
    return r
  }

  /// A snapshot by its id (`7`) or day (`2026-06-30`, `30.06.2026`); nil for the latest.
  public func run(_ ref: String?, option: String = "--at") throws(CRMError) -> ClassRun? {
    let l = language
    let access = db.access
    return try db.read { db -> ClassRun? in
      guard let ref else {
        return try Row.fetchOne(db, sql: "SELECT * FROM class_run ORDER BY at DESC LIMIT 1")
          .map { try Self.scoped(db, ClassRun($0), access) }
      }
      let row: Row?
      if let id = Int64(ref.trimmingSpaces()) {
        row = try Row.fetchOne(db, sql: "SELECT * FROM class_run WHERE id = ?", arguments: [id])
      } else if let day = Classification.day(ref) {
        row = try Row.fetchOne(db, sql: "SELECT * FROM class_run WHERE at = ?", arguments: [day])
      } else {
        throw CRMError.invalid(
          field: option,
          problem: l.pick(
            "«\(ref)» is neither a snapshot number nor a date (2026-06-30)",
            "«\(ref)» — ни номер снимка, ни дата (2026-06-30)"))
      }
      guard let row else {
        let known = try String.fetchAll(
          db, sql: "SELECT id || ' (' || at || ')' FROM class_run ORDER BY at DESC LIMIT 10")
        throw CRMError.invalid(
          field: option,
          problem: l.pick(
            "no snapshot «\(ref)»; there are: \(known.isEmpty ? "none — run crm classify" : known.joined(separator: ", "))",
            "снимка «\(ref)» нет; есть: \(known.isEmpty ? "никаких — запустите crm classify" : known.joined(separator: ", "))"
          ))
      }
      return try Self.scoped(db, ClassRun(row), access)
    }
  }

  /// The counts per class of a snapshot (`abc` or `xyz`).
  public func counts(run: Int64, column: String) throws(CRMError) -> [ClassCount] {
    let access = db.access
    return try db.read { db in try Self.counts(db, run: run, column: column, access: access) }
  }

  /// ABC × XYZ: clients in each pair, `[abc][xyz]` with abc in A, B, C, "" and xyz in order.
  public func cross(run: Int64) throws(CRMError) -> [String: [String: Int]] {
    let seen = db.access.condition(clientIdColumn: "client_id")
    return try db.read { db in
      var out: [String: [String: Int]] = [:]
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT abc, xyz, COUNT(*) AS n FROM client_class WHERE run_id = ? AND \(seen)
          GROUP BY abc, xyz
          """,
        arguments: [run])
      {
        out[r["abc"], default: [:]][r["xyz"]] = r["n"]
      }
      return out
    }
  }

  /// A client of a class list.
  public struct Member: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var abc: String
    public var xyz: String
    public var revenue: Int64
    public var payingMonths: Int
    public var months: Int
    public var cv: Double?
  }

  /// The clients of one class (`column` = value), the most revenue first (for XYZ: the steadiest
  /// first), at most `limit`.
  public func members(run: Int64, column: String, value: String, limit: Int) throws(CRMError)
    -> [Member]
  {
    let order =
      column == "xyz" ? "cc.cv, cc.revenue DESC, cc.client_id" : "cc.revenue DESC, cc.client_id"
    let seen = db.access.condition(client: "c")
    return try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT cc.*, c.name, c.legal_form FROM client_class cc JOIN client c ON c.id = cc.client_id
          WHERE cc.run_id = ? AND cc.\(column == "xyz" ? "xyz" : "abc") = ? AND \(seen)
          ORDER BY \(order) LIMIT ?
          """, arguments: [run, value, limit]
      ).map { r in
        Member(
          id: r["client_id"], name: Client.displayName(name: r["name"], legalForm: r["legal_form"]),
          abc: r["abc"], xyz: r["xyz"], revenue: r["revenue"], payingMonths: r["paying_months"],
          months: r["months"], cv: r["cv"])
      }
    }
  }

  /// Movement between two snapshots: `cells[from][to]` counts clients in both; `new` those only
  /// in `to` (by their class there), `gone` those only in `from` (by their class then).
  public struct Transitions: Equatable, Sendable {
    public var from: ClassRun
    public var to: ClassRun
    public var column: String
    public var classes: [String]
    public var cells: [String: [String: Int]]
    public var new: [String: Int]
    public var gone: [String: Int]

    public func count(_ a: String, _ b: String) -> Int { cells[a]?[b] ?? 0 }
    /// Clients in both snapshots whose class changed.
    public var moved: Int {
      cells.reduce(0) { s, e in s + e.value.filter { $0.key != e.key }.values.reduce(0, +) }
    }
  }

  /// The matrix of `column` (abc or xyz) from one snapshot to another.
  public func transitions(from: ClassRun, to: ClassRun, column: String) throws(CRMError)
    -> Transitions
  {
    let col = column == "xyz" ? "xyz" : "abc"
    let seenT = db.access.condition(clientIdColumn: "t.client_id")
    let seenF = db.access.condition(clientIdColumn: "f.client_id")
    return try db.read { db in
      var t = Transitions(
        from: from, to: to, column: col,
        classes: col == "abc" ? ["A", "B", "C", ""] : Classification.XYZ.allCases.map(\.rawValue),
        cells: [:], new: [:], gone: [:])
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT f.\(col) AS a, t.\(col) AS b, COUNT(*) AS n
          FROM client_class t LEFT JOIN client_class f ON f.run_id = ? AND f.client_id = t.client_id
          WHERE t.run_id = ? AND \(seenT) GROUP BY f.\(col), t.\(col)
          """, arguments: [from.id, to.id])
      {
        let a: String? = r["a"]
        let b: String = r["b"]
        if let a { t.cells[a, default: [:]][b] = r["n"] } else { t.new[b] = r["n"] }
      }
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT f.\(col) AS a, COUNT(*) AS n FROM client_class f
          WHERE f.run_id = ? AND \(seenF) AND NOT EXISTS (
            SELECT 1 FROM client_class t WHERE t.run_id = ? AND t.client_id = f.client_id)
          GROUP BY f.\(col)
          """, arguments: [from.id, to.id])
      {
        t.gone[r["a"]] = r["n"]
      }
      return t
    }
  }

  /// The two latest snapshots (older, newer); nil with fewer than two.
  public func lastTwo() throws(CRMError) -> (ClassRun, ClassRun)? {
    let access = db.access
    let all = try db.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM class_run ORDER BY at DESC LIMIT 2").map {
        try Self.scoped(db, ClassRun($0), access)
      }
    }
    return all.count == 2 ? (all[1], all[0]) : nil
  }

  /// The client's classes in the latest snapshot that has it: (abc, xyz, day).
  public func latest(clientId: Int64) throws(CRMError) -> (abc: String, xyz: String, at: String)? {
    let access = db.access
    return try db.read { db in
      if try access.hides(db, clientId: clientId) { return nil }
      return try Row.fetchOne(
        db,
        sql: """
          SELECT cc.abc, cc.xyz, r.at FROM client_class cc JOIN class_run r ON r.id = cc.run_id
          WHERE cc.client_id = ? ORDER BY r.at DESC LIMIT 1
          """, arguments: [clientId]
      ).map { (abc: $0["abc"], xyz: $0["xyz"], at: $0["at"]) }
    }
  }
}

extension ClientService {
  /// Gives a client the segment a rule chose ("" when none holds), audited as `classify`.
  func setSegmentByRule(_ db: Database, clientId: Int64, segment: String, at: Date) throws {
    guard let before = try Self.load(db, clientId) else { return }
    let change = try recordChange(
      db, clientId: clientId, entity: "client", entityId: clientId, action: "classify",
      before: before, at: at)
    try db.execute(
      sql: "UPDATE client SET segment = ?, segment_rule = ?, updated_at = ? WHERE id = ?",
      arguments: [segment, segment.isEmpty ? nil : segment, at.timeIntervalSince1970, clientId])
    try auditFields(
      db, change: change, clientId: clientId, entity: "client", entityId: clientId,
      action: "classify", old: ["segment": before.segment], new: ["segment": segment], at: at)
  }
}
