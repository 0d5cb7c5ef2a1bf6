import Foundation
import GRDB

/// One change `u` can take back, named the way the confirmation asks about it.
public struct UndoStep: Equatable, Sendable {
  public var changeId: Int64
  public var clientId: Int64
  /// The client's display name.
  public var clientName: String
  /// `client`, `person` or `contact`.
  public var entity: String
  public var entityId: Int64
  /// The action of the change (`insert`, `update`, `delete`, `restore`, `done`, `postpone`, …).
  public var action: String
  public var at: Date
  /// What the change was: «план звонка 10.12.2026 10:00 для «Технопарк Северный»».
  public var what: String
  /// Why it can no longer be undone (somebody changed the same thing since); nil: it can.
  public var blocked: String?
}

/// Undo, scoped: a screen's `u` reaches only the signed-in user's own changes to the record it
/// shows (a client, its contact persons and its contacts), made after the screen opened (or the
/// ones the screen noted itself), on a client the user may still see; a change is undone only
/// while nobody changed the same fields (of a contact: the contact at all) since. Merges, bulk
/// edits, imports, handovers, lead distribution and rule segments have their own undo or none.
extension ClientService {
  /// The changes `u` can take back, by entity.
  static let undoableActions: [String: Set<String>] = [
    "client": ["insert", "update", "delete", "restore"],
    "person": ["insert", "update", "delete", "restore"],
    "contact": ["insert", "update", "done", "missed", "postpone", "cancel", "reassign"],
  ]

  /// The newest change in the log (0 when there is none). A screen notes it when it opens: its
  /// `u` then reaches only what was done after.
  public func changeMark() throws(CRMError) -> Int64 {
    try db.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM change_set") ?? 0 }
  }

  /// The signed-in user's changes to client `clientId` (its card, persons and contacts) after
  /// change `since`, oldest first: what a screen notes as its own right after it acted.
  public func myChanges(client clientId: Int64, since: Int64) throws(CRMError) -> [Int64] {
    guard let me = userId else { return [] }
    return try db.read { db in
      try Int64.fetchAll(
        db,
        sql: """
          SELECT id FROM change_set
          WHERE user_id = ? AND client_id = ? AND id > ? AND undo_of IS NULL
            AND entity IN ('client', 'person', 'contact')
          ORDER BY id
          """, arguments: [me, clientId, since])
    }
  }

