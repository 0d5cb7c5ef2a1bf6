import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: crm act

struct ActCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "act",
    abstract: "Acts of services rendered: add (from a contract or an invoice), list, print.",
    subcommands: [Add.self, Show.self, List.self, Print.self, Cancel.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add an act on a contract, or from an invoice (its lines copied); prints its id.",
      discussion: "Its number, date and sum go to standard error.")
    @OptionGroup var global: Global
    @Option(help: "Contract id.") var contract: Int64?
    @Option(help: "Invoice id: the act copies its lines unless --sum or --line is given.")
    var invoice: Int64?
    @Option(help: "Client id (an act without a contract).") var client: Int64?
    @Option(parsing: .unconditional, help: "Sum: one line of quantity 1.") var sum: String?
    @Option(help: "Name of that line (default: the contract's subject and the period).")
    var item: String?
    @Option(parsing: .unconditional, help: "VAT rate: none, 0, 5, 7, 10, 20, 22.") var vat: String?
    @Option(help: "A line ITEM|QTY|PRICE[|VAT[|UNIT]] instead of --sum; repeat for several.")
    var line: [String] = []
    @Option(help: "Period of the services: 01.11.2026..30.11.2026.") var period: String?
    @Option(help: "Number (default: the next one of the year).") var number: String?
    @Option(help: "Date (default: today).") var date: String?
    @Option(help: "ISO 4217 code (default: the invoice's or the contract's).") var currency: String?
    @Flag(help: "Prices exclude VAT; VAT is added on top.") var vatOnTop = false
    @Option var notes: String?

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      let source = try invoice.map { try loadInvoice(service, $0, global).invoice.currency }
      let k = try contract.map { try loadContract(service, $0, global).contract.currency }
      let cur = try input.currency(currency ?? source ?? k ?? "RUB")
      let lines = try input.lines(sum: sum, item: item, vat: vat, specs: line, currency: cur)
      let (from, to) = try core(global) { try service.period(period ?? "") }
      let d = DocumentDraft(
        clientId: client, contractId: contract, invoiceId: invoice, number: number ?? "",
        date: date ?? "", periodFrom: from, periodTo: to,
        currency: currency == nil ? nil : cur.code, pricesIncludeVAT: !vatOnTop, lines: lines,
        notes: notes ?? "")
      let id = try core(global) { try service.addAct(d) }
      print(id)
      let a = try loadAct(service, id, global).act
      let l = global.language
      writeError(
        l.pick("Act ", "Акт ") + documentName(a.number, a.date, l) + ": "
          + Money(minor: a.total, currency: a.money).formatted(l))
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show an act: fields, lines with VAT, totals, its export to 1C.")
    @OptionGroup var global: Global
    @Argument(help: "Act id.") var id: Int64
    @Flag var json = false

    func run() throws {
      let (_, service) = try global.readingMoney()
      let d = try loadAct(service, id, global)
      if json {
        printJSON(MoneyJSON.act(d, lines: true))
      } else {
        print(actText(d, service, global.language))
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List acts by date.")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Option(help: "Dated from this day.") var from: String?
    @Option(help: "Dated up to this day (included).") var to: String?
    @Flag(help: "Only acts never exported to 1C (cancelled ones left out).") var notExported = false
    @Flag var json = false

    func run() throws {
      let (_, service) = try global.readingMoney()
      let input = MoneyInput(global: global, service: service)
      let start = try input.day(from ?? "", key: "--from")
      let end = try input.day(to ?? "", key: "--to")
      if !start.isEmpty && !end.isEmpty && end < start {
        throw Failure(
          message: global.language.pick(
            "--to: is before --from", "--to: раньше, чем --from"), code: 1)
      }
      let rows = try core(global) {
        try service.acts(
          clientId: client, from: start, to: end, notExported: notExported,
          includeCancelled: !notExported)
      }
      let l = global.language
      if json {
        printJSON(rows.map { MoneyJSON.act($0) })
      } else if rows.isEmpty {
        print(l.pick("No acts.", "Актов нет."))
      } else {
        print(actTable(rows, l))
      }
    }
  }

  struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: "Print an act («Акт об оказании услуг») as text (80 columns) or an HTML page.",
      discussion:
        "The contractor is your company: crm settings set company_name / company_inn / company_kpp."
    )
    @OptionGroup var options: PrintOptions

    func run() throws { try options.output(loadAct, InvoiceDocument.render) }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: "Cancel an act (one already exported stays in 1C: cancel it there too).")
    @OptionGroup var global: Global
    @Argument(help: "Act id.") var id: Int64

    func run() throws {
      let l = global.language
      try change(
        global, { try $0.cancelAct(id) }, load: { try loadAct($0, id, global).act },
        done: { a in
          if a.exportId != nil {
            writeError(
              l.pick(
                "It was exported to 1C already: cancel it in 1C as well.",
                "Он уже выгружен в 1С: отмените его и там."))
          }
          return l.pick("Act No. \(a.number) cancelled.", "Акт № \(a.number) отменён.")
        })
    }
  }
}

