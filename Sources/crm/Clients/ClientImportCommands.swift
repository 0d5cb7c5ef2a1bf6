import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// MARK: Sources

/// A reader the import commands can drive and show progress for.
protocol ClientSource: AnyObject {
  func next() throws -> ImportItem?
  var sourceWarnings: [ImportIssue] { get }
  var bytesRead: Int64 { get }
  var totalBytes: Int64 { get }
  /// The kind of file recognised from a table's header (nil for vCard and JSON).
  var recognised: ImportProfile? { get }
  /// What each column of a table became.
  var columnUses: [ImportColumnUse] { get }
}

extension ClientSource {
  var recognised: ImportProfile? { nil }
  var columnUses: [ImportColumnUse] { [] }
}

extension ClientCSVReader: ClientSource {
  var sourceWarnings: [ImportIssue] { warnings }
  var recognised: ImportProfile? { profile }
}

extension ClientTableReader: ClientSource {
  var sourceWarnings: [ImportIssue] { warnings }
  var recognised: ImportProfile? { profile }
  var bytesRead: Int64 { source.bytesRead }
  var totalBytes: Int64 { source.totalBytes }
}
extension ClientJSONReader: ClientSource {
  var sourceWarnings: [ImportIssue] { [] }
}
extension VCardReader: ClientSource {
  var sourceWarnings: [ImportIssue] { warnings }
}

extension DuplicatePolicy: ExpressibleByArgument {}

/// Set by SIGINT while an import runs; the progress callback sees it and cancels.
nonisolated(unsafe) var importInterrupted: sig_atomic_t = 0

struct ClientImportFlags: ParsableArguments {
  @Flag(
    help: tr(
      "Show what would happen and change nothing.",
      "Показать, что произойдёт, и ничего не менять.")) var dryRun = false
  @Flag(
    help: tr(
      "The full report as JSON.",
      "Полный отчёт в JSON.")) var json = false
  @Option(
    help: tr(
      "A row that matches a client in the base: skip, update or create.",
      "Строка, совпадающая с клиентом в базе: skip, update или create (пропустить, обновить, создать)."
    ))
  var onDuplicate: DuplicatePolicy = .skip
}

/// `import csv|vcard|json`: one import, told apart by its format and how its file is read.
protocol ClientImportCommand: CRMCommand {
  static var format: String { get }
  var file: String { get }
  var flags: ClientImportFlags { get }
  /// The file opened for reading (its `ImportFileError` names the file).
  func source() throws -> ClientSource
}

extension ClientImportCommand {
  func run(_ session: Session) throws {
    try session.importClients(format: Self.format, file: file, flags: flags, open: source)
  }
}

