import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: Shared helpers

extension Global {
  func moneyService(_ database: CRMDatabase, user: User?) -> MoneyService {
    MoneyService(ServiceContext(db: database, language: language, timeZone: .current))
  }

  /// The database and the money service acting as `--user` (created on first use), for
  /// commands that write; a read-only database is an environment error.
  func writingMoney() throws -> (CRMDatabase, MoneyService) {
    let database = try core(self) { try open() }
    let ctx = try core(self) { try context(database) }
    guard let me = ctx.user else { throw fail(.readOnly(path: database.path), self) }
    return (database, moneyService(database, user: me))
  }

  /// The database and a money service for reading.
  func readingMoney() throws -> (CRMDatabase, MoneyService) {
    let database = try core(self) { try open() }
    return (database, moneyService(database, user: nil))
  }
}

/// Reads the money fields typed on the command line; every error names the field as the core
/// does («Сумма: …», «Курс: …») and exits 1 before anything is written.
struct MoneyInput {
  let global: Global
  let service: MoneyService

  var l: Language { global.language }

  func failure(_ key: String, _ en: String, _ ru: String) -> Failure {
    Failure(message: "\(service.fieldName(key)): " + l.pick(en, ru), code: 1)
  }

  /// An ISO 4217 code this build knows.
  func currency(_ text: String) throws -> Currency {
    try core(global) {
      try Currency.parse(text, language: l, field: service.fieldName("currency"))
    }
  }

  /// An amount as people type it (`120000`, `120 000,00`, `1 000,50 ₽`), never negative;
  /// `positive` refuses zero too.
  func sum(_ text: String, _ c: Currency, key: String = "sum", positive: Bool = true) throws
    -> Money
  {
    let m = try core(global) {
      try Money.parse(text, currency: c, language: l, field: service.fieldName(key))
    }
    if positive && m.minor == 0 {
      throw failure(key, "must be more than zero", "должна быть больше нуля")
    }
    return m
  }

  /// Roubles per unit of a foreign currency; refused for roubles.
  func rate(_ text: String, currency: Currency) throws -> Decimal? {
    let r = try core(global) {
      try MoneyService.parseRate(text, language: l, field: service.fieldName("rate"))
    }
    if r != nil && currency.code == "RUB" {
      throw failure(
        "rate", "a rate is for a foreign currency, not roubles; set --currency",
        "курс указывают для валюты, а не для рублей; укажите --currency")
    }
    return r
  }

  /// A whole percent: `30`, `30%`, `30 %` (the core checks 0–100).
  func percent(_ text: String, key: String) throws -> Int {
    let t = text.replacingOccurrences(of: "%", with: "").trimmingSpaces()
    guard let p = Int(t) else {
      throw failure(
        key, "«\(text)»: type a whole number of percent from 0 to 100",
        "«\(text)»: укажите целое число процентов от 0 до 100")
    }
    return p
  }

  /// A whole number of days (the core checks the range).
  func days(_ text: String, key: String) throws -> Int {
    guard let d = Int(text.trimmingSpaces()) else {
      throw failure(
        key, "«\(text)»: type a whole number of days, e.g. 10",
        "«\(text)»: укажите целое число дней, например 10")
    }
    return d
  }

  /// A day typed as `31.12.2026`, `2026-12-31`, `+14d`, `завтра` → `YYYY-MM-DD`; empty stays
  /// empty.
  func day(_ text: String, key: String) throws -> String {
    try core(global) { try service.day(text, field: key) }
  }

  /// The lines of an invoice or an act: one line of quantity 1 at `sum` (named `item`, at
  /// `vat`), or lines `ITEM|QTY|PRICE[|VAT[|UNIT]]`; none when neither is given.
  func lines(sum: String?, item: String?, vat: String?, specs: [String], currency: Currency)
    throws -> [OfferLineInput]
  {
    if sum != nil && !specs.isEmpty {
      throw failure(
        "sum", "give --sum or --line, not both", "укажите либо --sum, либо --line, но не оба")
    }
    if let sum {
      let m = try self.sum(sum, currency)
      return [DocumentDraft.sumLine(m.plain, item: item ?? "", vat: vat)]
    }
    return try specs.enumerated().map { i, spec in
      let parts = spec.split(separator: "|", omittingEmptySubsequences: false).map {
        String($0).trimmingSpaces()
      }
      guard (3...5).contains(parts.count), !parts[0].isEmpty else {
        throw Failure(
          message: "\(service.fieldName("line")) \(i + 1): "
            + l.pick(
              "«\(spec)»: write it as ITEM|QTY|PRICE, optionally |VAT|UNIT, e.g. \"Монтаж|2|1500|22|шт\"",
              "«\(spec)»: укажите как НАИМЕНОВАНИЕ|КОЛ-ВО|ЦЕНА и, если нужно, |НДС|ЕД., например \"Монтаж|2|1500|22|шт\""
            ), code: 1)
      }
      let lineVAT = parts.count > 3 && !parts[3].isEmpty ? parts[3] : vat
      return OfferLineInput(
        item: parts[0], unit: parts.count > 4 ? parts[4] : "", quantity: parts[1],
        price: parts[2], vat: lineVAT)
    }
  }
}

