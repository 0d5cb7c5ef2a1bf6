import Foundation
import GRDB

/// A task a supervisor gave a manager: a to-do with a due time, or a planned contact.
///
/// A contact task's status and due time are read through a join with its contact (planned →
/// open, done or no answer → done, cancelled → cancelled; postponing the contact moves the
/// task), so they never drift apart; `task.status` is written only for to-dos.
public struct TeamTask: Equatable, Sendable {
  public enum Status: String, CaseIterable, Sendable {
    case open, done, cancelled

    public func name(_ l: Language) -> String {
      switch self {
      case .open: return l.pick("open", "открыта")
      case .done: return l.pick("done", "выполнена")
      case .cancelled: return l.pick("cancelled", "отменена")
      }
    }
  }

  public var id: Int64
  public var title: String
  public var notes: String
  public var assigneeId: Int64
  public var assigneeLogin: String
  public var assigneeName: String
  public var authorId: Int64?
  public var authorLogin: String
  public var authorName: String
  public var clientId: Int64?
  public var clientName: String
  /// The planned contact this task is (nil: a to-do).
  public var contactId: Int64?
  public var contactKind: ContactKind?
  public var dueAt: Date
  public var status: Status
  public var createdAt: Date
  public var doneAt: Date?
  /// Open and past its due time when read.
  public var overdue: Bool

  public var isTodo: Bool { contactId == nil }
}

/// Which tasks a list shows.
public enum TaskScope: String, Sendable, CaseIterable {
  /// Given to me.
  case mine
  /// Given by me.
  case given
  /// Everyone's (supervisors and admins; tasks of clients the viewer cannot see are left out).
  case all
}

/// Which statuses a list shows.
public enum TaskFilter: String, Sendable, CaseIterable {
  case open, overdue, done, all
}

/// What a new task is.
public struct NewTask: Equatable, Sendable {
  public var assigneeId: Int64
  public var title: String
  public var notes: String
  public var dueAt: Date
  public var clientId: Int64?
  /// A planned contact of this kind instead of a to-do (needs a client).
  public var contactKind: ContactKind?

  public init(
    assigneeId: Int64, title: String, notes: String = "", dueAt: Date, clientId: Int64? = nil,
    contactKind: ContactKind? = nil
  ) {
    self.assigneeId = assigneeId
    self.title = title
    self.notes = notes
    self.dueAt = dueAt
    self.clientId = clientId
    self.contactKind = contactKind
  }
}