extension Session {
  /// Runs one import with a progress bar (stderr is a terminal and the file is over 4 MiB) and
  /// Ctrl-C cancelling it; prints the report.
  func importClients(
    format: String, file: String, flags: ClientImportFlags, info: [String: Any] = [:],
    header: String = "", open: () throws -> ClientSource
  ) throws {
    let l = language
    let source: ClientSource
    do {
      source = try open()
    } catch let e as ImportFileError {
      throw Failure(message: "\(file): \(e.message(l))", code: 1)
    }
    let service = context.imports
    // Our own export is a snapshot of a base: its clients are all distinct already.
    let snapshot = format == "json" || source.recognised == .termcrm
    let options = ImportOptions(
      format: format, fileName: (file as NSString).lastPathComponent, dryRun: flags.dryRun,
      onDuplicate: flags.onDuplicate, matchWithinFile: !snapshot)
    let bar = isatty(2) == 1 && source.totalBytes > 4 << 20
    importInterrupted = 0
    signal(SIGINT) { _ in importInterrupted = 1 }
    defer { signal(SIGINT, SIG_DFL) }
    func clearBar() { if bar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    let report: ImportReport
    do {
      report = try service.run(
        options: options, next: { try source.next() },
        progress: { rows in
          if importInterrupted != 0 { return false }
          if bar {
            let done = Double(source.bytesRead) / Double(max(1, source.totalBytes))
            let width = 30
            let filled = min(width, Int(done * Double(width)))
            let text =
              "\r[" + String(repeating: "#", count: filled)
              + String(repeating: " ", count: width - filled) + "] "
              + "\(Int(done * 100))% " + l.pick("\(rows) rows", "строк: \(rows)")
            FileHandle.standardError.write(Data(text.utf8))
          }
          return true
        })
    } catch let e as ImportFileError {
      clearBar()
      throw Failure(
        message: "\(file): \(e.message(l))"
          + l.pick(" — nothing was imported", " — ничего не импортировано"), code: 1)
    } catch let e as ImportCancelled {
      clearBar()
      throw Failure(
        message: l.pick(
          "cancelled after \(e.rowsRead) rows: nothing was imported",
          "прервано после \(e.rowsRead) строк: ничего не импортировано"), code: 130)
    } catch let e as CRMError {
      clearBar()
      throw fail(e, global)
    }
    clearBar()
    let warnings = source.sourceWarnings + report.warnings
    if flags.json {
      var object = info
      object["batch_id"] = report.batchId.map { $0 as Any } ?? NSNull()
      object["dry_run"] = report.dryRun
      object["format"] = format
      object["file"] = file
      object["rows"] = report.rows
      object["created"] = report.created
      object["updated"] = report.updated
      object["duplicates"] = report.duplicates
      object["rejected"] = report.rejected
      if let profile = source.recognised {
        object["profile"] = profile.id
        object["profile_name"] = profile.name(l)
        object["columns"] = source.columnUses.map { u -> [String: Any] in
          [
            "header": u.header, "field": u.field?.rawValue ?? NSNull(), "values": u.values,
            "suggestion": u.suggestion?.rawValue ?? NSNull(),
          ]
        }
      }
      object["warnings"] = warnings.map {
        ["line": $0.line, "field": $0.field, "reason": $0.reason]
      }
      object["outcomes"] = report.outcomes.map { o -> [String: Any] in
        [
          "line": o.line, "action": o.action.rawValue,
          "client_id": o.clientId.map { $0 as Any } ?? NSNull(), "name": o.name,
          "match_id": o.matchId.map { $0 as Any } ?? NSNull(), "match_name": o.matchName,
          "match_reason": o.matchReason, "field": o.field, "reason": o.reason,
        ]
      }
      printJSON(object)
      return
    }
    let shown = 100
    for w in warnings.prefix(shown) {
      writeError(
        l.pick("warning: ", "предупреждение: ") + l.pick("line \(w.line): ", "строка \(w.line): ")
          + (w.field.isEmpty ? "" : "\(w.field): ") + w.reason)
    }
    if warnings.count > shown {
      writeError(
        l.pick(
          "… and \(warnings.count - shown) more warnings (--json lists all)",
          "… и ещё предупреждений: \(warnings.count - shown) (все — с --json)"))
    }
    if let profile = source.recognised {
      printColumns(profile, source.columnUses, l)
    }
    func list(_ action: ImportOutcome.Action, _ title: String, _ text: (ImportOutcome) -> String) {
      let rows = report.outcomes.filter { $0.action == action }
      guard !rows.isEmpty else { return }
      print(title)
      for o in rows.prefix(shown) {
        print("  " + l.pick("line \(o.line): ", "строка \(o.line): ") + text(o))
      }
      if rows.count > shown {
        print(
          "  "
            + l.pick(
              "… and \(rows.count - shown) more (--json lists all)",
              "… и ещё \(rows.count - shown) (все — с --json)"))
      }
    }
    func reason(_ r: String) -> String {
      switch r {
      case "inn": return l.pick("same INN", "тот же ИНН")
      case "phone": return l.pick("same phone", "тот же телефон")
      case "email": return l.pick("same e-mail", "тот же e-mail")
      case "name": return l.pick("same name", "то же название")
      default: return r
      }
    }
    list(.rejected, l.pick("Rejected:", "Отклонено:")) {
      ($0.field.isEmpty ? "" : "\($0.field): ") + $0.reason
    }
    list(.duplicate, l.pick("Duplicates (skipped):", "Дубли (пропущены):")) {
      "«\($0.name)» = №\($0.matchId ?? 0) «\($0.matchName)» (\(reason($0.matchReason)))"
    }
    list(.updated, l.pick("Updated:", "Обновлены:")) {
      "№\($0.clientId ?? 0) «\($0.matchName)» ← «\($0.name)» (\(reason($0.matchReason)))"
    }
    if !header.isEmpty { print(header) }
    let counts = l.pick(
      "\(report.rows) rows: \(report.created) new, \(report.updated) updated, \(report.duplicates) duplicates, \(report.rejected) rejected",
      "Строк: \(report.rows); новых: \(report.created), обновлено: \(report.updated), дублей: \(report.duplicates), отклонено: \(report.rejected)"
    )
    if let id = report.batchId {
      print(l.pick("Import \(id): ", "Импорт \(id): ") + counts)
      print(l.pick("To take it back: crm import undo \(id)", "Отменить: crm import undo \(id)"))
    } else {
      print(counts + l.pick(" (dry run: nothing changed)", " (пробный прогон: ничего не изменено)"))
    }
  }

}

/// The import summary's part about the file: the profile recognised and what each column
/// became, ignored columns with values each with a `--map` suggestion, and the empty ignored
/// ones on one line.
func printColumns(_ profile: ImportProfile, _ uses: [ImportColumnUse], _ l: Language) {
  print(l.pick("Recognised: ", "Распознано: ") + profile.name(l))
  print(l.pick("Columns:", "Колонки:"))
  var empty: [String] = []
  for u in uses {
    let title = u.header.isEmpty ? l.pick("(no name)", "(без названия)") : u.header
    if let field = u.field {
      print("  \(title) → \(field.rawValue) (\(l.pick("values", "значений")): \(u.values))")
    } else if u.values == 0 {
      empty.append(title)
    } else {
      let hint = u.suggestion.map { " --map \"\(u.header)=\($0.rawValue)\"" } ?? ""
      print(
        "  \(title): "
          + l.pick(
            "ignored (values: \(u.values));\(hint.isEmpty ? "" : " to keep them:" + hint)",
            "пропущена (значений: \(u.values));\(hint.isEmpty ? "" : " чтобы сохранить:" + hint)"))
    }
  }
  if !empty.isEmpty {
    print(
      "  " + l.pick("Ignored, empty in every row: ", "Пропущены, пусты во всех строках: ")
        + empty.joined(separator: ", "))
  }
}

extension Global {
  /// `--region`: a country libphonenumber knows.
  func checkRegion(_ region: String) throws {
    guard PhoneNumber.isRegion(region) else {
      throw Failure(
        message: language.pick(
          "--region must be a two-letter country code such as RU, DE or US, not \(region)",
          "--region: двухбуквенный код страны, например RU, DE или US, а не \(region)"), code: 1)
    }
  }

