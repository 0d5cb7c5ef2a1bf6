import Foundation
import GRDB

/// Deals and the funnel: adding, editing, moving through a pipeline's stages (with entry
/// actions fired once per entry), won / lost / reopen, the board, stuck deals. Every change is
/// one transaction and is audited in the client's history (entity `deal`).
public struct DealService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  public func fieldName(_ key: String) -> String {
    let names: [String: (String, String)] = [
      "title": ("Title", "Название"), "client": ("Client", "Клиент"),
      "person": ("Contact person", "Контактное лицо"), "amount": ("Amount", "Сумма"),
      "currency": ("Currency", "Валюта"), "stage": ("Stage", "Этап"),
      "probability": ("Probability", "Вероятность"),
      "expected_close": ("Expected close", "Ожидаемое закрытие"),
      "source": ("Lead source", "Источник"), "owner": ("Owner", "Ответственный"),
      "lost_reason": ("Lost reason", "Причина проигрыша"), "notes": ("Notes", "Заметки"),
      "status": ("Status", "Статус"), "pipeline": ("Pipeline", "Воронка"),
    ]
    guard let pair = names[key] else { return key }
    return l.pick(pair.0, pair.1)
  }

  // MARK: Reading

  static let rowSelect = """
    SELECT d.*, cl.name AS client_name, cl.legal_form AS client_form,
      coalesce(u.login, '?') AS owner_login, p.name AS person_name
    FROM deal d
    JOIN client cl ON cl.id = d.client_id
    LEFT JOIN app_user u ON u.id = d.owner_id
    LEFT JOIN contact_person p ON p.id = d.person_id
    """

  static func deal(_ r: Row) -> Deal {
    var d = Deal(
      id: r["id"], pipelineId: r["pipeline_id"], stageId: r["stage_id"],
      status: DealStatus(rawValue: r["status"]) ?? .open, clientId: r["client_id"],
      personId: r["person_id"], title: r["title"], amount: r["amount"], currency: r["currency"],
      probability: r["probability"], expectedClose: r["expected_close"], source: r["source"],
      ownerId: r["owner_id"], lostReason: r["lost_reason"], notes: r["notes"])
    d.createdAt = r.timestamp("created_at")
    d.updatedAt = r.timestamp("updated_at")
    d.stageAt = r.timestamp("stage_at")
    d.closedAt = r.timestamp("closed_at")
    d.version = r["version"]
    return d
  }

  /// Whole days since `since`, and the days over `limit` (rounded up) when past it.
  static func age(since: Date, limit: Int?, at now: Date) -> (days: Int, over: Int?) {
    let elapsed = now.timeIntervalSince(since)
    let days = max(0, Int((elapsed / 86400).rounded(.down)))
    guard let limit else { return (days, nil) }
    let over = elapsed - Double(limit) * 86400
    return (days, over > 0 ? Int((over / 86400).rounded(.up)) : nil)
  }

  static func row(_ r: Row, stages: [Int64: Stage], at now: Date) -> DealRow {
    let d = deal(r)
    let stage =
      stages[d.stageId]
      ?? Stage(
        id: d.stageId, pipelineId: d.pipelineId, key: "?", name: "?", position: 0, kind: .open,
        probability: 0)
    let a = age(
      since: d.stageAt ?? now, limit: d.status == .open ? stage.stuckDays : nil,
      at: d.closedAt ?? now)
    return DealRow(
      deal: d, stage: stage,
      clientName: Client.displayName(name: r["client_name"], legalForm: r["client_form"] ?? ""),
      ownerLogin: r["owner_login"], personName: r["person_name"], daysInStage: a.days,
      daysOver: a.over)
  }

  static func stageMap(_ db: Database) throws -> [Int64: Stage] {
    Dictionary(
      uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM stage").map(
        PipelineService.stage
      ).map { ($0.id, $0) })
  }

  /// One deal; nil when there is none.
  public func deal(_ id: Int64) throws(CRMError) -> DealRow? {
    let at = now
    return try db.read { db in
      let stages = try Self.stageMap(db)
      return try Row.fetchOne(
        db, sql: Self.rowSelect + " WHERE d.id = ? AND \(visible("d"))", arguments: [id]
      ).map {
        Self.row($0, stages: stages, at: at)
      }
    }
  }

  /// The signed-in user's access on deals of alias `d`: their clients are visible.
  func visible(_ alias: String) -> String {
    db.access.condition(clientIdColumn: "\(alias).client_id")
  }

  func filterSQL(_ f: DealFilter, alias: String = "d") -> (
    sql: String, args: [any DatabaseValueConvertible]
  ) {
    var c = SQLConditions()
    c.add("\(alias).owner_id = ?", f.ownerId)
    c.add("\(alias).source = ?", f.source)
    c.add("\(alias).created_at >= ?", f.from?.timeIntervalSince1970)
    c.add("\(alias).created_at < ?", f.to?.timeIntervalSince1970)
    c.add("\(alias).client_id = ?", f.clientId)
    if !db.access.isAll { c.add(visible(alias), values: []) }
    return (c.sql, c.values)
  }

  /// Deals by filter and status, newest first (`crm deal list`, the client card).
  public func list(
    _ filter: DealFilter = DealFilter(), status: DealStatus? = nil, pipelineId: Int64? = nil,
    stageId: Int64? = nil, limit: Int = 50, offset: Int = 0
  ) throws(CRMError) -> [DealRow] {
    var (sql, args) = filterSQL(filter)
    if let status {
      sql += " AND d.status = ?"
      args.append(status.rawValue)
    }
    if let pipelineId {
      sql += " AND d.pipeline_id = ?"
      args.append(pipelineId)
    }
    if let stageId {
      sql += " AND d.stage_id = ?"
      args.append(stageId)
    }
    args += [limit, offset]
    let at = now
    let full = Self.rowSelect + " WHERE \(sql) ORDER BY d.id DESC LIMIT ? OFFSET ?"
    return try db.read { db in
      let stages = try Self.stageMap(db)
      return try Row.fetchAll(db, sql: full, arguments: StatementArguments(args)).map {
        Self.row($0, stages: stages, at: at)
      }
    }
  }

  /// A deal's stage history, oldest first, each entry with what its entry actions did.
  public func history(_ id: Int64) throws(CRMError) -> [StageEntry] {
    let seen = visible("d")
    return try db.read { db in
      if try Int.fetchOne(
        db, sql: "SELECT 1 FROM deal d WHERE d.id = ? AND \(seen)", arguments: [id])
        == nil
      {
        return []
      }
      let stages = try Self.stageMap(db)
      let events = try Row.fetchAll(
        db, sql: "SELECT * FROM deal_event WHERE deal_id = ? ORDER BY id", arguments: [id]
      ).map {
        DealEvent(
          id: $0["id"], entryId: $0["entry_id"], action: $0["action"], contactId: $0["contact_id"],
          offerId: $0["offer_id"], at: Date(timeIntervalSince1970: $0["at"]))
      }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT h.*, u.login FROM deal_stage h LEFT JOIN app_user u ON u.id = h.user_id
          WHERE h.deal_id = ? ORDER BY h.id
          """, arguments: [id]
      ).compactMap { r -> StageEntry? in
        guard let to = stages[r["to_stage_id"]] else { return nil }
        let entry: Int64 = r["id"]
        return StageEntry(
          id: entry, from: (r["from_stage_id"] as Int64?).flatMap { stages[$0] }, to: to,
          at: Date(timeIntervalSince1970: r["at"]), leftAt: r.timestamp("left_at"),
          userLogin: r["login"], events: events.filter { $0.entryId == entry })
      }
    }
  }

  // MARK: The board

  /// The funnel board of a pipeline: a column per open stage with totals over every open deal
  /// that passes the filter, and `cardsPerColumn` cards from `offsets[stage id]` (default 0),
  /// longest in the stage first.
  public func board(
    _ pipeline: Pipeline, filter: DealFilter = DealFilter(), cardsPerColumn: Int = 50,
    offsets: [Int64: Int] = [:], at: Date? = nil
  ) throws(CRMError) -> [FunnelColumn] {
    let now = at ?? self.now
    let open = pipeline.openStages
    guard !open.isEmpty else { return [] }
    let (fsql, fargs) = filterSQL(filter)
    let ids = open.map { String($0.id) }.joined(separator: ", ")
    let stuckCase =
      "CASE d.stage_id "
      + open.map { s in
        "WHEN \(s.id) THEN \(s.stuckDays.map { now.timeIntervalSince1970 - Double($0) * 86400 } ?? -1e18) "
      }.joined() + "ELSE -1e18 END"
    let totalsSQL = """
      SELECT d.stage_id, d.currency, count(*) AS n, sum(d.amount) AS total,
        sum(CASE WHEN d.probability IS NULL THEN d.amount ELSE 0 END) AS default_amount,
        sum(d.amount * coalesce(d.probability, 0)) AS own_weighted,
        sum(d.stage_at < \(stuckCase)) AS stuck
      FROM deal d
      WHERE d.closed_at IS NULL AND d.stage_id IN (\(ids)) AND \(fsql)
      GROUP BY d.stage_id, d.currency
      """
    let cardSQL = """
      SELECT d.id, d.title, d.amount, d.currency, d.stage_at, cl.name AS client_name,
        coalesce(u.login, '?') AS owner_login
      FROM deal d
      JOIN client cl ON cl.id = d.client_id
      LEFT JOIN app_user u ON u.id = d.owner_id
      WHERE d.closed_at IS NULL AND d.stage_id = ? AND \(fsql)
      ORDER BY d.stage_at, d.id LIMIT ? OFFSET ?
      """
    // Without filters the totals come from the trigger-kept `stage_total` and the stuck counts
    // from one index range per stage; with filters, one GROUP BY over the open deals.
    let keptSQL = """
      SELECT stage_id, currency, deals AS n, amount AS total, default_amount, own_weighted,
        0 AS stuck
      FROM stage_total WHERE stage_id IN (\(ids)) AND deals > 0
      """
    // The kept totals count every deal: only for a viewer who sees all.
    let kept = filter.isEmpty && db.access.isAll
    return try db.read { db in
      var totals: [Int64: [CurrencyTotal]] = [:]
      var counts: [Int64: (Int, Int)] = [:]
      if kept {
        for s in open {
          guard let days = s.stuckDays else { continue }
          let n =
            try Int.fetchOne(
              db,
              sql: """
                SELECT count(*) FROM deal INDEXED BY deal_open_by_stage
                WHERE closed_at IS NULL AND stage_id = ? AND stage_at < ?
                """,
              arguments: [s.id, now.timeIntervalSince1970 - Double(days) * 86400]) ?? 0
          counts[s.id] = (0, n)
        }
      }
      for r in try Row.fetchAll(
        db, sql: kept ? keptSQL : totalsSQL, arguments: StatementArguments(kept ? [] : fargs))
      {
        let stageId: Int64 = r["stage_id"]
        let stage = open.first { $0.id == stageId }!
        let n: Int = r["n"]
        let weighted =
          ((r["own_weighted"] as Int64) + (r["default_amount"] as Int64) * Int64(stage.probability))
          / 100
        let code: String = r["currency"]
        totals[stageId, default: []].append(
          CurrencyTotal(
            currency: Currency.named(code) ?? Currency(code: code, minorDigits: 2, symbol: code),
            count: n, sum: r["total"], weighted: weighted))
        let c = counts[stageId] ?? (0, 0)
        counts[stageId] = (c.0 + n, c.1 + (r["stuck"] as Int))
      }
      return try open.map { stage in
        let offset = max(0, offsets[stage.id] ?? 0)
        let cards = try Row.fetchAll(
          db, sql: cardSQL,
          arguments: StatementArguments([stage.id] + fargs + [cardsPerColumn, offset])
        ).map { r in
          let a = Self.age(
            since: Date(timeIntervalSince1970: r["stage_at"]), limit: stage.stuckDays, at: now)
          let code: String = r["currency"]
          return DealCard(
            id: r["id"], title: r["title"], clientName: r["client_name"],
            amount: Money(minor: r["amount"], currency: Currency.named(code) ?? .rub),
            ownerLogin: r["owner_login"], daysInStage: a.days, daysOver: a.over)
        }
        let t = (totals[stage.id] ?? []).sorted {
          ($0.count, $1.currency.code) > ($1.count, $0.currency.code)
        }
        return FunnelColumn(
          stage: stage, count: counts[stage.id]?.0 ?? 0, stuckCount: counts[stage.id]?.1 ?? 0,
          totals: t, cards: cards, offset: offset)
      }
    }
  }

  /// Deals of a pipeline closed in `[from, to)`: per status (won, lost), totals per currency,
  /// the most deals first. Read through the closed-deals index.
  public func closedTotals(
    pipelineId: Int64, filter: DealFilter = DealFilter(), from: Date, to: Date
  ) throws(CRMError) -> [DealStatus: [CurrencyTotal]] {
    let (fsql, fargs) = filterSQL(filter)
    let sql = """
      SELECT d.status, d.currency, count(*) AS n, sum(d.amount) AS total
      FROM deal d INDEXED BY deal_by_closed
      WHERE d.closed_at >= ? AND d.closed_at < ? AND d.pipeline_id = ? AND \(fsql)
      GROUP BY d.status, d.currency
      """
    let args: [any DatabaseValueConvertible] =
      [from.timeIntervalSince1970, to.timeIntervalSince1970, pipelineId] + fargs
    return try db.read { db in
      var out: [DealStatus: [CurrencyTotal]] = [:]
      for r in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) {
        guard let status = DealStatus(rawValue: r["status"]) else { continue }
        let code: String = r["currency"]
        out[status, default: []].append(
          CurrencyTotal(
            currency: Currency.named(code) ?? Currency(code: code, minorDigits: 2, symbol: code),
            count: r["n"], sum: r["total"], weighted: r["total"]))
      }
      return out.mapValues { list in
        list.sorted { ($0.count, $1.currency.code) > ($1.count, $0.currency.code) }
      }
    }
  }

  /// Open deals over their stage's time limit, most days over first.
  public func stuck(
    _ filter: DealFilter = DealFilter(), pipelineId: Int64? = nil, limit: Int = 200,
    at: Date? = nil
  ) throws(CRMError) -> [DealRow] {
    let now = at ?? self.now
    let (fsql, fargs) = filterSQL(filter)
    return try db.read { db in
      let stages = try Self.stageMap(db)
      let limited = stages.values.filter {
        $0.kind == .open && $0.stuckDays != nil
          && (pipelineId == nil || $0.pipelineId == pipelineId)
      }
      guard !limited.isEmpty else { return [] }
      let threshold =
        "CASE d.stage_id "
        + limited.map {
          "WHEN \($0.id) THEN \(now.timeIntervalSince1970 - Double($0.stuckDays!) * 86400) "
        }.joined() + "END"
      let ids = limited.map { String($0.id) }.joined(separator: ", ")
      let sql =
        Self.rowSelect + """
           WHERE d.closed_at IS NULL AND d.stage_id IN (\(ids)) AND d.stage_at < \(threshold)
            AND \(fsql)
          ORDER BY \(threshold) - d.stage_at DESC, d.id LIMIT ?
          """
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(fargs + [limit])).map {
        Self.row($0, stages: stages, at: now)
      }
    }
  }

  // MARK: Writing

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }

  /// `2026-12-31`, `31.12.2026` → `2026-12-31`; empty stays empty.
  func normalizeDate(_ text: String) throws(CRMError) -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.isEmpty { return "" }
    let ctx = TimeContext(now: now, timeZone: timeZone)
    let d = try When.parse(t, in: ctx, language: l, field: fieldName("expected_close"))
    return OfferService.isoDay(d, timeZone)
  }

  func choice(_ db: Database, list: String, _ text: String, field: String) throws -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.isEmpty { return "" }
    let items = try PipelineService.loadChoices(db, list)
    if let c = items.first(where: { $0.matches(t) }) { return c.key }
    let names = items.map { $0.name(l) }.joined(separator: ", ")
    throw fail(
      fieldName(field), "«\(t)» is not in the list: \(names)",
      "«\(t)» нет в списке: \(names)")
  }

  /// Validates a deal's fields and references inside the write transaction.
  func check(_ db: Database, _ input: Deal) throws -> Deal {
    var d = input
    let v = Validator(language: l)
    d.title = try v.line(d.title, "title", max: 300)
    if d.title.isEmpty {
      throw fail(fieldName("title"), "is empty; name the deal", "пусто; назовите сделку")
    }
    d.notes = try v.notes(d.notes)
    if d.amount < 0 {
      throw fail(fieldName("amount"), "cannot be negative", "не может быть отрицательной")
    }
    d.currency = try Currency.parse(d.currency, language: l, field: fieldName("currency")).code
    if let p = d.probability, !(0...100).contains(p) {
      throw fail(fieldName("probability"), "must be 0–100 %", "должна быть от 0 до 100 %")
    }
    d.source = try choice(db, list: "lead_source", d.source, field: "source")
    guard
      let client = try Row.fetchOne(
        db, sql: "SELECT name, deleted_at FROM client WHERE id = ?", arguments: [d.clientId]),
      try !self.db.access.hides(db, clientId: d.clientId)
    else { throw CRMError.notFound(what: l.pick("client", "клиент"), id: d.clientId) }
    if client["deleted_at"] != nil && d.status == .open {
      throw fail(
        fieldName("client"),
        "«\(client["name"] as String)» is in the trash; restore it first",
        "«\(client["name"] as String)» в корзине; сначала восстановите клиента")
    }
    if let p = d.personId {
      let owner = try Int64.fetchOne(
        db, sql: "SELECT client_id FROM contact_person WHERE id = ? AND deleted_at IS NULL",
        arguments: [p])
      if owner != d.clientId {
        throw fail(
          fieldName("person"), "no such contact person at this client",
          "у этого клиента нет такого контактного лица")
      }
    }
    try ContactService.requireActiveUser(db, d.ownerId, language: l)
    return d
  }

  /// Field-by-field text of a deal for the audit log.
  func fields(_ d: Deal, stages: [Int64: Stage]) -> [String: String] {
    [
      "title": d.title, "amount": d.amount == 0 ? "" : d.money.plain + " " + d.currency,
      "stage": stages[d.stageId]?.key ?? "\(d.stageId)", "status": d.status.rawValue,
      "probability": d.probability.map(String.init) ?? "", "expected_close": d.expectedClose,
      "source": d.source, "owner": "\(d.ownerId)", "person": d.personId.map(String.init) ?? "",
      "lost_reason": d.lostReason, "notes": d.notes,
    ]
  }

  func audit(
    _ db: Database, _ action: String, before: Deal?, after: Deal, at: Date
  ) throws {
    let stages = try Self.stageMap(db)
    let log = context.clients
    let change = try log.recordChange(
      db, clientId: after.clientId, entity: "deal", entityId: after.id ?? 0, action: action,
      before: before, at: at)
    try log.auditFields(
      db, change: change, clientId: after.clientId, entity: "deal", entityId: after.id ?? 0,
      action: action, old: before.map { fields($0, stages: stages) } ?? [:],
      new: fields(after, stages: stages), at: at)
  }

  /// The deal when the signed-in user may see its client; otherwise not found.
  func visibleDeal(_ db: Database, _ id: Int64) throws -> Deal {
    let d = try Self.load(db, id, language: l)
    if try self.db.access.hides(db, clientId: d.clientId) {
      throw CRMError.notFound(what: l.pick("deal", "сделка"), id: id)
    }
    return d
  }

  static func load(_ db: Database, _ id: Int64, language l: Language) throws -> Deal {
    guard
      let d = try Row.fetchOne(db, sql: "SELECT * FROM deal WHERE id = ?", arguments: [id]).map(
        deal)
    else { throw CRMError.notFound(what: l.pick("deal", "сделка"), id: id) }
    return d
  }

  static func save(_ db: Database, _ d: Deal, at: Date) throws {
    try db.execute(
      sql: """
        UPDATE deal SET stage_id = ?, status = ?, person_id = ?, title = ?, amount = ?,
          currency = ?, probability = ?, expected_close = ?, source = ?, owner_id = ?,
          lost_reason = ?, notes = ?, stage_at = ?, closed_at = ?, updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        d.stageId, d.status.rawValue, d.personId, d.title, d.amount, d.currency, d.probability,
        d.expectedClose, d.source, d.ownerId, d.lostReason, d.notes,
        d.stageAt?.timeIntervalSince1970, d.closedAt?.timeIntervalSince1970,
        at.timeIntervalSince1970, d.id,
      ])
  }

  /// Adds a deal at the first stage of `pipeline` (the default one when nil), or at `stage`,
  /// and fires that stage's entry actions. The owner defaults to the acting user. Returns the id.
  @discardableResult
  public func add(_ input: Deal, pipeline: String? = nil, stage: String? = nil) throws(CRMError)
    -> Int64
  {
    let me = try requireUser()
    let at = now
    var d = input
    d.expectedClose = try normalizeDate(d.expectedClose)
    let pipelines = context.pipelines
    let p: Pipeline
    if input.pipelineId != 0,
      let found = try pipelines.pipelines().first(where: { $0.id == input.pipelineId })
    {
      p = found
    } else {
      p = try pipelines.pipeline(pipeline)
    }
    let target: Stage
    if let stage {
      target = try resolve(stage, in: p)
    } else if input.stageId != 0, let s = p.stages.first(where: { $0.id == input.stageId }) {
      target = s
    } else {
      target = p.openStages[0]
    }
    if target.kind != .open {
      throw fail(
        fieldName("stage"), "a new deal starts at an open stage; add it, then mark it won or lost",
        "новая сделка начинается с открытого этапа; добавьте её, затем отметьте выигрыш или проигрыш"
      )
    }
    return try db.write { db in
      d.pipelineId = p.id
      d.stageId = target.id
      d.status = .open
      d.closedAt = nil
      d.stageAt = at
      d.lostReason = ""
      if d.ownerId == 0 { d.ownerId = me }
      d = try check(db, d)
      try requireFields(target, d)
      try db.execute(
        sql: """
          INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, person_id,
            title, amount, currency, probability, expected_close, source, owner_id, lost_reason,
            notes, created_at, updated_at, stage_at)
          VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)
          """,
        arguments: [
          d.pipelineId, d.stageId, d.stageId, d.clientId, d.personId, d.title, d.amount,
          d.currency, d.probability, d.expectedClose, d.source, d.ownerId, d.notes,
          at.timeIntervalSince1970, at.timeIntervalSince1970, at.timeIntervalSince1970,
        ])
      d.id = db.lastInsertedRowID
      d.createdAt = at
      try audit(db, "insert", before: nil, after: d, at: at)
      let entry = try insertEntry(db, deal: d.id!, from: nil, to: target.id, at: at, me: me)
      _ = try fire(db, d, stage: target, entry: entry, at: at, me: me)
      return d.id!
    }
  }

  /// Changes a deal's own fields (not its stage: that is `move`). `input.version` and `base` as
  /// for `ClientService.update`: a deal changed since the edit started is merged or refused.
  public func update(_ input: Deal, base: Deal? = nil) throws(CRMError) {
    guard let id = input.id else { throw .other("update needs an id") }
    let at = now
    var prepared = input
    prepared.expectedClose = try normalizeDate(prepared.expectedClose)
    try db.write { db in
      let before = try visibleDeal(db, id)
      let stages = try Self.stageMap(db)
      var d = try RowVersions.resolve(
        db, entity: "deal", id: id, clientId: before.clientId, name: before.title,
        mine: prepared,
        base: base?.version == input.version ? base : nil, theirs: before,
        yourVersion: input.version, currentVersion: before.version ?? 0,
        keys: Deal.editableKeys, display: { fields($0, stages: stages) })
      d.pipelineId = before.pipelineId
      d.stageId = before.stageId
      d.status = before.status
      d.stageAt = before.stageAt
      d.closedAt = before.closedAt
      d.createdAt = before.createdAt
      if before.status != .lost { d.lostReason = before.lostReason }
      d = try check(db, d)
      if d.status == .lost {
        d.lostReason = try choice(db, list: "lost_reason", d.lostReason, field: "lost_reason")
      }
      try Self.save(db, d, at: at)
      try audit(db, "update", before: before, after: d, at: at)
    }
  }

  func resolve(_ text: String, in p: Pipeline) throws(CRMError) -> Stage {
    if let s = p.stage(text) { return s }
    let keys = p.stages.map { "\($0.key) (\($0.name(l)))" }.joined(separator: ", ")
    throw fail(
      fieldName("stage"), "no stage «\(text)» in «\(p.key)»; stages: \(keys)",
      "нет этапа «\(text)» в воронке «\(p.key)»; этапы: \(keys)")
  }

  func requireFields(_ stage: Stage, _ d: Deal) throws {
    for case .require(let field) in stage.actions {
      let missing: Bool
      switch field {
      case .amount: missing = d.amount <= 0
      case .lostReason: missing = d.lostReason.isEmpty
      case .expectedClose: missing = d.expectedClose.isEmpty
      case .person: missing = d.personId == nil
      case .source: missing = d.source.isEmpty
      }
      if missing {
        throw fail(
          field.name(l), "stage «\(stage.name(.en))» needs it; fill it in to move the deal there",
          "этап «\(stage.name(.ru))» требует это поле; заполните его, чтобы перенести сделку")
      }
    }
  }

  func insertEntry(_ db: Database, deal: Int64, from: Int64?, to: Int64, at: Date, me: Int64)
    throws -> Int64
  {
    try db.execute(
      sql: "UPDATE deal_stage SET left_at = ? WHERE deal_id = ? AND left_at IS NULL",
      arguments: [at.timeIntervalSince1970, deal])
    try db.execute(
      sql: """
        INSERT INTO deal_stage (deal_id, from_stage_id, to_stage_id, at, user_id)
        VALUES (?, ?, ?, ?, ?)
        """, arguments: [deal, from, to, at.timeIntervalSince1970, me])
    return db.lastInsertedRowID
  }

  /// When a contact planned `action` after `at` is due, by the `WorkingHours` rule: days and
  /// weeks land on a working day at the same time of day when that is within working hours,
  /// otherwise at `day_start`; minutes and hours count from `at` and move to the next start of
  /// working hours when they fall outside them.
  public func due(of action: EntryAction, after at: Date, hours: WorkingHours) throws(CRMError)
    -> Date
  {
    let offset = try action.planOffset(language: l)
    guard offset.days else { return hours.after(seconds: offset.seconds, from: at) }
    return hours.after(days: Int(offset.seconds / 86400), from: at)
  }

  /// Runs a stage's entry actions for a new entry; each is logged once (UNIQUE per entry).
  func fire(_ db: Database, _ d: Deal, stage: Stage, entry: Int64, at: Date, me: Int64) throws
    -> [DealEvent]
  {
    var events: [DealEvent] = []
    let settings = try CRMDatabase.loadSettings(db)
    for (i, action) in stage.actions.enumerated() {
      var contactId: Int64?
      var offerId: Int64?
      switch action {
      case .require:
        continue
      case .plan(let kind, _, let subject):
        let owner =
          try Bool.fetchOne(
            db, sql: "SELECT active FROM app_user WHERE id = ?", arguments: [d.ownerId])
          == true ? d.ownerId : me
        let c = Contact(
          clientId: d.clientId, kind: kind,
          dueAt: try due(
            of: action, after: at, hours: WorkingHours(settings, timeZone: timeZone)),
          subject: subject.isEmpty ? d.title : "\(subject): \(d.title)", userId: owner,
          authorId: me, personId: d.personId, dealId: d.id)
        let contacts = context.contacts
        contactId = try contacts.planInside(db, c, me: me, at: at, remindDefault: true)
      case .draft(.offer):
        offerId = try OfferService.insertDraft(db, deal: d, at: at, author: me, timeZone: timeZone)
      }
      try db.execute(
        sql: """
          INSERT INTO deal_event (deal_id, entry_id, action_index, action, contact_id, offer_id, at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [d.id, entry, i, action.text, contactId, offerId, at.timeIntervalSince1970])
      events.append(
        DealEvent(
          id: db.lastInsertedRowID, entryId: entry, action: action.text, contactId: contactId,
          offerId: offerId, at: at))
    }
    return events
  }

  func pipelineOf(_ db: Database, _ d: Deal) throws -> Pipeline {
    guard let p = try PipelineService.loadPipelines(db).first(where: { $0.id == d.pipelineId })
    else { throw CRMError.other("the deal's pipeline is missing") }
    return p
  }

  func requireOpen(_ db: Database, _ d: Deal) throws {
    guard d.status != .open else { return }
    let when = d.closedAt.map { Formats(language: l, timeZone: timeZone).date($0) } ?? ""
    throw fail(
      l.pick("deal №\(d.id ?? 0)", "сделка №\(d.id ?? 0)"),
      "is already \(d.status.name(.en)) (\(when)); reopen it first (crm deal reopen \(d.id ?? 0))",
      "уже \(d.status.name(.ru)) (\(when)); сначала откройте её заново (crm deal reopen \(d.id ?? 0))"
    )
  }

  func moveInside(
    _ db: Database, _ before: Deal, to target: Stage, extras: MoveExtras, at: Date, me: Int64,
    action: String
  ) throws -> MoveResult {
    var d = before
    if let a = extras.amount {
      if a.minor < 0 {
        throw fail(fieldName("amount"), "cannot be negative", "не может быть отрицательной")
      }
      d.amount = a.minor
      d.currency = a.currency.code
    }
    if let e = extras.expectedClose { d.expectedClose = try normalizeDate(e) }
    if let p = extras.personId { d.personId = p }
    if let s = extras.source { d.source = s }
    if target.kind == .lost, let r = extras.lostReason {
      d.lostReason = try choice(db, list: "lost_reason", r, field: "lost_reason")
    }
    if target.kind != .lost { d.lostReason = "" }
    d.stageId = target.id
    d.status = DealStatus(rawValue: target.kind.rawValue)!
    d.stageAt = at
    d.closedAt = target.kind == .open ? nil : at
    d = try check(db, d)
    try requireFields(target, d)
    try Self.save(db, d, at: at)
    try db.execute(
      sql: """
        UPDATE deal SET reached_stage_id = ?1 WHERE id = ?2 AND ?3 <> 'lost'
          AND (SELECT position FROM stage WHERE id = ?1)
            > (SELECT position FROM stage WHERE id = deal.reached_stage_id)
        """, arguments: [target.id, d.id, target.kind.rawValue])
    if action == "reopen" {
      // Reopened: "won" is no longer reached; the furthest open stage in the history is.
      try db.execute(
        sql: """
          UPDATE deal SET reached_stage_id = coalesce((
            SELECT h.to_stage_id FROM deal_stage h JOIN stage s ON s.id = h.to_stage_id
            WHERE h.deal_id = ?1 AND s.kind = 'open' ORDER BY s.position DESC LIMIT 1), ?2)
          WHERE id = ?1
          """, arguments: [d.id, target.id])
    }
    try audit(db, action, before: before, after: d, at: at)
    let entry = try insertEntry(
      db, deal: d.id!, from: before.stageId, to: target.id, at: at, me: me)
    let events = try fire(db, d, stage: target, entry: entry, at: at, me: me)
    return MoveResult(entryId: entry, stage: target, events: events)
  }

  /// Moves an open deal to a stage (key or name) of its pipeline, with fields the stage may
  /// demand; the stage's entry actions fire once for this entry.
  @discardableResult
  public func move(_ id: Int64, to stage: String, extras: MoveExtras = MoveExtras())
    throws(CRMError) -> MoveResult
  {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let d = try visibleDeal(db, id)
      try requireOpen(db, d)
      let p = try pipelineOf(db, d)
      let target = try resolve(stage, in: p)
      if target.id == d.stageId {
        throw fail(
          fieldName("stage"), "the deal is already at «\(target.name(.en))»",
          "сделка уже на этапе «\(target.name(.ru))»")
      }
      let action = target.kind == .won ? "won" : target.kind == .lost ? "lost" : "move"
      return try moveInside(db, d, to: target, extras: extras, at: at, me: me, action: action)
    }
  }

  /// One stage forward (`by` = 1) or back (-1) along the open stages; forward from the last
  /// open stage wins the deal.
  @discardableResult
  public func step(_ id: Int64, by delta: Int, extras: MoveExtras = MoveExtras()) throws(CRMError)
    -> MoveResult
  {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let d = try visibleDeal(db, id)
      try requireOpen(db, d)
      let p = try pipelineOf(db, d)
      let open = p.openStages
      guard let i = open.firstIndex(where: { $0.id == d.stageId }) else {
        throw fail(
          fieldName("stage"), "the deal's stage is no longer in the pipeline; move it by name",
          "этапа сделки больше нет в воронке; перенесите её, указав этап")
      }
      let j = i + delta
      if j < 0 {
        throw fail(
          fieldName("stage"), "already at the first stage", "сделка уже на первом этапе")
      }
      let target = j < open.count ? open[j] : p.wonStage!
      let action = target.kind == .won ? "won" : "move"
      return try moveInside(db, d, to: target, extras: extras, at: at, me: me, action: action)
    }
  }

  /// Marks an open deal won.
  @discardableResult
  public func won(_ id: Int64) throws(CRMError) -> MoveResult {
    let key = try wonOrLostKey(id, kind: .won)
    return try move(id, to: key)
  }

  /// Marks an open deal lost with a reason from the lost-reasons list (key or name).
  @discardableResult
  public func lost(_ id: Int64, reason: String) throws(CRMError) -> MoveResult {
    let key = try wonOrLostKey(id, kind: .lost)
    return try move(id, to: key, extras: MoveExtras(lostReason: reason))
  }

  func wonOrLostKey(_ id: Int64, kind: StageKind) throws(CRMError) -> String {
    try db.read { db in
      let d = try visibleDeal(db, id)
      let p = try pipelineOf(db, d)
      guard let s = p.stages.first(where: { $0.kind == kind }) else {
        throw CRMError.other("the pipeline has no \(kind.rawValue) stage")
      }
      return s.key
    }
  }

  /// Opens a won or lost deal again at the last open stage it was in.
  @discardableResult
  public func reopen(_ id: Int64) throws(CRMError) -> MoveResult {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let d = try visibleDeal(db, id)
      if d.status == .open {
        throw fail(
          l.pick("deal №\(id)", "сделка №\(id)"), "is open already", "и так открыта")
      }
      let p = try pipelineOf(db, d)
      let lastOpen = try Int64.fetchOne(
        db,
        sql: """
          SELECT h.to_stage_id FROM deal_stage h JOIN stage s ON s.id = h.to_stage_id
          WHERE h.deal_id = ? AND s.kind = 'open' AND s.archived = 0 ORDER BY h.id DESC LIMIT 1
          """, arguments: [id])
      let target = p.stages.first { $0.id == lastOpen } ?? p.openStages[0]
      return try moveInside(
        db, d, to: target, extras: MoveExtras(), at: at, me: me, action: "reopen")
    }
  }
}
