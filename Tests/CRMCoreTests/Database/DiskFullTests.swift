import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A disk that runs out of room in the middle of a write: SQLite's own size limit
/// (`max_page_count`) stands in for a full disk here; the real binary under a file size limit
/// (`prlimit --fsize`) is tested in EndToEndTests/DiskFullTests.
@Suite struct DiskFullTests {
  let dir = TempDir()
  let db: CRMDatabase
  let ids: [Int64]

  init() throws {
    db = try CRMDatabase(path: dir.file("crm.sqlite"), clock: FixedClock(monday))
    try db.signIn(login: "root")
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    var ids: [Int64] = []
    for i in 0..<400 {
      ids.append(try clients.add(Client(name: "Ромашка \(i)", phones: [Phone("+7 495 100-\(i)")])))
    }
    self.ids = ids
  }

  /// Allows the file only `pages` more pages than it has now.
  func leaveRoom(_ pages: Int) throws {
    try db.queue.inDatabase { d in
      let count = try Int.fetchOne(d, sql: "PRAGMA page_count") ?? 0
      _ = try Int.fetchOne(d, sql: "PRAGMA max_page_count = \(count + pages)")
    }
  }

  func tagged(_ tag: String) throws -> Int {
    try db.read { d in
      try Int.fetchOne(d, sql: "SELECT count(*) FROM client_tag WHERE tag = ?", arguments: [tag])
        ?? 0
    }
  }

  @Test func aBulkChangeThatDoesNotFitLeavesNothingAndTheBaseStaysUsable() throws {
    defer { dir.cleanup() }
    let bulk = BulkUpdateService(db: db, userId: db.viewer.user?.id, language: .ru)
    let changesBefore = try db.read { d in
      try Int.fetchOne(d, sql: "SELECT count(*) FROM change_set")
    }
    try leaveRoom(2)
    #expect(throws: CRMError.diskFull(path: db.path)) {
      _ = try bulk.apply(.ids(ids), .addTag("акция"))
    }
    #expect(CRMError.diskFull(path: db.path).message(.ru).contains("ничего не изменено"))
    // Nothing of the 400 clients' change is there: no tag, no change log, the index intact.
    #expect(try tagged("акция") == 0)
    #expect(
      try db.read { d in try Int.fetchOne(d, sql: "SELECT count(*) FROM change_set") }
        == changesBefore)
    #expect(try db.check().problems.isEmpty)
    #expect(try db.checkSearchIndex().isEmpty)
    // Reads go on, and a small write still fits.
    #expect(try ClientService(db: db, userId: nil, language: .en).client(ids[0]) != nil)
    try leaveRoom(10_000)
    let result = try bulk.apply(.ids(ids), .addTag("акция"))
    #expect(result.changed == 400)
    #expect(try tagged("акция") == 400)
  }

  @Test func aSingleSaveThatDoesNotFitIsRefusedWhole() throws {
    defer { dir.cleanup() }
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    var c = try #require(try clients.client(ids[7]))
    c.notes = String(repeating: "длинная заметка ", count: 1_200)
    c.phones.append(Phone("+7 916 555-44-33"))
    try leaveRoom(1)
    #expect(throws: CRMError.diskFull(path: db.path)) { try clients.update(c) }
    let stored = try #require(try clients.client(ids[7]))
    #expect(stored.notes == "")
    #expect(stored.phones.count == 1)
    #expect(try db.checkSearchIndex(clientIds: [ids[7]]).isEmpty)
  }

  @Test func theWALIsCutBackAfterACheckpoint() throws {
    defer { dir.cleanup() }
    let limit = try db.read { d in try Int.fetchOne(d, sql: "PRAGMA journal_size_limit") }
    #expect(limit.map(Int64.init) == CRMDatabase.walLimit)
    // A change of some 200 KiB, then a checkpoint while the connection stays open (as the TUI
    // does): with a smaller limit the WAL file shrinks to it.
    try db.queue.inDatabase { d in try d.execute(sql: "PRAGMA journal_size_limit = 65536") }
    let bulk = BulkUpdateService(db: db, userId: db.viewer.user?.id, language: .en)
    _ = try bulk.apply(.ids(ids), .addTag(String(repeating: "длинный-тег-", count: 7)))
    let wal = dir.file("crm.sqlite-wal")
    let before = try #require(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
    #expect(before > 65_536)
    try db.queue.inDatabase { d in _ = try Row.fetchAll(d, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    // The next write starts the WAL over and cuts the file back to the limit.
    try db.write { d in
      try d.execute(sql: "INSERT INTO counter (name, value) VALUES ('wal test', 1)")
    }
    let after = try #require(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
    #expect(after <= 65_536)
  }

  @Test func anIOErrorNamesTheLimitAndTheNextStep() {
    let e = CRMError.ioError(path: "/srv/crm.sqlite", reason: "disk I/O error")
    #expect(e.exitCode == 2)
    #expect(e.message(.en).contains("not saved"))
    #expect(e.message(.en).contains("crm check"))
    #expect(e.message(.ru).contains("не сохранено"))
  }
}
