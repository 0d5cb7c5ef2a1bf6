import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

extension Global {
  /// Reads a bank statement; any error names the file, line and key, and nothing is written.
  func statement(_ path: String) throws -> BankStatement {
    do {
      return try BankStatementReader.read(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw Failure(message: "\(path): \(error.message(language))", code: 1)
    }
  }
}

// MARK: crm import

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: tr(
      "Import data from files.",
      "Загрузка данных из файлов."),
    subcommands: [
      Bank.self, ImportCSV.self, ImportXLSX.self, ImportVCard.self, ImportJSON.self,
      ImportUndo.self,
      ImportList.self,
    ])

  struct Bank: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "bank",
      abstract: tr(
        "Import a bank statement (1CClientBankExchange 1.02/1.03; CP1251, CP866, UTF-8).",
        "Загрузить банковскую выписку (1CClientBankExchange 1.02/1.03; CP1251, CP866, UTF-8)."),
      discussion: tr(
        """
        Incoming payments become payments of the client whose ИНН (and КПП) is the payer's,
        allocated to the invoices and tied to the contract their purpose quotes; payers nobody
        recognises wait in the queue (crm payment queue). Outgoing documents and documents
        imported before are skipped: importing the same file twice adds nothing. One
        transaction; a file with an error imports nothing and names the line. Rules: docs/money.md.
        """,
        """
        Входящие платежи становятся платежами клиента, чей ИНН (и КПП) совпадает с плательщиком,
        разносятся по счетам и привязываются к договору, указанному в назначении; неузнанные
        плательщики ждут в очереди (crm payment queue). Исходящие документы и уже загруженные
        пропускаются: повторная загрузка того же файла ничего не добавляет. Одна транзакция; файл
        с ошибкой не загружается, а строка называется. Правила: docs/money.md.
        """))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The statement file (kl_to_1c.txt).",
        "Файл выписки (kl_to_1c.txt).")) var file: String
    @Flag(
      help: tr(
        "Show what would happen and change nothing.",
        "Показать, что произойдёт, и ничего не менять.")) var dryRun = false
    @Flag(
      help: tr(
        "JSON instead of a table.",
        "JSON вместо таблицы.")) var json = false

    func run(_ session: Session) throws {
      let database = session.database
      let user = try global.existingUser(database)
      let statement = try global.statement(file)
      let records = BankImport.records(statement)
      let l = global.language
      let report = try session.context.money.importBank(
        records, file: (file as NSString).lastPathComponent,
        encoding: statement.encoding.rawValue, dryRun: dryRun)
      let warnings = statement.warnings.map { $0.message(l) }
      if json {
        printJSON(
          BankJSON.importReport(report, encoding: statement.encoding.rawValue, warnings: warnings))
        return
      }
      for w in warnings { writeError(l.pick("warning: ", "предупреждение: ") + w) }
      let cols = [
        Col(width: 6, right: true), Col(width: 8), Col(width: 10), Col(width: 14, right: true),
        Col(width: 24), Col(width: 13),
      ]
      print(
        tableLine(
          [
            l.pick("Line", "Строка"), "№", l.pick("Date", "Дата"), l.pick("Amount", "Сумма"),
            l.pick("Payer", "Плательщик"), l.pick("Result", "Итог"),
          ], cols))
      for o in report.outcomes {
        print(
          tableLine(
            [
              String(o.line), o.number, OfferService.displayDay(o.date, l),
              Money(minor: o.amount).formatted(l), o.clientName ?? o.payerName,
              Self.resultName(o.result, l),
            ], cols))
        if !o.reason.isEmpty { print("       " + o.reason) }
      }
      let summary = l.pick(
        "\(report.outcomes.count) documents: \(report.created) created, \(report.matched) matched, \(report.queued) queued, \(report.skipped) skipped",
        "Документов: \(report.outcomes.count); создано: \(report.created), сопоставлено: \(report.matched), в очереди: \(report.queued), пропущено: \(report.skipped)"
      )
      print(
        summary
          + (dryRun
            ? l.pick(" (dry run: nothing changed)", " (пробный прогон: ничего не изменено)") : "")
      )
    }

    static func resultName(_ r: BankImportOutcome.Result, _ l: Language) -> String {
      switch r {
      case .created: return l.pick("created", "создан")
      case .matched: return l.pick("matched", "сопоставлен")
      case .queued: return l.pick("queued", "в очереди")
      case .skipped: return l.pick("skipped", "пропущен")
      }
    }
  }
}