/// `выгружен`, `отменён` or nothing.
func actState(_ a: Act, _ l: Language) -> String {
  if a.cancelled { return l.pick("cancelled", "отменён") }
  return a.exportId != nil ? l.pick("exported", "выгружен") : ""
}

/// Columns of `crm act list`: 79 wide in all.
let actColumns = [
  Col(width: 5, right: true), Col(width: 6), Col(width: 10), Col(width: 11), Col(width: 21),
  Col(width: 12, right: true), Col(width: 8),
]

func actTable(_ rows: [ActDetail], _ l: Language) -> String {
  tableText(
    [
      "№", l.pick("Number", "Номер"), l.pick("Date", "Дата"), l.pick("Client", "Клиент"),
      l.pick("Period", "Период"), l.pick("Sum", "Сумма"), l.pick("1C", "1С"),
    ],
    rows.map { d in
      let a = d.act
      let period =
        a.periodFrom.isEmpty ? "" : shownDay(a.periodFrom, l) + "–" + shownDay(a.periodTo, l)
      return [
        String(d.id), a.number, shownDay(a.date, l), d.clientName, period,
        moneyCell(Money(minor: a.total, currency: a.money), width: 12, l), actState(a, l),
      ]
    }, actColumns)
}

func actText(_ d: ActDetail, _ s: MoneyService, _ l: Language) -> String {
  let a = d.act
  var head = l.pick("Act ", "Акт ") + documentName(a.number, a.date, l) + " (№\(d.id))"
  if a.cancelled { head += ", " + l.pick("cancelled", "отменён") }
  var client = "\(d.clientName) (№\(a.clientId))"
  if !d.clientINN.isEmpty { client += l.pick(", INN ", ", ИНН ") + d.clientINN }
  if !d.clientKPP.isEmpty { client += l.pick(", KPP ", ", КПП ") + d.clientKPP }
  var lines = [head]
  lines += fieldLines([
    (s.fieldName("client"), client),
    (
      s.fieldName("contract"),
      d.contract.map { documentName($0.number, $0.date, l) + " (№\(a.contractId ?? 0))" } ?? ""
    ),
    (s.fieldName("invoice"), d.invoiceNumber.map { "№ \($0) (№\(a.invoiceId ?? 0))" } ?? ""),
    (
      s.fieldName("period"),
      a.periodFrom.isEmpty ? "" : shownDay(a.periodFrom, l) + " – " + shownDay(a.periodTo, l)
    ),
    (s.fieldName("currency"), a.currency == "RUB" ? "" : a.currency),
    (s.fieldName("rate"), rateText(a.rate, l)),
    (
      l.pick("Prices", "Цены"),
      a.pricesIncludeVAT
        ? l.pick("include VAT", "с НДС") : l.pick("VAT on top", "без НДС, НДС сверху")
    ),
    (
      l.pick("Export to 1C", "Выгрузка в 1С"),
      a.exportId.map { l.pick("exported (export №\($0))", "выгружен (выгрузка №\($0))") }
        ?? l.pick("not yet", "ещё не выгружен")
    ),
    (s.fieldName("notes"), a.notes),
  ])
  for line in d.lines { lines.append(documentLine(line, d.totals, l)) }
  lines.append(documentTotals(d.totals, l))
  return lines.joined(separator: "\n")
}

// MARK: crm payment

/// `банк`, `наличные`, `упр. нал.` (cash kept out of accounting).
func sourceName(_ s: PaymentSource, managementOnly: Bool, _ l: Language) -> String {
  switch s {
  case .bank: return l.pick("bank", "банк")
  case .cash: return managementOnly ? l.pick("mgmt cash", "упр. нал.") : l.pick("cash", "наличные")
  }
}

func stateName(_ s: PaymentState, _ l: Language) -> String {
  switch s {
  case .assigned: return l.pick("assigned", "привязан")
  case .queued: return l.pick("queued", "в очереди")
  case .ignored: return l.pick("set aside", "отложен")
  }
}

