import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// The audit rows of a bulk change, as (client, entity, action, field, old, new).
private func auditRows(_ db: CRMDatabase, action: String = "bulk") throws -> [[String?]] {
  try db.read { db in
    try Row.fetchAll(
      db,
      sql: """
        SELECT client_id, entity, action, field, old, new FROM audit WHERE action = ?
        ORDER BY id
        """, arguments: [action]
    ).map { r -> [String?] in
      let id: Int64 = r["client_id"]
      let entity: String = r["entity"]
      let act: String = r["action"]
      let field: String = r["field"]
      let old: String? = r["old"]
      let new: String? = r["new"]
      return [String(id), entity, act, field, old, new]
    }
  }
}

private func count(_ db: CRMDatabase, _ sql: String) throws -> Int {
  try db.read { try Int.fetchOne($0, sql: sql) ?? 0 }
}

@Suite("Bulk update")
struct BulkUpdateTests {
  let f: ContactFixture
  let bulk: BulkUpdateService

  init() throws {
    f = try ContactFixture()
    bulk = BulkUpdateService(db: f.db, userId: f.anna, language: .en)
  }

  @Test func setsOwnerAndCountsUnchanged() throws {
    let a = try f.client("Альфа")
    let b = try f.client("Бета", owner: f.boris)
    let c = try f.client("Гамма")
    let r = try bulk.apply(.ids([a, b, c]), .setOwner(f.boris))
    #expect(r.matched == 3)
    #expect(r.changed == 2)
    #expect(r.unchanged == 1)
    #expect(r.operation != nil)
    #expect(try f.clients.client(a)?.ownerId == f.boris)
    #expect(try f.clients.client(c)?.ownerId == f.boris)
    #expect(
      try auditRows(f.db) == [
        [String(a), "client", "bulk", "owner", String(f.anna), String(f.boris)],
        [String(c), "client", "bulk", "owner", String(f.anna), String(f.boris)],
      ])
    #expect(
      try count(f.db, "SELECT count(*) FROM change_set WHERE action = 'bulk' AND entity = 'client'")
        == 2)
    // The history shows the change as a bulk one.
    let h = try f.clients.history(of: a)
    #expect(h.first?.action == "bulk")
    #expect(h.first?.field == "owner")
  }

  @Test func refusesUnknownOrInactiveOwner() throws {
    let a = try f.client("Альфа")
    #expect(throws: CRMError.self) { try bulk.apply(.ids([a]), .setOwner(999)) }
    try f.db.write { try $0.execute(sql: "UPDATE app_user SET active = 0 WHERE login = 'boris'") }
    #expect(throws: CRMError.self) { try bulk.apply(.ids([a]), .setOwner(f.boris)) }
    #expect(try count(f.db, "SELECT count(*) FROM change_set WHERE action = 'bulk'") == 0)
    #expect(try f.clients.client(a)?.ownerId == f.anna)
  }

  @Test func refusesUnknownClientIdAndChangesNothing() throws {
    let a = try f.client("Альфа")
    #expect(throws: CRMError.notFound(what: "client", id: 777)) {
      try bulk.apply(.ids([a, 777]), .setSegment("VIP"))
    }
    #expect(try f.clients.client(a)?.segment == "")
  }

  @Test func setsAndClearsSegmentAndSource() throws {
    let a = try f.client("Альфа", segment: "B")
    let b = try f.client("Бета")
    var r = try bulk.apply(.ids([a, b]), .setSegment("  A  "))
    #expect(r.changed == 2)
    #expect(try f.clients.client(b)?.segment == "A")
    r = try bulk.apply(.ids([a, b]), .setSegment(""))
    #expect(r.changed == 2)
    #expect(try f.clients.client(a)?.segment == "")
    r = try bulk.apply(.ids([a]), .setSource("выставка"))
    #expect(r.changed == 1)
    #expect(try f.clients.client(a)?.leadSource == "выставка")
    #expect(
      try auditRows(f.db) == [
        [String(a), "client", "bulk", "segment", "B", "A"],
        [String(b), "client", "bulk", "segment", nil, "A"],
        [String(a), "client", "bulk", "segment", "A", nil],
        [String(b), "client", "bulk", "segment", "A", nil],
        [String(a), "client", "bulk", "lead_source", nil, "выставка"],
      ])
  }

  @Test func addsAndRemovesTagsFoldedAndReindexes() throws {
    let a = try f.clients.add(Client(name: "Альфа", ownerId: f.anna, tags: ["опт"]))
    let b = try f.client("Бета")
    var r = try bulk.apply(.ids([a, b]), .addTag("Ёлка"))
    #expect((r.changed, r.unchanged) == (2, 0))
    #expect(try f.clients.client(a)?.tags == ["опт", "Ёлка"])
    // Folded like the tag filter: "елка" is the same tag.
    r = try bulk.apply(.ids([a, b]), .addTag("елка"))
    #expect((r.changed, r.unchanged) == (0, 2))
    #expect(try f.db.count(ClientListQuery(search: "елка")) == 2)
    r = try bulk.apply(.ids([a, b]), .removeTag("ЕЛКА"))
    #expect((r.changed, r.unchanged) == (2, 0))
    #expect(try f.clients.client(a)?.tags == ["опт"])
    #expect(try f.db.count(ClientListQuery(search: "елка")) == 0)
    #expect(
      try auditRows(f.db) == [
        [String(a), "client", "bulk", "tags", "опт", "опт, Ёлка"],
        [String(b), "client", "bulk", "tags", nil, "Ёлка"],
        [String(a), "client", "bulk", "tags", "опт, Ёлка", "опт"],
        [String(b), "client", "bulk", "tags", "Ёлка", nil],
      ])
    #expect(throws: CRMError.self) { try bulk.apply(.ids([a]), .addTag("  ")) }
  }

  @Test func plansContactsForOwnersUnderContactRules() throws {
    let a = try f.client("Альфа")
    let b = try f.client("Бета", owner: f.boris)
    let due = f.hours(24)
    let plan = BulkContactPlan(kind: .call, dueAt: due, subject: "Новый прайс")
    var r = try bulk.apply(.ids([a, b]), .planContact(plan))
    #expect((r.changed, r.unchanged, r.assignedToActingUser) == (2, 0, 0))
    let rows = try f.contacts.contacts(ofClient: b)
    #expect(rows.count == 1)
    let c = try #require(rows.first?.contact)
    #expect(c.userId == f.boris)
    #expect(c.authorId == f.anna)
    #expect(c.status == .planned)
    #expect(c.subject == "Новый прайс")
    #expect(c.dueAt == due)
    #expect(c.remindAt == due.addingTimeInterval(-15 * 60))
    // The same plan again: nothing new.
    r = try bulk.apply(.ids([a, b]), .planContact(plan))
    #expect((r.changed, r.unchanged) == (0, 2))
    #expect(try count(f.db, "SELECT count(*) FROM contact") == 2)
    // A deactivated owner: the acting user takes the contact.
    try f.db.write { try $0.execute(sql: "UPDATE app_user SET active = 0 WHERE login = 'boris'") }
    r = try bulk.apply(
      .ids([b]), .planContact(BulkContactPlan(kind: .meeting, dueAt: due, subject: "")))
    #expect((r.changed, r.assignedToActingUser) == (1, 1))
    // An explicit assignee must be active.
    #expect(throws: CRMError.self) {
      try bulk.apply(
        .ids([a]), .planContact(BulkContactPlan(kind: .call, dueAt: due, assignee: f.boris)))
    }
    let audit = try auditRows(f.db).filter { $0[0] == String(b) }
    #expect(audit.first?[1] == "contact")
    #expect(audit.contains { $0[3] == "subject" && $0[5] == "Новый прайс" })
    #expect(audit.contains { $0[3] == "user" && $0[5] == String(f.boris) })
  }

  @Test func refusesToPlanForClientsInTheTrash() throws {
    let a = try f.client("Альфа")
    let b = try f.client("Бета")
    try f.clients.delete(b)
    #expect(throws: CRMError.self) {
      try bulk.apply(
        .ids([a, b]), .planContact(BulkContactPlan(kind: .call, dueAt: f.hours(2))))
    }
    #expect(try count(f.db, "SELECT count(*) FROM contact") == 0)
  }

  @Test func filterTargetEqualsTheListFilter() throws {
    for i in 0..<12 {
      let id = try f.clients.add(
        Client(
          name: "Клиент \(i)", segment: i % 3 == 0 ? "A" : "B",
          ownerId: i % 4 == 0 ? f.boris : f.anna, tags: i % 2 == 0 ? ["опт"] : []))
      if i == 6 { try f.clients.delete(id) }
    }
    let queries = [
      ClientListQuery(segment: "A"), ClientListQuery(ownerId: f.boris),
      ClientListQuery(tag: "ОПТ"), ClientListQuery(search: "клиент 1"),
      ClientListQuery(segment: "B", tag: "опт"), ClientListQuery(trash: true), ClientListQuery(),
    ]
    for q in queries {
      let listed = try f.db.page(q, offset: 0, limit: 100).map(\.id).sorted()
      #expect(try bulk.count(.query(q)) == listed.count)
      let r = try bulk.apply(.query(q), .addTag("проверка"), dryRun: true)
      #expect(r.matched == listed.count)
    }
    let r = try bulk.apply(.query(ClientListQuery(segment: "A")), .setSegment("A+"))
    #expect(r.changed == 3)  // 0, 3, 9 (6 is in the trash)
    #expect(try f.db.count(ClientListQuery(segment: "A+")) == 3)
  }

  @Test func dryRunChangesNothing() throws {
    let a = try f.client("Альфа")
    let before = try count(f.db, "SELECT count(*) FROM change_set")
    let r = try bulk.apply(.ids([a]), .setSegment("VIP"), dryRun: true)
    #expect((r.matched, r.changed, r.dryRun, r.operation) == (1, 1, true, nil))
    #expect(try f.clients.client(a)?.segment == "")
    #expect(try count(f.db, "SELECT count(*) FROM change_set") == before)
    #expect(try count(f.db, "SELECT count(*) FROM audit WHERE action = 'bulk'") == 0)
  }

  @Test func undoRestoresTheWholeOperationAndSkipsLaterChanges() throws {
    let a = try f.client("Альфа", segment: "B")
    let b = try f.client("Бета", segment: "C")
    let c = try f.client("Гамма", segment: "A")
    _ = try bulk.apply(.ids([a, b]), .setOwner(f.boris))
    let op = try #require(try bulk.apply(.ids([a, b, c]), .setSegment("A")).operation)
    // Somebody changes b's segment afterwards: undo leaves it alone.
    var bb = try #require(try f.clients.client(b))
    bb.segment = "D"
    try f.clients.update(bb)
    #expect(try bulk.lastOperation() == op)
    let u = try #require(try bulk.undo())
    #expect(u.operation == op)
    #expect(u.change == "set_segment")
    #expect(u.restored == 1)
    #expect(u.skipped == [b])
    #expect(try f.clients.client(a)?.segment == "B")
    #expect(try f.clients.client(b)?.segment == "D")
    #expect(try f.clients.client(c)?.segment == "A")
    // Only the segment: the owner set by the earlier bulk stays.
    #expect(try f.clients.client(a)?.ownerId == f.boris)
    #expect(
      try auditRows(f.db, action: "undo") == [[String(a), "client", "undo", "segment", "A", "B"]])
    // The next undo takes the operation before: the owners.
    let u2 = try #require(try bulk.undo())
    #expect((u2.change, u2.restored, u2.skipped) == ("set_owner", 2, []))
    #expect(try f.clients.client(b)?.ownerId == f.anna)
    #expect(try bulk.undo() == nil)
    // Ordinary undo never picks up bulk rows.
    #expect(try f.clients.undoLatest(on: b)?.action == "update")  // the manual segment change
    #expect(try f.clients.client(b)?.segment == "A")  // as the bulk update left it
  }

  @Test func undoOfTagsAndContacts() throws {
    let a = try f.clients.add(Client(name: "Альфа", ownerId: f.anna, tags: ["опт", "Ёлка"]))
    let b = try f.client("Бета")
    _ = try bulk.apply(.ids([a, b]), .removeTag("елка"))
    #expect(try bulk.undo()?.restored == 1)
    #expect(try f.clients.client(a)?.tags == ["опт", "Ёлка"])
    _ = try bulk.apply(.ids([a, b]), .addTag("новый"))
    #expect(try bulk.undo()?.restored == 2)
    #expect(try f.clients.client(b)?.tags == [])
    #expect(try f.db.count(ClientListQuery(search: "новый")) == 0)

    let plan = BulkContactPlan(kind: .call, dueAt: f.hours(5), subject: "Позвонить")
    _ = try bulk.apply(.ids([a, b]), .planContact(plan))
    let done = try #require(try f.contacts.contacts(ofClient: b).first?.contact.id)
    f.clock.current = f.hours(1)
    _ = try f.contacts.complete(done, outcome: "ok")
    let u = try #require(try bulk.undo())
    #expect(u.restored == 1)
    #expect(u.skipped == [b])
    #expect(try f.contacts.contacts(ofClient: a).isEmpty)
    #expect(try f.contacts.contacts(ofClient: b).count == 1)
  }

  @Test func readOnlyOrNoUserRefuses() throws {
    let a = try f.client("Альфа")
    let nobody = BulkUpdateService(db: f.db, userId: nil, language: .ru)
    #expect(throws: CRMError.self) { try nobody.apply(.ids([a]), .setSegment("A")) }
  }
}
