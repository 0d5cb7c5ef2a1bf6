import Foundation
import GRDB

/// Which planned contacts a reader means: one user's, several users', or everyone's.
public enum ContactScope: Equatable, Sendable {
  case user(Int64)
  case everyone

  var condition: (sql: String, arguments: [SQLValue]) {
    switch self {
    case .user(let id): return ("c.user_id = ?", [.integer(id)])
    case .everyone: return ("1", [])
    }
  }
}

/// Contacts: logging, planning, the calendar, reminders, contact cadence and handover. Every
/// change is validated, audited (entity `contact` in the client's history) and written in one
/// transaction; a client's `last_contact_at` follows its latest done contact.
public struct ContactService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  // MARK: Reading

  /// The signed-in user's access as a condition on the contact's client (`cl`).
  var seen: String { db.access.condition(client: "cl") }

  /// The scope's condition limited to the clients the signed-in user may see.
  func condition(_ scope: ContactScope) -> (sql: String, arguments: [SQLValue]) {
    let base = scope.condition
    let a = seen
    return a == "1" ? base : ("\(base.sql) AND \(a)", base.arguments)
  }

  static let rowSelect = """
    SELECT c.*, cl.name AS client_name, cl.legal_form AS client_form, cl.segment AS client_segment,
      cl.deleted_at AS client_deleted, coalesce(u.login, '?') AS user_login,
      p.name AS person_name
    FROM contact c
    JOIN client cl ON cl.id = c.client_id
    LEFT JOIN app_user u ON u.id = c.user_id
    LEFT JOIN contact_person p ON p.id = c.person_id
    """

  static func contact(_ r: Row) -> Contact {
    var c = Contact(
      id: r["id"], clientId: r["client_id"], kind: ContactKind(rawValue: r["kind"]) ?? .other,
      status: ContactStatus(rawValue: r["status"]) ?? .planned,
      direction: ContactDirection(rawValue: r["direction"]) ?? .outgoing,
      dueAt: r.timestamp("due_at"), durationMinutes: r["duration_min"],
      doneAt: r.timestamp("done_at"),
      subject: r["subject"], outcome: r["outcome"], notes: r["notes"], userId: r["user_id"],
      authorId: r["author_id"], remindAt: r.timestamp("remind_at"), recurrence: r["recurrence"],
      personId: r["person_id"], dealId: r["deal_id"])
    c.seriesId = r["series_id"]
    c.attempt = r["attempt"]
    c.sequence = r["sequence"]
    c.createdAt = r.timestamp("created_at")
    c.updatedAt = r.timestamp("updated_at")
    c.version = r["version"]
    return c
  }

  static func contactRow(_ r: Row) -> ContactRow {
    ContactRow(
      contact: contact(r),
      clientName: Client.displayName(name: r["client_name"], legalForm: r["client_form"] ?? ""),
      clientShortName: r["client_name"],
      clientSegment: r["client_segment"] ?? "", clientDeleted: r["client_deleted"] != nil,
      userLogin: r["user_login"], personName: r["person_name"])
  }

  /// One contact with its client's name; nil when there is none.
  public func contact(_ id: Int64) throws(CRMError) -> ContactRow? {
    try db.read { db in
      try Row.fetchOne(
        db, sql: Self.rowSelect + " WHERE c.id = ? AND \(seen)", arguments: [id]
      ).map(
        Self.contactRow)
    }
  }

  /// A client's contacts: planned ones first (soonest first), then the rest, newest first.
  public func contacts(ofClient clientId: Int64, limit: Int = 500) throws(CRMError) -> [ContactRow]
  {
    try db.read { db in
      try Row.fetchAll(
        db,
        sql: Self.rowSelect + """
           WHERE c.client_id = ? AND \(seen)
          ORDER BY c.status = 'planned' DESC,
            CASE WHEN c.status = 'planned' THEN c.due_at ELSE -coalesce(c.done_at, c.due_at) END,
            c.id DESC
          LIMIT ?
          """, arguments: [clientId, limit]
      ).map(Self.contactRow)
    }
  }

  /// A deal's contacts (planned ones first, soonest first; then the rest, newest first), read
  /// through the client's index.
  public func contacts(ofDeal dealId: Int64, limit: Int = 200) throws(CRMError) -> [ContactRow] {
    try db.read { db in
      try Row.fetchAll(
        db,
        sql: Self.rowSelect + """
           WHERE c.client_id = (SELECT client_id FROM deal WHERE id = ?1) AND c.deal_id = ?1
            AND \(seen)
          ORDER BY c.status = 'planned' DESC,
            CASE WHEN c.status = 'planned' THEN c.due_at ELSE -coalesce(c.done_at, c.due_at) END,
            c.id DESC
          LIMIT ?2
          """, arguments: [dealId, limit]
      ).map(Self.contactRow)
    }
  }

  /// The statement for planned contacts in `[from, to)`, by time: the calendar's query.
  public func plannedStatement(
    from: Date, to: Date, scope: ContactScope, limit: Int = 5000
  ) -> SQLStatement {
    let s = condition(scope)
    let index = {
      switch scope {
      case .user: return "contact_planned_by_user"
      case .everyone: return "contact_planned"
      }
    }()
    return SQLStatement(
      sql: Self.rowSelect.replacingOccurrences(
        of: "FROM contact c", with: "FROM contact c INDEXED BY \(index)")
          + """
           WHERE c.status = 'planned' AND \(s.sql) AND c.due_at >= ? AND c.due_at < ?
            AND cl.deleted_at IS NULL
          ORDER BY c.due_at, c.id LIMIT ?
          """,
      arguments: s.arguments + [
        .real(from.timeIntervalSince1970), .real(to.timeIntervalSince1970),
        .integer(Int64(limit)),
      ])
  }

  /// Planned contacts in `[from, to)` in time order (the calendar, `crm agenda`).
  public func planned(from: Date, to: Date, scope: ContactScope, limit: Int = 5000)
    throws(CRMError) -> [ContactRow]
  {
    let st = plannedStatement(from: from, to: to, scope: scope, limit: limit)
    return try db.read { db in
      try Row.fetchAll(db, sql: st.sql, arguments: st.grdbArguments).map(Self.contactRow)
    }
  }

  /// Contacts matching filters, for `crm contact list`: newest planned time or done time first
  /// unless `ascending`.
  public func list(
    scope: ContactScope, clientId: Int64? = nil, status: ContactStatus? = nil,
    from: Date? = nil, to: Date? = nil, limit: Int = 50, offset: Int = 0
  ) throws(CRMError) -> [ContactRow] {
    var parts = [condition(scope).sql]
    var args: [any DatabaseValueConvertible] = condition(scope).arguments.map {
      if case .integer(let i) = $0 { return i }
      return 0
    }
    if let clientId {
      parts.append("c.client_id = ?")
      args.append(clientId)
    }
    if let status {
      parts.append("c.status = ?")
      args.append(status.rawValue)
    }
    if let from {
      parts.append("coalesce(c.done_at, c.due_at) >= ?")
      args.append(from.timeIntervalSince1970)
    }
    if let to {
      parts.append("coalesce(c.done_at, c.due_at) < ?")
      args.append(to.timeIntervalSince1970)
    }
    args += [limit, offset]
    let sql =
      Self.rowSelect + " WHERE " + parts.joined(separator: " AND ")
      + " ORDER BY coalesce(c.done_at, c.due_at) DESC, c.id DESC LIMIT ? OFFSET ?"
    return try db.read { db in
      try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.contactRow)
    }
  }

  // MARK: Reminders

  /// The reminders' statement: planned contacts due before `horizon` (overdue and due soon), of
  /// live clients, ranked by urgency: overdue first; among them VIP clients first, then whole
  /// days late (most first); then by due time. Deal value joins the ranking when deals exist.
  public func remindersStatement(
    scope: ContactScope, at now: Date, horizon: Date, limit: Int, offset: Int = 0
  ) -> SQLStatement {
    let s = condition(scope)
    let n = SQLValue.real(now.timeIntervalSince1970)
    return SQLStatement(
      sql: Self.rowSelect + """
         WHERE c.status = 'planned' AND \(s.sql) AND c.due_at < ? AND cl.deleted_at IS NULL
        ORDER BY c.due_at < ? DESC, lower(cl.segment) = 'vip' DESC,
          CAST((? - c.due_at) / 86400 AS INTEGER) DESC, c.due_at, c.id
        LIMIT ? OFFSET ?
        """,
      arguments: s.arguments + [
        .real(horizon.timeIntervalSince1970), n, n, .integer(Int64(limit)),
        .integer(Int64(offset)),
      ])
  }

  /// Overdue and due-before-`horizon` contacts, most urgent first; `limit` rows from `offset`
  /// (`Int.max`: all). `overdueCount(at: horizon)` counts them all.
  public func reminders(
    scope: ContactScope, horizon: Date, at: Date? = nil, limit: Int = 200, offset: Int = 0
  ) throws(CRMError) -> [Reminder] {
    let t = at ?? now
    let st = remindersStatement(
      scope: scope, at: t, horizon: horizon, limit: limit, offset: offset)
    return try db.read { db in
      try Row.fetchAll(db, sql: st.sql, arguments: st.grdbArguments).map { r in
        let row = Self.contactRow(r)
        let due = row.contact.dueAt ?? t
        return Reminder(
          row: row, overdue: due < t, lateBy: max(0, t.timeIntervalSince(due)),
          vip: Settings.isVIP(row.clientSegment))
      }
    }
  }

  /// The end of the day that contains `date`, in the user's time zone.
  public func endOfDay(_ date: Date) -> Date {
    let start = calendar.startOfDay(for: date)
    return calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86400)
  }

  /// How many planned contacts are past due (the "N overdue" of the status bar).
  public func overdueCount(scope: ContactScope, at: Date? = nil) throws(CRMError) -> Int {
    let s = condition(scope)
    let t = (at ?? now).timeIntervalSince1970
    return try db.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM contact c JOIN client cl ON cl.id = c.client_id
          WHERE c.status = 'planned' AND \(s.sql) AND c.due_at < ? AND cl.deleted_at IS NULL
          """,
        arguments: SQLStatement(sql: "", arguments: s.arguments + [.real(t)]).grdbArguments) ?? 0
    }
  }

  /// Clients of `scope` whose segment has a cadence and who have had no done contact for longer
  /// than it, nor any planned contact; longest silence first. `total` counts them all.
  public func losingTouch(scope: ContactScope, at: Date? = nil, limit: Int = 100, offset: Int = 0)
    throws(CRMError) -> (items: [LosingTouch], total: Int)
  {
    let settings = try db.settings()
    let t = (at ?? now).timeIntervalSince1970
    if settings.cadence.isEmpty { return ([], 0) }
    // A VALUES table of (segment key, days) so one query covers every segment with a cadence.
    let pairs = settings.cadence.sorted { $0.key < $1.key }
    let values = pairs.map { _ in "(?, ?)" }.joined(separator: ", ")
    var args: [any DatabaseValueConvertible] = []
    for (k, v) in pairs {
      args.append(k)
      args.append(v)
    }
    let owner: String
    switch scope {
    case .user(let id):
      owner = "cl.owner_id = ?"
      args.append(id)
    case .everyone:
      owner = "1"
    }
    args.append(t)
    // Clients drive the join (CROSS JOIN keeps them outer): one pass over the owner's clients,
    // each matched against the few cadence rows; the total comes with the page (window count).
    let sql = """
      WITH cadence(segment_key, days) AS (VALUES \(values))
      SELECT * FROM (
        SELECT cl.id, cl.name, cl.legal_form, cl.segment, cl.last_contact_at, cd.days,
          (? - coalesce(cl.last_contact_at, cl.created_at)) / 86400.0 - cd.days AS over
        FROM client cl CROSS JOIN cadence cd
        WHERE cl.deleted_at IS NULL AND \(owner) AND \(seen) AND cd.segment_key = lower(cl.segment)
          AND NOT EXISTS (
            SELECT 1 FROM contact c INDEXED BY contact_planned_by_client
            WHERE c.client_id = cl.id AND c.status = 'planned')
      )
      WHERE over > 0
      """
    // `over` needs now first: move that argument to the front.
    let nowArg = args.removeLast()
    let cadenceArgs = Array(args.prefix(pairs.count * 2))
    let ownerArgs = Array(args.dropFirst(pairs.count * 2))
    let all = cadenceArgs + [nowArg] + ownerArgs
    return try db.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT *, count(*) OVER () AS total FROM (\(sql)) ORDER BY over DESC, id
          LIMIT ? OFFSET ?
          """,
        arguments: StatementArguments(all + [limit, offset]))
      let total: Int = rows.first?["total"] ?? 0
      let items = rows.map { r in
        LosingTouch(
          clientId: r["id"],
          clientName: Client.displayName(name: r["name"], legalForm: r["legal_form"] ?? ""),
          segment: r["segment"], lastContact: r.timestamp("last_contact_at"),
          cadenceDays: r["days"], daysOver: Int((r["over"] as Double).rounded(.down)))
      }
      return (items, total)
    }
  }

  // MARK: Writing

  /// Validates a contact's fields and references inside the write transaction.
  func check(_ db: Database, _ input: Contact) throws -> Contact {
    var c = input
    let v = Validator(language: l)
    c.subject = try v.line(c.subject, "subject", max: 300)
    c.outcome = try v.notes(c.outcome)
    c.notes = try v.notes(c.notes)
    guard (0...24 * 60).contains(c.durationMinutes) else {
      throw fail(
        fieldName("duration"), "from 0 to 1440 minutes", "от 0 до 1440 минут")
    }
    guard
      let client = try Row.fetchOne(
        db, sql: "SELECT name, deleted_at FROM client WHERE id = ?", arguments: [c.clientId]),
      try !self.db.access.hides(db, clientId: c.clientId)
    else {
      throw CRMError.notFound(what: l.pick("client", "клиент"), id: c.clientId)
    }
    if client["deleted_at"] != nil && c.status == .planned {
      throw fail(
        fieldName("client"),
        "«\(client["name"] as String)» is in the trash; restore it before planning contacts",
        "«\(client["name"] as String)» в корзине; восстановите клиента, чтобы планировать контакты"
      )
    }
    try Self.requireActiveUser(db, c.userId, language: l)
    if let p = c.personId {
      let owner = try Int64.fetchOne(
        db, sql: "SELECT client_id FROM contact_person WHERE id = ? AND deleted_at IS NULL",
        arguments: [p])
      if owner != c.clientId {
        throw fail(
          fieldName("person"), "no such contact person at this client",
          "у этого клиента нет такого контактного лица")
      }
    }
    if !c.recurrence.isEmpty {
      guard let r = Recurrence(c.recurrence) else {
        throw fail(
          fieldName("recurrence"), "use every N days/weeks/months: 3d, 2w, 1m",
          "укажите «каждые N дней/недель/месяцев»: 3d, 2w, 1m")
      }
      c.recurrence = r.text
    }
    if c.status == .planned && c.dueAt == nil {
      throw fail(fieldName("due"), "a planned contact needs a time", "у плана должно быть время")
    }
    return c
  }

  static func requireActiveUser(_ db: Database, _ id: Int64, language l: Language) throws {
    guard
      let u = try Row.fetchOne(
        db, sql: "SELECT login, active FROM app_user WHERE id = ?", arguments: [id])
    else { throw CRMError.notFound(what: l.pick("user", "пользователь"), id: id) }
    if !(u["active"] as Bool) {
      throw CRMError.invalid(
        field: u["login"],
        problem: l.pick(
          "is deactivated; choose an active user", "деактивирован; выберите активного пользователя")
      )
    }
  }

  public func fieldName(_ key: String) -> String {
    let names: [String: (String, String)] = [
      "kind": ("Kind", "Вид"), "status": ("Status", "Статус"), "due": ("When", "Когда"),
      "duration": ("Duration", "Длительность"), "subject": ("Subject", "Тема"),
      "outcome": ("Outcome", "Результат"), "notes": ("Notes", "Заметки"),
      "user": ("Responsible", "Ответственный"), "remind": ("Remind", "Напомнить"),
      "recurrence": ("Repeat", "Повтор"), "client": ("Client", "Клиент"),
      "person": ("Contact person", "Контактное лицо"), "next": ("Next contact", "Следующий"),
      "direction": ("Direction", "Направление"), "done": ("Done", "Выполнен"),
    ]
    guard let pair = names[key] else { return key }
    return l.pick(pair.0, pair.1)
  }

  /// Field-by-field text of a contact for the audit log (times in the user's zone).
  func fields(_ c: Contact) -> [String: String] {
    let f = Formats(language: .en, timeZone: timeZone)
    return [
      "kind": c.kind.rawValue, "status": c.status.rawValue, "direction": c.direction.rawValue,
      "due": c.dueAt.map(f.dateTime) ?? "", "done": c.doneAt.map(f.dateTime) ?? "",
      "duration": c.durationMinutes == 0 ? "" : "\(c.durationMinutes)",
      "subject": c.subject, "outcome": c.outcome, "notes": c.notes, "user": "\(c.userId)",
      "remind": c.remindAt.map(f.dateTime) ?? "", "recurrence": c.recurrence,
    ]
  }

  /// Writes a change row and one audit row per changed field, through ClientService's log.
  func audit(
    _ db: Database, _ action: String, before: Contact?, after: Contact, at: Date
  ) throws {
    let log = context.clients
    let change = try log.recordChange(
      db, clientId: after.clientId, entity: "contact", entityId: after.id ?? 0, action: action,
      before: before, at: at)
    try log.auditFields(
      db, change: change, clientId: after.clientId, entity: "contact", entityId: after.id ?? 0,
      action: action, old: before.map(fields) ?? [:], new: fields(after), at: at)
  }

  static func insert(_ db: Database, _ c: Contact, at: Date) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO contact (client_id, person_id, deal_id, kind, direction, status, due_at,
          duration_min, done_at, subject, outcome, notes, user_id, author_id, remind_at,
          recurrence, series_id, attempt, sequence, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        c.clientId, c.personId, c.dealId, c.kind.rawValue, c.direction.rawValue, c.status.rawValue,
        c.dueAt?.timeIntervalSince1970, c.durationMinutes, c.doneAt?.timeIntervalSince1970,
        c.subject, c.outcome, c.notes, c.userId, c.authorId, c.remindAt?.timeIntervalSince1970,
        c.recurrence, c.seriesId, c.attempt, c.sequence, at.timeIntervalSince1970,
        at.timeIntervalSince1970,
      ])
    return db.lastInsertedRowID
  }

  static func save(_ db: Database, _ c: Contact, at: Date) throws {
    try db.execute(
      sql: """
        UPDATE contact SET person_id = ?, deal_id = ?, kind = ?, direction = ?, status = ?,
          due_at = ?, duration_min = ?, done_at = ?, subject = ?, outcome = ?, notes = ?,
          user_id = ?, remind_at = ?, recurrence = ?, series_id = ?, attempt = ?, sequence = ?,
          updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        c.personId, c.dealId, c.kind.rawValue, c.direction.rawValue, c.status.rawValue,
        c.dueAt?.timeIntervalSince1970, c.durationMinutes, c.doneAt?.timeIntervalSince1970,
        c.subject, c.outcome, c.notes, c.userId, c.remindAt?.timeIntervalSince1970, c.recurrence,
        c.seriesId, c.attempt, c.sequence, at.timeIntervalSince1970, c.id,
      ])
  }

  /// Keeps `client.last_contact_at` at the latest done contact.
  static func touchClient(_ db: Database, _ clientId: Int64, _ doneAt: Date) throws {
    try db.execute(
      sql: """
        UPDATE client SET last_contact_at = ?
        WHERE id = ? AND (last_contact_at IS NULL OR last_contact_at < ?)
        """,
      arguments: [doneAt.timeIntervalSince1970, clientId, doneAt.timeIntervalSince1970])
  }

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }

  func defaultRemind(_ due: Date, _ settings: Settings) -> Date {
    due.addingTimeInterval(-Double(settings.remindBeforeMinutes) * 60)
  }

  /// Plans a contact and returns its id. The responsible user defaults to the acting one, the
  /// reminder to `remind_before` ahead of the time.
  @discardableResult
  public func plan(_ input: Contact, remindDefault: Bool = true) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      try planInside(db, input, me: me, at: at, remindDefault: remindDefault)
    }
  }

  func planInside(_ db: Database, _ input: Contact, me: Int64, at: Date, remindDefault: Bool)
    throws -> Int64
  {
    var c = input
    c.status = .planned
    c.doneAt = nil
    if c.authorId == nil { c.authorId = me }
    let settings = try CRMDatabase.loadSettings(db)
    if c.remindAt == nil && remindDefault, let due = c.dueAt {
      c.remindAt = defaultRemind(due, settings)
    }
    c = try check(db, c)
    let id = try Self.insert(db, c, at: at)
    c.id = id
    try audit(db, "insert", before: nil, after: c, at: at)
    return id
  }

  /// The next contact to plan in the same step as logging one.
  public struct Next: Sendable, Equatable {
    public var at: Date
    public var kind: ContactKind?
    public var subject: String

    public init(at: Date, kind: ContactKind? = nil, subject: String = "") {
      self.at = at
      self.kind = kind
      self.subject = subject
    }
  }

  /// What logging did.
  public struct Logged: Sendable, Equatable {
    /// The done contact: a new one, or the planned one it closed.
    public var id: Int64
    /// True when an overdue or due-today planned contact of the same kind was marked done
    /// instead of adding a new one.
    public var closedPlanned: Bool
    public var nextId: Int64?
    /// The next occurrence planned because the closed contact repeats.
    public var recurringId: Int64?
  }

  /// Logs a contact that just happened, with its outcome, and plans the next one if given —
  /// one transaction. When the acting user has a planned contact of the same kind with this
  /// client due today or earlier, that one is marked done instead of adding another. `dealId`
  /// ties a new contact and the next one to a deal.
  @discardableResult
  public func log(
    clientId: Int64, kind: ContactKind, outcome: String = "", notes: String = "",
    subject: String = "", direction: ContactDirection = .outgoing, doneAt: Date? = nil,
    personId: Int64? = nil, dealId: Int64? = nil, next: Next? = nil, closePlanned: Bool = true
  ) throws(CRMError) -> Logged {
    let me = try requireUser()
    let at = now
    let when = doneAt ?? at
    return try db.write { db in
      var closed: Contact?
      if closePlanned {
        closed = try Row.fetchOne(
          db,
          sql: """
            SELECT * FROM contact WHERE client_id = ? AND user_id = ? AND kind = ?
              AND status = 'planned' AND due_at < ?
            ORDER BY due_at LIMIT 1
            """,
          arguments: [clientId, me, kind.rawValue, endOfDay(when).timeIntervalSince1970]
        ).map(Self.contact)
      }
      var result: Logged
      if let planned = closed {
        let done = try completeInside(
          db, planned, outcome: outcome, notes: notes, doneAt: when, direction: direction,
          at: at, me: me)
        result = Logged(id: planned.id!, closedPlanned: true, nextId: nil, recurringId: done)
      } else {
        let c = Contact(
          clientId: clientId, kind: kind, status: .done, direction: direction, dueAt: when,
          doneAt: when, subject: subject, outcome: outcome, notes: notes, userId: me,
          authorId: me, personId: personId, dealId: dealId)
        let id = try logInside(db, c, at: at)
        result = Logged(id: id, closedPlanned: false, nextId: nil, recurringId: nil)
      }
      if let next {
        let plan = Contact(
          clientId: clientId, kind: next.kind ?? kind, dueAt: next.at, subject: next.subject,
          userId: me, authorId: me, personId: personId, dealId: dealId)
        result.nextId = try planInside(db, plan, me: me, at: at, remindDefault: true)
      }
      return result
    }
  }

  /// Inserts a contact that already happened (status `done`, `doneAt` set) inside the caller's
  /// write transaction: validated, audited as an insert, and the client's `last_contact_at`
  /// moved up to it. For other services that log a contact as part of their own change (an
  /// offer marked sent); planned contacts of the same kind are left alone. Returns the id.
  func logInside(_ db: Database, _ input: Contact, at: Date) throws -> Int64 {
    var c = input
    c.status = .done
    let done = c.doneAt ?? at
    c.doneAt = done
    if c.dueAt == nil { c.dueAt = done }
    c = try check(db, c)
    c.id = try Self.insert(db, c, at: at)
    try audit(db, "insert", before: nil, after: c, at: at)
    try Self.touchClient(db, c.clientId, done)
    return c.id!
  }

  func load(_ db: Database, _ id: Int64) throws -> Contact {
    guard
      let c = try Row.fetchOne(db, sql: "SELECT * FROM contact WHERE id = ?", arguments: [id])
        .map(Self.contact),
      try !self.db.access.hides(db, clientId: c.clientId)
    else { throw CRMError.notFound(what: l.pick("contact", "контакт"), id: id) }
    return c
  }

  func requirePlanned(_ c: Contact) throws {
    if c.status != .planned {
      throw fail(
        l.pick("contact №\(c.id ?? 0)", "контакт №\(c.id ?? 0)"),
        "is already \(c.status.name(.en)); only planned contacts can change this way",
        "уже \(c.status.name(.ru)); так можно менять только запланированные контакты")
    }
  }

  /// Marks a planned contact done; a repeating one gets its next occurrence planned, whose id is
  /// returned.
  func completeInside(
    _ db: Database, _ planned: Contact, outcome: String, notes: String, doneAt: Date,
    direction: ContactDirection? = nil, at: Date, me: Int64
  ) throws -> Int64? {
    try requirePlanned(planned)
    var c = planned
    c.status = .done
    c.doneAt = doneAt
    if !outcome.isEmpty { c.outcome = outcome }
    if !notes.isEmpty { c.notes = c.notes.isEmpty ? notes : c.notes + "\n" + notes }
    if let direction { c.direction = direction }
    c = try check(db, c)
    try Self.save(db, c, at: at)
    try audit(db, "done", before: planned, after: c, at: at)
    try Self.touchClient(db, c.clientId, doneAt)
    guard let rule = Recurrence(c.recurrence), let due = planned.dueAt else { return nil }
    let anchor =
      try c.seriesId.flatMap {
        try Double.fetchOne(db, sql: "SELECT due_at FROM contact WHERE id = ?", arguments: [$0])
      }.map(Date.init(timeIntervalSince1970:)) ?? due
    var next = planned
    next.id = nil
    next.seriesId = planned.seriesId ?? planned.id
    next.dueAt = rule.next(after: max(due, doneAt), anchor: anchor, calendar)
    next.remindAt = planned.remindAt.map {
      next.dueAt!.addingTimeInterval($0.timeIntervalSince(due))
    }
    next.outcome = ""
    next.attempt = 0
    next.sequence = 0
    next.authorId = me
    return try planInside(db, next, me: me, at: at, remindDefault: false)
  }

  /// Marks a planned contact done with its result, planning `next` in the same step.
  @discardableResult
  public func complete(_ id: Int64, outcome: String = "", notes: String = "", next: Next? = nil)
    throws(CRMError) -> Logged
  {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let c = try load(db, id)
      let rec = try completeInside(
        db, c, outcome: outcome, notes: notes, doneAt: at, at: at, me: me)
      var result = Logged(id: id, closedPlanned: true, nextId: nil, recurringId: rec)
      if let next {
        let plan = Contact(
          clientId: c.clientId, kind: next.kind ?? c.kind, dueAt: next.at, subject: next.subject,
          userId: c.userId, authorId: me, personId: c.personId, dealId: c.dealId)
        result.nextId = try planInside(db, plan, me: me, at: at, remindDefault: true)
      }
      return result
    }
  }

  /// Nobody answered: records the attempt as missed and plans a retry by the `no_answer_rule`
  /// setting (the n-th retry after the n-th step; the last step repeats), within working hours
  /// (`WorkingHours`). Returns the retry's id.
  @discardableResult
  public func noAnswer(_ id: Int64) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let planned = try load(db, id)
      try requirePlanned(planned)
      var c = planned
      c.status = .missed
      c.doneAt = at
      if c.outcome.isEmpty { c.outcome = l.pick("no answer", "не дозвонился") }
      try Self.save(db, c, at: at)
      try audit(db, "missed", before: planned, after: c, at: at)
      let settings = try CRMDatabase.loadSettings(db)
      let steps = settings.noAnswerSteps
      var retry = planned
      retry.id = nil
      retry.seriesId = planned.seriesId ?? planned.id
      retry.attempt = planned.attempt + 1
      retry.sequence = 0
      // Within working hours: a retry "in 2 hours" at 22:40 waits for the next morning.
      retry.dueAt = WorkingHours(settings, timeZone: timeZone).after(
        step: steps[min(planned.attempt, steps.count - 1)], from: at)
      retry.remindAt = retry.dueAt
      // The retry carries the repeat on, so the series continues once somebody answers.
      retry.recurrence = planned.recurrence
      return try planInside(db, retry, me: me, at: at, remindDefault: false)
    }
  }

  /// The working hours of the settings in the user's time zone (`WorkingHours`).
  public func workingHours() throws(CRMError) -> WorkingHours {
    WorkingHours(try db.settings(), timeZone: timeZone)
  }

  /// Moves a planned contact to another time; its reminder moves with it.
  public func postpone(_ id: Int64, to: Date) throws(CRMError) {
    let at = now
    try db.write { db in
      let before = try load(db, id)
      try requirePlanned(before)
      var c = before
      c.dueAt = to
      if let r = before.remindAt, let due = before.dueAt {
        c.remindAt = to.addingTimeInterval(r.timeIntervalSince(due))
      }
      c.sequence += 1
      try Self.save(db, c, at: at)
      try audit(db, "postpone", before: before, after: c, at: at)
    }
  }

  /// Cancels a planned contact (it stays in the history as cancelled).
  public func cancel(_ id: Int64) throws(CRMError) {
    let at = now
    try db.write { db in
      let before = try load(db, id)
      try requirePlanned(before)
      var c = before
      c.status = .cancelled
      c.sequence += 1
      try Self.save(db, c, at: at)
      try audit(db, "cancel", before: before, after: c, at: at)
    }
  }

  /// Gives a planned contact to another (active) user.
  public func reassign(_ id: Int64, to user: Int64) throws(CRMError) {
    let at = now
    try db.write { db in
      let before = try load(db, id)
      try requirePlanned(before)
      try Self.requireActiveUser(db, user, language: l)
      var c = before
      c.userId = user
      try Self.save(db, c, at: at)
      try audit(db, "reassign", before: before, after: c, at: at)
    }
  }

  /// Saves edited fields of a contact (kind, time, duration, subject, notes, outcome, reminder,
  /// repeat, person). A changed time bumps the iCalendar sequence.
  /// `input.version` and `base` as for `ClientService.update`.
  public func update(_ input: Contact, base: Contact? = nil) throws(CRMError) {
    guard let id = input.id else { throw .other("update needs an id") }
    let at = now
    try db.write { db in
      let before = try load(db, id)
      let mine = try RowVersions.resolve(
        db, entity: "contact", id: id, clientId: before.clientId,
        name: before.subject.isEmpty ? before.kind.rawValue : before.subject, mine: input,
        base: base?.version == input.version ? base : nil, theirs: before,
        yourVersion: input.version, currentVersion: before.version ?? 0,
        keys: Contact.editableKeys, display: fields)
      var c = try check(db, mine)
      c.status = before.status
      c.clientId = before.clientId
      c.seriesId = before.seriesId
      c.attempt = before.attempt
      c.sequence = before.sequence + (c.dueAt != before.dueAt ? 1 : 0)
      if fields(c) == fields(before) && c.personId == before.personId { return }
      try Self.save(db, c, at: at)
      try audit(db, "update", before: before, after: c, at: at)
    }
  }

  // MARK: Handover

  /// Gives clients of `from` to `to`: the listed ones (each must belong to `from`), or all of
  /// them. Their planned contacts held by `from` move along, and open deals too when
  /// `withDeals`. Audited per client and contact; one transaction.
  @discardableResult
  public func handover(from: Int64, to: Int64, clientIds: [Int64]? = nil, withDeals: Bool = false)
    throws(CRMError) -> HandoverResult
  {
    try db.write { db in
      try handover(db, from: from, to: to, clientIds: clientIds, withDeals: withDeals)
    }
  }

  /// The handover inside a transaction the caller holds (`crm user deactivate --move-to`).
  func handover(
    _ db: Database, from: Int64, to: Int64, clientIds: [Int64]?, withDeals: Bool
  ) throws -> HandoverResult {
    let at = now
    let clients = context.clients
    do {
      guard
        let fromLogin = try String.fetchOne(
          db, sql: "SELECT login FROM app_user WHERE id = ?", arguments: [from])
      else { throw CRMError.notFound(what: l.pick("user", "пользователь"), id: from) }
      try Self.requireActiveUser(db, to, language: l)
      if from == to {
        throw fail(
          "--to", "is the same user as --from; nothing to hand over",
          "тот же пользователь, что и --from; передавать нечего")
      }
      let ids: [Int64]
      if let clientIds {
        for id in clientIds {
          guard
            let owner = try Row.fetchOne(
              db, sql: "SELECT owner_id FROM client WHERE id = ?", arguments: [id]),
            try !self.db.access.hides(db, clientId: id)
          else { throw CRMError.notFound(what: l.pick("client", "клиент"), id: id) }
          if owner["owner_id"] as Int64? != from {
            throw fail(
              l.pick("client №\(id)", "клиент №\(id)"), "does not belong to \(fromLogin)",
              "не принадлежит \(fromLogin)")
          }
        }
        ids = clientIds
      } else {
        // Only the clients the signed-in user may see (all of them for an admin).
        ids = try Int64.fetchAll(
          db,
          sql: """
            SELECT id FROM client c WHERE owner_id = ? AND deleted_at IS NULL
              AND \(self.db.access.condition(client: "c"))
            ORDER BY id
            """,
          arguments: [from])
      }
      var result = HandoverResult(clients: 0, contacts: 0, deals: 0)
      for id in ids {
        guard let before = try ClientService.load(db, id) else { continue }
        var after = before
        after.ownerId = to
        let change = try clients.recordChange(
          db, clientId: id, entity: "client", entityId: id, action: "handover", before: before,
          at: at)
        try db.execute(
          sql: "UPDATE client SET owner_id = ?, updated_at = ? WHERE id = ?",
          arguments: [to, at.timeIntervalSince1970, id])
        try clients.auditFields(
          db, change: change, clientId: id, entity: "client", entityId: id, action: "handover",
          old: ["owner": String(from)], new: ["owner": String(to)], at: at)
        result.clients += 1
        let planned = try Row.fetchAll(
          db,
          sql: "SELECT * FROM contact WHERE client_id = ? AND user_id = ? AND status = 'planned'",
          arguments: [id, from]
        ).map(Self.contact)
        for p in planned {
          var moved = p
          moved.userId = to
          try Self.save(db, moved, at: at)
          try audit(db, "handover", before: p, after: moved, at: at)
          result.contacts += 1
        }
        if withDeals {
          let deals = context.deals
          let open = try Row.fetchAll(
            db,
            sql: "SELECT * FROM deal WHERE client_id = ? AND owner_id = ? AND closed_at IS NULL",
            arguments: [id, from]
          ).map(DealService.deal)
          for d in open {
            try db.execute(
              sql: "UPDATE deal SET owner_id = ?, updated_at = ? WHERE id = ?",
              arguments: [to, at.timeIntervalSince1970, d.id])
            var moved = d
            moved.ownerId = to
            try deals.audit(db, "handover", before: d, after: moved, at: at)
            result.deals += 1
          }
        }
      }
      return result
    }
  }
}

extension CRMDatabase {
  /// Ids of every client the query selects (for bulk actions and handover of a filtered list).
  public func ids(_ query: ClientListQuery) throws(CRMError) -> [Int64] {
    let w = visible(query).whereClause()
    return try read { db in
      try Int64.fetchAll(
        db, sql: "SELECT c.id FROM client c WHERE \(w.sql) ORDER BY c.id",
        arguments: SQLStatement(sql: "", arguments: w.arguments).grdbArguments)
    }
  }

  /// The user with this login, if any (never creates one).
  public func findUser(login: String) throws(CRMError) -> User? {
    try read { db in try Self.fetchUser(db, login: login) }
  }
}