struct PaymentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "payment",
    abstract: "Payments: record, allocate to invoices, work the queue of unmatched bank payments.",
    subcommands: [
      Add.self, Show.self, List.self, Allocate.self, Unallocate.self, Assign.self, Ignore.self,
      Queue.self,
    ])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Record a payment of a client (bank, or --cash); prints its id.",
      discussion:
        "With --invoice it is allocated to that invoice (as much as it owes); what was allocated "
        + "goes to standard error.")
    @OptionGroup var global: Global
    @Option(help: "Client id.") var client: Int64
    @Option(parsing: .unconditional, help: "Sum: 120000, \"120 000,00\".") var sum: String
    @Flag(help: "Paid in cash (default: by bank).") var cash = false
    @Flag(help: "Cash kept out of accounting: never exported, shown apart in reconciliation.")
    var managementOnly = false
    @Option(help: "Allocate to this invoice.") var invoice: Int64?
    @Option(help: "Paid under this contract.") var contract: Int64?
    @Option(help: "Date (default: today).") var date: String?
    @Option(help: "Number of the payment order or receipt.") var number: String?
    @Option(help: "Purpose of the payment.") var purpose: String?
    @Option(help: "ISO 4217 code (default: the invoice's or the contract's, or RUB).")
    var currency: String?
    @Option var note: String?

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      let inv = try invoice.map { try loadInvoice(service, $0, global).invoice }
      let k = try contract.map { try loadContract(service, $0, global).contract }
      let cur = try input.currency(currency ?? inv?.currency ?? k?.currency ?? "RUB")
      let amount = try input.sum(sum, cur)
      let p = Payment(
        clientId: client, contractId: contract, source: cash ? .cash : .bank,
        managementOnly: managementOnly, date: date ?? "", amount: amount.minor,
        currency: cur.code, number: number ?? "", purpose: purpose ?? "", note: note ?? "")
      let id = try core(global) { try service.addPayment(p, invoiceId: invoice) }
      print(id)
      if let invoice {
        let i = try loadInvoice(service, invoice, global).invoice
        let given = try core(global) { try service.allocations(ofPayment: id) }
          .filter { $0.invoiceId == invoice }.reduce(0) { $0 + $1.amount }
        let l = global.language
        writeError(
          l.pick("Allocated to invoice No. \(i.number): ", "На счёт № \(i.number) распределено: ")
            + Money(minor: given, currency: cur).formatted(l) + "; "
            + i.status(today: service.today).name(l))
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a payment and the invoices it is allocated to.")
    @OptionGroup var global: Global
    @Argument(help: "Payment id.") var id: Int64
    @Flag var json = false

    func run() throws {
      let (_, service) = try global.readingMoney()
      let r = try loadPayment(service, id, global)
      let allocations = try core(global) { try service.allocations(ofPayment: id) }
      if json {
        printJSON(MoneyJSON.payment(r, allocations: allocations))
      } else {
        print(paymentText(r, allocations: allocations, service, global.language))
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List payments, newest first.")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Flag(help: "Only bank payments waiting in the queue.") var queued = false
    @Flag(help: "Only payments set aside (crm payment ignore).") var ignored = false
    @Option var limit = 100
    @Option var offset = 0
    @Flag var json = false

    func run() throws {
      guard limit >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
      if queued && ignored {
        throw ValidationError("--queued and --ignored exclude each other")
      }
      let (_, service) = try global.readingMoney()
      let state: PaymentState? = queued ? .queued : ignored ? .ignored : nil
      let rows = try core(global) {
        try service.payments(clientId: client, state: state, limit: limit, offset: offset)
      }
      let l = global.language
      if json {
        printJSON(rows.map { MoneyJSON.payment($0) })
      } else if rows.isEmpty {
        print(l.pick("No payments.", "Платежей нет."))
      } else {
        print(paymentTable(rows, l))
      }
    }
  }

  struct Allocate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "allocate",
      abstract: "Allocate a payment to an invoice of its client (default: as much as both allow).")
    @OptionGroup var global: Global
    @Argument(help: "Payment id.") var payment: Int64
    @Argument(help: "Invoice id.") var invoice: Int64
    @Option(parsing: .unconditional, help: "Allocate this much (may exceed what it owes).")
    var sum: String?

    func run() throws {
      let (_, service) = try global.writingMoney()
      let input = MoneyInput(global: global, service: service)
      let p = try loadPayment(service, payment, global).payment
      let amount = try sum.map { try input.sum($0, p.money).minor }
      let given = try core(global) { try service.allocate(payment, to: invoice, amount: amount) }
      let i = try loadInvoice(service, invoice, global).invoice
      let free = try loadPayment(service, payment, global).payment.unallocated
      let l = global.language
      let money = { (m: Int64) in Money(minor: m, currency: p.money).formatted(l) }
      print(
        l.pick(
          "Payment №\(payment): \(money(given)) allocated to invoice No. \(i.number) (\(i.status(today: service.today).name(l))); \(money(free)) left free.",
          "Платёж №\(payment): на счёт № \(i.number) распределено \(money(given)) (\(i.status(today: service.today).name(l))); свободно \(money(free))."
        ))
    }
  }

  struct Unallocate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "unallocate",
      abstract: "Take a payment off an invoice, or off every invoice.")
    @OptionGroup var global: Global
    @Argument(help: "Payment id.") var payment: Int64
    @Argument(help: "Invoice id (default: every invoice).") var invoice: Int64?

    func run() throws {
      let (_, service) = try global.writingMoney()
      _ = try loadPayment(service, payment, global)
      try core(global) { try service.unallocate(payment, from: invoice) }
      let l = global.language
      if let invoice {
        let n = try loadInvoice(service, invoice, global).invoice.number
        print(
          l.pick(
            "Payment №\(payment) taken off invoice No. \(n).",
            "Платёж №\(payment) снят со счёта № \(n)."))
      } else {
        print(
          l.pick(
            "Payment №\(payment) taken off every invoice.",
            "Платёж №\(payment) снят со всех счетов."
          ))
      }
    }
  }

  struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "assign",
      abstract: "Give a queued (or set aside) bank payment to a client, and to an invoice.")
    @OptionGroup var global: Global
    @Argument(help: "Payment id.") var payment: Int64
    @Option(help: "Client id.") var client: Int64
    @Option(help: "Allocate to this invoice of the client.") var invoice: Int64?

    func run() throws {
      let (database, service) = try global.writingMoney()
      _ = try loadPayment(service, payment, global)
      try core(global) { try service.assign(payment, to: client, invoiceId: invoice) }
      let l = global.language
      let name =
        try core(global) {
          try ClientService(ServiceContext(db: database, language: l)).client(client)
        }?.displayName ?? "№\(client)"
      var text = l.pick(
        "Payment №\(payment) assigned to \(name)", "Платёж №\(payment) привязан к клиенту \(name)")
      if let invoice {
        let i = try loadInvoice(service, invoice, global).invoice
        text += l.pick(
          ", invoice No. \(i.number) \(i.status(today: service.today).name(l))",
          ", счёт № \(i.number) \(i.status(today: service.today).name(l))")
      }
      print(text + ".")
    }
  }

  struct Ignore: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ignore",
      abstract: "Set a queued bank payment aside (not a client's: a refund, a loan), or --undo.")
    @OptionGroup var global: Global
    @Argument(help: "Payment id.") var payment: Int64
    @Flag(help: "Put it back into the queue.") var undo = false

    func run() throws {
      let (_, service) = try global.writingMoney()
      _ = try loadPayment(service, payment, global)
      try core(global) { try service.ignore(payment, !undo) }
      let l = global.language
      print(
        undo
          ? l.pick(
            "Payment №\(payment) is back in the queue.", "Платёж №\(payment) снова в очереди.")
          : l.pick("Payment №\(payment) set aside.", "Платёж №\(payment) отложен."))
    }
  }

  struct Queue: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "queue",
      abstract: "Bank payments waiting for a manager, oldest first, with why each was not matched.",
      discussion: "Give each to a client with crm payment assign, or set it aside with ignore.")
    @OptionGroup var global: Global
    @Option var limit = 200
    @Flag var json = false

    func run() throws {
      guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
      let (_, service) = try global.readingMoney()
      let rows = try core(global) { try service.payments(state: .queued, limit: limit) }
      let l = global.language
      if json {
        printJSON(
          rows.map { r -> [String: Any] in
            var o = MoneyJSON.payment(r)
            o["reason"] = r.payment.note
            return o
          })
        return
      }
      if rows.isEmpty {
        print(l.pick("The queue is empty.", "Очередь пуста."))
        return
      }
      print(queueText(rows, l))
    }
  }
}

