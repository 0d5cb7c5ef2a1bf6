import Foundation
import GRDB

/// What a funnel report looks at: a pipeline (the default one when nil), a period and filters.
public struct FunnelReportQuery: Equatable, Sendable {
  public var pipeline: String?
  /// `[from, to)`; nil ends are open.
  public var from: Date?
  public var to: Date?
  public var ownerId: Int64?
  public var source: String?

  public init(
    pipeline: String? = nil, from: Date? = nil, to: Date? = nil, ownerId: Int64? = nil,
    source: String? = nil
  ) {
    self.pipeline = pipeline
    self.from = from
    self.to = to
    self.ownerId = ownerId
    self.source = source
  }
}

/// One stage of the funnel report.
public struct StageStat: Equatable, Sendable {
  public var stage: Stage
  /// Deals created in the period that reached this stage or a later one.
  public var reached: Int
  /// `reached` over the previous stage's `reached`; nil for the first stage or when nothing
  /// reached the previous one.
  public var conversion: Double?
  /// Completed stays in the stage that began in the period.
  public var stays: Int
  public var meanDays: Double?
  public var medianDays: Double?
  /// Open deals in the stage now.
  public var openNow: Int

  public init(
    stage: Stage, reached: Int, conversion: Double?, stays: Int, meanDays: Double?,
    medianDays: Double?, openNow: Int
  ) {
    self.stage = stage
    self.reached = reached
    self.conversion = conversion
    self.stays = stays
    self.meanDays = meanDays
    self.medianDays = medianDays
    self.openNow = openNow
  }
}

/// Results of one group (an owner, a lead source or a month).
public struct GroupStat: Equatable, Sendable {
  public var key: String
  public var name: String
  /// Deals created in the period.
  public var created: Int
  /// Deals closed in the period, won and lost.
  public var won: Int
  public var lost: Int
  /// Won among those closed in the period.
  public var winRate: Double? { won + lost == 0 ? nil : Double(won) / Double(won + lost) }
  /// Revenue of the deals won in the period, per currency (most deals first).
  public var revenue: [Money]

  public init(key: String, name: String, created: Int, won: Int, lost: Int, revenue: [Money]) {
    self.key = key
    self.name = name
    self.created = created
    self.won = won
    self.lost = lost
    self.revenue = revenue
  }
}

/// The funnel report: conversion stage to stage and overall, days per stage, win rate, revenue;
/// by owner, lead source and month.
public struct FunnelReport: Equatable, Sendable {
  public var pipeline: Pipeline
  public var query: FunnelReportQuery
  public var stages: [StageStat]
  public var total: GroupStat
  /// Won over created, for deals created in the period.
  public var overallConversion: Double?
  public var byOwner: [GroupStat]
  public var bySource: [GroupStat]
  public var byMonth: [GroupStat]
}

/// Funnel analytics over deals and their stage history, in SQL with indexes: conversion counts
/// come from each deal's furthest stage (no history scan), durations from the history's
/// completed stays, results from the deals closed in the period.
///
/// Definitions (also in docs/user-guide.md):
/// - *created* — deals of the pipeline created in the period (owner and source filters apply);
/// - *reached(stage)* — created deals whose furthest stage is this one or later (lost is not on
///   the way: a deal lost at "decision" reached "decision");
/// - *conversion* — reached(stage) / reached(previous stage); *overall* — won / created, for
///   the created deals' current state;
/// - *days per stage* — stays that began in the period and have ended: mean and median;
/// - *won, lost, win rate, revenue* — deals closed in the period; win rate = won / (won + lost).
public struct FunnelAnalytics: Sendable {
  public let db: CRMDatabase
  public let language: Language
  public let timeZone: TimeZone

  public init(db: CRMDatabase, language: Language, timeZone: TimeZone = .current) {
    self.db = db
    self.language = language
    self.timeZone = timeZone
  }

  struct Where {
    var sql: [String] = []
    var args: [any DatabaseValueConvertible] = []
    mutating func add(_ s: String, _ a: any DatabaseValueConvertible...) {
      sql.append(s)
      args += a
    }
    var text: String { sql.isEmpty ? "1" : sql.joined(separator: " AND ") }
  }

  func dealFilter(_ q: FunnelReportQuery, pipeline: Pipeline) -> Where {
    var w = Where()
    w.add("d.pipeline_id = ?", pipeline.id)
    if let o = q.ownerId { w.add("d.owner_id = ?", o) }
    if let s = q.source { w.add("d.source = ?", s) }
    return w
  }

