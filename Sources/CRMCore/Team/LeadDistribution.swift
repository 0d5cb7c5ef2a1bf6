import Foundation
import GRDB

/// One lead given to a manager.
public struct LeadAssignment: Equatable, Sendable {
  public var clientId: Int64
  public var userId: Int64
  public var login: String
  public var rule: LeadRule
  /// Why this manager: "round robin: after anna", "segment VIP → boris".
  public var reason: String
}

/// Gives clients without an owner to managers by the `lead_rule` setting (see docs/teamwork.md).
///
/// One distributor reads the pool, the rotation and the load once, then keeps them in memory, so
/// an import or a campaign distributes thousands of rows without querying the pool per row. The
/// rotation is derived from the `lead_assignment` log (who got the most recent lead), so it
/// continues after a restart.
///
/// - round_robin: the pool in login order; the next one after whoever got the latest lead.
/// - least_busy: the fewest planned contacts plus leads received today (a fresh lead is work not
///   yet planned; without it one manager would take every lead until they plan something); ties:
///   fewer leads today, then login.
/// - segment / region: `lead_segment_map` by the client's segment, `lead_region_map` by city
///   (both folded); round robin among the active users of the mapped group; a value not mapped,
///   or mapped only to inactive users, goes by `lead_fallback` over the pool.
public struct LeadDistributor {
  struct Member: Equatable {
    var id: Int64
    var login: String
  }

  public let rule: LeadRule
  let fallback: LeadRule
  let segmentMap: [String: [String]]
  let regionMap: [String: [String]]
  /// Active users by login (the maps may name anyone active).
  let active: [String: Member]
  /// The pool in login order.
  let pool: [Member]
  /// The login of whoever got the latest lead (any rule).
  var lastLogin: String?
  /// Per user: the sequence of their latest lead (the log's id, then a running count).
  var lastSeq: [Int64: Int64] = [:]
  var seq: Int64 = 0
  var planned: [Int64: Int] = [:]
  var today: [Int64: Int] = [:]
  let startOfToday: Double
  let log: ClientService
  var userId: Int64? { log.userId }
  var language: Language { log.validator.language }

  /// Reads the settings, the pool and the rotation. `rule` overrides `lead_rule` (for
  /// `crm assign-leads --rule`). Throws when the rule is on and nobody can receive leads.
  public init(
    _ db: Database, log: ClientService, rule override: LeadRule? = nil, at: Date,
    timeZone: TimeZone = .current
  ) throws {
    let l = log.validator.language
    self.log = log
    let s = try CRMDatabase.loadSettings(db)
    rule = override ?? s.leadRule
    fallback = s.leadFallback
    segmentMap = s.leadSegmentMap
    regionMap = s.leadRegionMap
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = timeZone
    startOfToday = cal.startOfDay(for: at).timeIntervalSince1970
    var active: [String: Member] = [:]
    var managers: [Member] = []
    for r in try Row.fetchAll(
      db, sql: "SELECT id, login, role FROM app_user WHERE active ORDER BY login")
    {
      let m = Member(id: r["id"], login: r["login"])
      active[m.login] = m
      if (r["role"] as String) == UserRole.manager.rawValue { managers.append(m) }
    }
    self.active = active
    if s.leadPool.isEmpty {
      pool = managers
    } else {
      pool = s.leadPool.compactMap { active[$0] }.sorted { $0.login < $1.login }
    }
    if rule != .off && pool.isEmpty && Self.groupsEmpty(rule, s, active) {
      throw CRMError.invalid(
        field: "lead_pool",
        problem: l.pick(
          "no active user can receive leads (lead_pool: «\(s.leadPool.joined(separator: ","))»; empty means every active manager)",
          "некому раздавать клиентов: нет активных пользователей (lead_pool: «\(s.leadPool.joined(separator: ","))»; пусто — все активные менеджеры)"
        ))
    }
    lastLogin = try String.fetchOne(
      db,
      sql: """
        SELECT u.login FROM lead_assignment a JOIN app_user u ON u.id = a.user_id
        ORDER BY a.id DESC LIMIT 1
        """)
    let latest = try db.cachedStatement(
      sql: "SELECT max(id) FROM lead_assignment WHERE user_id = ?")
    let busy = try db.cachedStatement(
      sql: "SELECT count(*) FROM contact WHERE status = 'planned' AND user_id = ?")
    let leadsToday = try db.cachedStatement(
      sql: "SELECT count(*) FROM lead_assignment WHERE user_id = ? AND at >= ?")
    for m in active.values {
      if let id = try Int64.fetchOne(latest, arguments: [m.id]) { lastSeq[m.id] = id }
      if rule == .leastBusy || fallback == .leastBusy {
        planned[m.id] = try Int.fetchOne(busy, arguments: [m.id]) ?? 0
        today[m.id] = try Int.fetchOne(leadsToday, arguments: [m.id, startOfToday]) ?? 0
      }
    }
    seq = (lastSeq.values.max() ?? 0)
  }

