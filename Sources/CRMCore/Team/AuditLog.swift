import Foundation
import GRDB

/// What the audit log is asked for: who, which kind of object, which action, which client, and
/// a period [from, to). Nil means any.
public struct AuditQuery: Equatable, Sendable {
  public var userId: Int64?
  public var entity: String?
  public var action: String?
  public var clientId: Int64?
  public var from: Date?
  public var to: Date?

  public init(
    userId: Int64? = nil, entity: String? = nil, action: String? = nil, clientId: Int64? = nil,
    from: Date? = nil, to: Date? = nil
  ) {
    self.userId = userId
    self.entity = entity
    self.action = action
    self.clientId = clientId
    self.from = from
    self.to = to
  }

  /// Whether no filter is set.
  public var isEmpty: Bool { self == AuditQuery() }

  /// The kinds of object a change can be about (`change_set.entity`).
  public static let entities = [
    "client", "person", "contact", "deal", "offer", "contract", "invoice", "payment", "act",
    "user", "task", "campaign", "target", "filter", "setting",
  ]

  /// The actions the log records (`change_set.action`, and `undo` of the client history).
  public static let actions = [
    "insert", "update", "delete", "restore", "done", "missed", "postpone", "cancel", "reassign",
    "handover", "move", "won", "lost", "reopen", "sent", "issue", "allocate", "assign", "export",
    "import", "merge", "unmerge", "bulk", "classify", "role", "deactivate", "activate",
    "distribute", "set", "undo",
  ]
}

/// Where a page of the log ends: the list runs newest first by (time, id), so the next page is
/// everything before this entry.
public struct AuditCursor: Equatable, Sendable {
  public var at: Double
  public var id: Int64

  public init(at: Double, id: Int64) {
    self.at = at
    self.id = id
  }
}

/// One audit row: one field of one change.
public struct AuditRow: Equatable, Sendable {
  public var id: Int64
  public var changeId: Int64
  public var at: Date
  public var userId: Int64?
  /// Login of the author ("?" when unknown).
  public var user: String
  public var userName: String
  /// 0 for changes that belong to no client (users, settings, targets…).
  public var clientId: Int64
  /// The client's name ("" when client_id is 0 or the client is gone).
  public var client: String
  public var entity: String
  public var entityId: Int64
  public var action: String
  public var field: String
  public var old: String?
  public var new: String?

  public var cursor: AuditCursor { AuditCursor(at: at.timeIntervalSince1970, id: id) }
}

/// The rows of one change (same `change_id`), for a one-line summary and the details.
/// Who, when, what and which client are read from the change's newest row (the one the list is
/// ordered by) rather than kept a second time.
public struct AuditChange: Equatable, Sendable {
  /// The field rows, in the order they were written (never empty).
  public var rows: [AuditRow]
  var head: AuditRow { rows[rows.count - 1] }

  public var changeId: Int64 { head.changeId }
  public var at: Date { head.at }
  public var userId: Int64? { head.userId }
  public var user: String { head.user }
  public var userName: String { head.userName }
  public var clientId: Int64 { head.clientId }
  public var client: String { head.client }
  public var entity: String { head.entity }
  public var entityId: Int64 { head.entityId }
  public var action: String { head.action }

  public var fields: [String] { rows.map(\.field) }
  /// The oldest row of the change: the next page starts before it.
  public var cursor: AuditCursor { rows.map(\.cursor).min { ($0.at, $0.id) < ($1.at, $1.id) }! }
}

/// A page of changes and where the next one starts (nil: this was the last).
public struct AuditPage: Equatable, Sendable {
  public var changes: [AuditChange]
  public var next: AuditCursor?
}

/// What the details view shows beside the rows: the change's own record.
public struct AuditChangeInfo: Equatable, Sendable {
  public var changeId: Int64
  /// The object as it was before (JSON), nil for inserts.
  public var beforeJSON: String?
  /// This change undid that one.
  public var undoOf: Int64?
  /// This change was undone by that one.
  public var undoneBy: Int64?
  /// A readable name of the object: a person's or deal's name, a user's login.
  public var objectName: String
}

