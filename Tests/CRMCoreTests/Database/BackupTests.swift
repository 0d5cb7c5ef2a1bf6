import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A file database with an admin (`root`, signed in) and a manager (`anna`) owning `count` clients.
private struct BackupFixture {
  let dir = TempDir()
  let path: String
  let db: CRMDatabase
  let anna: User

  init(clients count: Int = 30) throws {
    path = dir.file("crm.sqlite")
    db = try CRMDatabase(path: path, clock: FixedClock(monday))
    try db.signIn(login: "root")
    anna = try #require(try db.user(login: "anna"))
    try add(count, prefix: "Ромашка")
  }

  func add(_ count: Int, prefix: String) throws {
    let clients = ClientService(db: db, userId: anna.id, language: .en)
    for i in 0..<count { _ = try clients.add(Client(name: "\(prefix) \(i)", ownerId: anna.id)) }
  }

  var service: BackupService { BackupService(db: db, language: .en) }

  static func names(_ path: String) throws -> [String] {
    let q = try DatabaseQueue(path: path, configuration: readOnly)
    defer { try? q.close() }
    return try q.read { d in
      try String.fetchAll(d, sql: "SELECT name FROM client WHERE deleted_at IS NULL ORDER BY name")
    }
  }

  static var readOnly: Configuration {
    var c = Configuration()
    c.readonly = true
    return c
  }

  func names() throws -> [String] {
    try db.read { d in
      try String.fetchAll(d, sql: "SELECT name FROM client WHERE deleted_at IS NULL ORDER BY name")
    }
  }
}

private func message(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let e as CRMError {
    return e.message(.en)
  } catch {
    return "\(error)"
  }
}