  static func groupsEmpty(_ rule: LeadRule, _ s: Settings, _ active: [String: Member]) -> Bool {
    let map = rule == .segment ? s.leadSegmentMap : rule == .region ? s.leadRegionMap : [:]
    return !map.values.contains { $0.contains { active[$0] != nil } }
  }

  /// Who gets a client of this segment and city, and why; nil when the rule is off or nobody
  /// can take it.
  public mutating func choose(segment: String, city: String) -> LeadAssignment? {
    // The log's reasons are in English whatever the user's language (like the audit's fields).
    let l = Language.en
    switch rule {
    case .off: return nil
    case .roundRobin: return roundRobin(pool, prefix: l.pick("round robin", "по кругу"))
    case .leastBusy: return leastBusy(prefix: l.pick("least busy", "наименее загружен"))
    case .segment, .region:
      let (map, value) = rule == .segment ? (segmentMap, segment) : (regionMap, city)
      let label = rule == .segment ? l.pick("segment", "сегмент") : l.pick("city", "город")
      let shown = value.isEmpty ? "—" : value
      if let logins = map[TextFold.key(value)] {
        let group = logins.compactMap { active[$0] }.sorted { $0.login < $1.login }
        if !group.isEmpty {
          var a = rotate(group)
          a.reason = "\(label) \(shown) → \(a.login)"
          a.rule = rule
          return record(a)
        }
      }
      let why = l.pick("not mapped", "нет в карте")
      var a: LeadAssignment?
      if fallback == .leastBusy {
        a = leastBusy(
          prefix: "\(label) \(shown): \(why); " + l.pick("least busy", "наименее загружен"))
      } else {
        a = roundRobin(
          pool, prefix: "\(label) \(shown): \(why); " + l.pick("round robin", "по кругу"))
      }
      a?.rule = rule
      return a
    }
  }

  /// The next member after the group's latest receiver (in login order).
  func rotate(_ group: [Member]) -> LeadAssignment {
    var after: Member?
    var best: Int64 = 0
    for m in group {
      if let s = lastSeq[m.id], s > best {
        best = s
        after = m
      }
    }
    let next: Member
    if let after, let i = group.firstIndex(of: after) {
      next = group[(i + 1) % group.count]
    } else {
      next = group[0]
    }
    return LeadAssignment(
      clientId: 0, userId: next.id, login: next.login, rule: rule, reason: after?.login ?? "")
  }

  mutating func roundRobin(_ group: [Member], prefix: String) -> LeadAssignment? {
    guard !group.isEmpty else { return nil }
    let next: Member
    let after = lastLogin
    if let after {
      next = group.first { $0.login > after } ?? group[0]
    } else {
      next = group[0]
    }
    let why =
      after.map { Language.en.pick("\(prefix): after \($0)", "\(prefix): после \($0)") }
      ?? Language.en.pick("\(prefix): first", "\(prefix): первый")
    return record(
      LeadAssignment(
        clientId: 0, userId: next.id, login: next.login, rule: .roundRobin, reason: why))
  }

  mutating func leastBusy(prefix: String) -> LeadAssignment? {
    guard
      let m = pool.min(by: { a, b in
        let la = (planned[a.id] ?? 0) + (today[a.id] ?? 0)
        let lb = (planned[b.id] ?? 0) + (today[b.id] ?? 0)
        if la != lb { return la < lb }
        if today[a.id, default: 0] != today[b.id, default: 0] {
          return today[a.id, default: 0] < today[b.id, default: 0]
        }
        return a.login < b.login
      })
    else { return nil }
    let load = (planned[m.id] ?? 0) + (today[m.id] ?? 0)
    return record(
      LeadAssignment(
        clientId: 0, userId: m.id, login: m.login, rule: .leastBusy,
        reason: Language.en.pick(
          "\(prefix): \(m.login), load \(load)", "\(prefix): \(m.login), нагрузка \(load)")))
  }

  /// Remembers a choice in memory: the rotation and today's counts move on.
  mutating func record(_ a: LeadAssignment) -> LeadAssignment {
    seq += 1
    lastSeq[a.userId] = seq
    lastLogin = a.login
    today[a.userId, default: 0] += 1
    return a
  }

