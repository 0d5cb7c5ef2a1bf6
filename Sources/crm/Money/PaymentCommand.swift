import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

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
    abstract: tr(
      "Payments: record, allocate to invoices, work the queue of unmatched bank payments.",
      "Платежи: записать, разнести по счетам, разобрать очередь неузнанных банковских платежей."),
    subcommands: [
      Add.self, Show.self, List.self, Allocate.self, Unallocate.self, Assign.self, Ignore.self,
      Queue.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Record a payment of a client (bank, or --cash); prints its id.",
        "Записать платёж клиента (банк или --cash); выводит его номер."),
      discussion:
        tr(
          "With --invoice it is allocated to that invoice (as much as it owes); what was allocated "
            + "goes to standard error.",
          "С --invoice он разносится на этот счёт (сколько тот должен); разнесённое "
            + "выводится в стандартный поток ошибок."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      parsing: .unconditional,
      help: tr(
        "Sum: 120000, \"120 000,00\".",
        "Сумма: 120000, \"120 000,00\".")) var sum: String
    @Flag(
      help: tr(
        "Paid in cash (default: by bank).",
        "Оплачено наличными (по умолчанию: через банк).")) var cash = false
    @Flag(
      help: tr(
        "Cash kept out of accounting: never exported, shown apart in reconciliation.",
        "Наличные вне бухгалтерии: не выгружаются, в сверке показываются отдельно."))
    var managementOnly = false
    @Option(
      help: tr(
        "Allocate to this invoice.",
        "Разнести на этот счёт.")) var invoice: Int64?
    @Option(
      help: tr(
        "Paid under this contract.",
        "Оплачено по этому договору.")) var contract: Int64?
    @Option(
      help: tr(
        "Date (default: today).",
        "Дата (по умолчанию: сегодня).")) var date: String?
    @Option(
      help: tr(
        "Number of the payment order or receipt.",
        "Номер платёжного поручения или квитанции.")) var number: String?
    @Option(
      help: tr(
        "Purpose of the payment.",
        "Назначение платежа.")) var purpose: String?
    @Option(
      help: tr(
        "ISO 4217 code (default: the invoice's or the contract's, or RUB).",
        "Код ISO 4217 (по умолчанию: счёта или договора, иначе RUB)."))
    var currency: String?
    @Option(help: tr("Note.", "Заметка.")) var note: String?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      let inv = try invoice.map { try loadInvoice(service, $0, global).invoice }
      let k = try contract.map { try loadContract(service, $0, global).contract }
      let cur = try input.currency(currency ?? inv?.currency ?? k?.currency ?? "RUB")
      let amount = try input.sum(sum, cur)
      let p = Payment(
        clientId: client, contractId: contract, source: cash ? .cash : .bank,
        managementOnly: managementOnly, date: date ?? "", amount: amount.minor,
        currency: cur.code, number: number ?? "", purpose: purpose ?? "", note: note ?? "")
      let id = try service.addPayment(p, invoiceId: invoice)
      print(id)
      if let invoice {
        let i = try loadInvoice(service, invoice, global).invoice
        let given = try service.allocations(ofPayment: id)
          .filter { $0.invoiceId == invoice }.reduce(0) { $0 + $1.amount }
        let l = global.language
        writeError(
          l.pick("Allocated to invoice No. \(i.number): ", "На счёт № \(i.number) распределено: ")
            + Money(minor: given, currency: cur).formatted(l) + "; "
            + i.status(today: service.today).name(l))
      }
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show a payment and the invoices it is allocated to.",
        "Показать платёж и счета, на которые он разнесён."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Payment id.",
        "Номер платежа.")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let r = try loadPayment(service, id, global)
      let allocations = try service.allocations(ofPayment: id)
      output.show(
        MoneyJSON.payment(r, allocations: allocations),
        else: paymentText(r, allocations: allocations, service, global.language))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List payments, newest first.",
        "Список платежей, сначала новые."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @Flag(
      help: tr(
        "Only bank payments waiting in the queue.",
        "Только банковские платежи в очереди.")) var queued = false
    @Flag(
      help: tr(
        "Only payments set aside (crm payment ignore).",
        "Только отложенные платежи (crm payment ignore).")) var ignored = false
    @OptionGroup var page: Paging<Hundred>
    @OptionGroup var output: JSONOutput

    func check() throws {
      try page.check()
      if queued && ignored {
        throw ValidationError(
          tr("--queued and --ignored exclude each other", "--queued и --ignored несовместимы"))
      }
    }

    func run(_ session: Session) throws {
      let state: PaymentState? = queued ? .queued : ignored ? .ignored : nil
      let l = global.language
      let rows = page.shown(
        try session.context.money.payments(
          clientId: client, state: state, limit: page.sqlLimit(machine: output.json),
          offset: page.offset),
        machine: output.json, language: l)
      output.show(
        rows.map { MoneyJSON.payment($0) },
        else: rows.isEmpty ? l.pick("No payments.", "Платежей нет.") : paymentTable(rows, l))
    }
  }

  struct Allocate: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "allocate",
      abstract: tr(
        "Allocate a payment to an invoice of its client (default: as much as both allow).",
        "Разнести платёж на счёт его клиента (по умолчанию: сколько позволяют оба)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Payment id.",
        "Номер платежа.")) var payment: Int64
    @Argument(
      help: tr(
        "Invoice id.",
        "Номер счёта.")) var invoice: Int64
    @Option(
      parsing: .unconditional,
      help: tr(
        "Allocate this much (may exceed what it owes).",
        "Разнести столько (может быть больше долга)."))
    var sum: String?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      let p = try loadPayment(service, payment, global).payment
      let amount = try sum.map { try input.sum($0, p.money).minor }
      let given = try service.allocate(payment, to: invoice, amount: amount)
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

  struct Unallocate: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "unallocate",
      abstract: tr(
        "Take a payment off an invoice, or off every invoice.",
        "Снять платёж со счёта или со всех счетов."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Payment id.",
        "Номер платежа.")) var payment: Int64
    @Argument(
      help: tr(
        "Invoice id (default: every invoice).",
        "Номер счёта (по умолчанию: все счета).")) var invoice: Int64?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      _ = try loadPayment(service, payment, global)
      try service.unallocate(payment, from: invoice)
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

  struct Assign: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "assign",
      abstract: tr(
        "Give a queued (or set aside) bank payment to a client, and to an invoice.",
        "Отдать банковский платёж из очереди (или отложенный) клиенту и на счёт."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Payment id.",
        "Номер платежа.")) var payment: Int64
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      help: tr(
        "Allocate to this invoice of the client.",
        "Разнести на этот счёт клиента.")) var invoice: Int64?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      _ = try loadPayment(service, payment, global)
      try service.assign(payment, to: client, invoiceId: invoice)
      let l = global.language
      let name =
        try session.context.clients.client(client)?.displayName ?? "№\(client)"
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

  struct Ignore: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "ignore",
      abstract: tr(
        "Set a queued bank payment aside (not a client's: a refund, a loan), or --undo.",
        "Отложить банковский платёж из очереди (не клиентский: возврат, заём) или --undo."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Payment id.",
        "Номер платежа.")) var payment: Int64
    @Flag(
      help: tr(
        "Put it back into the queue.",
        "Вернуть его в очередь.")) var undo = false

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      _ = try loadPayment(service, payment, global)
      try service.ignore(payment, !undo)
      let l = global.language
      print(
        undo
          ? l.pick(
            "Payment №\(payment) is back in the queue.", "Платёж №\(payment) снова в очереди.")
          : l.pick("Payment №\(payment) set aside.", "Платёж №\(payment) отложен."))
    }
  }

  struct Queue: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "queue",
      abstract: tr(
        "Bank payments waiting for a manager, oldest first, with why each was not matched.",
        "Банковские платежи, ждущие менеджера, сначала старые, с причиной, почему не узнаны."),
      discussion: tr(
        "Give each to a client with crm payment assign, or set it aside with ignore.",
        "Отдайте каждый клиенту через crm payment assign или отложите через ignore."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "At most this many (default: 200 as text, every payment with --json).",
        "Не больше стольких (по умолчанию 200 текстом, все платежи с --json)."))
    var limit: Int?
    @OptionGroup var output: JSONOutput

    func check() throws {
      guard (limit ?? 0) >= 0 else {
        throw ValidationError(
          tr("--limit must not be negative", "--limit не может быть отрицательным"))
      }
    }

    func run(_ session: Session) throws {
      let service = session.context.money
      let l = global.language
      let rows = listShown(
        try service.payments(
          state: .queued, limit: listLimit(limit, text: 200, machine: output.json)),
        limit: limit, text: 200, machine: output.json, language: l, paged: false)
      if output.json {
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