  /// `--encoding`, `--delimiter` and `--map` into reader options.
  func csvOptions(encoding: String?, delimiter: String?, map: String?) throws -> ClientCSVOptions {
    let l = language
    var options = ClientCSVOptions(language: l)
    if let encoding {
      switch encoding.lowercased().replacingOccurrences(of: "-", with: "") {
      case "utf8": options.encoding = .utf8
      case "cp1251", "windows1251", "win1251": options.encoding = .cp1251
      default:
        throw Failure(
          message: l.pick(
            "--encoding must be utf8 or cp1251, not \(encoding)",
            "--encoding: utf8 или cp1251, а не \(encoding)"), code: 1)
      }
    }
    if let delimiter {
      switch delimiter {
      case ";", ",", "|": options.delimiter = delimiter.utf8.first
      case "tab", "\\t", "\t": options.delimiter = 0x09
      default:
        throw Failure(
          message: l.pick(
            "--delimiter must be ; , | or tab, not \(delimiter)",
            "--delimiter: ; , | или tab, а не \(delimiter)"), code: 1)
      }
    }
    if let map {
      do {
        options.map = try ClientCSVOptions.parseMap(map)
      } catch {
        throw Failure(message: error.message(l), code: 1)
      }
    }
    return options
  }
}

// MARK: crm import csv | vcard | json | undo | list

struct ImportCSV: ClientImportCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv",
    abstract: tr(
      "Import clients from CSV (UTF-8 or CP1251; ; , tab or |).",
      "Импорт клиентов из CSV (UTF-8 или CP1251; разделитель ; , табуляция или |)."),
    discussion: tr(
      """
      Columns are recognised by their header names, Russian or English (Название, ИНН, Телефон,
      E-mail, Город, Ответственный, Контактное лицо…; the list is in docs/user-guide.md);
      --map "Колонка=field,…" names the others. Rows that match a client in the base (same ИНН,
      phone, e-mail or name) are skipped, updated or created per --on-duplicate. One
      transaction: a file error imports nothing; a bad row is reported and the rest imported.
      """,
      """
      Колонки узнаются по заголовкам, русским или английским (Название, ИНН, Телефон,
      E-mail, Город, Ответственный, Контактное лицо…; список — в docs/user-guide.md);
      --map "Колонка=field,…" называет остальные. Строки, совпадающие с клиентом в базе (тот же ИНН,
      телефон, e-mail или название), пропускаются, обновляют его или создаются по --on-duplicate.
      Одна транзакция: ошибка файла не импортирует ничего; плохая строка называется, остальные импортируются.
      """))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The CSV file.",
      "Файл CSV.")) var file: String
  @OptionGroup var flags: ClientImportFlags
  @Option(
    help: tr(
      "Columns to fields: \"Колонка=field,Other=field\" (field skip ignores one).",
      "Колонки в поля: \"Колонка=field,Другая=field\" (поле skip пропускает колонку)."))
  var map: String?
  @Option(
    help: tr(
      "utf8 or cp1251 (default: detected).",
      "utf8 или cp1251 (по умолчанию: определяется).")) var encoding: String?
  @Option(
    help: tr(
      "; , | or tab (default: detected from the header).",
      "; , | или tab (по умолчанию: определяется по заголовку).")) var delimiter: String?

  static let format = "csv"

  func check() throws { _ = try csvOptions() }

  func csvOptions() throws -> ClientCSVOptions {
    try global.csvOptions(encoding: encoding, delimiter: delimiter, map: map)
  }

  func source() throws -> ClientSource {
    try ClientCSVReader(url: URL(fileURLWithPath: file), options: csvOptions())
  }
}