/// The invoice with this id, or exit 1 naming it.
func loadInvoice(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> InvoiceDetail {
  guard let d = try core(g, { try s.invoice(id) }) else {
    throw fail(.notFound(what: g.language.pick("invoice", "счёт"), id: id), g)
  }
  return d
}

func loadContract(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> ContractRow {
  guard let r = try core(g, { try s.contract(id) }) else {
    throw fail(.notFound(what: g.language.pick("contract", "договор"), id: id), g)
  }
  return r
}

func loadAct(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> ActDetail {
  guard let d = try core(g, { try s.act(id) }) else {
    throw fail(.notFound(what: g.language.pick("act", "акт"), id: id), g)
  }
  return d
}

func loadPayment(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> MoneyService.PaymentRow {
  guard let r = try core(g, { try s.payment(id) }) else {
    throw fail(.notFound(what: g.language.pick("payment", "платёж"), id: id), g)
  }
  return r
}

/// A plain-text table: the header, then a line per row, each cut or padded to its column.
func tableText(_ header: [String], _ rows: [[String]], _ cols: [Col]) -> String {
  ([header] + rows).map { tableLine($0, cols) }.joined(separator: "\n")
}

/// What `crm invoice print` and `crm act print` take: the id, `--html` and `--out`.
struct PrintOptions: ParsableArguments {
  @OptionGroup var global: Global
  @Argument(help: "Id of the document.") var id: Int64
  @Flag(help: "A standalone HTML page with print styles instead of text.") var html = false
  @Option(help: "Write to this file (replaced atomically) instead of standard output.")
  var out: String?

  /// Renders the document `load` reads with our company's requisites (the settings), as text
  /// or HTML, and prints it or writes it to `--out`.
  func output<D>(
    _ load: (MoneyService, Int64, Global) throws -> D,
    _ render: (D, _ html: Bool, CompanyRequisites, Language) -> String
  ) throws {
    let (database, service) = try global.readingMoney()
    let d = try load(service, id, global)
    let company = CompanyRequisites(try core(global) { try database.settings() })
    try emit(render(d, html, company, global.language), out: out, global)
  }
}

/// Changes a document through `change`, then prints what `done` says of it.
func change<D>(
  _ g: Global, _ change: (MoneyService) throws -> Void, load: (MoneyService) throws -> D,
  done: (D) -> String
) throws {
  let (_, service) = try g.writingMoney()
  try core(g) { try change(service) }
  print(done(try load(service)))
}

/// An amount for a table column: with kopecks when it fits, else whole units, else `12,5 млн ₽`.
func moneyCell(_ m: Money, width: Int, _ l: Language) -> String {
  let full = m.formatted(l)
  return TextWidth.of(full) <= width ? full : amountCell(m, width: width, l)
}

/// `23.11.2026` (ru) / `2026-11-23` (en); empty stays empty.
func shownDay(_ iso: String, _ l: Language) -> String { OfferService.displayDay(iso, l) }

/// `Label: value` lines of a `show`, the empty values left out.
func fieldLines(_ pairs: [(String, String)]) -> [String] {
  pairs.filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1)" }
}

/// `№ 7/25 от 01.06.2026`.
func documentName(_ number: String, _ date: String?, _ l: Language) -> String {
  guard let date, !date.isEmpty else { return "№ \(number)" }
  return l.pick("No. \(number) of \(shownDay(date, l))", "№ \(number) от \(shownDay(date, l))")
}

/// The rate as typed back: `92,5012` (ru) / `92.5012` (en).
func rateText(_ r: Decimal?, _ l: Language) -> String {
  guard let r else { return "" }
  let s = NSDecimalNumber(decimal: r).stringValue
  return l == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
}

extension ContractStatus {
  /// A status by its key or its name in either language.
  static func parse(_ text: String, _ g: Global, field: String) throws -> ContractStatus {
    let key = TextFold.key(text.trimmingSpaces())
    if let s = allCases.first(where: {
      $0.rawValue == key || TextFold.key($0.name(.ru)) == key || TextFold.key($0.name(.en)) == key
    }) {
      return s
    }
    let names = allCases.map { "\($0.rawValue) (\($0.name(g.language)))" }.joined(separator: ", ")
    throw Failure(
      message: "\(field): "
        + g.language.pick("«\(text)»: use one of \(names)", "«\(text)»: укажите одно из: \(names)"),
      code: 1)
  }
}

// MARK: crm contract

struct ContractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contract",
    abstract: "Contracts with clients: sum, currency, prepayment, payment terms; their money.",
    subcommands: [Add.self, Show.self, List.self, Edit.self])

  /// Fields a contract is added or changed with.
  struct Fields: ParsableArguments {
    @Option(help: "formal (written) or actual (work on invoices without a paper).")
    var kind: String?
    @Option(help: "ISO 4217 code (default: RUB).") var currency: String?
    @Option(parsing: .unconditional, help: "Roubles per unit of the currency: 92.5012.")
    var rate: String?
    @Option(parsing: .unconditional, help: "Prepayment in % (0–100).") var prepay: String?
    @Option(help: "Date: 01.06.2026, 2026-06-01 (default: today).") var date: String?
    @Option(help: "What the contract is for; acts name their lines after it.") var subject: String?
    @Option(
      parsing: .unconditional,
      help: "Payment terms: an invoice on it is due N days after its date.")
    var termsDays: String?
    @Option(help: "Terms in words.") var terms: String?
    @Option(help: "Valid until: 31.12.2026 (empty clears it).") var validUntil: String?
    @Option(help: "Deal id (of the same client).") var deal: Int64?
    @Flag(help: "Priced in the currency, paid in roubles at the rate of the payment day (у. е.).")
    var conventionalUnits = false
    @Option var notes: String?

    func apply(to c: inout Contract, _ input: MoneyInput, sum: String?) throws {
      let s = input.service
      let cur = try currency.map(input.currency) ?? c.money
      if let sum {
        c.amount = try input.sum(sum, cur, positive: false).minor
      } else if cur.code != c.currency {
        c.amount = try input.sum(
          Money(minor: c.amount, currency: c.money).plain, cur, positive: false
        )
        .minor
      }
      c.currency = cur.code
      if let kind {
        c.kind = try core(input.global) {
          try ContractKind.parse(kind, language: input.l, field: s.fieldName("kind"))
        }
      }
      if let rate { c.rate = try input.rate(rate, currency: cur) }
      if let prepay { c.prepayPercent = try input.percent(prepay, key: "prepay") }
      if let date { c.date = date }
      if let subject { c.subject = subject }
      if let termsDays {
        c.paymentDays =
          termsDays.trimmingSpaces().isEmpty ? nil : try input.days(termsDays, key: "payment_days")
      }
      if let terms { c.terms = terms }
      if let validUntil { c.validUntil = validUntil }
      if let deal { c.dealId = deal }
      if conventionalUnits { c.conventionalUnits = true }
      if let notes { c.notes = notes }
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a contract; prints its id.")
    @OptionGroup var global: Global
    @Option(help: "Client id.") var client: Int64
    @Option(help: "Number, unique for the client: 7/25.") var number: String
    @Option(parsing: .unconditional, help: "Sum: 500000, \"500 000,00\" (0 for none).")
    var sum: String
    @OptionGroup var fields: Fields

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      var c = Contract(clientId: client, number: number)
      try fields.apply(to: &c, input, sum: sum)
      let id = try core(global) { try service.addContract(c) }
      print(id)
    }
  }

  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: "Change a contract's fields, or close or cancel it (--status).")
    @OptionGroup var global: Global
    @Argument(help: "Contract id.") var id: Int64
    @Option var number: String?
    @Option(parsing: .unconditional, help: "Sum.") var sum: String?
    @Option(help: "draft, active, closed or cancelled.") var status: String?
    @Flag(help: "Settled in roubles after all (clears --conventional-units).")
    var noConventionalUnits = false
    @OptionGroup var fields: Fields

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      var c = try loadContract(service, id, global).contract
      try fields.apply(to: &c, input, sum: sum)
      if let number { c.number = number }
      if let status { c.status = try ContractStatus.parse(status, global, field: "--status") }
      if noConventionalUnits { c.conventionalUnits = false }
      try core(global) { try service.updateContract(c) }
      let l = global.language
      print(
        l.pick(
          "Contract No. \(c.number) (№\(id)) changed.", "Договор № \(c.number) (№\(id)) изменён."))
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a contract: every field, its money and its invoices.")
    @OptionGroup var global: Global
    @Argument(help: "Contract id.") var id: Int64
    @Flag var json = false

    func run() throws {
      let (_, service) = try global.readingMoney()
      let r = try loadContract(service, id, global)
      let invoices = try core(global) {
        try service.invoices(MoneyService.InvoiceFilter(contractId: id), limit: 10_000)
      }
      if json {
        var o = MoneyJSON.contract(r)
        o["invoices"] = invoices.map { MoneyJSON.invoice($0, today: service.today) }
        printJSON(o)
        return
      }
      print(contractText(r, invoices: invoices, service, global.language))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List contracts, newest first.")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Option var limit = 100
    @Option var offset = 0
    @Flag var json = false

    func run() throws {
      guard limit >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
      let (_, service) = try global.readingMoney()
      let rows = try core(global) {
        try service.contracts(clientId: client, limit: limit, offset: offset)
      }
      let l = global.language
      if json {
        printJSON(rows.map(MoneyJSON.contract))
      } else if rows.isEmpty {
        print(l.pick("No contracts.", "Договоров нет."))
      } else {
        print(contractTable(rows, l))
      }
    }
  }
}

