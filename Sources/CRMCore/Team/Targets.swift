import Foundation
import GRDB

/// The figures a target can be set on: the activity figures plus `contacts` (all five kinds).
public enum TargetMetric: String, CaseIterable, Sendable, Codable {
  case calls, meetings, letters, emails, other, contacts
  case newClients = "new_clients"
  case dealsMoved = "deals_moved"
  case dealsWon = "deals_won"
  /// RUB kopecks.
  case revenue

  /// The fact of this metric in a set of figures.
  public func fact(_ f: ActivityFigures) -> Int64 {
    switch self {
    case .calls: return Int64(f.calls)
    case .meetings: return Int64(f.meetings)
    case .letters: return Int64(f.letters)
    case .emails: return Int64(f.emails)
    case .other: return Int64(f.other)
    case .contacts: return Int64(f.contacts)
    case .newClients: return Int64(f.newClients)
    case .dealsMoved: return Int64(f.dealsMoved)
    case .dealsWon: return Int64(f.dealsWon)
    case .revenue: return f.revenueRUB
    }
  }

  /// The activity column showing this metric (nil: `contacts`, no single column).
  public var activity: ActivityMetric? { ActivityMetric(rawValue: rawValue) }

  /// `calls`, `звонки`… ; nil for anything else.
  public init?(argument: String) {
    let a = argument.lowercased().replacingOccurrences(of: "-", with: "_")
    if let m = TargetMetric(rawValue: a) {
      self = m
      return
    }
    let ru: [String: TargetMetric] = [
      "звонки": .calls, "встречи": .meetings, "письма": .letters, "email": .emails,
      "e_mail": .emails, "другое": .other, "контакты": .contacts, "новые_клиенты": .newClients,
      "клиенты": .newClients, "продвинуты": .dealsMoved, "выиграны": .dealsWon,
      "выручка": .revenue,
    ]
    guard let m = ru[a] else { return nil }
    self = m
  }
}

/// A per-user goal: `amount` of `metric` per `period` (revenue in kopecks).
public struct UserTarget: Equatable, Sendable {
  public var id: Int64
  public var userId: Int64
  public var login: String
  public var metric: TargetMetric
  public var period: ActivityGrouping
  public var amount: Int64
  public var setAt: Date
  public var setBy: String?
}

/// Plan against fact in one cell.
public struct PlanFact: Equatable, Sendable {
  public var plan: Double
  public var fact: Int64

  /// fact / plan; nil when the plan is zero.
  public var ratio: Double? { plan > 0 ? Double(fact) / plan : nil }
  public var met: Bool { plan > 0 && Double(fact) >= plan.rounded(.toNearestOrEven) }
  /// The plan rounded to a whole number (kopecks for revenue).
  public var planWhole: Int64 { Int64(plan.rounded()) }
  /// `105%`.
  public var percent: String { ratio.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }
}