struct ImportXLSX: ClientImportCommand {
  static let configuration = CommandConfiguration(
    commandName: "xlsx",
    abstract: tr(
      "Import clients from an Excel workbook (.xlsx): the first sheet, or --sheet.",
      "Импорт клиентов из книги Excel (.xlsx): первый лист или --sheet."),
    discussion: tr(
      """
      The sheet is read as a table with the same profiles, --map and row rules as CSV (the first
      row that names a client is the header). Dates and numbers are typed cells and are read as
      such (dates as YYYY-MM-DD); messages name cells as Excel shows them (C12).
      """,
      """
      Лист читается как таблица с теми же профилями, --map и правилами строк, что и CSV (заголовок —
      первая строка, называющая клиента). Даты и числа — типизированные ячейки и читаются как
      таковые (даты — ГГГГ-ММ-ДД); сообщения называют ячейки, как Excel (C12).
      """))
  @OptionGroup var global: Global
  @Argument(help: tr("The .xlsx file.", "Файл .xlsx.")) var file: String
  @OptionGroup var flags: ClientImportFlags
  @Option(
    help: tr(
      "The sheet: its name or number (default: the first).",
      "Лист: имя или номер (по умолчанию первый).")) var sheet: String?
  @Option(
    help: tr(
      "Columns to fields: \"Колонка=field,Other=field\" (field skip ignores one).",
      "Колонки в поля: \"Колонка=field,Другая=field\" (поле skip пропускает колонку)."))
  var map: String?

  /// The import log keeps tables under one format name (its schema knows csv, vcard, json).
  static let format = "csv"