@Suite struct BackupTests {
  @Test func backupThenRestoreRoundTrip() throws {
    let f = try BackupFixture()
    defer { f.dir.cleanup() }
    let before = try f.names()
    let file = f.dir.file("b.sqlite")
    try f.service.backup(to: file)
    // The copy is a single rollback-journal file, private, sound and ours.
    #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
    let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let q = try DatabaseQueue(path: file, configuration: BackupFixture.readOnly)
    let (journal, check, appID) = try q.read { d in
      (
        try String.fetchOne(d, sql: "PRAGMA journal_mode"),
        try String.fetchAll(d, sql: "PRAGMA integrity_check"),
        try Int32.fetchOne(d, sql: "PRAGMA application_id")
      )
    }
    try q.close()
    #expect(journal == "delete")
    #expect(check == ["ok"])
    #expect(appID == Schema.applicationID)
    #expect(try BackupFixture.names(file) == before)

    // Change the database, then restore: the old content is back, the changed one is kept.
    try f.db.write { d in try d.execute(sql: "UPDATE client SET deleted_at = 1 WHERE id <= 5") }
    try f.add(7, prefix: "Берёза")
    let changed = try f.names()
    // Another process's connection, open during the restore, sees the restored content.
    let other = try CRMDatabase(path: f.path, clock: FixedClock(monday))
    #expect(
      try other.read { d in
        try Int.fetchOne(d, sql: "SELECT count(*) FROM client WHERE deleted_at IS NULL")
      } == changed.count)
    let done = try f.service.restore(from: file)
    #expect(try f.names() == before)
    #expect(
      try other.read { d in
        try Int.fetchOne(d, sql: "SELECT count(*) FROM client WHERE deleted_at IS NULL")
      } == before.count)
    #expect(done.clients == before.count)
    #expect(done.migrated.isEmpty)
    #expect(done.previousCopy.hasPrefix(f.path + "."))
    #expect(done.previousCopy.hasSuffix(".bak"))
    #expect(try BackupFixture.names(done.previousCopy) == changed)
    #expect(try f.db.check().problems.isEmpty)
    #expect(try f.db.read { d in try String.fetchOne(d, sql: "PRAGMA journal_mode") } == "wal")
    // The restored database still takes writes.
    try f.add(1, prefix: "После")
    #expect(try f.names().count == before.count + 1)
  }

  @Test func backupWhileAnotherConnectionWritesIsConsistent() async throws {
    let f = try BackupFixture(clients: 50)
    defer { f.dir.cleanup() }
    let other = try CRMDatabase(path: f.path, clock: FixedClock(monday))
    let anna = f.anna.id
    let writer = Task.detached {
      let clients = ClientService(db: other, userId: anna, language: .en)
      for i in 0..<300 {
        _ = try clients.add(Client(name: "Параллельно \(i)", ownerId: anna))
        if i % 3 == 0 { try clients.delete(Int64(i / 3 + 1)) }
      }
    }
    var counts: [Int] = []
    for n in 0..<6 {
      let file = f.dir.file("b\(n).sqlite")
      try f.service.backup(to: file)
      let copy = try CRMDatabase(path: file, readOnly: true)
      let check = try copy.check()
      #expect(check.problems.isEmpty, "backup \(n): \(check.problems)")
      counts.append(
        try copy.read { d in try Int.fetchOne(d, sql: "SELECT count(*) FROM client") ?? 0 })
    }
    try await writer.value
    #expect(counts == counts.sorted())
  }

  @Test func existingDestinationIsRefusedWithoutForce() throws {
    let f = try BackupFixture(clients: 3)
    defer { f.dir.cleanup() }
    let file = f.dir.file("b.sqlite")
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
    let text = message { try f.service.backup(to: file) }
    #expect(text?.contains("already exists") == true)
    #expect(text?.contains("--force") == true)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    try f.service.backup(to: file, force: true)
    #expect(try BackupFixture.names(file).count == 3)
    // No temporary file is left in the folder.
    let left = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter {
      $0.contains(".tmp-")
    }
    #expect(left.isEmpty)
  }

  @Test func aFullDiskLeavesNoFile() throws {
    let f = try BackupFixture(clients: 200)
    defer { f.dir.cleanup() }
    var service = f.service
    service.destinationPageLimit = 3
    let file = f.dir.file("b.sqlite")
    #expect(throws: CRMError.diskFull(path: file)) { try service.backup(to: file) }
    #expect(!FileManager.default.fileExists(atPath: file))
    let left = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter {
      $0.contains(".tmp-")
    }
    #expect(left.isEmpty)
  }

  /// Each bad backup is refused with the file and the reason, and the database is unchanged.
  private func refuses(_ f: BackupFixture, _ file: String, _ reason: String) throws {
    let before = try f.names()
    let text = message { _ = try f.service.restore(from: file) }
    #expect(text?.contains(file) == true, "\(text ?? "no error")")
    #expect(text?.contains("not a valid TermCRM backup") == true)
    #expect(text?.contains(reason) == true, "\(text ?? "no error")")
    #expect(try f.names() == before)
    let baks = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter {
      $0.hasSuffix(".bak")
    }
    #expect(baks.isEmpty)
    let ru = message { _ = try BackupService(db: f.db, language: .ru).restore(from: file) }
    #expect(ru?.contains("текущая база не тронута") == true)
  }

  @Test func refusesWhatIsNotATermCRMBackup() throws {
    let f = try BackupFixture(clients: 200)
    defer { f.dir.cleanup() }
    let text = f.dir.file("notes.txt")
    try Data("hello, not a database".utf8).write(to: URL(fileURLWithPath: text))
    try refuses(f, text, "not an SQLite database")
    try refuses(f, f.dir.file("missing.sqlite"), "no such file")

    let foreign = f.dir.file("other.sqlite")
    let q = try DatabaseQueue(path: foreign)
    try q.write { d in try d.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
    try q.close()
    try refuses(f, foreign, "another program")

    let newer = f.dir.file("newer.sqlite")
    try f.service.backup(to: newer)
    let n = try DatabaseQueue(path: newer)
    try n.write { d in
      try d.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
    }
    try n.close()
    try refuses(f, newer, "newer TermCRM")

    let corrupt = f.dir.file("corrupt.sqlite")
    try f.service.backup(to: corrupt)
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: corrupt)[.size] as? Int)
    let h = try #require(FileHandle(forWritingAtPath: corrupt))
    try h.seek(toOffset: UInt64(size / 2 / 4096 * 4096))
    try h.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7 + 13) }))
    try h.close()
    try refuses(f, corrupt, "TermCRM backup")
    let corruptText = message { _ = try f.service.restore(from: corrupt) } ?? ""
    #expect(corruptText.contains("integrity") || corruptText.contains("damaged"))

    let broken = f.dir.file("broken.sqlite")
    try f.service.backup(to: broken)
    let b = try DatabaseQueue(path: broken)
    try b.writeWithoutTransaction { d in
      try d.execute(sql: "PRAGMA foreign_keys = OFF")
      try d.execute(sql: "UPDATE client SET owner_id = 9999 WHERE id = 1")
    }
    try b.close()
    try refuses(f, broken, "foreign keys")
  }

  @Test func restoreByAManagerIsForbiddenAndChangesNothing() throws {
    let f = try BackupFixture(clients: 5)
    defer { f.dir.cleanup() }
    let file = f.dir.file("b.sqlite")
    try f.service.backup(to: file)
    try f.add(2, prefix: "Новый")
    let before = try f.names()
    try f.db.signIn(f.anna)
    // A manager may take a backup (it holds every client).
    try f.service.backup(to: f.dir.file("by-anna.sqlite"))
    #expect(try BackupFixture.names(f.dir.file("by-anna.sqlite")) == before)
    #expect(throws: CRMError.self) { _ = try f.service.restore(from: file) }
    let text = message { _ = try f.service.restore(from: file) }
    #expect(text?.contains("admin") == true)
    #expect(try f.names() == before)
    let baks = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter {
      $0.hasSuffix(".bak")
    }
    #expect(baks.isEmpty)
  }

  @Test func aBackupWithAnotherPageSizeIsConverted() throws {
    let f = try BackupFixture(clients: 12)
    defer { f.dir.cleanup() }
    let file = f.dir.file("big-pages.sqlite")
    try f.service.backup(to: file)
    let q = try DatabaseQueue(path: file)
    try q.writeWithoutTransaction { d in
      try d.execute(sql: "PRAGMA page_size = 8192")
      try d.execute(sql: "VACUUM")
    }
    #expect(try q.read { d in try Int.fetchOne(d, sql: "PRAGMA page_size") } == 8192)
    try q.close()
    let before = try f.names()
    try f.add(3, prefix: "Лишний")
    _ = try f.service.restore(from: file)
    #expect(try f.names() == before)
    #expect(try f.db.check().problems.isEmpty)
    let left = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter {
      $0.contains(".restore-") || $0.contains(".tmp-")
    }
    #expect(left.isEmpty)
  }

  @Test func aWALModeFileCopiedAsideRestoresAndLeavesNothingBeside() throws {
    let f = try BackupFixture(clients: 6)
    defer { f.dir.cleanup() }
    let file = f.dir.file("wal-copy.sqlite")
    try f.service.backup(to: file)
    let q = try DatabaseQueue(path: file)
    _ = try q.writeWithoutTransaction { d in
      try String.fetchOne(d, sql: "PRAGMA journal_mode = WAL")
    }
    try q.close()
    let before = try f.names()
    try f.add(2, prefix: "Лишний")
    _ = try f.service.restore(from: file)
    #expect(try f.names() == before)
    #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: file + "-shm"))
  }

  @Test func restoringAnOlderBackupMigratesIt() throws {
    let f = try BackupFixture(clients: 4)
    defer { f.dir.cleanup() }
    // A backup written by a TermCRM that knew only up to v5.
    let file = f.dir.file("old.sqlite")
    let q = try DatabaseQueue(path: file)
    try Schema.migrator.migrate(q, upTo: "v5-client-base")
    try q.write { d in
      try d.execute(
        sql:
          "INSERT INTO app_user (login, name, role, created_at) VALUES ('root', 'root', 'admin', 0)"
      )
    }
    try q.close()
    let done = try f.service.restore(from: file)
    #expect(
      done.migrated == Array(Schema.identifiers.dropFirst(5)))
    #expect(done.clients == 0)
    let check = try f.db.check()
    #expect(check.problems.isEmpty)
    #expect(check.schemaVersion == Schema.version)
    #expect(try BackupFixture.names(done.previousCopy).count == 4)
  }

  @Test func dailyRotationKeepsNAndIgnoresOtherFiles() throws {
    let f = try BackupFixture(clients: 2)
    defer { f.dir.cleanup() }
    let dir = f.dir.file("daily")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let old = ["crm-2020-01-01.sqlite", "crm-2020-01-02.sqlite", "crm-2020-01-03.sqlite"]
    let others = [
      "notes.txt", "crm-2019-01-01.sqlite.bak", "crm-latest.sqlite", "crm-2019-1-01.sqlite",
      "xcrm-2019-01-01.sqlite",
    ]
    for name in old + others {
      try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
    }
    let done = try f.service.backupDaily(directory: dir, keep: 2)
    let fmt = DateFormatter()
    fmt.locale = Locale(identifier: "en_US_POSIX")
    fmt.dateFormat = "yyyy-MM-dd"
    let today = "crm-\(fmt.string(from: monday)).sqlite"
    #expect(done.file == dir + "/" + today)
    #expect(Set(done.removed) == Set(old.prefix(2).map { dir + "/" + $0 }))
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
    #expect(left == Set([today, old[2]] + others))
    // The same day again replaces today's file.
    try f.add(1, prefix: "Ещё")
    _ = try f.service.backupDaily(directory: dir, keep: 2)
    #expect(try BackupFixture.names(dir + "/" + today).count == 3)
    #expect(throws: CRMError.self) { _ = try f.service.backupDaily(directory: dir, keep: 0) }
    #expect(BackupService.isDailyName("crm-2026-11-24.sqlite"))
    #expect(!BackupService.isDailyName("crm-2026-11-2x.sqlite"))
  }
}
