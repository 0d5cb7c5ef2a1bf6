import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// An open TermCRM database: one SQLite file in WAL mode with foreign keys on and a busy timeout.
///
/// Opening never changes a file that is not ours or that a newer TermCRM wrote: those are
/// checked through a read-only connection first and refused with their bytes untouched.
public final class CRMDatabase: Sendable {
  public let path: String
  public let queue: DatabaseQueue
  public let isReadOnly: Bool
  public let clock: any Clock
  /// How long a write waits for another process before giving up.
  public let busyTimeout: TimeInterval
  /// The signed-in user and what they may see (see `signIn`).
  let viewerBox = ViewerBox()
  public static let defaultBusyTimeout: TimeInterval = 5

  /// Opens (creating when missing) the database at `path`. `readOnly` opens it read-only even
  /// when the file is writable; a file that is not writable always opens read-only.
  public init(
    path: String, readOnly: Bool = false, busyTimeout: TimeInterval = defaultBusyTimeout,
    clock: any Clock = SystemClock(), language: Language = .en
  ) throws(CRMError) {
    self.path = path
    self.clock = clock
    self.busyTimeout = busyTimeout
    let fm = FileManager.default
    // Never through a link: not the file, not the -wal/-shm/-journal SQLite opens beside it.
    try SafeFile.checkDatabasePath(path, language: language)
    if !fm.fileExists(atPath: path) {
      if readOnly { throw .unreadable(path: path, reason: "no such file") }
      try Self.createFile(at: path)
    }
    guard fm.isReadableFile(atPath: path) else {
      throw .unreadable(path: path, reason: "permission denied")
    }
    try Self.checkHeader(path)
    let dir = (path as NSString).deletingLastPathComponent
    let writable =
      !readOnly && fm.isWritableFile(atPath: path)
      && fm.isWritableFile(atPath: dir.isEmpty ? "." : dir)
    if writable { Self.makePrivateIfEmpty(path) }
    // Read-only, in a folder where SQLite cannot create the -shm it needs for a WAL database
    // (a folder of someone else's, a read-only mount): nothing can be writing it without a
    // -wal, so it is read as an immutable file.
    let location =
      !writable && !fm.isWritableFile(atPath: dir.isEmpty ? "." : dir)
        && !fm.fileExists(atPath: path + "-wal") && !fm.fileExists(atPath: path + "-shm")
      ? Self.immutableURI(path) : path
    try Self.checkOwnership(location, busyTimeout: busyTimeout, path: path)

    var config = Configuration()
    config.foreignKeysEnabled = true
    config.busyMode = .callback(Self.busyWaiter(busyTimeout))
    config.label = "termcrm"
    if writable {
      config.journalMode = .wal
      // A big import grows the WAL by its size, and SQLite keeps the file at that size for
      // reuse: without a limit the space stays taken after the checkpoint (on a nearly full
      // disk, for good). With it the WAL is cut back to `walLimit` (16 MiB) after each
      // checkpoint; `limitWAL` deals with readers that never let a checkpoint finish.
      config.prepareDatabase { db in
        try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walLimit)")
      }
    } else {
      config.readonly = true
    }
    do {
      queue = try DatabaseQueue(path: location, configuration: config)
      if writable {
        try Schema.migrator.migrate(queue)
      }
    } catch {
      throw Self.map(error, path: path, busyTimeout: busyTimeout)
    }
    isReadOnly = !writable
  }

  /// An in-memory database for tests and benchmarks.
  public init(memory clock: any Clock = SystemClock()) throws(CRMError) {
    path = ":memory:"
    self.clock = clock
    busyTimeout = Self.defaultBusyTimeout
    isReadOnly = false
    var config = Configuration()
    config.foreignKeysEnabled = true
    do {
      queue = try DatabaseQueue(configuration: config)
      try Schema.migrator.migrate(queue)
    } catch {
      throw Self.map(error, path: path)
    }
  }

  /// The default file: `$XDG_DATA_HOME/termcrm/crm.sqlite`, or `~/.local/share/termcrm/crm.sqlite`.
  public static func defaultPath(_ env: [String: String]) -> String {
    if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      return xdg + "/termcrm/crm.sqlite"
    }
    let home = env["HOME"] ?? NSHomeDirectory()
    return home + "/.local/share/termcrm/crm.sqlite"
  }

  /// Creates an empty database file (and its folder) unless it exists: by default the folder
  /// 0700 and the file 0600; `crm init --shared-group` asks for group modes (then sets them
  /// again with chmod, as the umask narrows what open and mkdir give).
  public static func createFile(
    at path: String, folderMode: Int = 0o700, fileMode: mode_t = 0o600
  ) throws(CRMError) {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty {
      do {
        try FileManager.default.createDirectory(
          atPath: dir, withIntermediateDirectories: true,
          attributes: [.posixPermissions: folderMode])
      } catch {
        throw .unreadable(path: path, reason: "cannot create folder \(dir)")
      }
    }
    let fd = open(path, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, fileMode)
    if fd < 0 && errno != EEXIST {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if fd >= 0 { close(fd) }
  }

  /// A database about to be made in an empty file someone created beforehand (with their
  /// umask's 0644, say) gets 0600 like a file crm creates; `crm init --shared-group` widens it
  /// to the group afterwards.
  static func makePrivateIfEmpty(_ path: String) {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size == 0, st.st_uid == geteuid(),
      st.st_mode & 0o077 != 0, st.st_mode & S_IFMT == S_IFREG
    else { return }
    _ = fchmod(fd, 0o600)
  }

  /// `file:PATH?immutable=1`, the path percent-encoded as SQLite's URI filenames need.
  static func immutableURI(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#%")
    let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    return "file:\(escaped)?immutable=1"
  }

  /// A non-empty file must start with the SQLite magic string.
  static func checkHeader(_ path: String) throws(CRMError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .unreadable(path: path, reason: "permission denied")
    }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 16)) ?? Data()
    if head.isEmpty { return }
    if head != Data("SQLite format 3\0".utf8) { throw .notADatabase(path: path) }
  }

  /// Through a read-only connection: is this an empty database or one of ours that we understand?
  static func checkOwnership(_ location: String, busyTimeout: TimeInterval, path: String)
    throws(CRMError)
  {
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(busyTimeout)
    do {
      let probe = try DatabaseQueue(path: location, configuration: config)
      defer { try? probe.close() }
      try probe.read { db in
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        if appID == 0 && tables == 0 { return }
        guard appID == Schema.applicationID else { throw CRMError.notTermCRM(path: path) }
        let applied = try Schema.migrator.appliedIdentifiers(db)
        let known = Set(Schema.identifiers)
        if !applied.isSubset(of: known) {
          throw CRMError.newerSchema(
            path: path, version: applied.count, supported: Schema.version)
        }
      }
    } catch let error as CRMError {
      throw error
    } catch {
      throw map(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Turns SQLite failures into messages a person can act on.
  public static func map(
    _ error: any Error, path: String, busyTimeout: TimeInterval = defaultBusyTimeout
  ) -> CRMError {
    if let e = error as? CRMError { return e }
    guard let dbError = error as? DatabaseError else { return .other("\(error)") }
    switch dbError.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path, seconds: busyTimeout)
    case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
    case .SQLITE_READONLY: return .readOnly(path: path)
    case .SQLITE_FULL:
      // SQLite says "full" for a short write too, which is what a file size limit gives.
      if let limit = fileSizeLimit() {
        return .ioError(path: path, reason: "disk full", sizeLimit: limit)
      }
      return .diskFull(path: path)
    case .SQLITE_IOERR:
      return .ioError(
        path: path, reason: dbError.message ?? "\(dbError.resultCode)", sizeLimit: fileSizeLimit())
    case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
      return .unreadable(path: path, reason: dbError.message ?? "\(dbError.resultCode)")
    default: return .other(dbError.message ?? "\(dbError)")
    }
  }

  /// The process's file size limit in bytes (`ulimit -f`), nil when there is none: a write
  /// beyond it fails like a full disk, and saying so saves a search for free space.
  static func fileSizeLimit() -> UInt64? {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max
    else { return nil }
    return UInt64(limit.rlim_cur)
  }

  /// Waits for another process's write lock up to `timeout`, polling every 0.5–3 ms (random).
  /// SQLite's own busy timeout sleeps longer and longer (up to 100 ms a try), so under many
  /// writers one waiter keeps losing to the others and waits seconds (measured: 4.1 s for a
  /// 10 ms write with 16 writers); short random polls keep the waits near the queue's length.
  static func busyWaiter(_ timeout: TimeInterval) -> Database.BusyCallback {
    let started = BusyStart()
    return { tries in
      let now = Date()
      if tries == 0 { started.set(now) }
      if now.timeIntervalSince(started.get()) >= timeout { return false }
      usleep(UInt32.random(in: 500...3_000))
      return true
    }
  }

  /// How many times a whole transaction is run again after SQLite still said BUSY when the
  /// busy timeout ran out (or at once, as for a snapshot that went stale or WAL recovery, where
  /// SQLite does not wait). Bodies passed to `read` and `write` must therefore be safe to run
  /// again: a failed run rolled back everything it wrote, so they only have to keep their
  /// captured state unchanged (compute into locals).
  public static let busyRetries = 4
  let retries = RetryCounter()
  /// Transactions of this connection run again after SQLITE_BUSY (the stress harness reports it).
  public var retriedTransactions: Int { retries.value }

  /// Runs a read, mapping database errors.
  public func read<T>(_ body: (Database) throws -> T) throws(CRMError) -> T {
    try retryingBusy { try queue.read(body) }
  }

  /// Runs a write transaction, mapping database errors; refused on a read-only file.
  public func write<T>(_ body: (Database) throws -> T) throws(CRMError) -> T {
    if isReadOnly { throw .readOnly(path: path) }
    let result = try retryingBusy { try queue.write(body) }
    limitWAL()
    return result
  }

  /// The `-wal` size past which a write ends with a TRUNCATE checkpoint (see `limitWAL`).
  public static let walLimit: Int64 = 16 << 20

  /// SQLite's automatic checkpoints (every 1000 pages) copy the WAL into the database but can
  /// start the WAL over only at a moment when no reader is inside it; with many processes
  /// always reading (forms, lists, other editors) that moment never comes, and the `-wal` grew
  /// by ~3 MB a second under the stress harness (97 MB in 30 s). So once it is past `walLimit`,
  /// the connection that just wrote runs `wal_checkpoint(TRUNCATE)`: it waits (busy handler)
  /// for the current readers to finish — milliseconds — while new writers wait, then empties
  /// the file. A checkpoint that cannot finish in time is left for the next write.
  func limitWAL() {
    guard path != ":memory:" else { return }
    var info = stat()
    guard stat(path + "-wal", &info) == 0, Int64(info.st_size) > Self.walLimit else { return }
    _ = try? queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
  }

  /// `run`, again up to `busyRetries` times after a short random pause while it fails with
  /// SQLITE_BUSY; then the error, mapped (`CRMError.locked`).
  func retryingBusy<T>(_ run: () throws -> T) throws(CRMError) -> T {
    var attempt = 0
    while true {
      do { return try run() } catch let e as DatabaseError
        where e.resultCode == .SQLITE_BUSY && attempt < Self.busyRetries
      {
        attempt += 1
        retries.increment()
        usleep(UInt32.random(in: 5_000...(20_000 * UInt32(attempt))))
      } catch {
        throw Self.map(error, path: path, busyTimeout: busyTimeout)
      }
    }
  }

  /// The size of the `-wal` file beside the database in bytes (0 when there is none).
  public var walSize: Int64 {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
    return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
  }

  /// `PRAGMA integrity_check`, foreign-key check and the schema version.
  public func check() throws(CRMError) -> (problems: [String], schemaVersion: Int) {
    try read { db in
      var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
      let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
      for row in fk {
        problems.append("foreign key: \(row[0] as String? ?? "?") rowid \(row[1] as Int64? ?? 0)")
      }
      let fts =
        try Int.fetchOne(
          db,
          sql: """
            SELECT (SELECT count(*) FROM client WHERE deleted_at IS NULL)
                 - (SELECT count(*) FROM client_fts)
            """) ?? 0
      if fts != 0 { problems.append("search index differs from clients by \(fts) rows") }
      let counted =
        try Int.fetchOne(
          db,
          sql: """
            SELECT (SELECT value FROM counter WHERE name = 'live_clients')
                 - (SELECT count(*) FROM client WHERE deleted_at IS NULL)
            """) ?? 0
      if counted != 0 { problems.append("client counter is off by \(counted)") }
      let applied = try Schema.migrator.appliedIdentifiers(db)
      return (problems, applied.count)
    }
  }
}

/// A thread-safe count (retried transactions).
final class RetryCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() {
    lock.lock()
    count += 1
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

/// When the current wait for a lock began (one connection waits for one lock at a time).
final class BusyStart: @unchecked Sendable {
  private let lock = NSLock()
  private var date = Date()
  func set(_ d: Date) {
    lock.lock()
    date = d
    lock.unlock()
  }
  func get() -> Date {
    lock.lock()
    defer { lock.unlock() }
    return date
  }
}

extension Row {
  /// A time column (seconds since 1970, as every table stores them) as a date; nil for NULL.
  func timestamp(_ column: String) -> Date? {
    (self[column] as Double?).map(Date.init(timeIntervalSince1970:))
  }
}
