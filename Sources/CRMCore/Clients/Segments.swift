import Foundation
import GRDB

/// A segment rule: "VIP when revenue over 12 months ≥ 1 000 000 ₽". Rules are tried in order;
/// the first that holds gives a client its segment (see docs/classification.md).
public struct SegmentRule: Equatable, Sendable {
  public enum Metric: String, CaseIterable, Sendable {
    /// Roubles received (kopecks).
    case revenue
    /// Payments received.
    case payments
    /// Months (of the rule's period) with any revenue.
    case months

    public func name(_ l: Language) -> String {
      switch self {
      case .revenue: return l.pick("revenue", "выручка")
      case .payments: return l.pick("payments", "платежей")
      case .months: return l.pick("paying months", "месяцев с оплатой")
      }
    }

    static func parse(_ s: String) -> Metric? {
      switch TextFold.key(s) {
      case "revenue", "выручка": return .revenue
      case "payments", "платежи", "платежей": return .payments
      case "months", "месяцы", "месяцев": return .months
      default: return nil
      }
    }
  }

  public enum Op: String, CaseIterable, Sendable {
    case atLeast = ">="
    case atMost = "<="
    case equal = "="

    func holds(_ a: Int64, _ b: Int64) -> Bool {
      switch self {
      case .atLeast: return a >= b
      case .atMost: return a <= b
      case .equal: return a == b
      }
    }

    var symbol: String {
      switch self {
      case .atLeast: return "≥"
      case .atMost: return "≤"
      case .equal: return "="
      }
    }
  }

  public var id: Int64?
  public var position: Int
  public var segment: String
  public var metric: Metric
  public var op: Op
  /// Kopecks for revenue, a count otherwise.
  public var value: Int64
  /// The rule's period in months ending on the classification day.
  public var months: Int

  public init(
    id: Int64? = nil, position: Int = 0, segment: String, metric: Metric, op: Op, value: Int64,
    months: Int = 12
  ) {
    self.id = id
    self.position = position
    self.segment = segment
    self.metric = metric
    self.op = op
    self.value = value
    self.months = months
  }

  /// True when a client with these numbers over the rule's months gets the segment.
  public func holds(revenue: Int64, payments: Int64, months paying: Int64) -> Bool {
    switch metric {
    case .revenue: return op.holds(revenue, value)
    case .payments: return op.holds(payments, value)
    case .months: return op.holds(paying, value)
    }
  }

  /// `revenue ≥ 1 000 000 ₽ over 12 months`.
  public func conditionText(_ l: Language) -> String {
    let v =
      metric == .revenue ? Money(minor: value).formatted(l, whole: value % 100 == 0) : "\(value)"
    return "\(metric.name(l)) \(op.symbol) \(v) "
      + l.pick("over \(months) mo.", "за \(months) мес.")
  }

  /// Reads `revenue >= 1 000 000`, `payments = 1`, `выручка ≥ 500000`, `months>=6`.
  public static func parseCondition(_ text: String, language l: Language) throws(CRMError) -> (
    Metric, Op, Int64
  ) {
    let t = text.replacingOccurrences(of: "≥", with: ">=").replacingOccurrences(
      of: "≤", with: "<=")
    let bad = CRMError.invalid(
      field: "condition",
      problem: l.pick(
        "«\(text)»: write METRIC OP VALUE, with METRIC revenue, payments or months and OP >=, <= or =, e.g. \"revenue >= 1000000\"",
        "«\(text)»: пишите МЕТРИКА ОП ЗНАЧЕНИЕ: метрика revenue (выручка), payments (платежи) или months (месяцы), ОП >=, <= или =, например \"revenue >= 1000000\""
      ))
    var op: Op?
    var split: Range<String.Index>?
    for candidate in [Op.atLeast, .atMost, .equal] {
      if let r = t.range(of: candidate.rawValue) {
        op = candidate
        split = r
        break
      }
    }
    guard let op, let split else { throw bad }
    let name = String(t[..<split.lowerBound]).trimmingSpaces()
    let valueText = String(t[split.upperBound...]).trimmingSpaces()
    guard let metric = Metric.parse(name), !valueText.isEmpty else { throw bad }
    if metric == .revenue {
      let m = try Money.parse(valueText, language: l, field: "condition")
      return (metric, op, m.minor)
    }
    guard let n = Int64(valueText), n >= 0, n <= 1_000_000 else {
      throw CRMError.invalid(
        field: "condition",
        problem: l.pick(
          "«\(valueText)»: a whole number from 0 is needed",
          "«\(valueText)»: нужно целое число от 0"))
    }
    return (metric, op, n)
  }
}

