import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm init

/// `crm init [--shared-group GROUP]`: creates or migrates the database at --db; with a group,
/// prepares the file and its folder for a team sharing one host. Not a `CRMCommand`: the folder
/// and the file are prepared (and whether the file existed noted) before the database opens, so
/// the body opens it itself through `Session.run`, at the point it needs it.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: tr(
      "Create or migrate the database; --shared-group prepares it for a team on one host.",
      "Создать или обновить базу; --shared-group готовит её для команды на одном сервере."),
    discussion: tr(
      """
      With --shared-group the folder gets mode 2770 (setgid: new files inherit the group) and \
      the group, the database file and its -wal/-shm 0660 and the group. An existing folder is \
      fixed only when it holds nothing but this database; a world-writable folder is refused. \
      The file's permissions are the real boundary: anyone who can write it can act as anyone.
      """,
      """
      С --shared-group папка получает права 2770 (setgid: новые файлы наследуют группу) и группу, \
      файл базы и его -wal/-shm — 0660 и группу. Существующая папка исправляется, только если \
      в ней нет ничего, кроме этой базы; папка, доступная на запись всем, отклоняется. Настоящая \
      граница — права файла: кто может в него писать, может действовать от имени любого.
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "The OS group of the team (it must exist).",
      "Группа ОС для команды (должна существовать).")) var sharedGroup: String?

  func run() throws {
    let l = global.language
    let path = absolute(global.path)
    let dir = (path as NSString).deletingLastPathComponent
    let fm = FileManager.default
    var st = stat()
    let dirExists = lstat(dir, &st) == 0
    // Never through a link: not the database (or its -wal/-shm), not its folder.
    do { try SafeFile.checkDatabasePath(path, language: l) } catch { throw fail(error, global) }
    if dirExists && st.st_mode & S_IFMT == S_IFLNK {
      throw Failure(
        message: l.pick(
          "--db: the folder \(dir) is a symbolic link; give the real path",
          "--db: папка \(dir) — символическая ссылка; укажите настоящий путь"), code: 1)
    }
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
      try Session.run(global, readOnly: false, body: { printAdmin($0.database) })
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
    try Session.run(global, readOnly: false, body: { printAdmin($0.database) })
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

  /// chown to the group (owner unchanged) and chmod, through a descriptor opened without
  /// following a link (a symlink planted under the name makes it fail, never changes what it
  /// points to); exit 2 when not permitted.
  func share(_ path: String, gid: gid_t, mode: mode_t) throws {
    let l = global.language
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      let reason =
        errno == ELOOP
        ? l.pick("it is a symbolic link", "это символическая ссылка")
        : String(cString: strerror(errno))
      throw Failure(
        message: l.pick(
          "cannot give \(path) to the group: \(reason)",
          "не удаётся передать \(path) группе: \(reason)"), code: 2)
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, [S_IFREG, S_IFDIR].contains(st.st_mode & S_IFMT) else {
      throw Failure(
        message: l.pick(
          "\(path) is not a regular file or folder", "\(path) — не обычный файл и не папка"),
        code: 2)
    }
    if fchown(fd, uid_t.max, gid) != 0 {
      let reason = String(cString: strerror(errno))
      throw Failure(
        message: l.pick(
          "cannot give \(path) to the group: \(reason) (are you its owner and in the group?)",
          "не удаётся передать \(path) группе: \(reason) (вы владелец и состоите в группе?)"),
        code: 2)
    }
    if fchmod(fd, mode) != 0 {
      let reason = String(cString: strerror(errno))
      throw Failure(
        message: l.pick(
          "cannot set the mode of \(path): \(reason)",
          "не удаётся изменить права \(path): \(reason)"), code: 2)
    }
  }
}
