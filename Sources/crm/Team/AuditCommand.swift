import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm audit

/// `crm audit`: the audit log, newest first. `--by` filters by author because `--user` is the
/// global option naming who runs the command.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "The audit log: who changed what and when, newest first.",
    discussion: """
      Supervisors and admins read everyone's changes; a manager reads only their own. Text: one \
      line per change, up to --limit changes; JSON: one object per changed field, up to --limit \
      rows. The next page: --before with the id the last line names.
      """)
  @OptionGroup var global: Global
  @Option(help: "Only changes by this user (login); --user is who runs the command.")
  var by: String?
  @Option(
    help:
      "client, person, contact, deal, offer, contract, invoice, payment, act, user, task, campaign, target, filter, setting."
  )
  var entity: String?
  @Option(help: "insert, update, delete, restore, done, handover, merge, bulk… (crm audit --help).")
  var action: String?
  @Option(help: "Only this client's changes (id).") var client: Int64?
  @Option(parsing: .unconditional, help: "From this day (included): 01.11.2026, 2026-11-01, -30d.")
  var from: String?
  @Option(parsing: .unconditional, help: "To this day (included).") var to: String?
  @Option(help: "How many changes (text) or rows (JSON), 1–1000.") var limit = 50
  @Option(help: "Entries older than this audit id (the next page).") var before: Int64?
  @Flag(help: "JSON: one object per changed field.") var json = false

  func run() throws {
    let l = global.language
    guard (1...1000).contains(limit) else {
      throw Failure(
        message: l.pick(
          "--limit: from 1 to 1000, not \(limit)", "--limit: от 1 до 1000, а не \(limit)"),
        code: 1)
    }
    var entityKey: String?
    if let entity {
      guard let e = AuditLog.entity(entity) else {
        let all = AuditQuery.entities.joined(separator: ", ")
        throw Failure(
          message: l.pick(
            "--entity: unknown «\(entity)»; use one of: \(all)",
            "--entity: неизвестный вид «\(entity)»; допустимые: \(all)"), code: 1)
      }
      entityKey = e
    }
    if let action, !AuditQuery.actions.contains(action) {
      let all = AuditQuery.actions.joined(separator: ", ")
      throw Failure(
        message: l.pick(
          "--action: unknown «\(action)»; use one of: \(all)",
          "--action: неизвестное действие «\(action)»; допустимые: \(all)"), code: 1)
    }
    let database = try core(global) { try global.open() }
    let times = try Times(global, database)
    let fromDate = try from.map(times.from)
    let toDate = try to.map(times.to)
    if let fromDate, let toDate, toDate <= fromDate {
      throw Failure(
        message: l.pick(
          "--to: the period ends before it starts (--from)",
          "--to: период заканчивается раньше, чем начинается (--from)"), code: 1)
    }
    let log = AuditLog(ServiceContext(db: database, language: l))
    var query = AuditQuery(
      entity: entityKey, action: action, clientId: client, from: fromDate, to: toDate)
    if let by {
      query.userId = try core(global) { try log.user(login: by, option: "--by") }.id
    }
    var cursor: AuditCursor?
    if let before {
      guard let c = try core(global, { try log.cursor(before: before) }) else {
        throw Failure(
          message: l.pick(
            "--before: there is no audit entry \(before)", "--before: нет записи журнала \(before)"),
          code: 1)
      }
      cursor = c
    }
    if json {
      let rows = try core(global) { try log.rows(query, before: cursor, limit: limit) }
      printJSON(rows.map(Self.object))
      return
    }
    let page = try core(global) { try log.changes(query, before: cursor, limit: limit) }
    if log.ownOnly {
      print(l.pick("Only your own changes (manager).", "Только ваши изменения (менеджер)."))
    }
    if page.changes.isEmpty {
      print(l.pick("No changes match.", "Изменений не найдено."))
      return
    }
    for c in page.changes { print(Self.line(c, log, global.formats)) }
    if let next = page.next {
      print(l.pick("next page: --before \(next.id)", "дальше: --before \(next.id)"))
    }
  }

  /// `23.11.2026 14:05  anna  клиент «Альфа»  изменено: телефоны, город`.
  static func line(_ c: AuditChange, _ log: AuditLog, _ f: Formats) -> String {
    "\(f.dateTime(c.at))  \(c.user)  \(log.object(c))  \(log.actionName(c.action)): "
      + log.fieldList(c)
  }

  static func object(_ r: AuditRow) -> [String: Any] {
    [
      "id": r.id, "change_id": r.changeId, "at": JSONText.isoText(r.at), "user": r.user,
      "client_id": r.clientId, "client": r.client, "entity": r.entity, "entity_id": r.entityId,
      "action": r.action, "field": r.field, "old": r.old ?? NSNull(), "new": r.new ?? NSNull(),
    ]
  }
}

// MARK: crm init