// MARK: crm export acts / log

enum ActsFormat: String, ExpressibleByArgument, CaseIterable {
  case enterprisedata, csv
}

struct ExportActs: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "acts",
    abstract: tr(
      "Acts for 1C:Бухгалтерия: EnterpriseData XML (3.0) or CSV (8.2).",
      "Акты для 1С:Бухгалтерии: EnterpriseData XML (3.0) или CSV (8.2)."),
    discussion: tr(
      """
      Each act is exported once: acts already exported are left out unless --again. Cancelled
      acts are never exported. Our organisation comes from the settings company_name,
      company_inn, company_kpp. Every export is logged (crm export log).
      """,
      """
      Каждый акт выгружается один раз: уже выгруженные пропускаются, если нет --again. Отменённые
      акты не выгружаются никогда. Наша организация берётся из настроек company_name,
      company_inn, company_kpp. Каждая выгрузка записывается (crm export log).
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "enterprisedata or csv.",
      "enterprisedata или csv.")) var format: ActsFormat
  @Option(
    help: tr(
      "EnterpriseData version, e.g. 1.8 (default: the setting, else 1.8).",
      "Версия EnterpriseData, например 1.8 (по умолчанию: настройка, иначе 1.8)."))
  var formatVersion: String?
  @Option(
    help: tr(
      "The file to write (replaced atomically).",
      "Файл, который записать (заменяется атомарно).")) var out: String
  @Option(
    parsing: .unconditional,
    help: tr(
      "Acts dated from this day (included).",
      "Акты, датированные с этого дня (включительно).")) var from: String?
  @Option(
    parsing: .unconditional,
    help: tr(
      "Acts dated up to this day (included).",
      "Акты, датированные по этот день (включительно).")) var to: String?
  @Flag(
    help: tr(
      "Export acts exported before too.",
      "Выгрузить и уже выгруженные акты.")) var again = false

  func run(_ session: Session) throws {
    let database = session.database
    let user = try global.existingUser(database)
    let l = global.language
    let money = session.context.money
    let settings = try database.settings()
    let fromDay = try money.day(from ?? "", field: "period_from")
    let toDay = try money.day(to ?? "", field: "period_to")
    if !fromDay.isEmpty && !toDay.isEmpty && toDay < fromDay {
      throw Failure(
        message: l.pick("--to is before --from", "--to раньше, чем --from"), code: 1)
    }
    var version = EnterpriseDataVersion.defaultVersion
    if format == .enterprisedata {
      let wanted = formatVersion ?? settings.enterpriseDataVersion
      if !wanted.isEmpty {
        guard let v = EnterpriseDataVersion.named(wanted) else {
          let list = EnterpriseDataVersion.supported.map(\.version).joined(separator: ", ")
          throw Failure(
            message: l.pick(
              "--format-version: unknown version «\(wanted)»; supported: \(list)",
              "--format-version: неизвестная версия «\(wanted)»; поддерживаются: \(list)"), code: 1)
        }
        version = v
      }
      if settings.companyName.isEmpty || settings.companyINN.isEmpty {
        throw Failure(
          message: l.pick(
            "our organisation is not set: crm settings set company_name «…»; crm settings set company_inn …; crm settings set company_kpp …",
            "не задана наша организация: crm settings set company_name «…»; crm settings set company_inn …; crm settings set company_kpp …"
          ), code: 1)
      }
    }
    let acts = try money.acts(
      from: fromDay, to: toDay, notExported: !again, includeCancelled: false, limit: everyRow)
    if acts.isEmpty {
      print(
        l.pick(
          "No acts to export\(again ? "" : " (acts exported before need --again)"); nothing written.",
          "Актов для выгрузки нет\(again ? "" : " (выгруженные ранее — с --again)"); файл не записан."
        ))
      return
    }
    let org = ActParty(
      name: settings.companyName, inn: settings.companyINN, kpp: settings.companyKPP,
      isPerson: settings.companyINN.count == 12)
    let exports = acts.map { ActExport($0, organization: org) }
    let data: Data
    let formatName: String
    switch format {
    case .enterprisedata:
      try EnterpriseDataWriter.check(acts: exports, version: version, language: l)
      let previous = try money.exports(limit: 1).first?.id ?? 0
      let stamp = ISO8601DateFormatter.string(
        from: database.clock.now(), timeZone: .current,
        formatOptions: [
          .withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate,
        ])
      data = EnterpriseDataWriter.write(
        acts: exports, version: version, messageNo: Int(previous) + 1, createdAt: stamp,
        from: "TermCRM", to: settings.companyName)
      formatName = "enterprisedata-\(version.version)"
    case .csv:
      data = ActsCSV.write(acts: exports)
      formatName = "csv"
    }
    try writeAtomically(data, to: out, global)
    try money.recordExport(
      acts: acts, format: formatName, file: out, from: fromDay, to: toDay)
    print(
      l.pick(
        "\(acts.count) acts written to \(out) (\(formatName))",
        "Актов выгружено в \(out): \(acts.count) (\(formatName))"))
  }
}

struct ExportLog: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: tr(
      "Exports to accounting: what, when, which file.",
      "Выгрузки в бухгалтерию: что, когда, какой файл."))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "How many, newest first (default: 50 as text, every export with --json).",
      "Сколько, сначала новые (по умолчанию 50 текстом, все выгрузки с --json)."))
  var limit: Int?
  @Flag(
    help: tr(
      "JSON instead of a table.",
      "JSON вместо таблицы.")) var json = false

  func run(_ session: Session) throws {
    let rows = listShown(
      try session.context.money.exports(limit: listLimit(limit, text: 50, machine: json)),
      limit: limit, text: 50, machine: json, language: global.language, paged: false)
    let f = global.formats
    if json {
      printJSON(
        rows.map { r in
          [
            "id": r.id, "at": ISO8601DateFormatter().string(from: r.at), "user": r.userLogin,
            "what": r.what,
            "format": r.format, "file": r.file, "from": r.periodFrom, "to": r.periodTo,
            "items": r.items,
          ] as [String: Any]
        })
      return
    }
    for r in rows {
      print(
        "№\(r.id)  \(f.dateTime(r.at))  \(r.userLogin)  \(r.what) ×\(r.items)  \(r.format)  \(r.file)"
      )
    }
  }
}

// MARK: crm report reconcile

struct Reconcile: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "reconcile",
    abstract: tr(
      "Reconcile the CRM with accounting: payments against a bank statement, acts.",
      "Сверка CRM с бухгалтерией: платежи с банковской выпиской, акты."),
    discussion: tr(
      """
      Payments of the statement's period are compared with its incoming documents: matched,
      only in the CRM, only in accounting, amount differs, date differs. Acts of the period are
      compared with --acts (an EnterpriseData file exported from 1C) or, without it, with what
      was exported. Management-only cash is listed apart and never compared. Rules: docs/money.md.
      """,
      """
      Платежи периода выписки сравниваются с её входящими документами: совпало, только в CRM,
      только в бухгалтерии, разная сумма, разная дата. Акты периода сравниваются с --acts (файл
      EnterpriseData, выгруженный из 1С) или, без него, с тем, что было выгружено. Управленческие
      наличные показываются отдельно и не сравниваются. Правила: docs/money.md.
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "The bank statement file (1CClientBankExchange).",
      "Файл банковской выписки (1CClientBankExchange).")) var bank: String
  @Option(
    help: tr(
      "Acts as accounting has them (EnterpriseData XML).",
      "Акты, как они есть в бухгалтерии (EnterpriseData XML).")) var acts: String?
  @Option(
    parsing: .unconditional,
    help: tr(
      "From this day (default: the statement's start).",
      "С этого дня (по умолчанию: начало выписки)."))
  var from: String?
  @Option(
    parsing: .unconditional,
    help: tr(
      "To this day (default: the statement's end).",
      "По этот день (по умолчанию: конец выписки)."))
  var to: String?
  @Flag(
    help: tr(
      "JSON instead of a table.",
      "JSON вместо таблицы.")) var json = false
  @Flag(
    help: tr(
      "CSV (RFC 4180, UTF-8, a header row) instead of a table.",
      "CSV (RFC 4180, UTF-8, строка заголовка) вместо таблицы.")) var csv = false

  func validate() throws {
    if json && csv {
      throw ValidationError(
        tr("--json and --csv exclude each other", "--json и --csv несовместимы"))
    }
  }

  func run(_ session: Session) throws {
    let l = global.language
    let money = session.context.money
    let statement = try global.statement(bank)
    var accountingActs: [AccountingAct]?
    if let acts {
      let data: Data
      do { data = try Data(contentsOf: URL(fileURLWithPath: acts)) } catch {
        throw Failure(
          message: l.pick("cannot read \(acts)", "не удаётся прочитать \(acts)"), code: 1)
      }
      do {
        accountingActs = try EnterpriseDataReader.read(data).map {
          AccountingAct(
            number: $0.number, date: $0.date, inn: $0.counterpartyINN, name: $0.counterpartyName,
            total: $0.total)
        }
      } catch {
        throw Failure(message: "\(acts): \(error.message(l))", code: 1)
      }
    }
    let period = BankImport.period(statement)
    let fromDay = try money.day(from ?? period?.from ?? "", field: "period_from")
    let toDay = try money.day(to ?? period?.to ?? "", field: "period_to")
    if fromDay.isEmpty || toDay.isEmpty {
      throw Failure(
        message: l.pick(
          "the statement names no period; give --from and --to",
          "в выписке нет периода; укажите --from и --to"), code: 1)
    }
    let report = try money.reconcile(
      bank: BankImport.accountingPayments(statement), from: fromDay, to: toDay,
      accounts: statement.ourAccounts, accountingActs: accountingActs)
    if json {
      printJSON(BankJSON.reconciliation(report))
      return
    }
    if csv {
      print(BankJSON.reconciliationCSV(report), terminator: "")
      return
    }
    print(
      l.pick("Reconciliation ", "Сверка ") + OfferService.displayDay(fromDay, l) + " – "
        + OfferService.displayDay(toDay, l))
    for k in ReconciliationRow.Kind.allCases {
      let p = report.count(k, .payment)
      let a = report.count(k, .act)
      if p + a > 0 {
        print(
          "  \(TextWidth.fit(k.name(l), to: 20))"
            + l.pick(" payments: \(p), acts: \(a)", " платежей: \(p), актов: \(a)"))
      }
    }
    let cols = [
      Col(width: 15), Col(width: 6), Col(width: 20), Col(width: 8), Col(width: 10),
      Col(width: 13, right: true), Col(width: 13, right: true),
    ]
    let differences = report.rows.filter { $0.kind != .matched }
    if !differences.isEmpty {
      print("")
      print(
        tableLine(
          [
            l.pick("Result", "Итог"), l.pick("Doc", "Док."), l.pick("Client", "Клиент"), "№",
            l.pick("Date", "Дата"), "CRM", l.pick("Accounting", "Учёт"),
          ], cols))
      for r in differences {
        let day = r.crmDate ?? r.accountingDate ?? ""
        print(
          tableLine(
            [
              r.kind.name(l),
              r.document == .payment ? l.pick("pay", "плат.") : l.pick("act", "акт"),
              r.clientName, r.number, OfferService.displayDay(day, l),
              r.crmAmount.map { Money(minor: $0).formatted(l) } ?? "—",
              r.accountingAmount.map { Money(minor: $0).formatted(l) } ?? "—",
            ], cols))
        var details: [String] = []
        if r.kind == .dateDiffers, let a = r.accountingDate, let c = r.crmDate {
          details.append(
            l.pick("accounting: ", "в учёте: ") + OfferService.displayDay(a, l) + ", CRM: "
              + OfferService.displayDay(c, l))
        }
        if let line = r.line { details.append(l.pick("line \(line)", "строка \(line)")) }
        if !r.note.isEmpty { details.append(r.note) }
        if !details.isEmpty { print("    " + details.joined(separator: "; ")) }
      }
    }
    let off = report.clients.filter { $0.differences > 0 }
    if !off.isEmpty {
      print("")
      print(l.pick("By client (payments):", "По клиентам (платежи):"))
      for c in off {
        print(
          "  \(TextWidth.fit(c.name, to: 28)) \(TextWidth.fit(c.inn, to: 12)) CRM \(Money(minor: c.crm).formatted(l)), "
            + l.pick("accounting ", "учёт ") + Money(minor: c.accounting).formatted(l)
            + l.pick(", difference ", ", разница ") + Money(minor: c.difference).formatted(l))
      }
    }
    print("")
    print(
      l.pick(
        "Cash through accounting (not on the statement): ", "Наличные через учёт (не в выписке): ")
        + Money(minor: report.accountedCash).formatted(l))
    print(
      l.pick("Management-only cash (never compared): ", "Управленческие наличные (не сверяются): ")
        + Money(minor: report.managementOnlyTotal).formatted(l)
        + " (\(report.managementOnly.count))")
    print(
      report.agrees
        ? l.pick("Both sides agree.", "Стороны сходятся.")
        : l.pick(
          "Differences: \(differences.count).", "Расхождений: \(differences.count)."))
  }
}
