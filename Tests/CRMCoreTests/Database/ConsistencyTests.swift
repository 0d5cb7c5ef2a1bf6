import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// `checkSearchIndex` (the deep half of `crm check`) finds every way the index can disagree
/// with the tables, and nothing on a base changed only through the services.
@Suite struct ConsistencyTests {
  let db: CRMDatabase
  let ids: [Int64]

  init() throws {
    db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "root")
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    var ids: [Int64] = []
    for i in 0..<5 {
      ids.append(
        try clients.add(
          Client(
            name: "Ромашка \(i)", phones: [Phone("+7 495 123-45-6\(i)")], tags: ["опт", "новый"])))
    }
    self.ids = ids
  }

  @Test func aBaseChangedThroughTheServicesIsClean() throws {
    let clients = ClientService(db: db, userId: db.viewer.user?.id, language: .en)
    var c = try #require(try clients.client(ids[0]))
    c.phones.append(Phone("+7 916 000-00-01"))
    c.tags = ["ключевой"]
    try clients.update(c)
    try clients.delete(ids[1])
    #expect(try db.checkSearchIndex().isEmpty)
    #expect(try db.checkSearchIndex(clientIds: ids).isEmpty)
    #expect(try db.check().problems.isEmpty)
  }

  @Test func aMissingRowAStrayRowAndStaleTextAreEachFound() throws {
    try db.write { d in
      try d.execute(sql: "DELETE FROM client_fts WHERE rowid = ?", arguments: [ids[0]])
      try d.execute(
        sql: "INSERT INTO client_fts (rowid, name) VALUES (999, 'призрак')")
      try d.execute(
        sql: "UPDATE client_fts SET phones = '74950000000' WHERE rowid = ?", arguments: [ids[2]])
    }
    let problems = try db.checkSearchIndex()
    #expect(
      problems == [
        "search index: client \(ids[0]) has no row",
        "search index: row 999 belongs to no live client",
        "search index: client \(ids[2]) differs from the tables in phones",
      ])
    // Limited to other clients, the text comparison says nothing of client 3's row.
    #expect(try db.checkSearchIndex(clientIds: [ids[3]]).count == 2)
  }

  @Test func aTrashedClientStillIndexedIsFound() throws {
    try db.write { d in
      try d.execute(
        sql: "UPDATE client SET deleted_at = 1 WHERE id = ?", arguments: [ids[4]])
    }
    #expect(
      try db.checkSearchIndex() == ["search index: row \(ids[4]) belongs to no live client"])
  }

  @Test func wordOrderInAColumnDoesNotCountButAMissingTagDoes() throws {
    try db.write { d in
      try d.execute(
        sql: "UPDATE client_fts SET tags = 'новый опт' WHERE rowid = ?", arguments: [ids[0]])
      try d.execute(sql: "UPDATE client_fts SET tags = 'опт' WHERE rowid = ?", arguments: [ids[1]])
    }
    #expect(
      try db.checkSearchIndex() == [
        "search index: client \(ids[1]) differs from the tables in tags"
      ])
  }

  @Test func pagesCoverEveryClient() throws {
    try db.write { d in
      try d.execute(sql: "UPDATE client_fts SET name = 'x' WHERE rowid = ?", arguments: [ids[4]])
    }
    #expect(try db.checkSearchIndex(pageSize: 2).count == 1)
  }
}
