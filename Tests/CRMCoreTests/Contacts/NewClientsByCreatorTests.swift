import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// New clients belong to whoever registered them, not to the owner after a handover (#20, 9).
@Suite struct NewClientsByCreatorTests {
  @Test func aHandoverDoesNotMoveNewClients() throws {
    let clock = FixedClock(msk(12, 2, 12))
    let db = try CRMDatabase(memory: clock)
    let anna = try #require(try db.user(login: "anna"))
    let boris = try #require(try db.user(login: "boris"))
    let asAnna = ClientService(db: db, userId: anna.id, language: .en)
    for name in ["Альфа", "Бета", "Гамма"] { _ = try asAnna.add(Client(name: name)) }
    _ = try ClientService(db: db, userId: boris.id, language: .en).add(Client(name: "Дельта"))
    let ids = try db.read { d in
      try Int64.fetchAll(d, sql: "SELECT created_by FROM client ORDER BY id")
    }
    #expect(ids == [anna.id, anna.id, anna.id, boris.id])
    func newClients() throws -> [String: Int] {
      let r = try ActivityService(db: db, language: .en, timeZone: moscow).report(
        ActivityQuery(from: msk(12, 1, 0), to: msk(12, 3, 0)))
      var out: [String: Int] = [:]
      for row in r.rows { out[row.user?.login ?? "?"] = row.total.newClients }
      return out
    }
    #expect(try newClients()["anna"] == 3 && newClients()["boris"] == 1)
    // anna hands all her clients to boris: they are his now, but she found them.
    try ContactService(db: db, userId: anna.id, language: .en).handover(from: anna.id, to: boris.id)
    let owners = try db.read { d in
      try Int64.fetchAll(d, sql: "SELECT DISTINCT owner_id FROM client")
    }
    #expect(owners == [boris.id])
    #expect(try newClients()["anna"] == 3 && newClients()["boris"] == 1)
    // The drill-down lists what the count counted.
    let s = ActivityService(db: db, language: .en, timeZone: moscow)
    let r = try s.report(ActivityQuery(from: msk(12, 1, 0), to: msk(12, 3, 0)))
    #expect(try s.drillCount(r, ActivityCell(userId: anna.id, metric: .newClients)) == 3)
    #expect(try s.drillCount(r, ActivityCell(userId: boris.id, metric: .newClients)) == 1)
  }
}