  /// Chooses an owner for an unowned client and writes it: the owner, the change (action
  /// `distribute`, audited field `owner`, undoable like an owner edit) and the log row, inside
  /// the caller's transaction. `before` is the client as stored (its owner nil).
  public mutating func assign(_ db: Database, clientId: Int64, before: Client, at: Date) throws
    -> LeadAssignment?
  {
    guard var a = choose(segment: before.segment, city: before.city) else { return nil }
    a.clientId = clientId
    try write(db, a, before: before, at: at)
    return a
  }

  func write(_ db: Database, _ a: LeadAssignment, before: Client, at: Date) throws {
    let t = at.timeIntervalSince1970
    try db.cachedStatement(
      sql: "UPDATE client SET owner_id = ?, updated_at = ? WHERE id = ?"
    ).execute(arguments: [a.userId, t, a.clientId])
    var b = before
    b.ownerId = nil
    let change = try log.recordChange(
      db, clientId: a.clientId, entity: "client", entityId: a.clientId, action: "distribute",
      before: b, at: at)
    try log.auditFields(
      db, change: change, clientId: a.clientId, entity: "client", entityId: a.clientId,
      action: "distribute", old: ["owner": ""], new: ["owner": String(a.userId)], at: at)
    try db.cachedStatement(
      sql: """
        INSERT INTO lead_assignment (at, client_id, user_id, rule, reason, by_user_id)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [t, a.clientId, a.userId, a.rule.rawValue, a.reason, userId])
  }
}

/// What `crm assign-leads` did (or would do).
public struct LeadRun: Equatable, Sendable {
  public var rule: LeadRule
  public var assigned: [LeadAssignment]
  /// Per login, how many leads, by login.
  public var perUser: [(login: String, count: Int)] {
    var counts: [String: Int] = [:]
    for a in assigned { counts[a.login, default: 0] += 1 }
    return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }
  public var dryRun: Bool

  public static func == (a: LeadRun, b: LeadRun) -> Bool {
    a.rule == b.rule && a.assigned == b.assigned && a.dryRun == b.dryRun
  }
}

/// Distributes the live clients that have no owner (`crm assign-leads`).
public struct LeadService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Gives every unowned live client (oldest first, at most `limit`) an owner; `dryRun` does it
  /// in a savepoint and rolls back. Supervisors and admins only.
  public func distribute(rule: LeadRule? = nil, limit: Int? = nil, dryRun: Bool = false)
    throws(CRMError) -> LeadRun
  {
    let l = language
    try db.require(
      [.supervisor, .admin], to: l.pick("assign leads", "раздать клиентов"), language: l)
    if let limit, limit < 1 {
      throw .invalid(field: "--limit", problem: l.pick("must be 1 or more", "должно быть от 1"))
    }
    let at = db.clock.now()
    let log = context.clients
    return try db.write { db in
      var run = LeadRun(rule: .off, assigned: [], dryRun: dryRun)
      try db.inSavepoint {
        var d = try LeadDistributor(db, log: log, rule: rule, at: at)
        run.rule = d.rule
        if d.rule == .off {
          throw CRMError.invalid(
            field: "lead_rule",
            problem: l.pick(
              "is off; set it (crm settings set lead_rule round_robin) or give --rule",
              "выключено; задайте (crm settings set lead_rule round_robin) или укажите --rule"))
        }
        var sql = "SELECT id FROM client WHERE owner_id IS NULL AND deleted_at IS NULL ORDER BY id"
        if let limit { sql += " LIMIT \(limit)" }
        let ids = try Int64.fetchAll(db, sql: sql)
        for id in ids {
          guard let before = try ClientService.load(db, id) else { continue }
          if let a = try d.assign(db, clientId: id, before: before, at: at) {
            run.assigned.append(a)
          }
        }
        return dryRun ? .rollback : .commit
      }
      return run
    }
  }

  /// The latest assignments of a client, newest first.
  public func log(client: Int64) throws(CRMError) -> [LeadAssignment] {
    try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.client_id, a.user_id, u.login, a.rule, a.reason FROM lead_assignment a
          JOIN app_user u ON u.id = a.user_id WHERE a.client_id = ? ORDER BY a.id DESC
          """, arguments: [client]
      ).map {
        LeadAssignment(
          clientId: $0["client_id"], userId: $0["user_id"], login: $0["login"],
          rule: LeadRule(rawValue: $0["rule"]) ?? .roundRobin, reason: $0["reason"])
      }
    }
  }
}
