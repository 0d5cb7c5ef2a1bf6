import Foundation
import GRDB

/// The channels a campaign may use (the campaign table's check).
public let campaignChannels: [ContactKind] = [.call, .meeting, .letter, .email, .other]

/// What a new campaign is.
public struct NewCampaign: Equatable, Sendable {
  public enum Target: Equatable, Sendable {
    /// A saved filter by name.
    case saved(String)
    /// A filter given inline.
    case inline(ClientFilter)
  }

  public var name: String
  public var channel: ContactKind
  /// The first day (any time of it).
  public var from: Date
  /// The end of the period, exclusive (the CLI passes the start of the day after `--to`).
  public var to: Date
  public var target: Target
  /// The planned contacts' subject (default: the campaign's name).
  public var subject: String

  public init(
    name: String, channel: ContactKind, from: Date, to: Date, target: Target, subject: String = ""
  ) {
    self.name = name
    self.channel = channel
    self.from = from
    self.to = to
    self.target = target
    self.subject = subject
  }
}

/// What creating a campaign did (or, in a dry run, would do).
public struct CampaignPlan: Equatable, Sendable {
  public var campaignId: Int64?
  /// Live clients the filter selected (the campaign's targets are those planned; the rest are
  /// skipped and counted below).
  public var selected: Int
  /// Contacts planned (one per target that has, or was given, an active owner).
  public var planned: Int
  /// Unowned targets given an owner by the lead distributor first.
  public var distributed: Int
  /// Unowned targets left out because `lead_rule` is off.
  public var skippedUnowned: Int
  /// Targets left out because their owner is deactivated.
  public var skippedInactive: Int
  /// Planned contacts per responsible login.
  public var perUser: [String: Int]
  public var firstDue: Date?
  public var lastDue: Date?
  public var dryRun: Bool
}

/// A campaign with its results (see docs/teamwork.md for the definitions).
public struct CampaignResult: Equatable, Sendable {
  public var id: Int64
  public var name: String
  public var channel: ContactKind
  public var startsAt: Date
  public var endsAt: Date
  public var filter: String
  public var createdBy: String
  public var targets: Int
  public var planned: Int
  /// Targets whose campaign contact (or its no-answer retry) was done.
  public var reached: Int
  /// Targets whose campaign contact was missed and none done.
  public var noAnswer: Int
  /// Reached targets with a deal created on or after the campaign's start.
  public var interested: Int
  /// Deals of the targets created on or after the start.
  public var deals: Int
  public var wonDeals: Int
  /// Revenue of the won deals in minor units, per currency (RUB first).
  public var revenue: [String: Int64]
}