/// Columns of `crm contract list`: 78 wide in all.
let contractColumns = [
  Col(width: 5, right: true), Col(width: 10), Col(width: 10), Col(width: 13),
  Col(width: 12, right: true), Col(width: 12, right: true), Col(width: 10),
]

func contractTable(_ rows: [ContractRow], _ l: Language) -> String {
  tableText(
    [
      "№", l.pick("Number", "Номер"), l.pick("Date", "Дата"), l.pick("Client", "Клиент"),
      l.pick("Sum", "Сумма"), l.pick("Owed", "Долг"), l.pick("Status", "Статус"),
    ],
    rows.map { r in
      let k = r.contract
      return [
        String(r.id), k.number, shownDay(k.date, l), r.clientName,
        moneyCell(Money(minor: k.amount, currency: k.money), width: 12, l),
        moneyCell(r.summary.money(r.summary.owed), width: 12, l), k.status.name(l),
      ]
    }, contractColumns)
}

func contractText(
  _ r: ContractRow, invoices: [InvoiceRow], _ s: MoneyService, _ l: Language
) -> String {
  let k = r.contract
  let sum = r.summary
  let money = { (minor: Int64) in sum.money(minor).formatted(l) }
  var lines = [
    l.pick("Contract", "Договор") + " " + documentName(k.number, k.date, l)
      + " (№\(r.id)), \(k.status.name(l))"
  ]
  var pairs: [(String, String)] = [
    (s.fieldName("client"), "\(r.clientName) (№\(k.clientId))"),
    (s.fieldName("kind"), k.kind.name(l)), (s.fieldName("subject"), k.subject),
    (s.fieldName("amount"), money(k.amount)),
    (s.fieldName("currency"), k.currency == "RUB" ? "" : k.currency),
    (s.fieldName("rate"), rateText(k.rate, l)),
    (s.fieldName("conventional_units"), k.conventionalUnits ? l.pick("yes", "да") : ""),
    (s.fieldName("prepay"), k.prepayPercent == 0 ? "" : "\(k.prepayPercent)\u{00A0}%"),
    (
      s.fieldName("payment_days"),
      k.paymentDays.map { l.pick("\($0) days after the invoice", "\($0) дн. после счёта") } ?? ""
    ),
    (s.fieldName("terms"), k.terms), (s.fieldName("valid_until"), shownDay(k.validUntil, l)),
    (s.fieldName("deal"), k.dealId.map { "№\($0)" } ?? ""), (s.fieldName("notes"), k.notes),
  ]
  pairs += [
    (l.pick("Invoiced", "Выставлено"), money(sum.invoiced)),
    (l.pick("Paid", "Оплачено"), money(sum.paid)),
    (l.pick("Balance (owed)", "Сальдо (долг)"), money(sum.owed)),
    (l.pick("Overdue", "Просрочено"), money(sum.overdue)),
    (l.pick("To invoice", "Осталось выставить"), money(r.toInvoice)),
    (l.pick("Acted", "По актам"), money(sum.acted)),
  ]
  if sum.unallocated != 0 {
    pairs.append((l.pick("Not allocated", "Не распределено"), money(sum.unallocated)))
  }
  if sum.managementOnly != 0 {
    pairs.append(
      (l.pick("Of it management-only cash", "Из них вне учёта"), money(sum.managementOnly)))
  }
  lines += fieldLines(pairs)
  if !invoices.isEmpty {
    lines.append("")
    lines.append(l.pick("Invoices:", "Счета:"))
    lines.append(invoiceTable(invoices, today: s.today, l))
  }
  return lines.joined(separator: "\n")
}

