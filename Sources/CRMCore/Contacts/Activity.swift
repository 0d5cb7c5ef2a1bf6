import Foundation
import GRDB
import GRDBSQLite

// The activity report: what each manager did in a period, split into days, weeks or months.
// Every figure is one grouped SQL over its covering index; the drill-down of any cell reads the
// rows behind it with the same conditions, so a count and its list always agree.
// Definitions: docs/activity.md.

/// How the report splits its period.
public enum ActivityGrouping: String, CaseIterable, Sendable, Codable {
  case day, week, month

  public func name(_ l: Language) -> String {
    switch self {
    case .day: return l.pick("day", "день")
    case .week: return l.pick("week", "неделя")
    case .month: return l.pick("month", "месяц")
    }
  }

  /// `day`, `week`, `month` or the Russian words; nil for anything else.
  public init?(argument: String) {
    switch argument.lowercased() {
    case "day", "days", "день", "дни", "d": self = .day
    case "week", "weeks", "неделя", "недели", "w": self = .week
    case "month", "months", "месяц", "месяцы", "m": self = .month
    default: return nil
    }
  }

  /// The period of this length that holds `date` (weeks start on Monday).
  public func interval(containing date: Date, _ cal: Calendar) -> DateInterval {
    let start: Date
    let end: Date
    switch self {
    case .day:
      start = CalendarMath.startOfDay(date, cal)
      end = CalendarMath.addDays(start, 1, cal)
    case .week:
      start = CalendarMath.startOfWeek(date, cal)
      end = CalendarMath.addDays(start, 7, cal)
    case .month:
      start = CalendarMath.startOfMonth(date, cal)
      end = CalendarMath.addMonths(start, 1, cal)
    }
    return DateInterval(start: start, end: end)
  }

  /// The start of the next period after the one starting at `start`.
  public func next(_ start: Date, _ cal: Calendar) -> Date {
    switch self {
    case .day: return CalendarMath.addDays(start, 1, cal)
    case .week: return CalendarMath.addDays(start, 7, cal)
    case .month: return CalendarMath.addMonths(start, 1, cal)
    }
  }
}

/// One figure of the report.
public enum ActivityMetric: String, CaseIterable, Sendable, Codable {
  /// Contacts done (status `done`) by kind; `other` takes requests, complaints, visits and other.
  case calls, meetings, letters, emails, other
  /// Contacts closed as "no answer" (status `missed`), every kind.
  case missed
  /// Contacts still planned (status `planned`) with a due time in the bucket.
  case planned
  /// Contacts planned and past due now: a current figure, not per bucket.
  case overdue
  /// Clients created in the bucket, by owner, not in the trash.
  case newClients = "new_clients"
  /// Stage moves by the user (stage-history rows with a previous stage).
  case dealsMoved = "deals_moved"
  /// Deals won (closed) in the bucket, by owner.
  case dealsWon = "deals_won"
  /// The won deals' amount in RUB kopecks (other currencies: `ActivityFigures.revenue`).
  case revenue

  /// Done contacts of all five kinds (targets only; not a column).
  public static let contactKinds: [ActivityMetric] = [.calls, .meetings, .letters, .emails, .other]

  public func name(_ l: Language) -> String {
    switch self {
    case .calls: return l.pick("calls", "звонки")
    case .meetings: return l.pick("meetings", "встречи")
    case .letters: return l.pick("letters", "письма")
    case .emails: return l.pick("e-mails", "e-mail")
    case .other: return l.pick("other contacts", "другие контакты")
    case .missed: return l.pick("no answer", "не дозвонились")
    case .planned: return l.pick("planned", "запланировано")
    case .overdue: return l.pick("overdue now", "просрочено сейчас")
    case .newClients: return l.pick("new clients", "новые клиенты")
    case .dealsMoved: return l.pick("deals moved", "сделки продвинуты")
    case .dealsWon: return l.pick("deals won", "сделки выиграны")
    case .revenue: return l.pick("revenue won", "выручка")
    }
  }