  func check() throws { _ = try global.csvOptions(encoding: nil, delimiter: nil, map: map) }

  func source() throws -> ClientSource {
    let table = try XLSXTableSource(url: URL(fileURLWithPath: file), sheet: sheet)
    let reader = try ClientTableReader(
      source: table, options: global.csvOptions(encoding: nil, delimiter: nil, map: map))
    return XLSXClientSource(reader: reader, table: table)
  }
}

/// A sheet's rows through the table reader, with the sheet's own warnings (a date serial that
/// is no date, kept as a number) among the import's.
final class XLSXClientSource: ClientSource {
  let reader: ClientTableReader
  let table: XLSXTableSource

  init(reader: ClientTableReader, table: XLSXTableSource) {
    self.reader = reader
    self.table = table
  }

  func next() throws -> ImportItem? { try reader.next() }
  var sourceWarnings: [ImportIssue] {
    table.warnings.map { ImportIssue(line: 0, field: $0.cell, reason: $0.message(.ru)) }
      + reader.warnings
  }
  var bytesRead: Int64 { table.bytesRead }
  var totalBytes: Int64 { table.totalBytes }
  var recognised: ImportProfile? { reader.profile }
  var columnUses: [ImportColumnUse] { reader.columnUses }
}

struct ImportVCard: ClientImportCommand {
  static let configuration = CommandConfiguration(
    commandName: "vcard",
    abstract: tr(
      "Import clients from vCard 2.1/3.0/4.0 (.vcf).",
      "Импорт клиентов из vCard 2.1/3.0/4.0 (.vcf)."),
    discussion: tr(
      """
      A card with ORG becomes a company with the card's person as its contact; a card without
      ORG becomes a person client. Files of iPhone, Android, Outlook, Thunderbird, Evolution and
      Google are read: any line ending, folded lines, quoted-printable, any CHARSET (windows-1251,
      koi8-r, Shift_JIS…). Every phone, e-mail, address and URL is kept; what has no field of its
      own (nicknames, messengers, more addresses) goes into the notes. Numbers without a country
      code are read as dialled in --region. A bad value is skipped with a warning naming its
      line; a card with nothing to name it by is reported with its line and the rest imported.
      """,
      """
      Карточка с ORG становится организацией, а человек из карточки — её контактным лицом; карточка
      без ORG становится клиентом-физлицом. Читаются файлы iPhone, Android, Outlook, Thunderbird,
      Evolution и Google: любые концы строк, свёрнутые строки, quoted-printable, любая CHARSET
      (windows-1251, koi8-r, Shift_JIS…). Все телефоны, e-mail, адреса и сайты сохраняются; то,
      для чего нет поля (псевдонимы, мессенджеры, другие адреса), попадает в заметки. Номера без
      кода страны читаются как набранные в стране --region. Плохое значение пропускается с
      предупреждением и номером строки; карточка, которую нечем назвать, называется со своей
      строкой, остальные импортируются.
      """))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The .vcf file.",
      "Файл .vcf.")) var file: String
  @OptionGroup var flags: ClientImportFlags
  @Option(
    help: tr(
      "The country of phone numbers written without a country code (ISO code, default RU).",
      "Страна номеров, записанных без кода страны (код ISO, по умолчанию RU)."))
  var region = PhoneNumber.defaultRegion

  static let format = "vcard"

  func check() throws { try global.checkRegion(region) }

  func source() throws -> ClientSource {
    try VCardReader(url: URL(fileURLWithPath: file), language: global.language, region: region)
  }
}

struct ImportJSON: ClientImportCommand {
  static let configuration = CommandConfiguration(
    commandName: "json",
    abstract: tr(
      "Import clients from TermCRM's own JSON (crm export json).",
      "Импорт клиентов из собственного JSON TermCRM (crm export json)."))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The .json file.",
      "Файл .json.")) var file: String
  @OptionGroup var flags: ClientImportFlags
  @Option(
    help: tr(
      "The country of phone numbers written without a country code (ISO code, default RU).",
      "Страна номеров, записанных без кода страны (код ISO, по умолчанию RU)."))
  var region = PhoneNumber.defaultRegion

  static let format = "json"

  func check() throws { try global.checkRegion(region) }

  func source() throws -> ClientSource {
    try ClientJSONReader(
      url: URL(fileURLWithPath: file), language: global.language, region: region)
  }
}