// MARK: crm invoice

struct InvoiceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "invoice",
    abstract: "Invoices on contracts or to clients: add, issue, cancel, list, show, print.",
    subcommands: [
      Add.self, Issue.self, Cancel.self, Edit.self, Show.self, List.self, Print.self,
    ])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add an invoice (issued, or --draft); prints its id.",
      discussion: "Its number, date, sum and due day go to standard error.")
    @OptionGroup var global: Global
    @Option(help: "Contract id: client, currency and payment terms come from it.")
    var contract: Int64?
    @Option(help: "Client id (an invoice without a contract).") var client: Int64?
    @Option(parsing: .unconditional, help: "Sum to pay: one line of quantity 1.") var sum: String?
    @Option(help: "Name of that line (default: «Оплата по договору № … от …»).") var item: String?
    @Option(
      parsing: .unconditional,
      help: "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the rate in force on the date).")
    var vat: String?
    @Option(help: "A line ITEM|QTY|PRICE[|VAT[|UNIT]] instead of --sum; repeat for several.")
    var line: [String] = []
    @Option(help: "Number (default: the next one of the year).") var number: String?
    @Option(help: "Date: 10.06.2026, 2026-06-10 (default: today).") var date: String?
    @Option(help: "Due day (default: the contract's terms, or invoice_due_days).") var due: String?
    @Option(help: "Deal id: the deal moves to «Счёт выставлен».") var deal: Int64?
    @Option(help: "ISO 4217 code (default: the contract's, or RUB).") var currency: String?
    @Option(parsing: .unconditional, help: "Roubles per unit of the currency.") var rate: String?
    @Flag(help: "Keep it a draft: not owed until crm invoice issue.") var draft = false
    @Flag(help: "Prices exclude VAT; VAT is added on top.") var vatOnTop = false
    @Option var notes: String?

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      if sum == nil && line.isEmpty {
        throw input.failure(
          "sum", "is missing; give --sum or --line", "не указана; укажите --sum или --line")
      }
      let k = try contract.map { try loadContract(service, $0, global).contract }
      let cur = try input.currency(currency ?? k?.currency ?? "RUB")
      if let rate { _ = try input.rate(rate, currency: cur) }
      let lines = try input.lines(sum: sum, item: item, vat: vat, specs: line, currency: cur)
      let d = DocumentDraft(
        clientId: client, contractId: contract, dealId: deal, number: number ?? "",
        date: date ?? "", due: due ?? "", currency: currency == nil ? nil : cur.code,
        rate: rate ?? "", pricesIncludeVAT: !vatOnTop, draft: draft, lines: lines,
        notes: notes ?? "")
      let id = try core(global) { try service.addInvoice(d) }
      print(id)
      let i = try loadInvoice(service, id, global).invoice
      let l = global.language
      writeError(
        l.pick("Invoice ", "Счёт ") + documentName(i.number, i.date, l) + ": "
          + Money(minor: i.total, currency: i.money).formatted(l)
          + (i.dueDate.isEmpty ? "" : l.pick(", due ", ", оплатить до ") + shownDay(i.dueDate, l))
          + (draft ? l.pick(" (draft)", " (черновик)") : ""))
    }
  }

  struct Issue: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "issue",
      abstract: "Issue a draft invoice: it is owed from now on.")
    @OptionGroup var global: Global
    @Argument(help: "Invoice id.") var id: Int64

    func run() throws {
      try change(
        global, { try $0.issueInvoice(id) }, load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) issued.", "Счёт № \($0.invoice.number) выставлен.")
        })
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: "Cancel an invoice (refused while payments are allocated to it).")
    @OptionGroup var global: Global
    @Argument(help: "Invoice id.") var id: Int64

    func run() throws {
      try change(
        global, { try $0.cancelInvoice(id) }, load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) cancelled.", "Счёт № \($0.invoice.number) отменён.")
        })
    }
  }

  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: "Change an invoice's number, date, due day or notes.")
    @OptionGroup var global: Global
    @Argument(help: "Invoice id.") var id: Int64
    @Option var number: String?
    @Option var date: String?
    @Option(help: "Due day (empty: never overdue).") var due: String?
    @Option var notes: String?

    func run() throws {
      try change(
        global, { try $0.updateInvoice(id, number: number, date: date, due: due, notes: notes) },
        load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) changed.", "Счёт № \($0.invoice.number) изменён.")
        })
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show an invoice: fields, lines with VAT, totals and the payments on it.")
    @OptionGroup var global: Global
    @Argument(help: "Invoice id.") var id: Int64
    @Flag var json = false

    func run() throws {
      let (_, service) = try global.readingMoney()
      let d = try loadInvoice(service, id, global)
      if json {
        printJSON(MoneyJSON.invoice(d, today: service.today))
      } else {
        print(invoiceText(d, service, global.language))
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List invoices, newest first (--overdue: the longest overdue first).")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Option(help: "Only on this contract.") var contract: Int64?
    @Option(help: "Only on this deal.") var deal: Int64?
    @Flag(help: "Only issued invoices with something still to pay.") var unpaid = false
    @Flag(help: "Only unpaid invoices past their due day.") var overdue = false
    @Flag(help: "Only invoices of your clients.") var mine = false
    @Option var limit = 100
    @Option var offset = 0
    @Flag var json = false

    func run() throws {
      guard limit >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
      let (database, service) = try global.readingMoney()
      var f = MoneyService.InvoiceFilter(
        clientId: client, contractId: contract, dealId: deal, unpaidOnly: unpaid,
        overdueOnly: overdue)
      if mine { f.ownerId = try global.existingUser(database).id }
      let rows = try core(global) { try service.invoices(f, limit: limit, offset: offset) }
      let l = global.language
      if json {
        printJSON(rows.map { MoneyJSON.invoice($0, today: service.today) })
      } else if rows.isEmpty {
        print(l.pick("No invoices.", "Счетов нет."))
      } else {
        print(invoiceTable(rows, today: service.today, l))
      }
    }
  }

  struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: "Print an invoice («Счёт на оплату») as text (80 columns) or an HTML page.",
      discussion:
        "The supplier is your company: crm settings set company_name / company_inn / company_kpp."
    )
    @OptionGroup var options: PrintOptions

    func run() throws { try options.output(loadInvoice, InvoiceDocument.render) }
  }
}

