import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A hand-made history with a fixed clock: anna (admin, the first user) and boris (manager)
/// edit clients, anna deletes one, both touch a contact person; vera is a supervisor.
struct AuditFixture {
  let db: CRMDatabase
  let clock: FixedClock
  let anna: User
  let boris: User
  let vera: User
  let alpha: Int64
  let beta: Int64
  let person: Int64

  init() throws {
    clock = FixedClock(monday)
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    _ = try db.user(login: "vera")
    try db.write { db in
      try db.execute(sql: "UPDATE app_user SET role = 'supervisor' WHERE login = 'vera'")
    }
    vera = try #require(try db.user(login: "vera"))
    // The sign-ups are audited too; this history starts after them.
    try db.write { db in try db.execute(sql: "DELETE FROM audit; DELETE FROM change_set") }
    let a = ClientService(db: db, userId: anna.id, language: .en)
    let b = ClientService(db: db, userId: boris.id, language: .en)
    alpha = try a.add(Client(name: "Альфа", ownerId: anna.id))  // 12:00
    clock.current = monday.addingTimeInterval(3600)
    beta = try b.add(Client(name: "Бета", ownerId: boris.id))  // 13:00
    clock.current = monday.addingTimeInterval(2 * 3600)
    var c = try #require(try a.client(alpha))
    c.city = "Москва"
    c.phones = [Phone("+7 495 123-45-67")]
    try a.update(c)  // 14:00
    clock.current = monday.addingTimeInterval(3 * 3600)
    c.city = "Тверь"
    c.version = try a.client(alpha)?.version  // the version the 14:00 save left
    try b.update(c)  // 15:00
    clock.current = monday.addingTimeInterval(4 * 3600)
    try a.delete(beta)  // 16:00
    clock.current = monday.addingTimeInterval(5 * 3600)
    person = try a.addPerson(ContactPerson(clientId: alpha, name: "Иван"))  // 17:00
    clock.current = monday.addingTimeInterval(6 * 3600)
    var p = try #require(try a.person(person))
    p.position = "директор"
    try b.updatePerson(p)  // 18:00
  }

  func log(_ l: Language = .en) -> AuditLog { AuditLog(db: db, language: l) }

  /// `user entity action field` per row.
  func rows(_ q: AuditQuery = AuditQuery()) throws -> [String] {
    try log().rows(q, limit: 1000).map { "\($0.user) \($0.entity) \($0.action) \($0.field)" }
  }
}