struct ImportUndo: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "undo",
    abstract: tr(
      "Take back a client import (crm import list shows them).",
      "Отменить импорт клиентов (их показывает crm import list)."),
    discussion: tr(
      """
      Clients the import created are deleted, or moved to the trash if something was added to
      them since (a contact, a deal, an edit); clients it updated get their fields back; contact
      persons it added are removed. One transaction; an import is undone once.
      """,
      """
      Клиенты, созданные импортом, удаляются или, если к ним что-то добавили (контакт, сделку,
      правку), переносятся в корзину; обновлённым клиентам возвращаются их поля; добавленные
      контактные лица удаляются. Одна транзакция; импорт отменяется один раз.
      """))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "The import's number.",
      "Номер импорта.")) var id: Int64

  func run(_ session: Session) throws {
    let database = session.database
    let user = try global.existingUser(database)
    let l = global.language
    let r = try session.context.imports.undo(id)
    print(
      l.pick(
        "Import \(id) undone: \(r.deleted) clients deleted, \(r.trashed) moved to the trash (used since), \(r.restored) restored, \(r.persons) contact persons removed",
        "Импорт \(id) отменён: удалено клиентов: \(r.deleted), в корзину (с ними уже работали): \(r.trashed), восстановлено: \(r.restored), удалено контактных лиц: \(r.persons)"
      ))
  }
}

struct ImportList: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: tr(
      "Client imports, newest first.",
      "Импорты клиентов, сначала новые."))
  @OptionGroup var global: Global
  @Flag(
    help: tr(
      "JSON instead of a table.",
      "JSON вместо таблицы.")) var json = false
  @Option(
    help: tr(
      "At most this many (default: 100 as text, every import with --json).",
      "Не больше стольких (по умолчанию 100 текстом, все импорты с --json)."))
  var limit: Int?

  func run(_ session: Session) throws {
    let l = global.language
    let batches = listShown(
      try session.context.imports.batches(limit: listLimit(limit, text: 100, machine: json)),
      limit: limit, text: 100, machine: json, language: l, paged: false)
    if json {
      printJSON(
        batches.map {
          [
            "id": $0.id, "at": JSONText.isoText($0.at), "user": $0.user, "format": $0.format,
            "file": $0.fileName, "on_duplicate": $0.onDuplicate, "rows": $0.rows,
            "created": $0.created, "updated": $0.updated, "duplicates": $0.duplicates,
            "rejected": $0.rejected,
            "undone_at": $0.undoneAt.map { JSONText.isoText($0) as Any } ?? NSNull(),
          ] as [String: Any]
        })
      return
    }
    let cols = [
      Col(width: 5, right: true), Col(width: 16), Col(width: 10), Col(width: 6), Col(width: 24),
      Col(width: 8, right: true), Col(width: 8, right: true), Col(width: 8, right: true),
      Col(width: 8, right: true), Col(width: 10),
    ]
    print(
      tableLine(
        [
          "№", l.pick("When", "Когда"), l.pick("User", "Кто"), l.pick("Format", "Формат"),
          l.pick("File", "Файл"), l.pick("New", "Новых"), l.pick("Updated", "Обновл."),
          l.pick("Dupl.", "Дублей"), l.pick("Rejected", "Откл."), "",
        ], cols))
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd HH:mm"
    for b in batches {
      print(
        tableLine(
          [
            String(b.id), f.string(from: b.at), b.user, b.format, b.fileName, String(b.created),
            String(b.updated), String(b.duplicates), String(b.rejected),
            b.undoneAt == nil ? "" : l.pick("undone", "отменён"),
          ], cols))
    }
  }
}

// MARK: crm export csv | vcard | json