/// Segment rules in the database, and the segments report.
public struct SegmentService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  public func rules() throws(CRMError) -> [SegmentRule] {
    try db.read { db in try Self.rules(db) }
  }

  static func rules(_ db: Database) throws -> [SegmentRule] {
    try Row.fetchAll(db, sql: "SELECT * FROM segment_rule ORDER BY position, id").map { r in
      SegmentRule(
        id: r["id"], position: r["position"], segment: r["segment"],
        metric: SegmentRule.Metric(rawValue: r["metric"]) ?? .revenue,
        op: SegmentRule.Op(rawValue: r["op"]) ?? .atLeast, value: r["value"], months: r["months"])
    }
  }

  /// Adds a rule at the end (or at `position`, 1-based, moving the others down); returns its id.
  @discardableResult
  public func add(_ rule: SegmentRule, at position: Int? = nil) throws(CRMError) -> Int64 {
    let l = language
    try db.require([.supervisor, .admin], to: "crm segment rule add", language: l)
    let segment = TextFold.sanitizeLine(rule.segment).trimmingSpaces()
    guard !segment.isEmpty else {
      throw .invalid(field: "segment", problem: l.pick("is empty", "пусто"))
    }
    guard (1...36).contains(rule.months) else {
      throw .invalid(field: "months", problem: l.pick("from 1 to 36", "от 1 до 36"))
    }
    let at = db.clock.now().timeIntervalSince1970
    return try db.write { db in
      let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment_rule") ?? 0
      let pos = Swift.max(1, Swift.min(position ?? count + 1, count + 1))
      try db.execute(
        sql: "UPDATE segment_rule SET position = position + 1 WHERE position >= ?",
        arguments: [pos])
      try db.execute(
        sql: """
          INSERT INTO segment_rule (position, segment, metric, op, value, months, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          pos, segment, rule.metric.rawValue, rule.op.rawValue, rule.value, rule.months, at,
        ])
      return db.lastInsertedRowID
    }
  }

  /// Removes a rule; the segments it gave stay until the next `crm classify`.
  public func remove(_ id: Int64) throws(CRMError) {
    let l = language
    try db.require([.supervisor, .admin], to: "crm segment rule remove", language: l)
    try db.write { db in
      guard
        let pos = try Int.fetchOne(
          db, sql: "SELECT position FROM segment_rule WHERE id = ?", arguments: [id])
      else { throw CRMError.notFound(what: l.pick("segment rule", "правило сегмента"), id: id) }
      try db.execute(sql: "DELETE FROM segment_rule WHERE id = ?", arguments: [id])
      try db.execute(
        sql: "UPDATE segment_rule SET position = position - 1 WHERE position > ?",
        arguments: [pos])
    }
  }

  /// One segment of the report: clients, their share of the base, revenue over the months.
  public struct Line: Equatable, Sendable {
    /// Empty for clients without a segment.
    public var segment: String
    public var clients: Int
    public var byRule: Int
    public var revenue: Int64
    public var share: Double
    public var revenueShare: Double?
  }

  public struct Report: Equatable, Sendable {
    public var lines: [Line]
    public var clients: Int
    public var revenue: Int64
    public var from: String
    public var to: String
    public var months: Int
  }

  /// Segments of the live clients (optionally one owner's): count, share, revenue in roubles
  /// over the `months` ending on `day` (yyyy-mm-dd); the largest segments first.
  public func report(day: String, months: Int = 12, ownerId: Int64? = nil) throws(CRMError)
    -> Report
  {
    let from = Classification.periodStart(day: day, months: months)
    let access = db.access
    return try db.read { db in
      var sql = """
        SELECT c.segment, COUNT(*) AS n,
          SUM(c.segment <> '' AND c.segment = c.segment_rule) AS by_rule,
          COALESCE(SUM(r.revenue), 0) AS revenue
        FROM client c
        LEFT JOIN (
          SELECT client_id, SUM(amount) AS revenue FROM payment
          WHERE state = 'assigned' AND currency = 'RUB' AND client_id IS NOT NULL
            AND date > ? AND date <= ?
          GROUP BY client_id
        ) r ON r.client_id = c.id
        WHERE c.deleted_at IS NULL AND \(access.condition(client: "c"))
        """
      var args: [DatabaseValueConvertible?] = [from, day]
      if let ownerId {
        sql += " AND c.owner_id = ?"
        args.append(ownerId)
      }
      sql += " GROUP BY c.segment ORDER BY n DESC, c.segment"
      let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
      let total = rows.reduce(0) { $0 + ($1["n"] as Int) }
      let revenue = rows.reduce(Int64(0)) { $0 + ($1["revenue"] as Int64) }
      let lines = rows.map { r in
        Line(
          segment: r["segment"], clients: r["n"], byRule: r["by_rule"] ?? 0,
          revenue: r["revenue"],
          share: total == 0 ? 0 : Double(r["n"] as Int) / Double(total),
          revenueShare: revenue == 0 ? nil : Double(r["revenue"] as Int64) / Double(revenue))
      }
      return Report(
        lines: lines, clients: total, revenue: revenue, from: from, to: day, months: months)
    }
  }
}