/// Columns of `crm invoice list`: 78 wide in all.
let invoiceColumns = [
  Col(width: 5, right: true), Col(width: 6), Col(width: 10), Col(width: 11),
  Col(width: 12, right: true), Col(width: 12, right: true), Col(width: 16),
]

func invoiceTable(_ rows: [InvoiceRow], today: String, _ l: Language) -> String {
  tableText(
    [
      "№", l.pick("Number", "Номер"), l.pick("Date", "Дата"), l.pick("Client", "Клиент"),
      l.pick("Total", "Сумма"), l.pick("Owed", "Долг"), l.pick("Status", "Статус"),
    ],
    rows.map { r in
      let i = r.invoice
      return [
        String(r.id), i.number, shownDay(i.date, l), r.clientName,
        moneyCell(Money(minor: i.total, currency: i.money), width: 12, l),
        moneyCell(Money(minor: i.owed, currency: i.money), width: 12, l),
        i.status(today: today).name(l),
      ]
    }, invoiceColumns)
}

func invoiceText(_ d: InvoiceDetail, _ s: MoneyService, _ l: Language) -> String {
  let i = d.invoice
  let money = { (minor: Int64) in Money(minor: minor, currency: i.money).formatted(l) }
  var lines = [
    l.pick("Invoice ", "Счёт ") + documentName(i.number, i.date, l)
      + " (№\(d.id)), \(i.status(today: s.today).name(l))"
  ]
  var client = "\(d.clientName) (№\(i.clientId))"
  if !d.clientINN.isEmpty { client += l.pick(", INN ", ", ИНН ") + d.clientINN }
  if !d.clientKPP.isEmpty { client += l.pick(", KPP ", ", КПП ") + d.clientKPP }
  lines += fieldLines([
    (s.fieldName("client"), client),
    (
      s.fieldName("contract"),
      d.contractNumber.map { documentName($0, d.contractDate, l) + " (№\(i.contractId ?? 0))" }
        ?? ""
    ),
    (s.fieldName("deal"), i.dealId.map { "№\($0)" } ?? ""),
    (s.fieldName("due"), shownDay(i.dueDate, l)),
    (s.fieldName("currency"), i.currency == "RUB" ? "" : i.currency),
    (s.fieldName("rate"), rateText(i.rate, l)),
    (
      l.pick("Prices", "Цены"),
      i.pricesIncludeVAT
        ? l.pick("include VAT", "с НДС") : l.pick("VAT on top", "без НДС, НДС сверху")
    ),
    (s.fieldName("notes"), i.notes),
  ])
  for line in d.lines { lines.append(documentLine(line, d.totals, l)) }
  lines.append(documentTotals(d.totals, l))
  var paid =
    l.pick("Paid", "Оплачено") + ": \(money(i.paid)); " + l.pick("owed", "долг") + ": "
    + money(i.owed)
  if i.overpaid > 0 { paid += "; " + l.pick("overpaid", "переплата") + ": " + money(i.overpaid) }
  lines.append(paid)
  if !d.allocations.isEmpty {
    lines.append(l.pick("Payments:", "Оплаты:"))
    for a in d.allocations {
      lines.append(
        "  " + l.pick("payment", "платёж") + " №\(a.paymentId) " + l.pick("of ", "от ")
          + shownDay(a.date, l) + ", " + sourceName(a.source, managementOnly: false, l)
          + (a.number.isEmpty ? "" : ", № \(a.number)") + ": " + money(a.amount))
    }
  }
  return lines.joined(separator: "\n")
}