struct ClientExportOptions: ParsableArguments {
  @Option(
    help: tr(
      "The file to write (replaced atomically).",
      "Файл, который записать (заменяется атомарно).")) var out: String
  @Option(
    help: tr(
      "Only clients of this segment.",
      "Только клиенты этого сегмента.")) var segment: String?
  @Option(
    help: tr(
      "Only clients of this owner (login).",
      "Только клиенты этого ответственного (логин).")) var owner: String?
  @Option(
    help: tr(
      "Only clients with this tag.",
      "Только клиенты с этим тегом.")) var tag: String?
  @Option(
    help: tr(
      "Only clients this search finds (as in the list).",
      "Только клиенты, которых находит этот поиск (как в списке).")) var search: String?
}

/// `export csv|vcard|json`: the selected clients written as `begin`, each client (with
/// `separator` between), `end`, atomically; the formats differ only in those pieces.
protocol ClientExportCommand: CRMCommand {
  var options: ClientExportOptions { get }
  static var begin: Data { get }
  static var end: Data { get }
  static var separator: Data { get }
  static func client(_ e: ExportedClient) -> Data
}

extension ClientExportCommand {
  static var separator: Data { Data() }

  func run(_ session: Session) throws {
    let o = options
    let l = global.language
    var query = ClientListQuery(search: o.search ?? "", segment: o.segment, tag: o.tag)
    if let owner = o.owner { query.ownerId = try global.existingUser(session.database, owner).id }
    let service = session.context.imports
    let ids = try service.exportIDs(query)
    var data = Self.begin
    var first = true
    var start = 0
    while start < ids.count {
      let slice = ids[start..<min(ids.count, start + 1000)]
      for e in try service.exported(slice) {
        if !first { data += Self.separator }
        first = false
        data += Self.client(e)
      }
      start += 1000
    }
    data += Self.end
    try writeAtomically(data, to: o.out, global)
    print(
      l.pick(
        "\(ids.count) clients written to \(o.out)", "Клиентов записано в \(o.out): \(ids.count)"))
  }
}

struct ExportClientsCSV: ClientExportCommand {
  static let configuration = CommandConfiguration(
    commandName: "csv",
    abstract: tr(
      "Clients as CSV (UTF-8 with BOM, ; between fields, Russian headers).",
      "Клиенты в CSV (UTF-8 с BOM, ; между полями, русские заголовки)."),
    discussion: tr(
      "One row per client with its first contact person; crm export json keeps all.",
      "Одна строка на клиента с первым контактным лицом; crm export json сохраняет всех."))
  @OptionGroup var global: Global
  @OptionGroup var options: ClientExportOptions

  static var begin: Data { ClientCSVWriter.begin() }
  static var end: Data { Data() }

  static func client(_ e: ExportedClient) -> Data {
    ClientCSVWriter.row(e.client, persons: e.persons, ownerLogin: e.ownerLogin)
  }
}

struct ExportClientsVCard: ClientExportCommand {
  static let configuration = CommandConfiguration(
    commandName: "vcard",
    abstract: tr(
      "Clients as vCard 4.0: one card per client.",
      "Клиенты в vCard 4.0: одна карточка на клиента."))
  @OptionGroup var global: Global
  @OptionGroup var options: ClientExportOptions

  static var begin: Data { Data() }
  static var end: Data { Data() }
  static func client(_ e: ExportedClient) -> Data { VCardWriter.card(e) }
}

struct ExportClientsJSON: ClientExportCommand {
  static let configuration = CommandConfiguration(
    commandName: "json",
    abstract: tr(
      "Clients in TermCRM's own JSON: every field, persons, owners (crm import json).",
      "Клиенты в собственном JSON TermCRM: все поля, лица, ответственные (crm import json)."))
  @OptionGroup var global: Global
  @OptionGroup var options: ClientExportOptions

  static var begin: Data { ClientJSON.fileBegin() }
  static var end: Data { Data("\n".utf8) + ClientJSON.fileEnd() }
  static var separator: Data { Data(",\n".utf8) }
  static func client(_ e: ExportedClient) -> Data { ClientJSON.fileObject(e) }
}
