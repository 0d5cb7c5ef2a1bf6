import ArgumentParser
import CRMCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm backup

/// `crm backup FILE [--force]` and `crm backup --daily DIR [--keep N]`.
struct BackupCommand: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: tr(
      "Copy the database to a file through SQLite's online backup API.",
      "Скопировать базу в файл через онлайн-резервирование SQLite."),
    discussion: tr(
      """
      The copy is one consistent snapshot even while others write; it is checked with \
      PRAGMA integrity_check and appears atomically (never half-written). It holds EVERY client, \
      whatever you may see, and is created with mode 0600: keep it where only trusted people can \
      read it. --daily DIR writes DIR/crm-YYYY-MM-DD.sqlite (replacing today's) and keeps the \
      newest --keep of them (other files in DIR are never touched).
      """,
      """
      Копия — один согласованный снимок, даже пока другие пишут; она проверяется \
      PRAGMA integrity_check и появляется атомарно (никогда не наполовину). В ней ВСЕ клиенты, \
      что бы ни было видно вам, и создаётся она с правами 0600: храните её там, где её прочтут \
      только доверенные люди. --daily DIR пишет DIR/crm-YYYY-MM-DD.sqlite (заменяя сегодняшнюю) \
      и хранит --keep самых новых (другие файлы в DIR не трогаются).
      """))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The backup file to write.",
      "Файл копии, который записать.")) var file: String?
  @Flag(
    help: tr(
      "Replace FILE if it exists.",
      "Заменить FILE, если он есть.")) var force = false
  @Option(
    help: tr(
      "Write today's backup into this folder (crm-YYYY-MM-DD.sqlite).",
      "Записать сегодняшнюю копию в эту папку (crm-YYYY-MM-DD.sqlite).")) var daily: String?
  @Option(
    help: tr(
      "With --daily: how many daily backups to keep (default 14).",
      "С --daily: сколько ежедневных копий хранить (по умолчанию 14).")) var keep: Int?

  func check() throws {
    let l = global.language
    if (file == nil) == (daily == nil) {
      throw Failure(
        message: l.pick(
          "name a backup FILE or --daily DIR (one of them)",
          "укажите файл копии FILE или папку --daily DIR (что-то одно)"), code: 1)
    }
    if keep != nil && daily == nil {
      throw Failure(
        message: l.pick("--keep goes with --daily", "--keep — только вместе с --daily"), code: 1)
    }
  }

  func run(_ session: Session) throws {
    let l = global.language
    let service = session.context.backups
    if let file {
      try service.backup(to: file, force: force)
      print(
        l.pick(
          "Backup written to \(file) (every client of the database; keep the file private).",
          "Резервная копия записана в \(file) (в ней все клиенты базы; храните файл закрыто)."))
    } else if let daily {
      let done = try service.backupDaily(directory: daily, keep: keep ?? 14)
      print(l.pick("Backup written to \(done.file).", "Резервная копия записана в \(done.file)."))
      for removed in done.removed {
        print(l.pick("Removed old backup \(removed).", "Удалена старая копия \(removed)."))
      }
    }
  }
}

// MARK: crm restore

/// `crm restore FILE [--yes]`: admins only.
struct RestoreCommand: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: tr(
      "Replace the database's content with a backup (admins only).",
      "Заменить содержимое базы резервной копией (только администраторы)."),
    discussion: tr(
      """
      FILE must be a sound TermCRM backup this crm understands; anything else is refused and \
      the database is left untouched. The current database is first kept as a dated copy \
      beside it (crm.sqlite.YYYY-MM-DDTHH-MM-SS.bak); an older backup is then migrated. Asks \
      for confirmation on a terminal; without one, pass --yes.
      """,
      """
      FILE должен быть исправной копией TermCRM, понятной этой версии crm; всё остальное \
      отклоняется, и база остаётся нетронутой. Текущая база сначала сохраняется датированной \
      копией рядом (crm.sqlite.YYYY-MM-DDTHH-MM-SS.bak); более старая копия затем обновляется. \
      В терминале спрашивает подтверждение; без терминала укажите --yes.
      """))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The backup file to restore.",
      "Файл копии, которую восстановить.")) var file: String
  @Flag(
    help: tr(
      "Do not ask for confirmation.",
      "Не спрашивать подтверждения.")) var yes = false

  func run(_ session: Session) throws {
    let l = global.language
    let database = session.database
    let service = session.context.backups
    try database.require([.admin], to: "crm restore", language: l)
    _ = try service.validate(file)
    if !yes {
      guard isatty(0) == 1 else {
        throw Failure(
          message: l.pick(
            "crm restore replaces the whole database; without a terminal pass --yes. Nothing was changed.",
            "crm restore заменяет всю базу; без терминала добавьте --yes. Ничего не изменено."),
          code: 1)
      }
      StandardOutput.error(
        l.pick(
          "Replace the content of \(database.path) with \(file)? The current content is kept as a dated copy. [y/N] ",
          "Заменить содержимое \(database.path) копией \(file)? Текущее содержимое сохранится в датированной копии. [y/N] "
        ), newline: false)
      let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
      guard ["y", "yes", "д", "да"].contains(answer) else {
        throw Failure(
          message: l.pick("cancelled; nothing changed", "отменено; ничего не изменено"), code: 1)
      }
    }
    let done = try service.restore(from: file)
    print(
      l.pick(
        "Restored \(database.path) from \(file): \(done.clients) clients.",
        "База \(database.path) восстановлена из \(file): клиентов \(done.clients)."))
    if !done.migrated.isEmpty {
      print(
        l.pick(
          "Migrated the restored data: \(done.migrated.joined(separator: ", ")).",
          "Восстановленные данные обновлены: \(done.migrated.joined(separator: ", "))."))
    }
    print(
      l.pick(
        "The previous content is kept in \(done.previousCopy).",
        "Прежнее содержимое сохранено в \(done.previousCopy)."))
  }
}