/// Tasks: given by supervisors and admins to active users, shown in the assignee's calendar and
/// reminders, audited as entity `task` (client 0 when the task names no client).
public struct TaskService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  var log: ClientService { context.clients }
  var contacts: ContactService {
    context.contacts
  }

  // MARK: Writing

  /// Gives a task; returns its id. Supervisors and admins only; the assignee must be active and,
  /// when a client is named, see that client.
  @discardableResult
  public func add(_ input: NewTask) throws(CRMError) -> Int64 {
    try db.require([.supervisor, .admin], to: l.pick("give a task", "дать задачу"), language: l)
    guard let me = userId else {
      throw .other(l.pick("no acting user (read-only database?)", "нет пользователя"))
    }
    let title = try Validator(language: l).line(input.title, "subject", max: 300)
    if title.isEmpty {
      throw fail(l.pick("title", "название"), "is empty", "пустое")
    }
    let notes = try Validator(language: l).notes(input.notes)
    guard
      let assignee = try db.read({ db in try CRMDatabase.fetchUser(db, id: input.assigneeId) })
    else { throw .notFound(what: l.pick("user", "пользователь"), id: input.assigneeId) }
    if !assignee.active {
      throw fail(
        assignee.login, "is deactivated; give the task to an active user",
        "отключён; дайте задачу активному пользователю")
    }
    if input.contactKind != nil && input.clientId == nil {
      throw fail(
        "--client", "a planned contact needs a client (--client ID)",
        "для запланированного контакта нужен клиент (--client ID)")
    }
    if let cid = input.clientId {
      guard
        let row = try db.read({ db in
          try Row.fetchOne(
            db, sql: "SELECT name, owner_id, deleted_at FROM client WHERE id = ?", arguments: [cid])
        })
      else { throw .notFound(what: l.pick("client", "клиент"), id: cid) }
      let owner: Int64? = row["owner_id"]
      if !db.access.allows(ownerId: owner) {
        throw .notFound(what: l.pick("client", "клиент"), id: cid)
      }
      if row["deleted_at"] != nil {
        throw fail(
          "--client", "«\(row["name"] as String)» is in the trash",
          "«\(row["name"] as String)» в корзине")
      }
      if !(try db.access(for: assignee)).allows(ownerId: owner) {
        throw fail(
          "--client",
          "\(assignee.login) cannot see client №\(cid) «\(row["name"] as String)» under the visibility settings; give them the client first or choose its owner",
          "\(assignee.login) не видит клиента №\(cid) «\(row["name"] as String)» по настройкам видимости; сначала передайте клиента или выберите его владельца"
        )
      }
    }
    let at = now
    let service = contacts
    let audit = log
    return try db.write { db in
      var contactId: Int64?
      if let kind = input.contactKind, let cid = input.clientId {
        let c = Contact(
          clientId: cid, kind: kind, dueAt: input.dueAt, subject: title, notes: notes,
          userId: assignee.id, authorId: me)
        let id = try service.planInside(db, c, me: me, at: at, remindDefault: true)
        contactId = id
      }
      try db.execute(
        sql: """
          INSERT INTO task (title, notes, assignee_id, author_id, client_id, contact_id, due_at,
            status, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)
          """,
        arguments: [
          title, notes, assignee.id, me, input.clientId, contactId,
          input.dueAt.timeIntervalSince1970, at.timeIntervalSince1970,
        ])
      let id = db.lastInsertedRowID
      let f = Formats(language: .en, timeZone: timeZone)
      var fields = [
        "title": title, "assignee": assignee.login, "due": f.dateTime(input.dueAt),
        "notes": notes, "status": "open",
      ]
      if let contactId { fields["contact"] = String(contactId) }
      let change = try audit.recordChange(
        db, clientId: input.clientId ?? 0, entity: "task", entityId: id, action: "insert",
        before: String?.none, at: at)
      try audit.auditFields(
        db, change: change, clientId: input.clientId ?? 0, entity: "task", entityId: id,
        action: "insert", old: [:], new: fields, at: at)
      return id
    }
  }

  /// Marks a task done: a to-do by its assignee (or an admin), a contact task completes its
  /// contact.
  public func done(_ id: Int64) throws(CRMError) {
    try finish(id, done: true)
  }

  /// Cancels a task: its author or an admin. A contact task cancels its contact.
  public func cancel(_ id: Int64) throws(CRMError) {
    try finish(id, done: false)
  }

  func finish(_ id: Int64, done: Bool) throws(CRMError) {
    guard let t = try task(id) else { throw .notFound(what: l.pick("task", "задача"), id: id) }
    let me = userId
    let role = db.viewer.role
    let label = l.pick("task №\(id)", "задача №\(id)")
    if t.status != .open {
      throw fail(
        label, "is already \(t.status.name(.en))", "уже \(t.status.name(.ru))")
    }
    if done {
      if me != t.assigneeId && role != .admin && db.viewer.user != nil {
        throw .forbidden(
          l.pick(
            "\(label) is \(t.assigneeLogin)'s; only they (or an admin) mark it done. Nothing was changed.",
            "\(label) — задача \(t.assigneeLogin); отметить выполненной может только он (или администратор). Ничего не изменено."
          ))
      }
    } else if me != t.authorId && role != .admin && db.viewer.user != nil {
      throw .forbidden(
        l.pick(
          "\(label) was given by \(t.authorLogin); only they (or an admin) cancel it. Nothing was changed.",
          "\(label) дал(а) \(t.authorLogin); отменить может только он (или администратор). Ничего не изменено."
        ))
    }
    let at = now
    let service = contacts
    let audit = log
    let action = done ? "done" : "cancel"
    try db.write { db in
      if let cid = t.contactId {
        let planned = try service.load(db, cid)
        if done {
          _ = try service.completeInside(
            db, planned, outcome: "", notes: "", doneAt: at, at: at, me: me ?? t.assigneeId)
        } else {
          try service.requirePlanned(planned)
          var c = planned
          c.status = .cancelled
          c.sequence += 1
          try ContactService.save(db, c, at: at)
          try service.audit(db, "cancel", before: planned, after: c, at: at)
        }
      } else {
        try db.execute(
          sql: "UPDATE task SET status = ?, done_at = ? WHERE id = ?",
          arguments: [done ? "done" : "cancelled", at.timeIntervalSince1970, id])
      }
      let change = try audit.recordChange(
        db, clientId: t.clientId ?? 0, entity: "task", entityId: id, action: action,
        before: String?.none, at: at)
      try audit.auditFields(
        db, change: change, clientId: t.clientId ?? 0, entity: "task", entityId: id,
        action: action, old: ["status": "open"], new: ["status": done ? "done" : "cancelled"],
        at: at)
    }
  }

  // MARK: Reading

  static let select = """
    SELECT t.id, t.title, t.notes, t.assignee_id, t.author_id, t.client_id, t.contact_id,
      t.created_at,
      coalesce(ct.due_at, t.due_at) AS due,
      CASE WHEN ct.id IS NULL THEN t.status WHEN ct.status = 'planned' THEN 'open'
        WHEN ct.status = 'cancelled' THEN 'cancelled' ELSE 'done' END AS state,
      CASE WHEN ct.id IS NULL THEN t.done_at ELSE ct.done_at END AS finished,
      ct.kind AS contact_kind,
      ua.login AS a_login, ua.name AS a_name, ub.login AS b_login, ub.name AS b_name,
      cl.name AS client_name, cl.legal_form AS client_form
    FROM task t
    JOIN app_user ua ON ua.id = t.assignee_id
    LEFT JOIN app_user ub ON ub.id = t.author_id
    LEFT JOIN contact ct ON ct.id = t.contact_id
    LEFT JOIN client cl ON cl.id = t.client_id
    """

  func row(_ r: Row, at: Date) -> TeamTask {
    let due = Date(timeIntervalSince1970: r["due"])
    let status = TeamTask.Status(rawValue: r["state"]) ?? .open
    let clientName: String? = r["client_name"]
    return TeamTask(
      id: r["id"], title: r["title"], notes: r["notes"], assigneeId: r["assignee_id"],
      assigneeLogin: r["a_login"], assigneeName: r["a_name"], authorId: r["author_id"],
      authorLogin: r["b_login"] ?? "", authorName: r["b_name"] ?? "", clientId: r["client_id"],
      clientName: clientName.map {
        Client.displayName(name: $0, legalForm: r["client_form"] ?? "")
      } ?? "",
      contactId: r["contact_id"],
      contactKind: (r["contact_kind"] as String?).flatMap(
        ContactKind.init(rawValue:)),
      dueAt: due, status: status, createdAt: Date(timeIntervalSince1970: r["created_at"]),
      doneAt: r.timestamp("finished"),
      overdue: status == .open && due < at)
  }

  /// One task, if the viewer may see it.
  public func task(_ id: Int64) throws(CRMError) -> TeamTask? {
    let at = now
    let access = db.access
    return try db.read { db in
      try Row.fetchOne(
        db,
        sql: Self.select
          + " WHERE t.id = ? AND (t.client_id IS NULL OR \(access.condition(clientIdColumn: "t.client_id")))",
        arguments: [id]
      ).map { row($0, at: at) }
    }
  }

  /// Tasks of a scope and status filter, a page at a time: open and overdue ones by due time,
  /// the rest newest due first.
  public func list(
    _ scope: TaskScope, filter: TaskFilter = .open, limit: Int = 100, offset: Int = 0
  ) throws(CRMError) -> [TeamTask] {
    if scope == .all {
      try db.require(
        [.supervisor, .admin], to: l.pick("list everyone's tasks", "смотреть все задачи"),
        language: l)
    }
    let me = userId ?? -1
    var parts: [String] = []
    switch scope {
    case .mine: parts.append("t.assignee_id = \(me)")
    case .given: parts.append("t.author_id = \(me)")
    case .all: break
    }
    parts.append("(t.client_id IS NULL OR \(db.access.condition(clientIdColumn: "t.client_id")))")
    let state = """
      (CASE WHEN ct.id IS NULL THEN t.status WHEN ct.status = 'planned' THEN 'open'
        WHEN ct.status = 'cancelled' THEN 'cancelled' ELSE 'done' END)
      """
    let at = now
    var order = "due, t.id"
    switch filter {
    case .open: parts.append("\(state) = 'open'")
    case .overdue:
      parts.append(
        "\(state) = 'open' AND coalesce(ct.due_at, t.due_at) < \(at.timeIntervalSince1970)")
    case .done:
      parts.append("\(state) = 'done'")
      order = "finished DESC, t.id DESC"
    case .all: order = "due DESC, t.id DESC"
    }
    let sql =
      Self.select + " WHERE " + parts.joined(separator: " AND ")
      + " ORDER BY \(order) LIMIT ? OFFSET ?"
    return try db.read { db in
      try Row.fetchAll(db, sql: sql, arguments: [limit, offset]).map { row($0, at: at) }
    }
  }

  /// Open to-dos of one user due before `to` (and from `from` when given), by due time: the
  /// calendar and the reminders read these on the open-by-assignee index.
  public func openTodos(
    assignee: Int64, from: Date? = nil, to: Date, limit: Int = 500, offset: Int = 0
  ) throws(CRMError) -> [TeamTask] {
    let at = now
    return try db.read { db in
      try Row.fetchAll(
        db,
        sql: Self.select + """
           WHERE t.assignee_id = ? AND t.status = 'open' AND t.contact_id IS NULL
            AND t.due_at >= ? AND t.due_at < ?
          ORDER BY t.due_at, t.id LIMIT ? OFFSET ?
          """,
        arguments: [
          assignee, from?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude,
          to.timeIntervalSince1970, limit, offset,
        ]
      ).map { row($0, at: at) }
    }
  }

  /// How many open to-dos of one user are due before `before`: the prompt line's count, from the
  /// open-by-assignee index alone.
  public func openTodoCount(assignee: Int64, before: Date) throws(CRMError) -> Int {
    try db.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM task INDEXED BY task_open_by_assignee
          WHERE assignee_id = ? AND status = 'open' AND contact_id IS NULL AND due_at < ?
          """, arguments: [assignee, before.timeIntervalSince1970]) ?? 0
    }
  }

  /// Who gave each of these contacts as a task (contact id → author's name), for marking them
  /// «от Иванова» in the calendar and reminders.
  public func givenBy(contacts ids: [Int64]) throws(CRMError) -> [Int64: String] {
    guard !ids.isEmpty else { return [:] }
    return try db.read { db in
      var out: [Int64: String] = [:]
      let st = try db.cachedStatement(
        sql: """
          SELECT coalesce(nullif(u.name, ''), u.login) FROM task t JOIN app_user u ON u.id = t.author_id
          WHERE t.contact_id = ? AND t.author_id <> t.assignee_id
          """)
      for id in ids {
        if let name = try String.fetchOne(st, arguments: [id]) { out[id] = name }
      }
      return out
    }
  }
}
