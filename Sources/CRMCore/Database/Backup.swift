import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// Backups and restores through SQLite's online backup API.
///
/// A backup is one consistent snapshot of the database (WAL mode: other processes keep writing
/// while it is taken), written to a temporary file beside the destination, checked with
/// `PRAGMA integrity_check`, switched to a rollback journal (a single file, no `-wal` beside it)
/// and renamed into place atomically; on any error the temporary file is removed.
///
/// A backup holds every client of the database whatever the visibility of the user who took it:
/// it is created with mode 0600, and whoever can read the backup file reads everyone's clients.
public struct BackupService: CoreService {
  public let context: ServiceContext
  /// Tests only: the destination's `max_page_count`, to make a backup run out of room.
  var destinationPageLimit: Int?

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// What `restore` did.
  public struct RestoreResult: Equatable, Sendable {
    /// The dated copy of the database as it was before the restore.
    public var previousCopy: String
    /// Migrations run on the restored content (it came from an older TermCRM).
    public var migrated: [String]
    public var clients: Int
  }

  /// What `backupDaily` did.
  public struct DailyResult: Equatable, Sendable {
    public var file: String
    public var removed: [String]
  }

  // MARK: backup

  /// Writes a consistent copy of the database to `path`. An existing file is refused unless
  /// `force`; the destination is never half-written. Any signed-in user may take a backup.
  public func backup(to path: String, force: Bool = false) throws(CRMError) {
    try db.require(
      Set(UserRole.allCases), to: language.pick("backup", "резервная копия"), language: language)
    try Self.copy(
      db.queue, from: db.path, to: path, force: force, language: language,
      pageLimit: destinationPageLimit)
  }