@Suite struct AuditLogTests {
  @Test func everyRowNewestFirstWithNames() throws {
    let f = try AuditFixture()
    #expect(
      try f.rows() == [
        "boris person update position",
        "anna person insert name",
        "anna client delete deleted",
        "boris client update city",
        "anna client update phones", "anna client update city",
        "boris client insert owner", "boris client insert name", "boris client insert kind",
        "anna client insert owner", "anna client insert name", "anna client insert kind",
      ])
    let first = try #require(try f.log().rows(AuditQuery(), limit: 1).first)
    #expect(first.client == "Альфа" && first.clientId == f.alpha && first.userName == "boris")
    #expect(first.old == nil && first.new == "директор")
    #expect(first.at == monday.addingTimeInterval(6 * 3600))
  }

  @Test func filtersByUserEntityActionClientAndPeriod() throws {
    let f = try AuditFixture()
    #expect(
      try f.rows(AuditQuery(userId: f.boris.id)) == [
        "boris person update position", "boris client update city",
        "boris client insert owner", "boris client insert name", "boris client insert kind",
      ])
    #expect(
      try f.rows(AuditQuery(entity: "person")) == [
        "boris person update position", "anna person insert name",
      ])
    #expect(try f.rows(AuditQuery(action: "delete")) == ["anna client delete deleted"])
    #expect(
      try f.rows(AuditQuery(clientId: f.beta)) == [
        "anna client delete deleted", "boris client insert owner", "boris client insert name",
        "boris client insert kind",
      ])
    // [14:00, 16:00): the two updates, not the deletion at 16:00.
    #expect(
      try f.rows(
        AuditQuery(
          from: monday.addingTimeInterval(2 * 3600), to: monday.addingTimeInterval(4 * 3600)))
        == [
          "boris client update city", "anna client update phones", "anna client update city",
        ])
    #expect(
      try f.rows(
        AuditQuery(
          userId: f.anna.id, entity: "client", action: "update", clientId: f.alpha,
          from: monday, to: monday.addingTimeInterval(86_400))) == [
          "anna client update phones", "anna client update city",
        ])
  }

  @Test func changesGroupRowsOfOneChangeAndSummarize() throws {
    let f = try AuditFixture()
    let page = try f.log(.ru).changes(AuditQuery(), limit: 3)
    #expect(page.changes.map(\.action) == ["update", "insert", "delete"])
    let formats = Formats(language: .ru, timeZone: moscow)
    let lines = page.changes.map { f.log(.ru).summary($0, formats: formats) }
    #expect(
      lines == [
        "boris · 23.11.2026 18:00 · лицо · «Альфа» · изменено: должность",
        "anna · 23.11.2026 17:00 · лицо · «Альфа» · создано: имя",
        "anna · 23.11.2026 16:00 · клиент «Бета» · удалено: в корзине",
      ])
    let update = try #require(try f.log().changes(AuditQuery(action: "update"), limit: 5))
    let alphaEdit = try #require(update.changes.first { $0.user == "anna" })
    #expect(alphaEdit.fields == ["city", "phones"])
    let info = try #require(try f.log().info(alphaEdit.changeId))
    #expect(info.beforeJSON?.contains("Альфа") == true)
    #expect(info.undoneBy == nil && info.undoOf == nil)
    let personChange = try #require(page.changes.first)
    #expect(try f.log().info(personChange.changeId)?.objectName == "Иван")
  }

  @Test func keysetPagingReturnsEveryRowAndChangeOnce() throws {
    let f = try AuditFixture()
    var seen: [Int64] = []
    var cursor: AuditCursor?
    repeat {
      let rows = try f.log().rows(AuditQuery(), before: cursor, limit: 5)
      seen += rows.map(\.id)
      cursor = rows.count == 5 ? rows.last?.cursor : nil
    } while cursor != nil
    #expect(seen == Array((1...12).reversed()))
    var changes: [Int64] = []
    var next: AuditCursor?
    var pages = 0
    repeat {
      let page = try f.log().changes(AuditQuery(), before: next, limit: 2)
      changes += page.changes.map(\.changeId)
      #expect(page.changes.allSatisfy { !$0.rows.isEmpty })
      next = page.next
      pages += 1
    } while next != nil && pages < 20
    #expect(changes == [7, 6, 5, 4, 3, 2, 1])
    #expect(pages == 4)
    // Every row of every change, once.
    #expect(try f.log().changes(AuditQuery(), limit: 100).changes.flatMap(\.rows).count == 12)
  }

  @Test func managerIsForcedToOwnChangesSupervisorSeesAll() throws {
    let f = try AuditFixture()
    try f.db.signIn(f.boris)
    #expect(f.log().ownOnly)
    #expect(try f.rows().allSatisfy { $0.hasPrefix("boris ") })
    #expect(try f.rows().count == 5)
    #expect(try f.rows(AuditQuery(userId: f.boris.id)).count == 5)
    #expect(throws: CRMError.self) { try f.rows(AuditQuery(userId: f.anna.id)) }
    try f.db.signIn(f.vera)
    #expect(!f.log().ownOnly)
    #expect(try f.rows().count == 12)
    #expect(try f.rows(AuditQuery(userId: f.anna.id)).count == 7)
  }

  @Test func invisibleClientsAreLeftOut() throws {
    let f = try AuditFixture()
    try f.db.signIn(f.anna)
    try f.db.setSetting("visibility", "own", language: .en)
    try f.db.signIn(f.boris)
    // boris edited anna's Альфа (city, person) but may not see it now: only Бета is left.
    #expect(
      try f.rows() == [
        "boris client insert owner", "boris client insert name", "boris client insert kind",
      ])
    // A supervisor with team visibility and no team sees their own and unowned clients, and
    // rows without a client: the settings anna changed (audited by setSetting).
    try f.db.signIn(f.anna)  // settings are the admin's
    try f.db.setSetting("supervisor_visibility", "team", language: .en)
    try f.db.signIn(f.vera)
    #expect(
      try f.rows() == ["anna setting set supervisor_visibility", "anna setting set visibility"])
    try f.db.signIn(f.anna)
    #expect(try f.rows().count == 14)
  }

  @Test func badFiltersNameTheField() throws {
    let f = try AuditFixture()
    #expect(throws: CRMError.self) { try f.rows(AuditQuery(entity: "thing")) }
    #expect(throws: CRMError.self) { try f.rows(AuditQuery(action: "explode")) }
    #expect(throws: CRMError.self) {
      try f.rows(AuditQuery(from: monday, to: monday.addingTimeInterval(-1)))
    }
    do {
      _ = try f.log().rows(AuditQuery(entity: "thing"))
    } catch {
      #expect(error.message(.en).contains("entity"))
    }
    #expect(AuditLog.entity("Клиент") == "client")
    #expect(AuditLog.entity("счёт") == "invoice")
    #expect(AuditLog.entity("nope") == nil)
  }

  @Test func everyFilterCombinationUsesAnIndex() throws {
    let f = try AuditFixture()
    let log = f.log()
    func plan(_ q: AuditQuery) throws -> String {
      let (sql, args) = log.rowsSQL(q, before: AuditCursor(at: 1, id: 1), limit: 50)
      return try f.db.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args)
          .map { $0["detail"] as String }.joined(separator: "; ")
      }
    }
    let day = monday.addingTimeInterval(86_400)
    #expect(try plan(AuditQuery()).contains("audit_by_time"))
    #expect(try plan(AuditQuery(userId: 1)).contains("audit_by_user"))
    #expect(try plan(AuditQuery(userId: 1, from: monday, to: day)).contains("audit_by_user"))
    #expect(try plan(AuditQuery(from: monday, to: day)).contains("audit_by_time"))
    #expect(try plan(AuditQuery(clientId: 1)).contains("audit_by_client"))
    #expect(try plan(AuditQuery(clientId: 1, from: monday)).contains("audit_by_"))
    #expect(try plan(AuditQuery(entity: "client")).contains("audit_by_entity"))
    #expect(try plan(AuditQuery(action: "delete")).contains("audit_by_time"))
    for q in [AuditQuery(), AuditQuery(userId: 1), AuditQuery(from: monday)] {
      let p = try plan(q)
      #expect(!p.contains("SCAN a USING") && !p.contains("TEMP B-TREE"), "\(p)")
    }
  }

  @Test func proposedClientIndexServesClientFilter() throws {
    let f = try AuditFixture()
    try f.db.write { db in
      try db.execute(sql: "CREATE INDEX audit_by_client_time ON audit(client_id, at)")
    }
    func plan(_ q: AuditQuery) throws -> String {
      let (sql, args) = f.log().rowsSQL(q, before: AuditCursor(at: 1, id: 1), limit: 50)
      return try f.db.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args)
          .map { $0["detail"] as String }.joined(separator: "; ")
      }
    }
    let client = try plan(AuditQuery(clientId: 1))
    #expect(client.contains("audit_by_client_time") && !client.contains("TEMP B-TREE"), "\(client)")
    let entity = try plan(AuditQuery(entity: "offer"))
    #expect(entity.contains("audit_by_entity") && !entity.contains("TEMP B-TREE"), "\(entity)")
    #expect(try f.rows(AuditQuery(clientId: f.beta)).count == 4)
  }
}