  /// The newest change `u` on the card of client `clientId` would undo: the signed-in user's,
  /// after change `since`, not undone yet, of a kind undo covers. Nil when there is none or the
  /// client is hidden from the user. A step that is `blocked` is returned so the screen can say
  /// why.
  public func undoable(client clientId: Int64, since: Int64) throws(CRMError) -> UndoStep? {
    guard let me = userId else { return nil }
    let access = db.access
    return try db.read { db -> UndoStep? in
      if try access.hides(db, clientId: clientId) { return nil }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM change_set
          WHERE user_id = ? AND client_id = ? AND id > ? AND undone_by IS NULL
            AND undo_of IS NULL AND entity IN ('client', 'person', 'contact')
          ORDER BY id DESC LIMIT 50
          """, arguments: [me, clientId, since])
      for row in rows where Self.covers(row) {
        return try step(db, row)
      }
      return nil
    }
  }

  /// Of the changes a screen noted as its own (`changes`), the newest `u` would undo.
  public func undoable(changes: [Int64]) throws(CRMError) -> UndoStep? {
    guard let me = userId, !changes.isEmpty else { return nil }
    let access = db.access
    return try db.read { db -> UndoStep? in
      for id in changes.sorted(by: >) {
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT * FROM change_set
              WHERE id = ? AND user_id = ? AND undone_by IS NULL AND undo_of IS NULL
              """, arguments: [id, me]),
          Self.covers(row)
        else { continue }
        if try access.hides(db, clientId: row["client_id"]) { continue }
        return try step(db, row)
      }
      return nil
    }
  }

  static func covers(_ row: Row) -> Bool {
    guard let entity = row["entity"] as String?, let action = row["action"] as String? else {
      return false
    }
    return undoableActions[entity]?.contains(action) ?? false
  }

  /// The step for one change row: its description and whether it is blocked.
  func step(_ db: Database, _ row: Row) throws -> UndoStep {
    let changeId: Int64 = row["id"]
    let clientId: Int64 = row["client_id"]
    let entity: String = row["entity"]
    let entityId: Int64 = row["entity_id"]
    let action: String = row["action"]
    let clientName =
      try Row.fetchOne(
        db, sql: "SELECT name, legal_form FROM client WHERE id = ?", arguments: [clientId]
      ).map(Self.display) ?? "№\(clientId)"
    let what = try describe(
      db, entity: entity, entityId: entityId, action: action, changeId: changeId,
      before: row["before_json"], clientName: clientName)
    return UndoStep(
      changeId: changeId, clientId: clientId, clientName: clientName, entity: entity,
      entityId: entityId, action: action, at: Date(timeIntervalSince1970: row["at"]), what: what,
      blocked: try blocker(db, changeId: changeId, entity: entity, entityId: entityId))
  }

  /// A later change `cs` that is not part of the same step as change `?` (one transaction: the
  /// same user at the same moment, like the lead distribution of an added client).
  static let notSameStep = """
    NOT EXISTS (SELECT 1 FROM change_set b WHERE b.id = ? AND b.at = cs.at
      AND b.user_id IS cs.user_id)
    """

  /// Who changed the same thing after change `changeId`, if anybody did: for a contact any later
  /// change of it, for a client or person a later change of a field the change touched.
  func blocker(_ db: Database, changeId: Int64, entity: String, entityId: Int64) throws
    -> String?
  {
    let later: Row?
    if entity == "contact" {
      later = try Row.fetchOne(
        db,
        sql: """
          SELECT cs.at, coalesce(u.login, '?') AS login, NULL AS field
          FROM change_set cs LEFT JOIN app_user u ON u.id = cs.user_id
          WHERE cs.entity = 'contact' AND cs.entity_id = ? AND cs.id > ?
            AND cs.undone_by IS NULL AND cs.undo_of IS NULL AND \(Self.notSameStep)
          ORDER BY cs.id LIMIT 1
          """, arguments: [entityId, changeId, changeId])
    } else {
      // An added client or person has every field "touched": any later change blocks.
      later = try Row.fetchOne(
        db,
        sql: """
          SELECT a.at, coalesce(u.login, '?') AS login, a.field
          FROM audit a JOIN change_set cs ON cs.id = a.change_id
            LEFT JOIN app_user u ON u.id = a.user_id
          WHERE a.entity = ? AND a.entity_id = ? AND a.change_id > ?
            AND cs.undone_by IS NULL AND cs.undo_of IS NULL AND \(Self.notSameStep)
            AND ((SELECT action FROM change_set WHERE id = ?) = 'insert'
              OR a.field IN (SELECT field FROM audit WHERE change_id = ?))
          ORDER BY a.id LIMIT 1
          """, arguments: [entity, entityId, changeId, changeId, changeId, changeId])
    }
    guard let later else { return nil }
    let f = Formats(language: language, timeZone: timeZone)
    let when = f.dateTime(Date(timeIntervalSince1970: later["at"]))
    let who: String = later["login"]
    if let field = later["field"] as String? {
      let name =
        field == "deleted" ? language.pick("in the trash", "в корзине") : validator.fieldName(field)
      return language.pick(
        "«\(name)» was changed later by \(who) (\(when))",
        "«\(name)» позже изменил(а) \(who) (\(when))")
    }
    return language.pick(
      "the contact was changed later by \(who) (\(when))",
      "контакт позже изменил(а) \(who) (\(when))")
  }

  /// «план звонка 10.12.2026 10:00 для «…»», «правка клиента «…»: Город, Телефоны» and so on.
  func describe(
    _ db: Database, entity: String, entityId: Int64, action: String, changeId: Int64,
    before: String?, clientName: String
  ) throws -> String {
    let l = language
    let f = Formats(language: l, timeZone: timeZone)
    let fields = try String.fetchAll(
      db, sql: "SELECT DISTINCT field FROM audit WHERE change_id = ? ORDER BY field",
      arguments: [changeId])
    let who = "«\(clientName)»"
    switch entity {
    case "client":
      switch action {
      case "insert": return l.pick("adding client \(who)", "добавление клиента \(who)")
      case "delete": return l.pick("moving \(who) to the trash", "перемещение \(who) в корзину")
      case "restore":
        return l.pick("restoring \(who) from the trash", "восстановление \(who) из корзины")
      default:
        let names = fields.map(validator.fieldName).joined(separator: ", ")
        return l.pick("edit of client \(who): \(names)", "правка клиента \(who): \(names)")
      }
    case "person":
      let name =
        try String.fetchOne(
          db, sql: "SELECT name FROM contact_person WHERE id = ?", arguments: [entityId]) ?? ""
      let person = "«\(name)»"
      switch action {
      case "insert":
        return l.pick(
          "adding contact person \(person) of \(who)",
          "добавление контактного лица \(person) клиента \(who)")
      case "delete":
        return l.pick(
          "deleting contact person \(person) of \(who)",
          "удаление контактного лица \(person) клиента \(who)")
      case "restore":
        return l.pick(
          "restoring contact person \(person) of \(who)",
          "восстановление контактного лица \(person) клиента \(who)")
      default:
        let names = fields.map(validator.fieldName).joined(separator: ", ")
        return l.pick(
          "edit of contact person \(person) of \(who): \(names)",
          "правка контактного лица \(person) клиента \(who): \(names)")
      }
    default:
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM contact WHERE id = ?", arguments: [entityId])
      guard let current = row.map(ContactService.contact) else {
        return l.pick("a contact of \(who)", "контакт клиента \(who)")
      }
      let old = try before.map { try JSONDecoder().decode(Contact.self, from: Data($0.utf8)) }
      let shown = old ?? current
      let kind = Self.genitive(shown.kind, l)
      let when = (shown.dueAt ?? shown.doneAt).map { " " + f.dateTime($0) } ?? ""
      let contact = "\(kind)\(when)"
      switch action {
      case "insert":
        if current.status == .planned {
          return l.pick("plan of a \(contact) for \(who)", "план \(contact) для \(who)")
        }
        return l.pick("record of a \(contact) with \(who)", "запись \(contact) с \(who)")
      case "done":
        return l.pick(
          "marking the \(contact) with \(who) done", "отметка о выполнении \(contact) с \(who)")
      case "missed":
        return l.pick(
          "«no answer» on the \(contact) with \(who)", "«не дозвонился»: \(contact) с \(who)")
      case "postpone":
        let to = current.dueAt.map(f.dateTime) ?? ""
        return l.pick(
          "moving the \(contact) with \(who) to \(to)", "перенос \(contact) с \(who) на \(to)")
      case "cancel":
        return l.pick("cancelling the \(contact) with \(who)", "отмена \(contact) с \(who)")
      case "reassign":
        let login =
          try String.fetchOne(
            db, sql: "SELECT login FROM app_user WHERE id = ?", arguments: [current.userId]) ?? "?"
        return l.pick(
          "giving the \(contact) with \(who) to \(login)",
          "передача \(contact) с \(who) пользователю \(login)")
      default:
        let s = context.contacts
        let names = fields.map(s.fieldName).joined(separator: ", ")
        return l.pick(
          "edit of the \(contact) with \(who): \(names)", "правка \(contact) с \(who): \(names)")
      }
    }
  }

  /// «звонка», «встречи»…: the kind after «план», «запись», «отмена».
  static func genitive(_ k: ContactKind, _ l: Language) -> String {
    switch k {
    case .call: return l.pick("call", "звонка")
    case .meeting: return l.pick("meeting", "встречи")
    case .letter: return l.pick("letter", "письма")
    case .email: return l.pick("e-mail", "письма по e-mail")
    case .request: return l.pick("request", "заявки")
    case .complaint: return l.pick("complaint", "жалобы")
    case .visit: return l.pick("service visit", "выезда")
    case .other: return l.pick("contact", "контакта")
    }
  }

  /// Undoes change `changeId`: only the signed-in user's own, not undone yet, of a kind undo
  /// covers, on a client the user may see, and only while nobody changed the same thing since.
  /// Returns what was undone.
  @discardableResult
  public func undo(_ changeId: Int64) throws(CRMError) -> UndoStep {
    let at = now
    let l = language
    let me = userId
    let access = db.access
    return try db.write { db -> UndoStep in
      func refuse(_ en: String, _ ru: String) -> CRMError { .other(l.pick(en, ru)) }
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM change_set WHERE id = ?", arguments: [changeId])
      else { throw CRMError.notFound(what: l.pick("change", "изменение"), id: changeId) }
      let clientId: Int64 = row["client_id"]
      if try access.hides(db, clientId: clientId) {
        throw CRMError.notFound(what: l.pick("change", "изменение"), id: changeId)
      }
      guard me != nil, row["user_id"] as Int64? == me else {
        throw refuse(
          "change №\(changeId) is somebody else's; only your own changes can be undone",
          "изменение №\(changeId) сделано другим пользователем; отменить можно только свои")
      }
      guard Self.covers(row), row["undo_of"] as Int64? == nil else {
        throw refuse(
          "change №\(changeId) cannot be undone here", "изменение №\(changeId) здесь не отменить")
      }
      if row["undone_by"] as Int64? != nil {
        throw refuse(
          "change №\(changeId) is already undone", "изменение №\(changeId) уже отменено")
      }
      let step = try step(db, row)
      if let why = step.blocked {
        throw refuse("Cannot undo: \(why).", "Отменить нельзя: \(why).")
      }
      let undo: Int64?
      if step.entity == "contact" {
        undo = try revertContact(db, row, at: at)
      } else {
        undo = try revertRecord(db, row, at: at)
      }
      guard let undo else {
        throw refuse(
          "the record of change №\(changeId) no longer exists",
          "записи изменения №\(changeId) больше нет")
      }
      try db.execute(
        sql: "UPDATE change_set SET undone_by = ? WHERE id = ?", arguments: [undo, changeId])
      return step
    }
  }

  /// Puts back the fields a change of a client or person touched (an added one goes to the
  /// trash) and audits it; the id of the undoing change, nil when the record is gone.
  func revertRecord(_ db: Database, _ row: Row, at: Date) throws -> Int64? {
    let changeId: Int64 = row["id"]
    let entity: String = row["entity"]
    let entityId: Int64 = row["entity_id"]
    let clientId: Int64 = row["client_id"]
    let json: String? = row["before_json"]
    let touched = try String.fetchAll(
      db, sql: "SELECT DISTINCT field FROM audit WHERE change_id = ?", arguments: [changeId])
    func revertEntity<T: Codable>(
      _ current: T?, table: String, deletedAt: (T) -> Date?, setDeleted: (inout T, Date) -> Void,
      fields: (T) -> [String: String], write: (T) throws -> Void
    ) throws -> Int64? {
      guard let current else { return nil }
      var target = current
      if let json {
        target = try Self.revert(
          current, to: try JSONDecoder().decode(T.self, from: Data(json.utf8)), fields: touched)
      } else {
        setDeleted(&target, at)  // undoing an insert moves it to the trash
      }
      let id = try recordChange(
        db, clientId: clientId, entity: entity, entityId: entityId, action: "update",
        before: current, at: at, undoOf: changeId)
      try write(target)
      try db.execute(
        sql: "UPDATE \(table) SET deleted_at = ? WHERE id = ?",
        arguments: [deletedAt(target)?.timeIntervalSince1970, entityId])
      var old = fields(current)
      var new = fields(target)
      old["deleted"] = deletedAt(current) == nil ? "" : "yes"
      new["deleted"] = deletedAt(target) == nil ? "" : "yes"
      try auditFields(
        db, change: id, clientId: clientId, entity: entity, entityId: entityId, action: "undo",
        old: old, new: new, at: at)
      return id
    }
    let undone: Int64?
    if entity == "client" {
      undone = try revertEntity(
        try Self.load(db, entityId), table: "client", deletedAt: \.deletedAt,
        setDeleted: { $0.deletedAt = $1 }, fields: Self.fields,
        write: { try Self.writeClient(db, $0, id: entityId, at: at) })
    } else {
      undone = try revertEntity(
        try Self.loadPerson(db, entityId), table: "contact_person", deletedAt: \.deletedAt,
        setDeleted: { $0.deletedAt = $1 }, fields: Self.fields,
        write: { try Self.writePerson(db, $0, id: entityId, clientId: clientId, at: at) })
    }
    if undone != nil { try SearchIndex.update(db, clientId: clientId) }
    return undone
  }

  /// Takes back a change of a contact: an added one (planned or logged) is removed, any other
  /// change puts the contact back as it was; the client's last contact follows. Audited.
  func revertContact(_ db: Database, _ row: Row, at: Date) throws -> Int64? {
    let changeId: Int64 = row["id"]
    let entityId: Int64 = row["entity_id"]
    let clientId: Int64 = row["client_id"]
    let json: String? = row["before_json"]
    guard
      let current = try Row.fetchOne(
        db, sql: "SELECT * FROM contact WHERE id = ?", arguments: [entityId]
      ).map(ContactService.contact)
    else { return nil }
    let contacts = context.contacts
    let id: Int64
    var touchesDone = current.status == .done
    if let json {
      var target = try JSONDecoder().decode(Contact.self, from: Data(json.utf8))
      target.id = entityId
      target.clientId = clientId
      // A calendar that holds the contact takes the restored time only with a newer sequence.
      target.sequence = current.sequence + (target.dueAt != current.dueAt ? 1 : 0)
      id = try recordChange(
        db, clientId: clientId, entity: "contact", entityId: entityId, action: "update",
        before: current, at: at, undoOf: changeId)
      try ContactService.save(db, target, at: at)
      touchesDone = touchesDone || target.status == .done
      try auditFields(
        db, change: id, clientId: clientId, entity: "contact", entityId: entityId, action: "undo",
        old: contacts.fields(current), new: contacts.fields(target), at: at)
    } else {
      id = try recordChange(
        db, clientId: clientId, entity: "contact", entityId: entityId, action: "delete",
        before: current, at: at, undoOf: changeId)
      try db.execute(sql: "DELETE FROM contact WHERE id = ?", arguments: [entityId])
      try auditFields(
        db, change: id, clientId: clientId, entity: "contact", entityId: entityId, action: "undo",
        old: contacts.fields(current), new: [:], at: at)
    }
    // The client's last contact is the latest done one that is left.
    if touchesDone {
      try db.execute(
        sql: """
          UPDATE client SET last_contact_at =
            (SELECT max(done_at) FROM contact WHERE client_id = ? AND status = 'done')
          WHERE id = ?
          """, arguments: [clientId, clientId])
    }
    return id
  }
}
