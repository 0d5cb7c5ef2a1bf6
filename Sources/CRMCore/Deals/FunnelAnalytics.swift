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
  /// Deals created or closed in the period that reached this stage or a later one.
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
  /// Won over the funnel's deals (created or closed in the period).
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
/// - *the funnel's deals* — deals of the pipeline created in the period or closed in it, so
///   the won stage of the funnel counts every deal won in the period (the same number as *won*
///   below) and a deal created before the period and won in it is not missing from the funnel;
/// - *reached(stage)* — the funnel's deals whose furthest stage is this one or later (lost is
///   not on the way: a deal lost at "decision" reached "decision");
/// - *conversion* — reached(stage) / reached(previous stage); *overall* — won / the funnel's
///   deals (the first stage's reached);
/// - *days per stage* — stays that began in the period and have ended: mean and median;
/// - *won, lost, win rate, revenue* — deals closed in the period; win rate = won / (won + lost).
public struct FunnelAnalytics: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
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
    if !db.access.isAll { w.add(db.access.condition(clientIdColumn: "d.client_id")) }
    return w
  }

  struct Durations {
    var count: Int
    var mean: Double?
    var median: Double?
  }

  /// Completed stays per stage in days. All time and unfiltered: counts and totals from the
  /// trigger-kept `stage_stay`, medians by walking `deal_stage_by_duration` to the middle.
  /// Otherwise one scan of the stays that began in the period (joined to the deal for owner or
  /// source), medians by sorting in memory.
  static func durations(
    _ db: Database, _ q: FunnelReportQuery, pipeline: Pipeline, access: ClientAccess = .all
  ) throws -> [Int64: Durations] {
    var out: [Int64: Durations] = [:]
    let stageIds = pipeline.stages.map { String($0.id) }.joined(separator: ", ")
    if q.from == nil && q.to == nil && q.ownerId == nil && q.source == nil && access.isAll {
      for r in try Row.fetchAll(
        db, sql: "SELECT stage_id, stays, seconds FROM stage_stay WHERE stage_id IN (\(stageIds))")
      {
        let id: Int64 = r["stage_id"]
        let n: Int = r["stays"]
        guard n > 0 else { continue }
        let middle = try Double.fetchAll(
          db,
          sql: """
            SELECT duration FROM deal_stage INDEXED BY deal_stage_by_duration
            WHERE to_stage_id = ? AND left_at IS NOT NULL
            ORDER BY duration LIMIT ? OFFSET ?
            """, arguments: [id, n % 2 == 1 ? 1 : 2, (n - 1) / 2])
        out[id] = Durations(
          count: n, mean: (r["seconds"] as Double) / Double(n) / 86400,
          median: middle.isEmpty ? nil : middle.reduce(0, +) / Double(middle.count) / 86400)
      }
      return out
    }
    var w = Where()
    w.add("h.left_at IS NOT NULL")
    if let f = q.from { w.add("h.at >= ?", f.timeIntervalSince1970) }
    if let t = q.to { w.add("h.at < ?", t.timeIntervalSince1970) }
    var join = ""
    if q.ownerId != nil || q.source != nil || !access.isAll {
      join = "JOIN deal d ON d.id = h.deal_id"
      if let o = q.ownerId { w.add("d.owner_id = ?", o) }
      if let s = q.source { w.add("d.source = ?", s) }
      if !access.isAll { w.add(access.condition(clientIdColumn: "d.client_id")) }
    }
    var values: [Int64: [Double]] = [:]
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT h.to_stage_id, h.duration FROM deal_stage h \(join)
        WHERE h.to_stage_id IN (\(stageIds)) AND \(w.text)
        """, arguments: StatementArguments(w.args))
    while let r = try cursor.next() {
      values[r[0], default: []].append((r[1] as Double) / 86400)
    }
    for (id, var v) in values {
      out[id] = Durations(
        count: v.count, mean: v.reduce(0, +) / Double(v.count), median: median(&v))
    }
    return out
  }

  static func median(_ values: inout [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    values.sort()
    let n = values.count
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
  }

  /// The funnel report for `q` as of `at` (now by default).
  public func funnel(_ q: FunnelReportQuery, at: Date? = nil) throws(CRMError) -> FunnelReport {
    let pipeline = try context.pipelines.pipeline(q.pipeline)
    let now = at ?? db.clock.now()
    let base = dealFilter(q, pipeline: pipeline)
    let access = db.access
    let l = language
    let tz = timeZone
    return try db.read { db in
      // One pass over the pipeline's deals (the covering index `deal_report`), aggregated here:
      // SQLite groups by sorting, which costs more than the scan itself.
      let months = Self.monthStarts(
        from: q.from ?? CalendarMath.addMonths(now, -11, Self.calendar(tz)), to: q.to ?? now,
        tz: tz)
      let monthBounds = months.map(\.timeIntervalSince1970)
      let sourceList = try PipelineService.loadChoices(db, "lead_source")
      let sourceCase =
        sourceList.isEmpty
        ? "-1"
        : "CASE d.source "
          + sourceList.enumerated().map {
            "WHEN '\($0.element.key.replacingOccurrences(of: "'", with: "''"))' THEN \($0.offset) "
          }
          .joined() + "ELSE -1 END"
      let currencyCase =
        "CASE d.currency "
        + Currency.known.enumerated().map { "WHEN '\($0.element.code)' THEN \($0.offset) " }
        .joined() + "ELSE -1 END"
      let from = q.from?.timeIntervalSince1970 ?? -Double.infinity
      let to = q.to?.timeIntervalSince1970 ?? Double.infinity
      func empty(_ k: String) -> GroupStat {
        GroupStat(key: k, name: k, created: 0, won: 0, lost: 0, revenue: [])
      }
      var reachedAt: [Int64: Int] = [:]
      var cohort = 0
      var wonOfCohort = 0
      let chain = pipeline.stages.filter { $0.kind != .lost }
      var total = empty("all")
      var owners: [Int64: GroupStat] = [:]
      var sources: [String: GroupStat] = [:]
      var monthly: [Int: GroupStat] = [:]
      // Revenue per group and currency: (deals, sum); groups "all", "o<id>", "s<key>", "m<i>".
      var revenue: [String: [String: (Int, Int64)]] = [:]
      func addRevenue(_ group: String, _ code: String, _ sum: Int64) {
        let old = revenue[group, default: [:]][code] ?? (0, 0)
        revenue[group, default: [:]][code] = (old.0 + 1, old.1 + sum)
      }
      func month(_ t: Double) -> Int? {
        guard monthBounds.count > 1, t >= monthBounds[0] else { return nil }
        var lo = 0
        var hi = monthBounds.count - 1
        while lo < hi {
          let mid = (lo + hi + 1) / 2
          if monthBounds[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo < monthBounds.count - 1 ? lo : nil
      }
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT d.owner_id, \(sourceCase), CASE WHEN \(sourceCase) < 0 THEN d.source END,
            d.created_at, d.reached_stage_id, (d.status = 'won') + 2 * (d.status = 'lost'),
            d.closed_at, \(currencyCase), CASE WHEN \(currencyCase) < 0 THEN d.currency END,
            d.amount
          FROM deal d WHERE \(base.text)
          """, arguments: StatementArguments(base.args))
      while let r = try cursor.next() {
        let owner: Int64 = r[0]
        let sourceIndex: Int = r[1]
        let source = sourceIndex >= 0 ? sourceList[sourceIndex].key : (r[2] as String? ?? "")
        let createdAt: Double = r[3]
        let status: Int = r[5]
        let closedAt = r[6] as Double?
        let closedIn = status != 0 && closedAt.map { $0 >= from && $0 < to } ?? false
        let createdIn = createdAt >= from && createdAt < to
        // The funnel's deals: created in the period or closed in it. A deal won after the
        // period's end counts as far as the last open stage (it had not won yet).
        if createdIn || closedIn {
          cohort += 1
          let wonBy = status == 1 && (closedAt ?? .infinity) < to
          if status == 1 && !wonBy, let last = chain.last {
            reachedAt[last.id, default: 0] += 1
          } else {
            reachedAt[r[4], default: 0] += 1
          }
          if wonBy { wonOfCohort += 1 }
        }
        if createdIn {
          total.created += 1
          owners[owner, default: empty("")].created += 1
          sources[source, default: empty(source)].created += 1
          if let m = month(createdAt) { monthly[m, default: empty("")].created += 1 }
        }
        guard closedIn, let closedAt else { continue }
        let m = month(closedAt)
        if status == 1 {
          total.won += 1
          owners[owner, default: empty("")].won += 1
          sources[source, default: empty(source)].won += 1
          if let m { monthly[m, default: empty("")].won += 1 }
          let currencyIndex: Int = r[7]
          let code =
            currencyIndex >= 0 ? Currency.known[currencyIndex].code : (r[8] as String? ?? "RUB")
          let amount: Int64 = r[9]
          addRevenue("all", code, amount)
          addRevenue("o\(owner)", code, amount)
          addRevenue("s" + source, code, amount)
          if let m { addRevenue("m\(m)", code, amount) }
        } else {
          total.lost += 1
          owners[owner, default: empty("")].lost += 1
          sources[source, default: empty(source)].lost += 1
          if let m { monthly[m, default: empty("")].lost += 1 }
        }
      }
      let archived = try Self.archivedPositions(db, pipeline.id)
      func reached(_ s: Stage) -> Int {
        reachedAt.reduce(0) { sum, e in
          let pos =
            chain.first { $0.id == e.key }?.position ?? archived[e.key] ?? Int.min
          return pos >= s.position ? sum + e.value : sum
        }
      }
      // Durations: completed stays that began in the period.
      let durations = try Self.durations(db, q, pipeline: pipeline, access: access)
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
        let d = durations[s.id]
        stats.append(
          StageStat(
            stage: s, reached: n,
            conversion: previous.flatMap { $0 == 0 ? nil : Double(n) / Double($0) },
            stays: d?.count ?? 0, meanDays: d?.mean, medianDays: d?.median,
            openNow: openNow[s.id] ?? 0))
        previous = n
      }
      func money(_ group: String) -> [Money] {
        (revenue[group] ?? [:]).sorted { ($0.value.0, $1.key) > ($1.value.0, $0.key) }.map {
          Money(minor: $0.value.1, currency: Currency.named($0.key) ?? .rub)
        }
      }
      total.revenue = money("all")
      let logins = Dictionary(
        uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, login FROM app_user").map {
          ($0["id"] as Int64, $0["login"] as String)
        })
      let byOwner = owners.map { id, g -> GroupStat in
        var g = g
        g.name = logins[id] ?? String(id)
        g.key = g.name
        g.revenue = money("o\(id)")
        return g
      }.sorted { ($0.created + $0.won, $1.name) > ($1.created + $1.won, $0.name) }
      let bySource = sources.map { key, g -> GroupStat in
        var g = g
        g.key = key
        g.name =
          key.isEmpty
          ? l.pick("(not set)", "(не указан)")
          : sourceList.first { $0.key == key }?.name(l) ?? key
        g.revenue = money("s" + key)
        return g
      }.sorted { ($0.created + $0.won, $1.name) > ($1.created + $1.won, $0.name) }
      var byMonth: [GroupStat] = []
      let f = Formats(language: .en, timeZone: tz)
      for i in 0..<max(0, months.count - 1) {
        let name = String(f.date(months[i]).prefix(7))
        var g = monthly[i] ?? empty(name)
        g.key = name
        g.name = name
        g.revenue = money("m\(i)")
        byMonth.append(g)
      }
      return FunnelReport(
        pipeline: pipeline, query: q, stages: stats, total: total,
        overallConversion: cohort == 0 ? nil : Double(wonOfCohort) / Double(cohort),
        byOwner: byOwner, bySource: bySource, byMonth: byMonth)
    }
  }

  static func calendar(_ tz: TimeZone) -> Calendar {
    TimeContext(now: Date(), timeZone: tz).calendar
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
