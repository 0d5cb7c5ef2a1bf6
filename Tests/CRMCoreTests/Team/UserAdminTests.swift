import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

private func rows(_ db: CRMDatabase, _ table: String) throws -> Int {
  try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
}

/// Users, change sets and audit rows: what a refused change must leave as it was.
private func snapshot(_ db: CRMDatabase) throws -> [String] {
  try db.read { db in
    try String.fetchAll(
      db,
      sql: """
        SELECT login || ':' || role || ':' || team || ':' || active FROM app_user ORDER BY id
        """)
      + [
        "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM change_set") ?? -1)",
        "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? -1)",
      ]
  }
}

@Suite struct UserAdminTests {
  @Test func classificationAndSegmentRulesAreForSupervisorsAndAdmins() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")  // admin
    let rules = SegmentService(db: db, language: .en)
    let rule = SegmentRule(segment: "VIP", metric: .revenue, op: .atLeast, value: 100)
    let id = try rules.add(rule)
    try db.signIn(login: "boris")  // manager
    let before = try rows(db, "segment_rule")
    #expect(throws: CRMError.self) { try rules.add(rule) }
    #expect(throws: CRMError.self) { try rules.remove(id) }
    let classify = ClassificationService(db: db, userId: db.viewer.user?.id, language: .en)
    do {
      try classify.classify(day: "2026-11-02")
      Issue.record("a manager classified the base")
    } catch {
      #expect(error.message(.en).contains("crm classify needs the role admin/supervisor"))
    }
    #expect(try rows(db, "segment_rule") == before)
    #expect(try rows(db, "class_run") == 0)
    try db.write {
      try $0.execute(sql: "UPDATE app_user SET role = 'supervisor' WHERE login = 'boris'")
    }
    try db.signIn(try db.findUser(login: "boris"))
    try classify.classify(day: "2026-11-02")
    #expect(try rows(db, "class_run") == 1)
  }

  @Test func theFirstUserIsAdminAndLaterOnesManagers() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    let first = try db.signIn(login: "anna")
    #expect(first.user?.role == .admin)
    #expect(first.access == .all)
    let second = try db.signIn(login: "boris")
    #expect(second.user?.role == .manager)
  }

  @Test func anAdminAddsChangesAndAuditsUsers() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")
    let admin = UserAdmin(db: db, userId: db.viewer.user?.id, language: .en)
    let boris = try admin.add(login: "boris", role: .manager, name: "Борис", team: "east")
    #expect(boris.name == "Борис" && boris.team == "east" && boris.active)
    try admin.setRole("boris", .supervisor)
    try admin.setTeam("boris", "west")
    try admin.setName("boris", "Борис Петров")
    let list = try admin.list()
    #expect(list.map(\.user.login) == ["anna", "boris"])
    let b = try #require(list.last?.user)
    #expect(b.role == .supervisor && b.team == "west" && b.name == "Борис Петров")
    try admin.setTeam("boris", "")
    #expect(try admin.user("boris").team == "")
    let actions = try db.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT action FROM change_set WHERE entity = 'user' AND client_id = 0 AND entity_id = ?
          ORDER BY id
          """, arguments: [boris.id])
    }
    #expect(actions == ["insert", "role", "update", "update", "update"])
    let audit = try db.read { db in
      try Row.fetchOne(
        db, sql: "SELECT old, new FROM audit WHERE entity = 'user' AND action = 'role'")
    }
    #expect(audit?["old"] == "manager" && audit?["new"] == "supervisor")
    #expect(throws: CRMError.self) { try admin.add(login: "boris", role: .manager) }
    #expect(throws: CRMError.self) { try admin.add(login: "two words", role: .manager) }
    #expect(throws: CRMError.self) { try admin.add(login: "", role: .manager) }
  }

  @Test func aNonAdminChangesNothing() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")
    let admin = UserAdmin(db: db, userId: db.viewer.user?.id, language: .en)
    try admin.add(login: "boris", role: .manager)
    try admin.add(login: "sofia", role: .supervisor)
    let before = try snapshot(db)
    for login in ["boris", "sofia"] {
      try db.signIn(login: login)
      let me = UserAdmin(db: db, userId: db.viewer.user?.id, language: .en)
      func forbidden(_ body: () throws -> Void) {
        do {
          try body()
          Issue.record("\(login) was allowed")
        } catch let e as CRMError {
          guard case .forbidden(let text) = e else {
            Issue.record("\(e)")
            return
          }
          #expect(text.contains("needs the role admin"))
          #expect(text.contains("Nothing was changed"))
          #expect(e.exitCode == 1)
        } catch { Issue.record("\(error)") }
      }
      forbidden { try me.add(login: "gleb", role: .manager) }
      forbidden { try me.setRole("boris", .admin) }
      forbidden { try me.setRole(login, .admin) }
      forbidden { try me.setTeam("boris", "east") }
      forbidden { try me.deactivate("anna") }
      forbidden { try me.activate("anna") }
      forbidden { try db.setSetting("visibility", "own", language: .en) }
      #expect(try snapshot(db) == before)
      #expect(try db.settings().visibility == .all)
    }
  }

  @Test func theLastActiveAdminIsKept() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")
    let admin = UserAdmin(db: db, userId: db.viewer.user?.id, language: .en)
    let before = try snapshot(db)
    #expect(throws: CRMError.self) { try admin.setRole("anna", .manager) }
    #expect(throws: CRMError.self) { try admin.deactivate("anna") }
    #expect(try snapshot(db) == before)
    try admin.add(login: "olga", role: .admin)
    try admin.setRole("anna", .manager)
    #expect(try admin.user("anna").role == .manager)
  }

  @Test func deactivatingAUserWithClientsIsRefusedThenMovedWithMoveTo() throws {
    let f = try ContactFixture()
    try f.db.signIn(login: "anna")
    let admin = UserAdmin(db: f.db, userId: f.anna, language: .en)
    let c1 = try f.client("Ромашка", owner: f.boris)
    let c2 = try f.client("Лютик", owner: f.boris)
    let other = try f.client("Астра", owner: f.anna)
    _ = try f.contacts.plan(
      Contact(clientId: c1, kind: .call, dueAt: f.hours(2), subject: "Звонок", userId: f.boris))
    // A planned contact of boris's on anna's client moves too.
    _ = try f.contacts.plan(
      Contact(
        clientId: other, kind: .meeting, dueAt: f.hours(3), subject: "Встреча",
        userId: f.boris))
    let deals = DealService(db: f.db, userId: f.anna, language: .en, timeZone: moscow)
    let deal = try deals.add(
      Deal(clientId: c2, title: "Поставка", amount: 1000_00, ownerId: f.boris))
    let before = try snapshot(f.db)
    let refused = #expect(throws: CRMError.self) { try admin.deactivate("boris") }
    let text = refused?.message(.en) ?? ""
    #expect(text.contains("2 clients, 1 open deals and 2 planned contacts"))
    #expect(text.contains("--move-to"))
    #expect(try snapshot(f.db) == before)
    #expect(try admin.holdings("boris") == UserHoldings(clients: 2, deals: 1, contacts: 2))
    let done = try admin.deactivate("boris", moveTo: "anna")
    #expect(done.movedTo == "anna")
    #expect(done.moved == UserHoldings(clients: 2, deals: 1, contacts: 2))
    #expect(try admin.holdings("boris") == UserHoldings(clients: 0, deals: 0, contacts: 0))
    #expect(try admin.holdings("anna") == UserHoldings(clients: 3, deals: 1, contacts: 2))
    #expect(try deals.deal(deal)?.deal.ownerId == f.anna)
    let boris = try admin.user("boris")
    #expect(!boris.active)
    let audited = try f.db.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT entity || ':' || action FROM change_set WHERE action IN ('handover', 'deactivate')
          ORDER BY id
          """)
    }
    #expect(audited.filter { $0 == "client:handover" }.count == 2)
    #expect(audited.filter { $0 == "contact:handover" }.count == 2)
    #expect(audited.filter { $0 == "deal:handover" }.count == 1)
    #expect(audited.last == "user:deactivate")
    // History stays: boris's earlier changes still name him.
    #expect(try f.clients.history(of: c1).contains { $0.user == "anna" })
    // A deactivated user cannot sign in; activate brings them back.
    #expect(throws: CRMError.self) { try f.db.signIn(login: "boris") }
    try f.db.signIn(login: "anna")
    try admin.activate("boris")
    #expect(try f.db.signIn(login: "boris").user?.login == "boris")
  }

  @Test func moveToMustBeAnotherActiveUser() throws {
    let f = try ContactFixture()
    try f.db.signIn(login: "anna")
    let admin = UserAdmin(db: f.db, userId: f.anna, language: .en)
    _ = try f.client("Ромашка", owner: f.boris)
    try admin.add(login: "vera", role: .manager)
    try admin.deactivate("vera")
    #expect(throws: CRMError.self) { try admin.deactivate("boris", moveTo: "boris") }
    #expect(throws: CRMError.self) { try admin.deactivate("boris", moveTo: "vera") }
    #expect(throws: CRMError.self) { try admin.deactivate("boris", moveTo: "nobody") }
    #expect(try admin.user("boris").active)
  }

  @Test func closedSignupRefusesUnknownLogins() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")
    try db.setSetting("user_signup", "closed", language: .en)
    let e = #expect(throws: CRMError.self) { try db.signIn(login: "zed") }
    #expect(e?.message(.en).contains("no user «zed»") == true)
    #expect(e?.message(.en).contains("crm user add zed --role manager") == true)
    let ru = #expect(throws: CRMError.self) { try db.signIn(login: "zed", language: .ru) }
    #expect(ru?.message(.ru).contains("нет пользователя «zed»") == true)
    #expect(try db.findUser(login: "zed") == nil)
  }
}