/// Reads the audit log (`audit`, one row per changed field, joined with `change_set`): who
/// changed what and when, newest first, paged by keyset, filtered by user, entity, action,
/// client and period.
///
/// Access: before sign-in (internal tools) everything. Supervisors and admins read everyone's
/// changes; a manager reads only their own (the user filter is forced to them, asking for
/// someone else's is `forbidden`). Rows of clients the viewer cannot see are left out; rows
/// with client_id 0 (users, settings, targets…) are kept.
///
/// Plans (EXPLAIN QUERY PLAN, schema v6): no filter → `audit_by_time` backwards; user (with or
/// without a period) → `audit_by_user (user_id=? AND at<?)`; period → `audit_by_time (at>? AND
/// at<?)`; client → `audit_by_client (client_id=?)` and a sort of that client's rows; entity or
/// alone → `audit_by_entity (entity=? AND at<?)`; action alone → `audit_by_time` backwards with
/// the filter on each row until the page is full. Limited visibility adds a per-row
/// check against the visible clients' ids (a list built once), keeping the plan above.
public struct AuditLog: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Indexes the lead may fold into the schema: without them a client filter sorts all of that
  /// client's rows by time and a rare entity reads the whole table backwards (on 1,000,000
  /// rows, debug build, busy machine: 0.5–1 s → 0.1–0.15 s, i.e. process start). The queries
  /// work, and pick them up, without any change.

  // MARK: Access

  /// Whether the viewer is limited to their own changes (a manager).
  public var ownOnly: Bool { db.viewer.user?.role == .manager }

  /// The query as the signed-in viewer may run it: a manager gets user = self (asking for
  /// another user is refused).
  public func scoped(_ q: AuditQuery) throws(CRMError) -> AuditQuery {
    let v = db.viewer
    guard let user = v.user else {
      if db.isSignedIn {
        throw .forbidden(language.pick("audit log: sign in first", "журнал изменений: нужен вход"))
      }
      return q
    }
    if user.role == .manager {
      if let other = q.userId, other != user.id {
        throw .forbidden(
          language.pick(
            "audit log: a manager sees only their own changes; the full log needs the role "
              + "admin/supervisor («\(user.login)» is manager)",
            "журнал изменений: менеджер видит только свои изменения; весь журнал — для ролей "
              + "admin/supervisor (у «\(user.login)» роль manager)"))
      }
      var own = q
      own.userId = user.id
      return own
    }
    try db.require(
      [.supervisor, .admin], to: language.pick("audit log", "журнал изменений"), language: language)
    return q
  }

  /// Checks the filter's values: a known entity and action, a period that does not end before
  /// it starts.
  public func validate(_ q: AuditQuery) throws(CRMError) {
    /// A set filter value must be one of `known`.
    func check(_ field: String, _ value: String?, _ known: [String]) throws(CRMError) {
      guard let value, !known.contains(value) else { return }
      throw .invalid(
        field: field,
        problem: language.pick(
          "unknown «\(value)»; use one of: \(known.joined(separator: ", "))",
          "неизвестно «\(value)»; допустимые: \(known.joined(separator: ", "))"))
    }
    try check("entity", q.entity, AuditQuery.entities)
    try check("action", q.action, AuditQuery.actions)
    if let f = q.from, let t = q.to, t <= f {
      throw .invalid(
        field: "period",
        problem: language.pick("ends before it starts", "заканчивается раньше, чем начинается"))
    }
  }

  // MARK: Reading

  /// The WHERE clause and its arguments for a scoped query before `cursor`.
  func condition(_ q: AuditQuery, before cursor: AuditCursor?) -> (String, StatementArguments) {
    var c = SQLConditions()
    c.add("a.user_id = ?", q.userId)
    c.add("a.client_id = ?", q.clientId)
    c.add("a.entity = ?", q.entity)
    c.add("a.action = ?", q.action)
    c.add("a.at >= ?", q.from?.timeIntervalSince1970)
    c.add("a.at < ?", q.to?.timeIntervalSince1970)
    if let cursor {
      // The first term is the index range; the second breaks ties of equal times by id.
      c.add("a.at <= ? AND (a.at < ? OR a.id < ?)", values: [cursor.at, cursor.at, cursor.id])
    }
    let access = db.access
    if !access.isAll {
      // `+` keeps the planner on the time/user index (a filter per row against the list of
      // visible clients, built once) instead of an OR over every visible client's rows.
      c.add(
        "(+a.client_id = 0 OR \(access.condition(clientIdColumn: "+a.client_id")))", values: [])
    }
    return (c.sql, c.arguments)
  }

  static let columns = """
    a.id, a.change_id, a.at, a.user_id, coalesce(u.login, '?') AS login,
    coalesce(u.name, '') AS uname, a.client_id, coalesce(c.name, '') AS cname, a.entity,
    a.entity_id, a.action, a.field, a.old, a.new
    """

  static let joins = """
    FROM audit a LEFT JOIN app_user u ON u.id = a.user_id
    LEFT JOIN client c ON c.id = a.client_id
    """

  /// The SQL of one page of rows (for EXPLAIN in tests).
  func rowsSQL(_ q: AuditQuery, before cursor: AuditCursor?, limit: Int) -> (
    String, StatementArguments
  ) {
    var (whereSQL, args) = condition(q, before: cursor)
    _ = args.append(contentsOf: [limit])
    return (
      "SELECT \(Self.columns) \(Self.joins) WHERE \(whereSQL) ORDER BY a.at DESC, a.id DESC LIMIT ?",
      args
    )
  }

  static func row(_ r: Row) -> AuditRow {
    AuditRow(
      id: r["id"], changeId: r["change_id"], at: Date(timeIntervalSince1970: r["at"]),
      userId: r["user_id"], user: r["login"], userName: r["uname"], clientId: r["client_id"],
      client: r["cname"], entity: r["entity"], entityId: r["entity_id"], action: r["action"],
      field: r["field"], old: r["old"], new: r["new"])
  }

  /// Up to `limit` audit rows (one per field), newest first, before `cursor`.
  public func rows(_ query: AuditQuery, before cursor: AuditCursor? = nil, limit: Int = 50)
    throws(CRMError) -> [AuditRow]
  {
    try validate(query)
    let q = try scoped(query)
    let (sql, args) = rowsSQL(q, before: cursor, limit: max(0, limit))
    return try db.read { db in try Row.fetchAll(db, sql: sql, arguments: args).map(Self.row) }
  }

  /// The cursor of an audit row by its id (for `--before ID`); nil when there is none.
  public func cursor(before id: Int64) throws(CRMError) -> AuditCursor? {
    try db.read { db in
      try Double.fetchOne(db, sql: "SELECT at FROM audit WHERE id = ?", arguments: [id]).map {
        AuditCursor(at: $0, id: id)
      }
    }
  }

  /// Up to `limit` changes, newest first, each with all its rows that pass the filter.
  public func changes(_ query: AuditQuery, before cursor: AuditCursor? = nil, limit: Int = 50)
    throws(CRMError) -> AuditPage
  {
    try validate(query)
    let q = try scoped(query)
    let want = max(1, limit)
    return try db.read { db in
      var groups: [AuditChange] = []
      var index: [Int64: Int] = [:]
      var at = cursor
      var exhausted = false
      let batch = max(64, want * 8)
      // Read batches of rows until `want` changes are complete (one more change started).
      while !exhausted && groups.count <= want {
        let (sql, args) = rowsSQL(q, before: at, limit: batch)
        let rows = try Row.fetchAll(db, sql: sql, arguments: args).map(Self.row)
        exhausted = rows.count < batch
        for r in rows {
          if let i = index[r.changeId] {
            groups[i].rows.append(r)
          } else {
            index[r.changeId] = groups.count
            groups.append(
              AuditChange(rows: [r]))
          }
          at = r.cursor
        }
      }
      // Rows of one change are written together, so every change but the one that started
      // last is complete; that one is left for the next page.
      var next: AuditCursor?
      if groups.count > want {
        groups.removeLast(groups.count - want)
      }
      for i in groups.indices {
        groups[i].rows.sort { ($0.at, $0.id) < ($1.at, $1.id) }
      }
      if !exhausted || index.count > want { next = groups.last?.cursor }
      return AuditPage(changes: groups, next: next)
    }
  }

  /// The change's own record: before-JSON, undo links and a name for its object.
  public func info(_ changeId: Int64) throws(CRMError) -> AuditChangeInfo? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db,
          sql: """
            SELECT id, entity, entity_id, before_json, undo_of, undone_by FROM change_set
            WHERE id = ?
            """, arguments: [changeId])
      else { return nil }
      let entity: String = r["entity"]
      let entityId: Int64 = r["entity_id"]
      return AuditChangeInfo(
        changeId: changeId, beforeJSON: r["before_json"], undoOf: r["undo_of"],
        undoneBy: r["undone_by"], objectName: try Self.objectName(db, entity, entityId))
    }
  }

  static func objectName(_ db: Database, _ entity: String, _ id: Int64) throws -> String {
    let sql: String
    switch entity {
    case "person": sql = "SELECT name FROM contact_person WHERE id = ?"
    case "deal": sql = "SELECT title FROM deal WHERE id = ?"
    case "user": sql = "SELECT login FROM app_user WHERE id = ?"
    case "task": sql = "SELECT title FROM task WHERE id = ?"
    case "campaign": sql = "SELECT name FROM campaign WHERE id = ?"
    case "filter": sql = "SELECT name FROM saved_filter WHERE id = ?"
    default: return ""
    }
    return try String.fetchOne(db, sql: sql, arguments: [id]) ?? ""
  }

  /// The user with this login, or an error naming the option and the known logins.
  public func user(login: String, option: String = "user") throws(CRMError) -> User {
    let all = try db.users()
    if let u = all.first(where: { $0.login == login }) { return u }
    let known = all.map(\.login).joined(separator: ", ")
    throw .invalid(
      field: option,
      problem: language.pick(
        "no user «\(login)»; known: \(known.isEmpty ? "—" : known)",
        "нет пользователя «\(login)»; есть: \(known.isEmpty ? "—" : known)"))
  }

  // MARK: Names

  /// «client», «клиент»…
  public func entityName(_ e: String) -> String { Self.entityName(e, language) }

  static let entityNames: [String: (String, String)] = [
    "client": ("client", "клиент"), "person": ("person", "лицо"),
    "contact": ("contact", "контакт"), "deal": ("deal", "сделка"), "offer": ("offer", "КП"),
    "contract": ("contract", "договор"), "invoice": ("invoice", "счёт"),
    "payment": ("payment", "платёж"), "act": ("act", "акт"), "user": ("user", "пользователь"),
    "task": ("task", "задача"), "campaign": ("campaign", "кампания"),
    "target": ("target", "цель"), "filter": ("filter", "фильтр"),
    "setting": ("setting", "настройка"),
  ]

  public static func entityName(_ e: String, _ l: Language) -> String {
    entityNames[e].map { l.pick($0.0, $0.1) } ?? e
  }

  /// An entity typed by a person: its key or its name in either language.
  public static func entity(_ text: String) -> String? {
    let k = TextFold.key(text.trimmingSpaces())
    if AuditQuery.entities.contains(k) { return k }
    return AuditQuery.entities.first { e in
      Language.allCases.contains { TextFold.key(entityName(e, $0)) == k }
    }
  }

  /// «changed», «изменено»…
  public func actionName(_ a: String) -> String {
    let names: [String: (String, String)] = [
      "insert": ("created", "создано"), "update": ("changed", "изменено"),
      "delete": ("deleted", "удалено"), "restore": ("restored", "восстановлено"),
      "done": ("done", "выполнено"), "missed": ("missed", "не состоялось"),
      "postpone": ("postponed", "перенесено"), "cancel": ("cancelled", "отменено"),
      "reassign": ("reassigned", "переназначено"), "handover": ("handed over", "передано"),
      "move": ("moved", "перенесено"), "won": ("won", "выиграна"), "lost": ("lost", "проиграна"),
      "reopen": ("reopened", "открыто снова"), "sent": ("sent", "отправлено"),
      "issue": ("issued", "выставлено"), "allocate": ("allocated", "разнесено"),
      "assign": ("assigned", "привязано"), "export": ("exported", "выгружено"),
      "import": ("imported", "загружено"), "merge": ("merged", "объединено"),
      "unmerge": ("unmerged", "разъединено"), "bulk": ("bulk change", "массово"),
      "classify": ("classified", "классифицировано"), "role": ("role", "роль"),
      "deactivate": ("deactivated", "отключён"), "activate": ("activated", "включён"),
      "distribute": ("distributed", "распределено"), "set": ("set", "установлено"),
      "undo": ("undone", "отмена"),
    ]
    return names[a].map { language.pick($0.0, $0.1) } ?? a
  }

  /// A field's name as the forms show it, by entity.
  public func fieldName(entity: String, _ field: String) -> String {
    if field == "deleted" { return language.pick("in trash", "в корзине") }
    // Lines of an invoice or an offer are stored as `line 1`, `line 2`…
    if field.hasPrefix("line "), let n = Int(field.dropFirst(5)) {
      return language.pick("Line \(n)", "Строка \(n)")
    }
    if entity == "person" && field == "name" { return language.pick("Name", "Имя") }
    switch entity {
    case "client", "person": return Validator(language: language).fieldName(field)
    case "contact":
      return context.contacts.fieldName(field)
    case "deal": return context.deals.fieldName(field)
    case "offer": return context.offers.fieldName(field)
    case "contract", "invoice", "payment", "act":
      return context.money.fieldName(field)
    default: return field
    }
  }

  /// `anna · 23.11.2026 14:05 · клиент «Альфа» · изменено: телефон, город`.
  public func summary(_ c: AuditChange, formats: Formats) -> String {
    "\(c.user) · \(formats.dateTime(c.at)) · \(object(c)) · \(actionName(c.action)): "
      + fieldList(c)
  }

  /// `клиент «Альфа»`, `лицо · «Альфа»`, `пользователь`.
  public func object(_ c: AuditChange) -> String {
    let name = entityName(c.entity)
    if c.client.isEmpty { return name }
    let client = Client.quoted(c.client)
    return c.entity == "client" ? "\(name) \(client)" : "\(name) · \(client)"
  }

  /// The changed fields' names, lower case (abbreviations as they are: ИНН, ОПФ), comma
  /// separated.
  public func fieldList(_ c: AuditChange) -> String {
    c.rows.map { Self.lowercasedName(fieldName(entity: c.entity, $0.field)) }
      .joined(separator: ", ")
  }

  /// `Телефоны` → `телефоны`; `ИНН`, `E-mail`, `Р/с` keep their capitals.
  static func lowercasedName(_ name: String) -> String {
    let chars = Array(name)
    if chars.count > 1 && chars[1].isUppercase || chars.count > 1 && !chars[1].isLetter {
      return name
    }
    return name.lowercased()
  }

  /// A stored value as a person reads it in the interface's language: a user's id as their
  /// name, statuses, kinds and directions in words, days and times in the language's format,
  /// `yes` as «да»; nil (no value) as «—». `users`: the known users (read once per screen).
  public func valueText(entity: String, field: String, _ value: String?, users: [User]) -> String {
    guard let value, !value.isEmpty else { return "—" }
    let l = language
    switch field {
    case "owner", "user", "assignee", "author":
      if let id = Int64(value) {
        return users.first { $0.id == id }.map(\.name)
          ?? l.pick("user №\(id)", "пользователь №\(id)")
      }
    case "kind":
      if entity == "contact", let k = ContactKind(rawValue: value) { return k.name(l) }
      if entity == "client", let k = ClientKind(rawValue: value) { return k.name(l) }
      if entity == "contract", let k = ContractKind(rawValue: value) { return k.name(l) }
    case "status":
      switch entity {
      case "contact": if let s = ContactStatus(rawValue: value) { return s.name(l) }
      case "deal": if let s = DealStatus(rawValue: value) { return s.name(l) }
      case "contract": if let s = ContractStatus(rawValue: value) { return s.name(l) }
      case "invoice", "act": if let s = InvoiceStatus(rawValue: value) { return s.name(l) }
      default: break
      }
    case "direction":
      if let d = ContactDirection(rawValue: value) {
        return d == .incoming ? l.pick("incoming", "входящий") : l.pick("outgoing", "исходящий")
      }
    default: break
    }
    if value == "yes" { return l.pick("yes", "да") }
    return Self.localDates(value, Formats(language: l, timeZone: timeZone))
  }

  /// `2026-11-22` or `2026-11-22 14:05` (how dates are stored in the log) in the language's
  /// format; any other text as it is.
  static func localDates(_ value: String, _ f: Formats) -> String {
    let t = value.trimmingSpaces()
    guard t.count == 10 || t.count == 16 else { return value }
    let day = String(t.prefix(10))
    guard let iso = CalendarMath.isoDay(day, years: 1...9999), iso == day else { return value }
    let rest = t.dropFirst(10)
    if rest.isEmpty { return f.day(iso) }
    guard rest.first == " ", rest.dropFirst().count == 5,
      rest.dropFirst().enumerated().allSatisfy({
        $0.offset == 2 ? $0.element == ":" : $0.element.isNumber
      })
    else { return value }
    return f.day(iso) + rest
  }
}
