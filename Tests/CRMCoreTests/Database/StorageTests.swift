import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@Suite struct StorageTests {
  @Test func migratesFromEmptyFile() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("sub/crm.sqlite")
    let db = try CRMDatabase(path: path)
    let check = try db.check()
    #expect(check.problems.isEmpty)
    #expect(check.schemaVersion == Schema.version)
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let (journal, fk, appID) = try db.read { db in
      (
        try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
        try Int32.fetchOne(db, sql: "PRAGMA application_id")
      )
    }
    #expect(journal == "wal")
    #expect(fk == 1)
    #expect(appID == Schema.applicationID)
    // Reopening an up-to-date database changes nothing and works.
    _ = try CRMDatabase(path: path)
  }

  @Test func defaultPathFollowsXDG() {
    #expect(
      CRMDatabase.defaultPath(["XDG_DATA_HOME": "/x/data", "HOME": "/home/a"])
        == "/x/data/termcrm/crm.sqlite")
    #expect(
      CRMDatabase.defaultPath(["HOME": "/home/a"]) == "/home/a/.local/share/termcrm/crm.sqlite")
  }

  func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

  @Test func refusesAFileThatIsNotSQLite() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("notes.txt")
    try Data("Это не база данных, а список покупок.\n".utf8).write(to: URL(fileURLWithPath: path))
    let before = bytes(path)
    #expect(throws: CRMError.notADatabase(path: path)) { try CRMDatabase(path: path) }
    #expect(bytes(path) == before)
  }

  @Test func refusesAnotherProgramsDatabase() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("other.sqlite")
    let other = try DatabaseQueue(path: path)
    try other.write {
      try $0.execute(sql: "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x')")
    }
    try other.close()
    let before = bytes(path)
    #expect(throws: CRMError.notTermCRM(path: path)) { try CRMDatabase(path: path) }
    #expect(bytes(path) == before)
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }

  @Test func refusesADatabaseFromANewerVersion() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("crm.sqlite")
    do {
      let db = try CRMDatabase(path: path)
      try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
      try db.queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
      try db.queue.close()
    }
    let before = bytes(path)
    #expect(
      throws: CRMError.newerSchema(
        path: path, version: Schema.version + 1, supported: Schema.version)
    ) {
      try CRMDatabase(path: path)
    }
    #expect(bytes(path) == before)
    let message = CRMError.newerSchema(path: path, version: 2, supported: 1).message(.ru)
    #expect(message.contains("более новой версией"))
  }

  @Test func readOnlyOpenRefusesWritesAndKeepsData() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("crm.sqlite")
    do {
      let db = try CRMDatabase(path: path)
      try service(db).add(Client(name: "Ромашка"))
    }
    let ro = try CRMDatabase(path: path, readOnly: true)
    #expect(ro.isReadOnly)
    #expect(try ro.count(ClientListQuery()) == 1)
    #expect(try ro.user(login: "newcomer") == nil)
    let s = ClientService(db: ro, userId: nil, language: .en)
    #expect(throws: CRMError.readOnly(path: path)) { try s.add(Client(name: "Вектор")) }
  }

  @Test(.enabled(if: getuid() != 0, "root ignores file permissions"))
  func unwritableFileOpensReadOnly() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("crm.sqlite")
    _ = try CRMDatabase(path: path)
    chmod(path, 0o400)
    #expect(try CRMDatabase(path: path).isReadOnly)
  }

  @Test func lockedLongerThanTheTimeoutIsAClearError() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("crm.sqlite")
    let db = try CRMDatabase(path: path, busyTimeout: 0.2)
    let other = try DatabaseQueue(path: path)
    try other.writeWithoutTransaction { holder in
      try holder.execute(sql: "BEGIN IMMEDIATE")
      #expect(throws: CRMError.locked(path: path, seconds: 0.2)) {
        try ClientService(db: db, userId: nil, language: .en).add(Client(name: "Ромашка"))
      }
      try holder.execute(sql: "ROLLBACK")
    }
    #expect(try db.count(ClientListQuery()) == 0)
    #expect(CRMError.locked(path: path, seconds: 5).exitCode == 2)
  }

  @Test func firstUserIsAdminLaterOnesManagers() throws {
    let db = try memoryDB()
    #expect(try db.user(login: "boss")?.role == .admin)
    #expect(try db.user(login: "anna")?.role == .manager)
    #expect(try db.user(login: "anna")?.id == db.user(login: "anna")?.id)
  }
}