/// Columns of `crm payment list`: 78 wide in all.
let paymentColumns = [
  Col(width: 5, right: true), Col(width: 10), Col(width: 14), Col(width: 12, right: true),
  Col(width: 12, right: true), Col(width: 9), Col(width: 10),
]

func paymentTable(_ rows: [MoneyService.PaymentRow], _ l: Language) -> String {
  tableText(
    [
      "№", l.pick("Date", "Дата"), l.pick("Client", "Клиент"), l.pick("Sum", "Сумма"),
      l.pick("Free", "Свободно"), l.pick("Source", "Источник"), l.pick("State", "Состояние"),
    ],
    rows.map { r in
      let p = r.payment
      return [
        String(r.id), shownDay(p.date, l), r.clientName ?? p.payerName,
        moneyCell(Money(minor: p.amount, currency: p.money), width: 12, l),
        moneyCell(Money(minor: p.unallocated, currency: p.money), width: 12, l),
        sourceName(p.source, managementOnly: p.managementOnly, l), stateName(p.state, l),
      ]
    }, paymentColumns)
}

/// The queue: a line per payment, then its purpose and the reason it waits, indented.
func queueText(_ rows: [MoneyService.PaymentRow], _ l: Language) -> String {
  let cols = [
    Col(width: 5, right: true), Col(width: 10), Col(width: 14, right: true), Col(width: 30),
    Col(width: 12),
  ]
  var lines = [
    tableLine(
      [
        "№", l.pick("Date", "Дата"), l.pick("Sum", "Сумма"), l.pick("Payer", "Плательщик"),
        l.pick("INN", "ИНН"),
      ], cols)
  ]
  for r in rows {
    let p = r.payment
    lines.append(
      tableLine(
        [
          String(r.id), shownDay(p.date, l),
          moneyCell(Money(minor: p.amount, currency: p.money), width: 14, l), p.payerName,
          p.payerINN,
        ], cols))
    let indent = "      "
    if !p.purpose.isEmpty {
      lines.append(indent + TextWidth.fit(l.pick("Purpose: ", "Назначение: ") + p.purpose, to: 73))
    }
    if !p.note.isEmpty {
      lines.append(indent + TextWidth.fit(l.pick("Why: ", "Причина: ") + p.note, to: 73))
    }
  }
  return lines.map { line in
    var t = line
    while t.last == " " { t.removeLast() }
    return t
  }.joined(separator: "\n")
}