/// `crm init [--shared-group GROUP]`: creates or migrates the database at --db; with a group,
/// prepares the file and its folder for a team sharing one host.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create or migrate the database; --shared-group prepares it for a team on one host.",
    discussion: """
      With --shared-group the folder gets mode 2770 (setgid: new files inherit the group) and \
      the group, the database file and its -wal/-shm 0660 and the group. An existing folder is \
      fixed only when it holds nothing but this database; a world-writable folder is refused. \
      The file's permissions are the real boundary: anyone who can write it can act as anyone.
      """)
  @OptionGroup var global: Global
  @Option(help: "The OS group of the team (it must exist).") var sharedGroup: String?

  func run() throws {
    let l = global.language
    let path = absolute(global.path)
    let dir = (path as NSString).deletingLastPathComponent
    let fm = FileManager.default
    var st = stat()
    let dirExists = stat(dir, &st) == 0
    if dirExists && st.st_mode & S_IWOTH != 0 {
      throw Failure(
        message: l.pick(
          "--db: the folder \(dir) is writable by everyone; anyone could replace the database "
            + "or its -wal file. Put it in a folder of its own (e.g. /srv/crm).",
          "--db: папка \(dir) доступна на запись всем; любой мог бы подменить базу или её "
            + "-wal. Положите базу в отдельную папку (например, /srv/crm)."), code: 1)
    }
    guard let group = sharedGroup else {
      let existed = fm.fileExists(atPath: path)
      let database = try core(global) { try global.open() }
      printAdmin(database)
      print(
        existed
          ? l.pick("Database \(path): up to date.", "База \(path): схема обновлена.")
          : l.pick("Database \(path): created (mode 0600).", "База \(path): создана (права 0600)."))
      return
    }
    guard let gr = getgrnam(group) else {
      throw Failure(
        message: l.pick(
          "--shared-group: there is no group «\(group)»; create it first "
            + "(sudo groupadd \(group); sudo usermod -aG \(group) LOGIN)",
          "--shared-group: нет группы «\(group)»; сначала создайте её "
            + "(sudo groupadd \(group); sudo usermod -aG \(group) ЛОГИН)"), code: 1)
    }
    let gid = gr.pointee.gr_gid
    var done: [String] = []
    if dirExists {
      let ours = Set(
        ["", "-wal", "-shm", "-journal"].map { (path as NSString).lastPathComponent + $0 })
      let others = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { !ours.contains($0) }
      if !others.isEmpty {
        let list =
          others.sorted().prefix(3).joined(separator: ", ") + (others.count > 3 ? ", …" : "")
        throw Failure(
          message: l.pick(
            "--db: the folder \(dir) holds other files (\(list)); "
              + "a shared database needs a folder of its own, whose group and mode crm may set",
            "--db: в папке \(dir) есть другие файлы (\(list)); "
              + "общей базе нужна отдельная папка, группу и права которой crm может поменять"),
          code: 1)
      }
    } else {
      do {
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        throw Failure(
          message: l.pick("cannot create the folder \(dir)", "не удаётся создать папку \(dir)"),
          code: 2)
      }
      done.append(l.pick("folder \(dir): created", "папка \(dir): создана"))
    }
    try share(dir, gid: gid, mode: 0o2770)
    done.append(
      l.pick(
        "folder \(dir): group \(group), mode 2770 (setgid: new files get the group)",
        "папка \(dir): группа \(group), права 2770 (setgid: новые файлы получают группу)"))
    let existed = fm.fileExists(atPath: path)
    do {
      try CRMDatabase.createFile(at: path, folderMode: 0o2770, fileMode: 0o660)
    } catch { throw fail(error, global) }
    let database = try core(global) { try global.open() }
    printAdmin(database)
    try share(path, gid: gid, mode: 0o660)
    done.append(
      (existed
        ? l.pick("database \(path): migrated", "база \(path): схема обновлена")
        : l.pick("database \(path): created", "база \(path): создана"))
        + l.pick(", group \(group), mode 0660", ", группа \(group), права 0660"))
    for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
      try share(path + suffix, gid: gid, mode: 0o660)
      done.append(
        l.pick(
          "\(path + suffix): group \(group), mode 0660",
          "\(path + suffix): группа \(group), права 0660"
        ))
    }
    for line in done { print(line) }
    print(
      l.pick(
        "Remember: everyone in the team sets umask 007 in their shell profile (~/.profile) and "
          + "runs crm under their own login. SQLite gives -wal and -shm the database file's "
          + "mode itself; umask matters for other files crm writes there.",
        "Напоминание: каждому в команде — umask 007 в профиле оболочки (~/.profile) и crm под "
          + "своим логином. Права -wal и -shm SQLite берёт у файла базы сам; umask нужен для "
          + "остальных файлов, которые crm пишет в эту папку."))
  }

  func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }

  /// The person who prepares a new database signs in first, so they are its admin; says so.
  func printAdmin(_ database: CRMDatabase) {
    guard let u = database.viewer.user, u.role == .admin else { return }
    let l = global.language
    print(
      l.pick(
        "admin: \(u.login) (add the team with crm user add LOGIN --role manager)",
        "администратор: \(u.login) (команду добавьте через crm user add ЛОГИН --role manager)"))
  }

  /// chown to the group (owner unchanged) and chmod; exit 2 when not permitted.
  func share(_ path: String, gid: gid_t, mode: mode_t) throws {
    let l = global.language
    if chown(path, uid_t.max, gid) != 0 {
      let reason = String(cString: strerror(errno))
      throw Failure(
        message: l.pick(
          "cannot give \(path) to the group: \(reason) (are you its owner and in the group?)",
          "не удаётся передать \(path) группе: \(reason) (вы владелец и состоите в группе?)"),
        code: 2)
    }
    if chmod(path, mode) != 0 {
      let reason = String(cString: strerror(errno))
      throw Failure(
        message: l.pick(
          "cannot set the mode of \(path): \(reason)",
          "не удаётся изменить права \(path): \(reason)"), code: 2)
    }
  }
}