// MARK: crm money

struct MoneyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "money",
    abstract: "A client's money per currency: contracted, invoiced, paid, owed, overdue, acted.")
  @OptionGroup var global: Global
  @Argument(help: "Client id.") var client: Int64
  @Flag var json = false

  func run() throws {
    let (database, service) = try global.readingMoney()
    let l = global.language
    let clients = ClientService(ServiceContext(db: database, language: l))
    guard let c = try core(global, { try clients.client(client) }) else {
      throw fail(.notFound(what: l.pick("client", "клиент"), id: client), global)
    }
    let summaries = try core(global) { try service.summary(clientId: client) }
    if json {
      printJSON([
        "client_id": client, "client": c.displayName,
        "currencies": summaries.map(MoneyJSON.summary),
      ])
      return
    }
    print("\(c.displayName) (№\(client))")
    if summaries.isEmpty {
      print(
        l.pick("No contracts, invoices, payments or acts.", "Договоров, счетов, оплат и актов нет.")
      )
      return
    }
    print(moneyTable(summaries, l))
  }
}

/// The money of a client: a row per measure, a column per currency (three at a time).
func moneyTable(_ summaries: [MoneySummary], _ l: Language) -> String {
  let rows: [(String, (MoneySummary) -> Int64)] = [
    (l.pick("Contracted", "По договорам"), \.contracted),
    (l.pick("Invoiced", "Выставлено"), \.invoiced),
    (l.pick("Paid", "Оплачено"), \.paid),
    (l.pick("  of it management-only", "  в т. ч. вне учёта"), \.managementOnly),
    (l.pick("Owed", "Долг"), \.owed),
    (l.pick("  of it overdue", "  в т. ч. просрочено"), \.overdue),
    (l.pick("Not allocated", "Не распределено"), \.unallocated),
    (l.pick("Acted", "По актам"), \.acted),
  ]
  var out: [String] = []
  var start = 0
  while start < summaries.count {
    let chunk = Array(summaries[start..<min(start + 3, summaries.count)])
    let cols = [Col(width: 24)] + chunk.map { _ in Col(width: 17, right: true) }
    if start > 0 { out.append("") }
    out.append(tableLine([""] + chunk.map(\.currency.code), cols))
    for (label, value) in rows {
      out.append(tableLine([label] + chunk.map { $0.money(value($0)).formatted(l) }, cols))
    }
    start += 3
  }
  return out.joined(separator: "\n")
}