  /// `DIR/crm-YYYY-MM-DD.sqlite` for today (replacing today's), then removes the oldest files of
  /// that exact pattern beyond `keep`; other files in the folder are never touched.
  public func backupDaily(directory: String, keep: Int = 14) throws(CRMError) -> DailyResult {
    guard keep >= 1 else {
      throw .invalid(
        field: "--keep",
        problem: language.pick("at least 1, not \(keep)", "не меньше 1, а не \(keep)"))
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
      )
    } catch {
      throw .unreadable(
        path: directory,
        reason: language.pick("cannot create the folder", "не удаётся создать папку"))
    }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = .current
    f.dateFormat = "yyyy-MM-dd"
    let file = (directory as NSString).appendingPathComponent(
      "crm-\(f.string(from: db.clock.now())).sqlite")
    try backup(to: file, force: true)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let daily = names.filter(Self.isDailyName).sorted()
    var removed: [String] = []
    for name in daily.dropLast(keep) {
      let p = (directory as NSString).appendingPathComponent(name)
      if unlink(p) == 0 { removed.append(p) }
    }
    return DailyResult(file: file, removed: removed)
  }

  /// Exactly `crm-YYYY-MM-DD.sqlite`.
  static func isDailyName(_ name: String) -> Bool {
    let b = Array(name.utf8)
    guard b.count == 21, name.hasPrefix("crm-"), name.hasSuffix(".sqlite") else { return false }
    for (i, c) in b[4..<14].enumerated() {
      if i == 4 || i == 7 {
        if c != UInt8(ascii: "-") { return false }
      } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
        return false
      }
    }
    return true
  }

  /// The backup itself: `source` → temporary file → checks → atomic rename to `path`.
  static func copy(
    _ source: any DatabaseReader, from sourcePath: String, to path: String, force: Bool,
    language l: Language, pageLimit: Int? = nil
  ) throws(CRMError) {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDir) {
      if isDir.boolValue {
        throw .invalid(
          field: path,
          problem: l.pick(
            "is a folder; name a file, or use --daily for dated backups in a folder",
            "это папка; укажите файл или --daily для ежедневных копий в папке"))
      }
      if Self.sameFile(path, sourcePath) {
        throw .invalid(
          field: path, problem: l.pick("is the database itself", "это сама база"))
      }
      if !force {
        throw .invalid(
          field: path,
          problem: l.pick(
            "already exists; it was left untouched. Pass --force to replace it.",
            "уже существует; файл не тронут. Чтобы заменить, добавьте --force."))
      }
      for suffix in ["-wal", "-journal"] where fm.fileExists(atPath: path + suffix) {
        throw .invalid(
          field: path,
          problem: l.pick(
            "has a \(suffix) file beside it (a database in use?); it was left untouched.",
            "рядом лежит файл \(suffix) (база используется?); файл не тронут."))
      }
    }
    try SafeFile.checkDestination(path, language: l)
    // Beside the destination, under a random name nobody could have planted a link for.
    let (temp, fd) = try SafeFile.createTemporary(beside: path, language: l)
    close(fd)
    func removeTemp() {
      for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temp + suffix) }
    }
    do {
      var config = Configuration()
      config.label = "termcrm-backup"
      let copy = try DatabaseQueue(path: temp, configuration: config)
      do {
        if let pageLimit {
          try copy.writeWithoutTransaction { db in
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pageLimit)")
          }
        }
        try source.backup(to: copy)
        try copy.writeWithoutTransaction { db in
          let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
          guard mode?.lowercased() == "delete" else {
            throw CRMError.other("journal_mode of the copy is \(mode ?? "?"), not delete")
          }
          let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
          guard check == ["ok"] else {
            throw CRMError.other(
              l.pick(
                "the copy failed the integrity check: \(check.prefix(3).joined(separator: "; "))",
                "копия не прошла проверку целостности: \(check.prefix(3).joined(separator: "; "))"))
          }
        }
        try copy.close()
      } catch {
        try? copy.close()
        throw error
      }
      if fm.fileExists(atPath: temp + "-wal") {
        throw CRMError.other(
          l.pick("the copy left a -wal file beside it", "у копии остался файл -wal"))
      }
      try publish(temp, to: path, force: force, language: l)
    } catch {
      removeTemp()
      if let e = error as? CRMError { throw e }
      throw CRMDatabase.map(error, path: path)
    }
  }

  /// Moves the finished temporary file into place: without `force`, `link` + `unlink` so a file
  /// that appeared meanwhile is never replaced; with `force`, `rename` (atomic replace).
  static func publish(_ temp: String, to path: String, force: Bool, language l: Language) throws {
    if !force {
      if link(temp, path) == 0 {
        unlink(temp)
        return
      }
      if errno == EEXIST {
        throw CRMError.invalid(
          field: path,
          problem: l.pick(
            "already exists; it was left untouched. Pass --force to replace it.",
            "уже существует; файл не тронут. Чтобы заменить, добавьте --force."))
      }
      // A file system without hard links: check, then rename.
      if FileManager.default.fileExists(atPath: path) {
        throw CRMError.invalid(field: path, problem: l.pick("already exists", "уже существует"))
      }
    }
    try SafeFile.publish(temp, to: path, language: l)
  }

  static func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat()
    var sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }

  // MARK: restore

  /// Opening a WAL-mode file read-only creates `-wal` and `-shm` beside it; those this restore
  /// made (none existed before) are removed when it ends.
  static func leftovers(_ path: String) -> [String] {
    ["-wal", "-shm"].map { path + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
  }

  /// Checks that `path` is a TermCRM backup this build understands and is sound; returns its
  /// applied migrations. Throws with a message naming the file and the reason; reads only.
  public func validate(_ path: String) throws(CRMError) -> Set<String> {
    let made = Self.leftovers(path)
    defer { for file in made { unlink(file) } }
    let l = language
    func refuse(_ en: String, _ ru: String) -> CRMError {
      .other(
        l.pick(
          "\(path) is not a valid TermCRM backup: \(en). Nothing was restored; the current database was left untouched.",
          "\(path) — не годная резервная копия TermCRM: \(ru). Ничего не восстановлено; текущая база не тронута."
        ))
    }
    let fm = FileManager.default
    guard fm.fileExists(atPath: path) else { throw refuse("no such file", "файла нет") }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw refuse("cannot read it (permission denied)", "его нельзя прочитать (нет прав)")
    }
    let head = (try? handle.read(upToCount: 16)) ?? Data()
    try? handle.close()
    guard head == Data("SQLite format 3\0".utf8) else {
      throw refuse("it is not an SQLite database", "это не база SQLite")
    }
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(db.busyTimeout)
    do {
      let queue = try DatabaseQueue(path: path, configuration: config)
      defer { try? queue.close() }
      return try queue.read { d -> Set<String> in
        do {
          let appID = try Int32.fetchOne(d, sql: "PRAGMA application_id") ?? 0
          guard appID == Schema.applicationID else {
            throw refuse(
              "it is an SQLite database of another program (application_id \(appID))",
              "это база SQLite другой программы (application_id \(appID))")
          }
          let applied = try Schema.migrator.appliedIdentifiers(d)
          let unknown = applied.subtracting(Schema.identifiers)
          if !unknown.isEmpty {
            throw refuse(
              "it was written by a newer TermCRM (schema \(unknown.sorted().joined(separator: ", ")) is unknown to this one); update crm",
              "она записана более новой версией TermCRM (схема \(unknown.sorted().joined(separator: ", ")) этой версии неизвестна); обновите crm"
            )
          }
          let check = try String.fetchAll(d, sql: "PRAGMA integrity_check")
          if check != ["ok"] {
            let detail = check.prefix(3).joined(separator: "; ")
            throw refuse(
              "it fails the integrity check (\(detail))",
              "она не проходит проверку целостности (\(detail))")
          }
          let fk = try Row.fetchAll(d, sql: "PRAGMA foreign_key_check")
          if let row = fk.first {
            let table: String = row[0] ?? "?"
            throw refuse(
              "\(fk.count) broken foreign keys (first in \(table))",
              "нарушено ссылок: \(fk.count) (первая в \(table))")
          }
          return applied
        } catch let e as CRMError {
          throw e
        } catch let e as DatabaseError
          where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(e.resultCode)
        {
          throw refuse(
            "it is damaged (\(e.message ?? "corrupt"))",
            "она повреждена (\(e.message ?? "corrupt"))")
        } catch {
          throw refuse("\(error)", "\(error)")
        }
      }
    } catch let e as CRMError {
      throw e
    } catch let e as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(e.resultCode) {
      throw refuse(
        "it is damaged (\(e.message ?? "corrupt"))", "она повреждена (\(e.message ?? "corrupt"))")
    } catch {
      throw refuse("cannot open it (\(error))", "её не удаётся открыть (\(error))")
    }
  }

  /// The dated name of the copy kept before a restore: `crm.sqlite.2026-11-24T01-05-00.bak`.
  public func datedCopyPath() -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = .current
    f.dateFormat = "yyyy-MM-dd'T'HH-mm-ss"
    let base = "\(db.path).\(f.string(from: db.clock.now()))"
    var candidate = base + ".bak"
    var n = 2
    while FileManager.default.fileExists(atPath: candidate) {
      candidate = "\(base)-\(n).bak"
      n += 1
    }
    return candidate
  }

  /// Replaces the database's content with the backup at `path` (admins only). The backup is
  /// validated first; the current database is kept as a dated copy beside it; the content is
  /// copied in through the backup API (other connections see the old or the new content, never
  /// a mix); then migrations bring an older backup up to date.
  public func restore(from path: String) throws(CRMError) -> RestoreResult {
    let l = language
    try db.require([.admin], to: l.pick("restore", "восстановление"), language: l)
    if db.isReadOnly { throw .readOnly(path: db.path) }
    if Self.sameFile(path, db.path) {
      throw .invalid(field: path, problem: l.pick("is the database itself", "это сама база"))
    }
    let made = Self.leftovers(path)
    defer { for file in made { unlink(file) } }
    let applied = try validate(path)
    let previous = datedCopyPath()
    try Self.copy(db.queue, from: db.path, to: previous, force: false, language: l)
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(db.busyTimeout)
    do {
      let source = try DatabaseQueue(path: path, configuration: config)
      defer { try? source.close() }
      let pageSize = { (q: DatabaseQueue) in
        try q.read { d in try Int.fetchOne(d, sql: "PRAGMA page_size") ?? 0 }
      }
      let wanted = try pageSize(db.queue)
      if try pageSize(source) == wanted {
        try source.backup(to: db.queue)
      } else {
        // A WAL database cannot change its page size, and the backup API refuses to copy
        // between page sizes into one: convert a temporary copy first (VACUUM in rollback mode).
        let temp = "\(db.path).restore-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temp + suffix) } }
        try Self.copy(source, from: path, to: temp, force: false, language: l)
        let converted = try DatabaseQueue(path: temp)
        defer { try? converted.close() }
        try converted.writeWithoutTransaction { d in
          try d.execute(sql: "PRAGMA page_size = \(wanted)")
          try d.execute(sql: "VACUUM")
        }
        try converted.backup(to: db.queue)
      }
      let pending = Schema.identifiers.filter { !applied.contains($0) }
      try Schema.migrator.migrate(db.queue)
      let clients = try db.queue.read { d in
        try Int.fetchOne(d, sql: "SELECT count(*) FROM client WHERE deleted_at IS NULL") ?? 0
      }
      return RestoreResult(previousCopy: previous, migrated: pending, clients: clients)
    } catch {
      throw CRMDatabase.map(error, path: db.path, busyTimeout: db.busyTimeout)
    }
  }
}