  static func median(_ values: inout [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    values.sort()
    let n = values.count
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
  }

  /// The funnel report for `q` as of `at` (now by default).
  public func funnel(_ q: FunnelReportQuery, at: Date? = nil) throws(CRMError) -> FunnelReport {
    let pipeline = try PipelineService(db: db, language: language).pipeline(q.pipeline)
    let now = at ?? db.clock.now()
    let base = dealFilter(q, pipeline: pipeline)
    var created = base
    if let f = q.from { created.add("d.created_at >= ?", f.timeIntervalSince1970) }
    if let t = q.to { created.add("d.created_at < ?", t.timeIntervalSince1970) }
    var closed = base
    closed.add("d.closed_at IS NOT NULL")
    if let f = q.from { closed.add("d.closed_at >= ?", f.timeIntervalSince1970) }
    if let t = q.to { closed.add("d.closed_at < ?", t.timeIntervalSince1970) }
    let l = language
    let tz = timeZone
    return try db.read { db in
      // Conversion: created deals by their furthest stage.
      var reachedAt: [Int64: Int] = [:]
      var createdCount = 0
      var wonOfCreated = 0
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT d.reached_stage_id AS s, count(*) AS n, sum(d.status = 'won') AS won
          FROM deal d WHERE \(created.text) GROUP BY d.reached_stage_id
          """, arguments: StatementArguments(created.args))
      {
        reachedAt[r["s"]] = r["n"]
        createdCount += r["n"] as Int
        wonOfCreated += r["won"] as Int
      }
      let chain = pipeline.stages.filter { $0.kind != .lost }
      let archived = try Self.archivedPositions(db, pipeline.id)
      func reached(_ s: Stage) -> Int {
        reachedAt.reduce(0) { sum, e in
          let pos =
            chain.first { $0.id == e.key }?.position ?? archived[e.key] ?? Int.min
          return pos >= s.position ? sum + e.value : sum
        }
      }
      // Durations: completed stays that began in the period.
      var stay = Where()
      stay.add("h.left_at IS NOT NULL")
      if let f = q.from { stay.add("h.at >= ?", f.timeIntervalSince1970) }
      if let t = q.to { stay.add("h.at < ?", t.timeIntervalSince1970) }
      let stageIds = pipeline.stages.map { String($0.id) }.joined(separator: ", ")
      var join = ""
      if q.ownerId != nil || q.source != nil {
        join = "JOIN deal d ON d.id = h.deal_id"
        if let o = q.ownerId { stay.add("d.owner_id = ?", o) }
        if let s = q.source { stay.add("d.source = ?", s) }
      }
      var durations: [Int64: [Double]] = [:]
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT h.to_stage_id, h.left_at - h.at FROM deal_stage h \(join)
          WHERE h.to_stage_id IN (\(stageIds)) AND \(stay.text)
          """, arguments: StatementArguments(stay.args))
      while let r = try cursor.next() {
        durations[r[0], default: []].append((r[1] as Double) / 86400)
      }
      var openNow: [Int64: Int] = [:]
      var openWhere = dealFilter(q, pipeline: pipeline)
      openWhere.add("d.closed_at IS NULL")
      for r in try Row.fetchAll(
        db,
        sql: "SELECT d.stage_id, count(*) FROM deal d WHERE \(openWhere.text) GROUP BY d.stage_id",
        arguments: StatementArguments(openWhere.args))
      {
        openNow[r[0]] = r[1]
      }
      var stats: [StageStat] = []
      var previous: Int?
      for s in chain {
        let n = reached(s)
        var d = durations[s.id] ?? []
        let mean = d.isEmpty ? nil : d.reduce(0, +) / Double(d.count)
        stats.append(
          StageStat(
            stage: s, reached: n,
            conversion: previous.flatMap { $0 == 0 ? nil : Double(n) / Double($0) },
            stays: d.count, meanDays: mean, medianDays: Self.median(&d), openNow: openNow[s.id] ?? 0
          ))
        previous = n
      }
      // Groups: created (cohort) and closed in the period, by owner / source / month.
      func groups(_ keySQL: String) throws -> [String: GroupStat] {
        var out: [String: GroupStat] = [:]
        for r in try Row.fetchAll(
          db,
          sql: "SELECT \(keySQL) AS k, count(*) AS n FROM deal d WHERE \(created.text) GROUP BY k",
          arguments: StatementArguments(created.args))
        {
          let k = Self.text(r["k"])
          out[k, default: GroupStat(key: k, name: k, created: 0, won: 0, lost: 0, revenue: [])]
            .created += r["n"] as Int
        }
        var money: [String: [String: (Int, Int64)]] = [:]
        for r in try Row.fetchAll(
          db,
          sql: """
            SELECT \(keySQL.replacingOccurrences(of: "created_at", with: "closed_at")) AS k,
              d.status, d.currency, count(*) AS n, sum(d.amount) AS total
            FROM deal d WHERE \(closed.text) GROUP BY k, d.status, d.currency
            """, arguments: StatementArguments(closed.args))
        {
          let k = Self.text(r["k"])
          var g = out[k] ?? GroupStat(key: k, name: k, created: 0, won: 0, lost: 0, revenue: [])
          let n: Int = r["n"]
          if r["status"] as String == "won" {
            g.won += n
            let code: String = r["currency"]
            let old = money[k, default: [:]][code] ?? (0, 0)
            money[k, default: [:]][code] = (old.0 + n, old.1 + (r["total"] as Int64))
          } else {
            g.lost += n
          }
          out[k] = g
        }
        for (k, byCurrency) in money {
          out[k]?.revenue = byCurrency.sorted { ($0.value.0, $1.key) > ($1.value.0, $0.key) }.map {
            Money(minor: $0.value.1, currency: Currency.named($0.key) ?? .rub)
          }
        }
        return out
      }
      let total =
        try groups("'all'")["all"]
        ?? GroupStat(key: "all", name: "", created: 0, won: 0, lost: 0, revenue: [])
      let logins = Dictionary(
        uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, login FROM app_user").map {
          (String($0["id"] as Int64), $0["login"] as String)
        })
      let byOwner = try groups("d.owner_id").values.map { g -> GroupStat in
        var g = g
        g.name = logins[g.key] ?? g.key
        g.key = g.name
        return g
      }.sorted { ($0.created + $0.won, $1.name) > ($1.created + $1.won, $0.name) }
      let sources = try PipelineService.loadChoices(db, "lead_source")
      let bySource = try groups("d.source").values.map { g -> GroupStat in
        var g = g
        g.name =
          g.key.isEmpty
          ? l.pick("(not set)", "(не указан)")
          : sources.first { $0.key == g.key }?.name(l) ?? g.key
        return g
      }.sorted { ($0.created + $0.won, $1.name) > ($1.created + $1.won, $0.name) }
      // Months in the user's zone: boundaries computed here, bucketed in SQL.
      let months = Self.monthStarts(
        from: q.from ?? CalendarMath.addMonths(now, -11, Self.calendar(tz)), to: q.to ?? now,
        tz: tz)
      var byMonth: [GroupStat] = []
      if months.count > 1 {
        let bucket =
          "CASE WHEN created_at < \(months[0].timeIntervalSince1970) THEN NULL "
          + (1..<months.count).map {
            "WHEN created_at < \(months[$0].timeIntervalSince1970) THEN \($0 - 1) "
          }.joined() + "ELSE NULL END"
        let g = try groups(
          bucket.replacingOccurrences(of: "created_at", with: "d.created_at"))
        let f = Formats(language: .en, timeZone: tz)
        for i in 0..<(months.count - 1) {
          let name = String(f.date(months[i]).prefix(7))
          var s =
            g[String(i)]
            ?? GroupStat(key: name, name: name, created: 0, won: 0, lost: 0, revenue: [])
          s.key = name
          s.name = name
          byMonth.append(s)
        }
      }
      return FunnelReport(
        pipeline: pipeline, query: q, stages: stats, total: total,
        overallConversion: createdCount == 0 ? nil : Double(wonOfCreated) / Double(createdCount),
        byOwner: byOwner, bySource: bySource, byMonth: byMonth)
    }
  }

  static func text(_ v: DatabaseValue) -> String {
    switch v.storage {
    case .null: return ""
    case .int64(let i): return String(i)
    case .double(let d): return String(d)
    case .string(let s): return s
    case .blob: return ""
    }
  }

  static func calendar(_ tz: TimeZone) -> Calendar {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = tz
    return c
  }

  /// Month starts covering `[from, to)`, plus the start of the month after the last one.
  static func monthStarts(from: Date, to: Date, tz: TimeZone) -> [Date] {
    let cal = calendar(tz)
    var d = CalendarMath.startOfMonth(from, cal)
    var out = [d]
    while d < to && out.count < 121 {
      d = CalendarMath.addMonths(d, 1, cal)
      out.append(d)
    }
    if out.count == 1 { out.append(CalendarMath.addMonths(d, 1, cal)) }
    return out
  }

  static func archivedPositions(_ db: Database, _ pipeline: Int64) throws -> [Int64: Int] {
    Dictionary(
      uniqueKeysWithValues: try Row.fetchAll(
        db, sql: "SELECT id, position FROM stage WHERE pipeline_id = ? AND archived = 1",
        arguments: [pipeline]
      ).map { ($0["id"] as Int64, (($0["position"] as Int) - 1000)) })
  }
}