  /// The done-contact kinds this figure counts; nil for figures that are not done contacts.
  var kinds: [ContactKind]? {
    switch self {
    case .calls: return [.call]
    case .meetings: return [.meeting]
    case .letters: return [.letter]
    case .emails: return [.email]
    case .other: return [.request, .complaint, .visit, .other]
    default: return nil
    }
  }

  static func of(kind: ContactKind) -> ActivityMetric {
    switch kind {
    case .call: return .calls
    case .meeting: return .meetings
    case .letter: return .letters
    case .email: return .emails
    case .request, .complaint, .visit, .other: return .other
    }
  }
}

/// The figures of one cell row: a user (or the team) in a bucket or the whole period.
public struct ActivityFigures: Equatable, Sendable {
  public var calls = 0
  public var meetings = 0
  public var letters = 0
  public var emails = 0
  public var other = 0
  public var missed = 0
  public var planned = 0
  public var newClients = 0
  public var dealsMoved = 0
  public var dealsWon = 0
  /// Revenue won per currency code, in minor units (kopecks, cents).
  public var revenue: [String: Int64] = [:]

  public init() {}

  /// Done contacts of every kind.
  public var contacts: Int { calls + meetings + letters + emails + other }

  /// RUB kopecks won.
  public var revenueRUB: Int64 { revenue["RUB"] ?? 0 }

  /// The figure as a number (revenue: RUB kopecks; overdue is not held here: 0).
  public subscript(metric: ActivityMetric) -> Int64 {
    switch metric {
    case .calls: return Int64(calls)
    case .meetings: return Int64(meetings)
    case .letters: return Int64(letters)
    case .emails: return Int64(emails)
    case .other: return Int64(other)
    case .missed: return Int64(missed)
    case .planned: return Int64(planned)
    case .overdue: return 0
    case .newClients: return Int64(newClients)
    case .dealsMoved: return Int64(dealsMoved)
    case .dealsWon: return Int64(dealsWon)
    case .revenue: return revenueRUB
    }
  }

  mutating func add(_ metric: ActivityMetric, _ n: Int) {
    switch metric {
    case .calls: calls += n
    case .meetings: meetings += n
    case .letters: letters += n
    case .emails: emails += n
    case .other: other += n
    case .missed: missed += n
    case .planned: planned += n
    case .newClients: newClients += n
    case .dealsMoved: dealsMoved += n
    case .dealsWon: dealsWon += n
    case .overdue, .revenue: break
    }
  }

  mutating func add(_ o: ActivityFigures) {
    for m in ActivityMetric.allCases { add(m, Int(o[m])) }
    for (c, v) in o.revenue { revenue[c, default: 0] += v }
  }

  /// Whether every figure is zero.
  public var isEmpty: Bool { self == ActivityFigures() }
}

/// One bucket of the period: [from, to).
public struct ActivityBucket: Equatable, Sendable {
  public var index: Int
  public var from: Date
  public var to: Date
}

/// One user's line (or the team's): per bucket, the whole period, and overdue now.
public struct ActivityRow: Equatable, Sendable {
  /// Nil for the team total row.
  public var user: User?
  public var buckets: [ActivityFigures]
  public var total: ActivityFigures
  public var overdue: Int
}

/// What to report.
public struct ActivityQuery: Equatable, Sendable {
  public var from: Date
  public var to: Date
  /// Nil: one bucket, the whole period.
  public var grouping: ActivityGrouping?
  /// Only this user.
  public var userId: Int64?

  public init(from: Date, to: Date, grouping: ActivityGrouping? = nil, userId: Int64? = nil) {
    self.from = from
    self.to = to
    self.grouping = grouping
    self.userId = userId
  }
}

/// The report.
public struct ActivityReport: Equatable, Sendable {
  public var query: ActivityQuery
  public var buckets: [ActivityBucket]
  public var rows: [ActivityRow]
  public var team: ActivityRow
  /// When the overdue figures were read.
  public var now: Date
}

