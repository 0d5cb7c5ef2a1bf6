import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMBench

/// The crash harness's judges: a whole change is "applied", no change "not applied", and any
/// part of one is reported. (The harness itself runs end to end in EndToEndTests.)
@Suite struct CrashHarnessTests {
  let folder = NSTemporaryDirectory() + "crash-harness-test-" + UUID().uuidString
  let harness: CrashHarness
  let db: CRMDatabase

  init() throws {
    harness = CrashHarness(.init(binary: "/bin/false", folder: folder, importRows: 20))
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    db = try CRMDatabase(path: harness.database)
    try db.signIn(login: "admin")
    var demo = DemoData(seed: 3, now: Date(timeIntervalSince1970: 1_795_000_000))
    _ = try demo.populate(db, count: 120)
    _ = try demo.populateDeals(db, count: 40, seed: 3)
  }

  func verdict(_ planned: CrashHarness.Planned) throws -> CrashHarness.Verdict {
    try db.read { try planned.verdict($0) }
  }

  @Test func anImportIsWholeOrNothingAndOneClientOfItIsBroken() throws {
    var rng = SeededRandom(seed: 1)
    let planned = try db.read { try harness.importCSV($0, index: 7, rng: &rng) }
    #expect(try verdict(planned) == .notApplied)
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    _ = try clients.add(Client(name: "Crash 7-1 Рога и копыта", phones: [Phone("+7 907 0000001")]))
    guard case .broken(let why) = try verdict(planned) else {
      Issue.record("one client of an import must count as broken")
      return
    }
    #expect(why.contains("left 1 clients"))
    try FileManager.default.removeItem(atPath: folder)
  }

  @Test func anEditNeedsItsNotesPhoneAndChangeTogether() throws {
    var rng = SeededRandom(seed: 2)
    let planned = try db.read { try harness.edit($0, index: 11, rng: &rng) }
    let id = try #require(Int64(planned.arguments[2]))
    #expect(try verdict(planned) == .notApplied)
    // The notes without the phone and the change log: a half-applied edit.
    try db.write { d in
      try d.execute(
        sql: "UPDATE client SET notes = 'crash edit 11' WHERE id = ?", arguments: [id])
    }
    #expect(try verdict(planned) != .notApplied)
    #expect(try verdict(planned) != .applied)
    try db.write { d in
      try d.execute(sql: "UPDATE client SET notes = '' WHERE id = ?", arguments: [id])
    }
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    var c = try #require(try clients.client(id))
    c.notes = "crash edit 11"
    c.phones = [Phone("+7 998 0000011")]
    try clients.update(c)
    #expect(try verdict(planned) == .applied)
    try FileManager.default.removeItem(atPath: folder)
  }

  @Test func aHandoverOfSomeClientsIsBroken() throws {
    var rng = SeededRandom(seed: 3)
    let planned = try #require(try db.read { try harness.handover($0, index: 4, rng: &rng) })
    #expect(try verdict(planned) == .notApplied)
    let from = planned.arguments[2]
    let to = planned.arguments[4]
    let ids = try db.read { d in
      try Int64.fetchAll(
        d,
        sql: """
          SELECT c.id FROM client c JOIN app_user u ON u.id = c.owner_id
          WHERE u.login = ? AND c.deleted_at IS NULL ORDER BY c.id
          """, arguments: [from])
    }
    #expect(ids.count > 1)
    let fromId = try #require(try db.user(login: from)?.id)
    let toId = try #require(try db.user(login: to)?.id)
    let contacts = ContactService(db: db, userId: db.viewer.user?.id, language: .en)
    _ = try contacts.handover(from: fromId, to: toId, clientIds: [ids[0]], withDeals: true)
    guard case .broken = try verdict(planned) else {
      Issue.record("a handover of one client of many must count as broken")
      return
    }
    _ = try contacts.handover(from: fromId, to: toId, withDeals: true)
    #expect(try verdict(planned) == .applied)
    try FileManager.default.removeItem(atPath: folder)
  }
}