func paymentText(
  _ r: MoneyService.PaymentRow, allocations: [PaymentAllocationRow], _ s: MoneyService,
  _ l: Language
) -> String {
  let p = r.payment
  let money = { (m: Int64) in Money(minor: m, currency: p.money).formatted(l) }
  var lines = [
    l.pick("Payment", "Платёж") + " №\(r.id) " + l.pick("of ", "от ") + shownDay(p.date, l) + ": "
      + money(p.amount)
  ]
  var payer = p.payerName
  if !p.payerINN.isEmpty { payer += l.pick(", INN ", ", ИНН ") + p.payerINN }
  if !p.payerKPP.isEmpty { payer += l.pick(", KPP ", ", КПП ") + p.payerKPP }
  lines += fieldLines([
    (s.fieldName("client"), r.clientName.map { "\($0) (№\(p.clientId ?? 0))" } ?? ""),
    (s.fieldName("state"), stateName(p.state, l)),
    (s.fieldName("source"), sourceName(p.source, managementOnly: false, l)),
    (
      s.fieldName("management_only"),
      p.managementOnly
        ? l.pick("yes: kept out of accounting", "да: вне бухгалтерского учёта") : ""
    ),
    (s.fieldName("number"), p.number), (s.fieldName("kind"), p.kind),
    (s.fieldName("contract"), r.contractNumber.map { "№ \($0) (№\(p.contractId ?? 0))" } ?? ""),
    (s.fieldName("payer"), payer.trimmingSpaces()),
    (l.pick("Payer's account", "Счёт плательщика"), p.payerAccount),
    (l.pick("Our account", "Наш счёт"), p.account),
    (s.fieldName("purpose"), p.purpose), (s.fieldName("notes"), p.note),
    (
      l.pick("Bank import", "Загрузка выписки"),
      p.importId.map { "№\($0)" } ?? ""
    ),
    (s.fieldName("currency"), p.currency == "RUB" ? "" : p.currency),
    (l.pick("Allocated", "Распределено"), money(p.allocated)),
    (l.pick("Free", "Свободно"), money(p.unallocated)),
  ])
  if !allocations.isEmpty {
    lines.append(l.pick("Invoices:", "Счета:"))
    for a in allocations {
      lines.append(
        "  " + l.pick("invoice No. ", "счёт № ") + a.invoiceNumber + " (№\(a.invoiceId)): "
          + money(a.amount))
    }
  }
  return lines.joined(separator: "\n")
}