/// A cell of the report: a user (nil: the team), a figure, a bucket (nil: the whole period).
public struct ActivityCell: Equatable, Sendable {
  public var userId: Int64?
  public var metric: ActivityMetric
  public var bucket: Int?

  public init(userId: Int64?, metric: ActivityMetric, bucket: Int? = nil) {
    self.userId = userId
    self.metric = metric
    self.bucket = bucket
  }
}

/// One row behind a cell: a contact, a client or a deal.
public struct ActivityItem: Equatable, Sendable {
  public enum Entity: String, Sendable { case contact, client, deal }
  public var entity: Entity
  public var id: Int64
  public var clientId: Int64
  public var clientName: String
  /// The moment that put the row in the cell (done, due, created, moved, won).
  public var at: Date
  /// Contact kind, deal stage moved to, or empty.
  public var kind: String
  /// Contact subject, deal title, client name.
  public var title: String
  public var userLogin: String
  /// Won deals: the amount.
  public var amount: Money?
}

/// Builds the activity report and its drill-downs, within what the signed-in user may see.
public struct ActivityService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// The period of `grouping` length holding now (the default: this week).
  public func currentPeriod(_ grouping: ActivityGrouping = .week) -> DateInterval {
    grouping.interval(containing: db.clock.now(), calendar)
  }

  /// The most periods (columns) one report splits into: a report's memory and output grow with
  /// them (a century by day is 36,500 columns per user), so more are refused.
  public static let maxBuckets = 1_000

  /// The buckets of [from, to) as `buckets` makes them, refused (`invalid`, naming the limit)
  /// when there would be more than `maxBuckets`; counted before any is built.
  public func checkedBuckets(from: Date, to: Date, grouping: ActivityGrouping?)
    throws(CRMError) -> [ActivityBucket]
  {
    if let grouping {
      let cal = calendar
      var start = grouping.interval(containing: from, cal).start
      var n = 0
      while start < to {
        n += 1
        if n > Self.maxBuckets {
          let limit = Self.maxBuckets
          let (en, ru, longerEn, longerRu) =
            grouping == .day
            ? (
              "days", "дней", " or a longer grouping (week, month)",
              " или группировку крупнее (неделя, месяц)"
            )
            : grouping == .week
              ? (
                "weeks", "недель", " or a longer grouping (month)",
                " или группировку крупнее (месяц)"
              )
              : ("months", "месяцев", "", "")
          throw .invalid(
            field: "--by",
            problem: l.pick(
              "the period has more than \(limit) \(en), and a report has at most \(limit) "
                + "columns (the limit); choose a shorter period\(longerEn)",
              "в периоде больше \(limit) \(ru), а в отчёте не больше \(limit) столбцов (предел); "
                + "выберите период короче\(longerRu)"))
        }
        start = grouping.next(start, cal)
      }
    }
    return buckets(from: from, to: to, grouping: grouping)
  }

  /// The buckets of [from, to): whole days, Monday weeks or months in the zone, the first and the
  /// last cut to the period.
  public func buckets(from: Date, to: Date, grouping: ActivityGrouping?) -> [ActivityBucket] {
    guard let grouping else { return [ActivityBucket(index: 0, from: from, to: to)] }
    let cal = calendar
    var out: [ActivityBucket] = []
    var start = grouping.interval(containing: from, cal).start
    while start < to {
      let next = grouping.next(start, cal)
      out.append(ActivityBucket(index: out.count, from: max(start, from), to: min(next, to)))
      start = next
    }
    return out
  }

  // MARK: The users

  /// The users the report shows: under `.all`, active managers and supervisors plus anyone with
  /// activity in the period; under `.owners`, exactly those users. `userId` narrows to one.
  func candidates(_ d: Database, userId: Int64?) throws -> (users: [User], fixed: Set<Int64>) {
    let access = db.access
    var all = try Row.fetchAll(d, sql: "SELECT * FROM app_user ORDER BY login").map(User.init(row:))
    if case .owners(let ids, _) = access {
      let allowed = Set(ids)
      all = all.filter { allowed.contains($0.id) }
      if let userId { all = all.filter { $0.id == userId } }
      return (all, Set(all.map(\.id)))
    }
    if let userId {
      all = all.filter { $0.id == userId }
      return (all, Set(all.map(\.id)))
    }
    let deactivated = Set(
      try Int64.fetchAll(d, sql: "SELECT id FROM app_user WHERE deactivated_at IS NOT NULL"))
    let fixed = all.filter {
      $0.active && !deactivated.contains($0.id) && ($0.role == .manager || $0.role == .supervisor)
    }
    return (all, Set(fixed.map(\.id)))
  }

  /// `user_id IN (…)` for these ids (literal integers); none: `= -1`, which matches nothing but
  /// still lets the planner use the forced index (`WHERE 0` would leave it no plan).
  static func inList(_ column: String, _ ids: [Int64]) -> String {
    if ids.isEmpty { return "\(column) = -1" }
    if ids.count == 1 { return "\(column) = \(ids[0])" }
    return "\(column) IN (\(ids.map(String.init).joined(separator: ",")))"
  }

  /// The bucket index of a time column: arithmetic when every bucket has the same length (whole
  /// days or weeks in a zone without a clock change in the period), else a CASE over the
  /// boundaries computed with the calendar (months, cut first or last buckets, DST).
  static func bucketSQL(_ column: String, _ buckets: [ActivityBucket]) -> String {
    if buckets.count <= 1 { return "0" }
    let first = buckets[0]
    let len = first.to.timeIntervalSince(first.from)
    let regular = buckets.allSatisfy { $0.to.timeIntervalSince($0.from) == len }
    let bounds = buckets.dropLast().map { $0.to.timeIntervalSince1970 }
    if regular && len > 0 {
      return "CAST((\(column) - \(first.from.timeIntervalSince1970)) / \(len) AS INTEGER)"
    }
    var sql = "CASE"
    for (i, b) in bounds.enumerated() { sql += " WHEN \(column) < \(b) THEN \(i)" }
    return sql + " ELSE \(buckets.count - 1) END"
  }

  // MARK: The report

  /// The six grouped statements of the report, with every value written in (the benchmark
  /// runs the same text through the bare C API): done and missed contacts, planned, overdue now,
  /// new clients, stage moves, deals won.
  static func figureSQL(
    ids: [Int64], buckets: [ActivityBucket], access: ClientAccess, from: Double, to: Double,
    now: Double
  ) -> [String] {
    [
      """
      SELECT user_id, done_at, kind, status
      FROM contact INDEXED BY contact_activity
      WHERE \(Self.inList("user_id", ids)) AND done_at >= \(from) AND done_at < \(to)
        AND status IN ('done', 'missed') AND \(access.condition(clientIdColumn: "client_id"))
      """,
      """
      SELECT user_id, \(Self.bucketSQL("due_at", buckets)) AS b, count(*) AS n
      FROM contact INDEXED BY contact_planned_by_user
      WHERE \(Self.inList("user_id", ids)) AND due_at >= \(from) AND due_at < \(to)
        AND status = 'planned' AND \(access.condition(clientIdColumn: "client_id"))
      GROUP BY user_id, b
      """,
      """
      SELECT user_id, count(*) AS n FROM contact INDEXED BY contact_planned_by_user
      WHERE \(Self.inList("user_id", ids)) AND due_at < \(now) AND status = 'planned'
        AND \(access.condition(clientIdColumn: "client_id"))
      GROUP BY user_id
      """,
      // Rows in index order (owner, time), bucketed by `countByTime` (no sorter).
      """
      SELECT created_by, created_at
      FROM client INDEXED BY client_created_by_user
      WHERE \(Self.inList("created_by", ids)) AND created_at >= \(from) AND created_at < \(to)
        AND deleted_at IS NULL
      """,
      """
      SELECT s.user_id, s.at
      FROM deal_stage s INDEXED BY deal_stage_by_user
      \(access.isAll ? "" : "JOIN deal dl ON dl.id = s.deal_id")
      WHERE \(Self.inList("s.user_id", ids)) AND s.at >= \(from) AND s.at < \(to)
        AND s.from_stage_id IS NOT NULL
        AND \(access.isAll ? "1" : access.condition(clientIdColumn: "dl.client_id"))
      """,
      """
      SELECT owner_id, \(Self.bucketSQL("closed_at", buckets)) AS b, currency,
        count(*) AS n, sum(amount) AS amount
      FROM deal INDEXED BY deal_won_by_owner
      WHERE \(Self.inList("owner_id", ids)) AND closed_at >= \(from) AND closed_at < \(to)
        AND status = 'won' AND \(access.condition(clientIdColumn: "client_id"))
      GROUP BY owner_id, b, currency
      """,
    ]
  }

  /// Steps the done-contacts statement (user_id, done_at, kind, status) and reports each row's
  /// user, bucket and figure: calls, meetings, letters, e-mails, other, or missed.
  static func countDone(
    _ d: Database, sql: String, buckets: [ActivityBucket], ids: [Int64],
    _ count: (Int64, Int, ActivityMetric, Int) -> Void
  ) throws {
    let metrics: [ActivityMetric] = [.calls, .meetings, .letters, .emails, .other, .missed]
    try countRows(d, sql: sql, buckets: buckets, slots: metrics.count) { stmt in
      guard let kind = sqlite3_column_text(stmt, 2), let status = sqlite3_column_text(stmt, 3)
      else { return nil }
      if status[0] == UInt8(ascii: "m") { return 5 }
      switch kind[0] {
      case UInt8(ascii: "c"): return kind[1] == UInt8(ascii: "a") ? 0 : 4
      case UInt8(ascii: "m"): return 1
      case UInt8(ascii: "l"): return 2
      case UInt8(ascii: "e"): return 3
      default: return 4
      }
    } count: { user, bucket, slot, n in
      count(user, bucket, metrics[slot], n)
    }
  }

  /// Steps a statement of (user, time) rows and reports the count per user and bucket.
  static func countByTime(
    _ d: Database, sql: String, buckets: [ActivityBucket],
    _ count: (Int64, Int, Int) -> Void
  ) throws {
    try countRows(d, sql: sql, buckets: buckets, slots: 1) { _ in
      0
    } count: { user, bucket, _, n in
      count(user, bucket, n)
    }
  }

  /// The one pass both counters share: steps `sql` (user, time, …) straight through the C API
  /// — no per-row allocation, no sorter — and counts each row in its user's cell for its bucket
  /// (binary search over the buckets' starts) and `slot` (nil: the row is skipped). Rows in
  /// index order come grouped by user and are flushed when the user changes; any order is still
  /// counted right (a user seen again is flushed again and `count` adds up).
  static func countRows(
    _ d: Database, sql: String, buckets: [ActivityBucket], slots: Int,
    slot: (OpaquePointer) -> Int?, count: (Int64, Int, Int, Int) -> Void
  ) throws {
    let starts = buckets.map { $0.from.timeIntervalSince1970 }
    var user: Int64 = -1
    var cells = [Int](repeating: 0, count: buckets.count * slots)
    func flush() {
      guard user >= 0 else { return }
      for (i, n) in cells.enumerated() where n > 0 { count(user, i / slots, i % slots, n) }
      cells = [Int](repeating: 0, count: buckets.count * slots)
    }
    defer { flush() }
    let statement = try d.makeStatement(sql: sql)
    let stmt = statement.sqliteStatement
    defer { sqlite3_reset(stmt) }
    while try d.stepRow(stmt) {
      let rowUser = sqlite3_column_int64(stmt, 0)
      if rowUser != user {
        flush()
        user = rowUser
      }
      guard let k = slot(stmt) else { continue }
      cells[Self.bucketIndex(sqlite3_column_double(stmt, 1), starts) * slots + k] += 1
    }
  }

  /// The last bucket whose start is at or before `t` (the rows are already within the period).
  static func bucketIndex(_ t: Double, _ starts: [Double]) -> Int {
    var lo = 0
    var hi = starts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if starts[mid] <= t { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The report's SQL for the benchmark's bound: the same text `report` runs.
  public func statements(_ q: ActivityQuery) throws(CRMError) -> [String] {
    let buckets = try checkedBuckets(from: q.from, to: q.to, grouping: q.grouping)
    let access = db.access
    return try db.read { d in
      let ids = try candidates(d, userId: q.userId).users.map(\.id)
      return Self.figureSQL(
        ids: ids, buckets: buckets, access: access, from: q.from.timeIntervalSince1970,
        to: q.to.timeIntervalSince1970, now: db.clock.now().timeIntervalSince1970)
    }
  }

  public func report(_ q: ActivityQuery) throws(CRMError) -> ActivityReport {
    guard q.from < q.to else {
      throw .invalid(
        field: "to",
        problem: l.pick(
          "the period ends before it starts", "период заканчивается раньше, чем начинается"))
    }
    let buckets = try checkedBuckets(from: q.from, to: q.to, grouping: q.grouping)
    let now = db.clock.now()
    let access = db.access
    return try db.read { d in
      let (users, fixed) = try candidates(d, userId: q.userId)
      let ids = users.map(\.id)
      var figures: [Int64: [ActivityFigures]] = [:]
      var overdue: [Int64: Int] = [:]
      func add(_ user: Int64, _ bucket: Int, _ metric: ActivityMetric, _ n: Int) {
        guard bucket >= 0 && bucket < buckets.count else { return }
        figures[user, default: Array(repeating: ActivityFigures(), count: buckets.count)][bucket]
          .add(metric, n)
      }
      let sql = Self.figureSQL(
        ids: ids, buckets: buckets, access: access, from: q.from.timeIntervalSince1970,
        to: q.to.timeIntervalSince1970, now: now.timeIntervalSince1970)
      // Done and missed contacts by kind: contact_activity (user_id, done_at, kind, status).
      // Done and missed contacts: read straight through the C API in index order (user, time)
      // and counted here — a million rows, no per-row allocation and no sorter (a GROUP BY on
      // the computed bucket would sort every row).
      try Self.countDone(d, sql: sql[0], buckets: buckets, ids: ids) { user, bucket, metric, n in
        add(user, bucket, metric, n)
      }
      // Still planned, due in the period: contact_planned_by_user (user_id, due_at).
      for r in try Row.fetchAll(
        d,
        sql: sql[1])
      {
        add(r["user_id"], r["b"], .planned, r["n"])
      }
      // Overdue now.
      for r in try Row.fetchAll(
        d,
        sql: sql[2])
      {
        overdue[r["user_id"]] = r["n"]
      }
      // New clients by the user who registered them (not the owner now: a handover moves
      // clients, not the work of finding them): client_created_by_user (created_by,
      // created_at) WHERE deleted_at IS NULL, read from the index alone.
      try Self.countByTime(d, sql: sql[3], buckets: buckets) { user, bucket, n in
        add(user, bucket, .newClients, n)
      }
      // Stage moves: deal_stage_by_user (user_id, at) WHERE from_stage_id IS NOT NULL (the
      // creation entry has none), read from the index alone.
      try Self.countByTime(d, sql: sql[4], buckets: buckets) { user, bucket, n in
        add(user, bucket, .dealsMoved, n)
      }
      // Deals won by owner: deal_won_by_owner (owner_id, closed_at, currency, amount, client_id)
      // WHERE status = 'won'.
      for r in try Row.fetchAll(
        d,
        sql: sql[5])
      {
        let user: Int64 = r["owner_id"]
        let b: Int = r["b"]
        add(user, b, .dealsWon, r["n"])
        if b >= 0 && b < buckets.count {
          figures[user]![b].revenue[r["currency"], default: 0] += r["amount"]
        }
      }
      var rows: [ActivityRow] = []
      var teamBuckets = Array(repeating: ActivityFigures(), count: buckets.count)
      var teamTotal = ActivityFigures()
      var teamOverdue = 0
      for u in users {
        let f = figures[u.id]
        let o = overdue[u.id] ?? 0
        guard fixed.contains(u.id) || f != nil || o > 0 else { continue }
        let bs = f ?? Array(repeating: ActivityFigures(), count: buckets.count)
        var total = ActivityFigures()
        for (i, b) in bs.enumerated() {
          total.add(b)
          teamBuckets[i].add(b)
        }
        teamTotal.add(total)
        teamOverdue += o
        rows.append(ActivityRow(user: u, buckets: bs, total: total, overdue: o))
      }
      rows.sort {
        ($0.user!.name.lowercased(), $0.user!.login) < ($1.user!.name.lowercased(), $1.user!.login)
      }
      return ActivityReport(
        query: q, buckets: buckets, rows: rows,
        team: ActivityRow(user: nil, buckets: teamBuckets, total: teamTotal, overdue: teamOverdue),
        now: now)
    }
  }

  // MARK: Drill-down

  static func columns(
    _ entity: String, _ id: String, _ client: String, _ at: String, _ kind: String,
    _ title: String, _ user: String, _ amount: String = "NULL", _ currency: String = "NULL"
  ) -> String {
    "\(entity) AS entity, \(id) AS id, \(client) AS client_id, \(at) AS at, \(kind) AS kind, "
      + "\(title) AS title, \(user) AS user_id, \(amount) AS amount, \(currency) AS currency"
  }

  /// The SQL behind a cell: FROM … WHERE … selecting the rows counted, with their time column.
  func cellSQL(_ report: ActivityReport, _ cell: ActivityCell) -> (
    select: String, from: String, arguments: StatementArguments
  ) {
    let access = db.access
    let ids: [Int64]
    if let u = cell.userId {
      ids = report.rows.contains { $0.user?.id == u } ? [u] : []
    } else {
      ids = report.rows.compactMap { $0.user?.id }
    }
    let range: (Double, Double)
    if let b = cell.bucket, b >= 0, b < report.buckets.count {
      range = (
        report.buckets[b].from.timeIntervalSince1970, report.buckets[b].to.timeIntervalSince1970
      )
    } else {
      range = (report.query.from.timeIntervalSince1970, report.query.to.timeIntervalSince1970)
    }
    let args: StatementArguments = [range.0, range.1]
    switch cell.metric {
    case .calls, .meetings, .letters, .emails, .other, .missed:
      let status: String
      let kinds: String
      if cell.metric == .missed {
        status = "'missed'"
        kinds = "1"
      } else {
        status = "'done'"
        kinds =
          "x.kind IN (\((cell.metric.kinds ?? []).map { "'\($0.rawValue)'" }.joined(separator: ",")))"
      }
      return (
        Self.columns(
          "'contact'", "x.id", "x.client_id", "x.done_at", "x.kind", "x.subject", "x.user_id"),
        """
        contact x INDEXED BY contact_activity
        WHERE \(Self.inList("x.user_id", ids)) AND x.done_at >= ? AND x.done_at < ?
          AND x.status = \(status) AND \(kinds)
          AND \(access.condition(clientIdColumn: "x.client_id"))
        """, args
      )
    case .planned, .overdue:
      let when: String
      var a = args
      if cell.metric == .overdue {
        when = "x.due_at < ?"
        a = [report.now.timeIntervalSince1970]
      } else {
        when = "x.due_at >= ? AND x.due_at < ?"
      }
      return (
        Self.columns(
          "'contact'", "x.id", "x.client_id", "x.due_at", "x.kind", "x.subject", "x.user_id"),
        """
        contact x INDEXED BY contact_planned_by_user
        WHERE \(Self.inList("x.user_id", ids)) AND \(when) AND x.status = 'planned'
          AND \(access.condition(clientIdColumn: "x.client_id"))
        """, a
      )
    case .newClients:
      return (
        Self.columns("'client'", "x.id", "x.id", "x.created_at", "''", "x.name", "x.created_by"),
        """
        client x INDEXED BY client_created_by_user
        WHERE \(Self.inList("x.created_by", ids)) AND x.created_at >= ? AND x.created_at < ?
          AND x.deleted_at IS NULL
        """, args
      )
    case .dealsMoved:
      return (
        Self.columns(
          "'deal'", "dl.id", "dl.client_id", "x.at", "coalesce(st.name, '')", "dl.title",
          "x.user_id"),
        """
        deal_stage x INDEXED BY deal_stage_by_user JOIN deal dl ON dl.id = x.deal_id
        LEFT JOIN stage st ON st.id = x.to_stage_id
        WHERE \(Self.inList("x.user_id", ids)) AND x.at >= ? AND x.at < ?
          AND x.from_stage_id IS NOT NULL
          AND \(access.condition(clientIdColumn: "dl.client_id"))
        """, args
      )
    case .dealsWon, .revenue:
      return (
        Self.columns(
          "'deal'", "x.id", "x.client_id", "x.closed_at", "''", "x.title", "x.owner_id", "x.amount",
          "x.currency"),
        """
        deal x INDEXED BY deal_by_closed
        WHERE x.closed_at >= ? AND x.closed_at < ? AND x.status = 'won'
          AND \(Self.inList("x.owner_id", ids))
          AND \(access.condition(clientIdColumn: "x.client_id"))
          \(cell.metric == .revenue ? "AND x.currency = 'RUB'" : "")
        """, args
      )
    }
  }

  /// How many rows are behind a cell (equals the cell's figure; revenue: the RUB deals).
  public func drillCount(_ report: ActivityReport, _ cell: ActivityCell) throws(CRMError) -> Int {
    let s = cellSQL(report, cell)
    return try db.read { d in
      try Int.fetchOne(d, sql: "SELECT count(*) FROM \(s.from)", arguments: s.arguments) ?? 0
    }
  }

  /// A page of the rows behind a cell, newest first.
  public func drill(_ report: ActivityReport, _ cell: ActivityCell, limit: Int, offset: Int = 0)
    throws(CRMError) -> [ActivityItem]
  {
    let s = cellSQL(report, cell)
    let l = language
    return try db.read { d in
      var args = s.arguments
      args += [limit, offset]
      return try Row.fetchAll(
        d,
        sql: """
          SELECT q.*, coalesce(c.name, '') AS client_name, coalesce(u.login, '') AS login
          FROM (SELECT \(s.select) FROM \(s.from)) q
          LEFT JOIN client c ON c.id = q.client_id LEFT JOIN app_user u ON u.id = q.user_id
          ORDER BY q.at DESC, q.id DESC LIMIT ? OFFSET ?
          """, arguments: args
      ).map { r in
        let entity = ActivityItem.Entity(rawValue: r["entity"]) ?? .contact
        var kind: String = r["kind"] ?? ""
        if entity == .contact, let k = ContactKind(rawValue: kind) { kind = k.name(l) }
        let amount: Int64? = r["amount"]
        let currency: String? = r["currency"]
        return ActivityItem(
          entity: entity, id: r["id"], clientId: r["client_id"], clientName: r["client_name"],
          at: Date(timeIntervalSince1970: r["at"]), kind: kind, title: r["title"] ?? "",
          userLogin: r["login"],
          amount: amount.map {
            Money(minor: $0, currency: currency.flatMap(Currency.named) ?? .rub)
          })
      }
    }
  }
}