/// Marketing campaigns: a filter's clients become one planned contact each, with their owner;
/// results are read from the contacts and deals (SQL over indexes).
public struct CampaignService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// How many targets are read per page.
  static let page = 2000

  /// Creates a campaign: in one transaction resolves the targets, gives unowned ones an owner
  /// (when `lead_rule` is on), and plans one contact per target with its owner, spread over the
  /// working days. Supervisors and admins only. `dryRun` rolls everything back.
  public func create(_ input: NewCampaign, dryRun: Bool = false) throws(CRMError) -> CampaignPlan {
    try db.require(
      [.supervisor, .admin], to: l.pick("create a campaign", "создать кампанию"), language: l)
    guard let me = userId else {
      throw .other(l.pick("no acting user (read-only database?)", "нет пользователя"))
    }
    let v = Validator(language: l)
    let name = try v.line(input.name, "name", max: 200)
    if name.isEmpty {
      throw .invalid(field: l.pick("name", "название"), problem: l.pick("is empty", "пустое"))
    }
    guard campaignChannels.contains(input.channel) else {
      throw .invalid(
        field: "--channel",
        problem: l.pick(
          "a campaign's channel is one of: \(campaignChannels.map(\.rawValue).joined(separator: ", "))",
          "канал кампании — один из: \(campaignChannels.map(\.rawValue).joined(separator: ", "))"))
    }
    if input.to <= input.from {
      throw .invalid(
        field: "--to", problem: l.pick("is before --from", "раньше, чем --from"))
    }
    var subject = try v.line(input.subject, "subject", max: 300)
    if subject.isEmpty { subject = name }
    let filters = context.filters
    let filter: ClientFilter
    var filterId: Int64?
    switch input.target {
    case .saved(let n):
      let f = try filters.named(n)
      filter = f.filter
      filterId = f.id
    case .inline(let f):
      if f.isEmpty {
        throw .invalid(
          field: l.pick("target", "цель"),
          problem: l.pick(
            "give --filter, --segment, --tag or --search",
            "укажите --filter, --segment, --tag или --search"))
      }
      filter = f
    }
    let at = db.clock.now()
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = timeZone
    let days = workingDays(from: max(input.from, cal.startOfDay(for: at)), to: input.to, cal)
    if days.isEmpty {
      throw .invalid(
        field: "--to", problem: l.pick("the period is already over", "период уже закончился"))
    }
    let access = db.access
    let log = context.clients
    let auditTime = Formats(language: .en, timeZone: timeZone)
    return try db.write { db in
      var plan = CampaignPlan(
        campaignId: nil, selected: 0, planned: 0, distributed: 0, skippedUnowned: 0,
        skippedInactive: 0, perUser: [:], firstDue: nil, lastDue: nil, dryRun: dryRun)
      try db.inSavepoint {
        let settings = try CRMDatabase.loadSettings(db)
        try db.execute(
          sql: """
            INSERT INTO campaign (name, channel, starts_at, ends_at, filter_id, filter_query,
              notes, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            name, input.channel.rawValue, input.from.timeIntervalSince1970,
            input.to.timeIntervalSince1970, filterId, filter.json, subject, me,
            at.timeIntervalSince1970,
          ])
        let campaign = db.lastInsertedRowID
        plan.campaignId = campaign
        var leads: LeadDistributor? =
          settings.leadRule == .off ? nil : try? LeadDistributor(db, log: log, at: at)
        let active = Set(try Int64.fetchAll(db, sql: "SELECT id FROM app_user WHERE active"))
        let readClient = try db.cachedStatement(sql: "SELECT owner_id FROM client WHERE id = ?")
        let addTarget = try db.cachedStatement(
          sql: "INSERT INTO campaign_client (campaign_id, client_id) VALUES (?, ?)")
        // Pass 1: the targets, page by page; unowned ones get an owner first.
        var after: Int64 = 0
        while true {
          let ids = try SavedFilterService.ids(
            db, filter, access: access, after: after, limit: Self.page, language: l)
          guard let last = ids.last else { break }
          after = last
          for id in ids {
            plan.selected += 1
            var owner = try Int64.fetchOne(readClient, arguments: [id])
            if owner == nil {
              if leads != nil, let before = try ClientService.load(db, id),
                let a = try leads?.assign(db, clientId: id, before: before, at: at)
              {
                owner = a.userId
                plan.distributed += 1
              } else {
                plan.skippedUnowned += 1
                continue
              }
            }
            guard let o = owner, active.contains(o) else {
              plan.skippedInactive += 1
              continue
            }
            try addTarget.execute(arguments: [campaign, id])
          }
        }
        // Pass 2: how many each owner has, to spread each owner's contacts over the days.
        var total: [Int64: Int] = [:]
        var logins: [Int64: String] = [:]
        for r in try Row.fetchAll(
          db,
          sql: """
            SELECT c.owner_id, u.login, count(*) AS n FROM campaign_client cc
            JOIN client c ON c.id = cc.client_id JOIN app_user u ON u.id = c.owner_id
            WHERE cc.campaign_id = ? GROUP BY c.owner_id
            """, arguments: [campaign])
        {
          total[r["owner_id"]] = r["n"]
          logins[r["owner_id"]] = r["login"]
        }
        // Pass 3: plan, by owner then client, in pages.
        let insert = try db.cachedStatement(
          sql: """
            INSERT INTO contact (client_id, kind, direction, status, due_at, duration_min,
              subject, outcome, notes, user_id, author_id, remind_at, recurrence, attempt,
              sequence, created_at, updated_at, campaign_id)
            VALUES (?, ?, 'out', 'planned', ?, 0, ?, '', '', ?, ?, ?, '', 0, 0, ?, ?, ?)
            """)
        let link = try db.cachedStatement(
          sql: "UPDATE campaign_client SET contact_id = ? WHERE campaign_id = ? AND client_id = ?")
        var seen: [Int64: Int] = [:]
        var cursor: (Int64, Int64) = (Int64.min, 0)
        // From day_start to day_end (the working hours every follow-up keeps to).
        let hours = WorkingHours(settings, timeZone: timeZone)
        let window = max(60, (hours.dayEnd - hours.dayStart) * 60)
        while true {
          let rows = try Row.fetchAll(
            db,
            sql: """
              SELECT c.owner_id, cc.client_id FROM campaign_client cc
              JOIN client c ON c.id = cc.client_id
              WHERE cc.campaign_id = ? AND (c.owner_id, cc.client_id) > (?, ?)
              ORDER BY c.owner_id, cc.client_id LIMIT ?
              """, arguments: [campaign, cursor.0, cursor.1, Self.page])
          guard let lastRow = rows.last else { break }
          cursor = (lastRow["owner_id"], lastRow["client_id"])
          for r in rows {
            let owner: Int64 = r["owner_id"]
            let client: Int64 = r["client_id"]
            let n = total[owner] ?? 1
            let k = seen[owner, default: 0]
            seen[owner] = k + 1
            let due = Self.slot(
              k, of: n, days: days, dayStart: hours.dayStart, windowMinutes: window, cal)
            let remind = due.addingTimeInterval(-Double(settings.remindBeforeMinutes) * 60)
            try insert.execute(arguments: [
              client, input.channel.rawValue, due.timeIntervalSince1970, subject, owner, me,
              remind.timeIntervalSince1970, at.timeIntervalSince1970, at.timeIntervalSince1970,
              campaign,
            ])
            let contactId = db.lastInsertedRowID
            try link.execute(arguments: [contactId, campaign, client])
            // The client's history: one change and three fields per contact (the full field
            // set, as ContactService writes it, took half as long again on 100,000 targets).
            let change = try log.recordChange(
              db, clientId: client, entity: "contact", entityId: contactId, action: "insert",
              before: Contact?.none, at: at)
            try log.auditFields(
              db, change: change, clientId: client, entity: "contact", entityId: contactId,
              action: "insert", old: [:],
              new: [
                "campaign": "№\(campaign) \(name)", "due": auditTime.dateTime(due),
                "user": String(owner),
              ], at: at)
            plan.planned += 1
            plan.perUser[logins[owner] ?? "?", default: 0] += 1
            plan.firstDue = min(plan.firstDue ?? due, due)
            plan.lastDue = max(plan.lastDue ?? due, due)
          }
        }
        let change = try log.recordChange(
          db, clientId: 0, entity: "campaign", entityId: campaign, action: "insert",
          before: String?.none, at: at)
        try log.auditFields(
          db, change: change, clientId: 0, entity: "campaign", entityId: campaign,
          action: "insert", old: [:],
          new: [
            "name": name, "channel": input.channel.rawValue, "filter": filter.json,
            "targets": String(plan.selected), "planned": String(plan.planned),
          ], at: at)
        return dryRun ? .rollback : .commit
      }
      if dryRun { plan.campaignId = nil }
      return plan
    }
  }

  /// Monday to Friday between `from`'s day and `to` (exclusive), as day starts; when the period
  /// has no weekday, every day of it.
  func workingDays(from: Date, to: Date, _ cal: Calendar) -> [Date] {
    var all: [Date] = []
    var d = cal.startOfDay(for: from)
    while d < to && all.count < 3700 {
      all.append(d)
      d = CalendarMath.addDays(d, 1, cal)
    }
    let weekdays = all.filter {
      let w = cal.component(.weekday, from: $0)
      return w != 1 && w != 7
    }
    return weekdays.isEmpty ? all : weekdays
  }

  /// The due time of an owner's `k`-th of `n` targets: day `⌊k·D/n⌋` of the D working days; on
  /// that day the owner's contacts are spaced evenly from `day_start` over the window (to 18:00),
  /// on whole minutes.
  static func slot(
    _ k: Int, of n: Int, days: [Date], dayStart: Int, windowMinutes: Int, _ cal: Calendar
  ) -> Date {
    let d = days.count
    let day = k * d / n
    // The first k of this day and how many fall on it.
    let first = (day * n + d - 1) / d
    let next = ((day + 1) * n + d - 1) / d
    let count = max(1, next - first)
    let j = k - first
    let minutes = dayStart * 60 + j * windowMinutes / count
    let start = days[min(day, d - 1)]
    return cal.date(byAdding: .minute, value: minutes, to: start)
      ?? start.addingTimeInterval(Double(minutes) * 60)
  }

  // MARK: Results

  /// Campaigns, newest first, with results.
  public func list(limit: Int = 100) throws(CRMError) -> [CampaignResult] {
    let ids = try db.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM campaign ORDER BY id DESC LIMIT ?", arguments: [limit])
    }
    var out: [CampaignResult] = []
    for id in ids {
      if let r = try result(id) { out.append(r) }
    }
    return out
  }

  /// One campaign's results; nil when there is none. Counts only targets the viewer may see.
  public func result(_ id: Int64) throws(CRMError) -> CampaignResult? {
    let access = db.access
    return try db.read { db in
      guard
        let c = try Row.fetchOne(
          db,
          sql: """
            SELECT k.*, coalesce(u.login, '') AS by_login, coalesce(f.name, '') AS filter_name
            FROM campaign k LEFT JOIN app_user u ON u.id = k.created_by
            LEFT JOIN saved_filter f ON f.id = k.filter_id WHERE k.id = ?
            """, arguments: [id])
      else { return nil }
      let start: Double = c["starts_at"]
      let visible = access.condition(clientIdColumn: "cc.client_id")
      let counts = try Row.fetchOne(
        db,
        sql: """
          WITH st AS (
            SELECT cc.client_id, cc.contact_id IS NOT NULL AS planned,
              EXISTS (SELECT 1 FROM contact x WHERE x.id = cc.contact_id AND x.status = 'done')
                OR EXISTS (SELECT 1 FROM contact x WHERE x.series_id = cc.contact_id
                  AND x.status = 'done') AS reached,
              EXISTS (SELECT 1 FROM contact x WHERE x.id = cc.contact_id AND x.status = 'missed')
                AS missed,
              EXISTS (SELECT 1 FROM deal d WHERE d.client_id = cc.client_id
                AND d.created_at >= ?) AS has_deal
            FROM campaign_client cc WHERE cc.campaign_id = ? AND \(visible))
          SELECT count(*) AS targets, coalesce(sum(planned), 0) AS planned,
            coalesce(sum(reached), 0) AS reached,
            coalesce(sum(missed AND NOT reached), 0) AS no_answer,
            coalesce(sum(reached AND has_deal), 0) AS interested
          FROM st
          """, arguments: [start, id])
      var deals = 0
      var won = 0
      var revenue: [String: Int64] = [:]
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT d.status, d.currency, count(*) AS n, sum(d.amount) AS total FROM deal d
          WHERE d.client_id IN (SELECT cc.client_id FROM campaign_client cc
            WHERE cc.campaign_id = ? AND \(visible))
            AND d.created_at >= ?
          GROUP BY d.status, d.currency
          """, arguments: [id, start])
      {
        let n: Int = r["n"]
        deals += n
        if (r["status"] as String) == "won" {
          won += n
          revenue[r["currency"], default: 0] += r["total"] as Int64
        }
      }
      let fq: String = c["filter_query"]
      let fname: String = c["filter_name"]
      return CampaignResult(
        id: id, name: c["name"], channel: ContactKind(rawValue: c["channel"]) ?? .call,
        startsAt: Date(timeIntervalSince1970: start),
        endsAt: Date(timeIntervalSince1970: c["ends_at"]),
        filter: fname.isEmpty ? ClientFilter(json: fq).summary : fname,
        createdBy: c["by_login"], targets: counts?["targets"] ?? 0,
        planned: counts?["planned"] ?? 0, reached: counts?["reached"] ?? 0,
        noAnswer: counts?["no_answer"] ?? 0, interested: counts?["interested"] ?? 0,
        deals: deals, wonDeals: won, revenue: revenue)
    }
  }
}