/// Sets, lists and removes targets; scales them to report buckets.
public struct TargetService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Every target (of the users the signed-in user may see), by login, metric, period.
  public func list() throws(CRMError) -> [UserTarget] {
    let access = db.access
    return try db.read { d in
      try Row.fetchAll(
        d,
        sql: """
          SELECT t.*, u.login AS login, b.login AS by_login FROM user_target t
          JOIN app_user u ON u.id = t.user_id LEFT JOIN app_user b ON b.id = t.set_by
          WHERE \(access.condition(ownerColumn: "t.user_id"))
          ORDER BY u.login, t.metric, t.period
          """
      ).map(Self.target)
    }
  }

  static func target(_ r: Row) -> UserTarget {
    UserTarget(
      id: r["id"], userId: r["user_id"], login: r["login"],
      metric: TargetMetric(rawValue: r["metric"]) ?? .calls,
      period: ActivityGrouping(rawValue: r["period"]) ?? .week, amount: r["amount"],
      setAt: Date(timeIntervalSince1970: r["set_at"]), setBy: r["by_login"])
  }

  /// Sets (or replaces) a user's target. Supervisors and admins only; audited as entity
  /// `target`, client 0, action `set`.
  @discardableResult
  public func set(user: User, metric: TargetMetric, period: ActivityGrouping, amount: Int64)
    throws(CRMError) -> UserTarget
  {
    try db.require(
      [.supervisor, .admin], to: l.pick("setting a target", "установка цели"), language: l)
    guard amount >= 0 else {
      throw .invalid(
        field: "amount", problem: l.pick("must not be negative", "не может быть меньше нуля"))
    }
    let at = db.clock.now()
    return try db.write { d in
      let before = try Row.fetchOne(
        d, sql: "SELECT amount FROM user_target WHERE user_id = ? AND metric = ? AND period = ?",
        arguments: [user.id, metric.rawValue, period.rawValue]
      ).map { (r: Row) -> Int64 in r["amount"] }
      try d.execute(
        sql: """
          INSERT INTO user_target (user_id, metric, period, amount, set_by, set_at)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (user_id, metric, period) DO UPDATE SET amount = excluded.amount,
            set_by = excluded.set_by, set_at = excluded.set_at
          """,
        arguments: [
          user.id, metric.rawValue, period.rawValue, amount, userId, at.timeIntervalSince1970,
        ])
      let id =
        try Int64.fetchOne(
          d, sql: "SELECT id FROM user_target WHERE user_id = ? AND metric = ? AND period = ?",
          arguments: [user.id, metric.rawValue, period.rawValue]) ?? 0
      try audit(
        d, id: id, action: "set", old: before.map { Self.fields(user, metric, period, $0) } ?? [:],
        new: Self.fields(user, metric, period, amount), at: at)
      return UserTarget(
        id: id, userId: user.id, login: user.login, metric: metric, period: period,
        amount: amount, setAt: at, setBy: nil)
    }
  }

  /// Removes a target; false when there was none. Supervisors and admins only; audited as
  /// action `delete`.
  @discardableResult
  public func remove(user: User, metric: TargetMetric, period: ActivityGrouping)
    throws(CRMError) -> Bool
  {
    try db.require(
      [.supervisor, .admin], to: l.pick("removing a target", "удаление цели"), language: l)
    let at = db.clock.now()
    return try db.write { d in
      guard
        let r = try Row.fetchOne(
          d,
          sql: "SELECT id, amount FROM user_target WHERE user_id = ? AND metric = ? AND period = ?",
          arguments: [user.id, metric.rawValue, period.rawValue])
      else { return false }
      let id: Int64 = r["id"]
      try d.execute(sql: "DELETE FROM user_target WHERE id = ?", arguments: [id])
      try audit(
        d, id: id, action: "delete", old: Self.fields(user, metric, period, r["amount"]),
        new: [:], at: at)
      return true
    }
  }

  static func fields(
    _ user: User, _ metric: TargetMetric, _ period: ActivityGrouping, _ amount: Int64
  ) -> [String: String] {
    [
      "user": user.login, "metric": metric.rawValue, "period": period.rawValue,
      "amount": "\(amount)",
    ]
  }

  func audit(
    _ d: Database, id: Int64, action: String, old: [String: String], new: [String: String],
    at: Date
  ) throws {
    let log = context.clients
    let before: [String: String]? = old.isEmpty ? nil : old
    let change = try log.recordChange(
      d, clientId: 0, entity: "target", entityId: id, action: action, before: before, at: at)
    try log.auditFields(
      d, change: change, clientId: 0, entity: "target", entityId: id, action: action, old: old,
      new: new, at: at)
  }

  // MARK: Plan against fact

  /// Working days (Monday to Friday) whose start lies in [start of from's day, to).
  func workingDays(_ from: Date, _ to: Date) -> Int {
    let cal = calendar
    var day = CalendarMath.startOfDay(from, cal)
    var n = 0
    while day < to {
      let weekday = cal.component(.weekday, from: day)
      if weekday != 1 && weekday != 7 { n += 1 }
      day = CalendarMath.addDays(day, 1, cal)
    }
    return n
  }

  /// The target scaled to [from, to): the amount itself when the span is exactly one period of
  /// the target's length; otherwise amount × working days in the span / working days in the
  /// target period holding the span's start (a weekly target on a day: /5; on a month: × its
  /// working days / 5; a monthly target on a week: × 5 / the month's working days).
  public func plan(_ t: UserTarget, from: Date, to: Date) -> Double {
    let cal = calendar
    let home = t.period.interval(containing: from, cal)
    if home.start == from && home.end == to { return Double(t.amount) }
    let reference = workingDays(home.start, home.end)
    guard reference > 0 else { return 0 }
    return Double(t.amount) * Double(workingDays(from, to)) / Double(reference)
  }

  /// The target of `metric` for `userId` that best fits `grouping`: the one of the same period,
  /// else week, month, day.
  public static func pick(
    _ targets: [UserTarget], userId: Int64, metric: TargetMetric, grouping: ActivityGrouping?
  ) -> UserTarget? {
    let mine = targets.filter { $0.userId == userId && $0.metric == metric }
    let order: [ActivityGrouping] = [grouping ?? .week, .week, .month, .day]
    for p in order { if let t = mine.first(where: { $0.period == p }) { return t } }
    return nil
  }

  /// Plan against fact for a user's row: per bucket and for the whole period (the sum of the
  /// bucket plans). Nil when the user has no target of this metric.
  public static func planFact(
    _ service: TargetService, _ targets: [UserTarget], report: ActivityReport, row: ActivityRow,
    metric: TargetMetric
  ) -> (buckets: [PlanFact], total: PlanFact)? {
    guard let user = row.user,
      let t = pick(targets, userId: user.id, metric: metric, grouping: report.query.grouping)
    else { return nil }
    var list: [PlanFact] = []
    var sum = 0.0
    for (b, f) in zip(report.buckets, row.buckets) {
      let p = service.plan(t, from: b.from, to: b.to)
      sum += p
      list.append(PlanFact(plan: p, fact: metric.fact(f)))
    }
    return (list, PlanFact(plan: sum, fact: metric.fact(row.total)))
  }
}
