import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: crm invoice

struct InvoiceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "invoice",
    abstract: tr(
      "Invoices on contracts or to clients: add, issue, cancel, list, show, print.",
      "Счета по договорам или клиентам: add, issue, cancel, list, show, print."),
    subcommands: [
      Add.self, Issue.self, Cancel.self, Edit.self, Show.self, List.self, Print.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add an invoice (issued, or --draft); prints its id.",
        "Добавить счёт (выставленный или --draft); выводит его номер."),
      discussion: tr(
        "Its number, date, sum and due day go to standard error.",
        "Его номер, дата, сумма и срок оплаты выводятся в стандартный поток ошибок."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Contract id: client, currency and payment terms come from it.",
        "Номер договора: клиент, валюта и условия оплаты берутся из него."))
    var contract: Int64?
    @Option(
      help: tr(
        "Client id (an invoice without a contract).",
        "Номер клиента (счёт без договора).")) var client: Int64?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Sum to pay: one line of quantity 1.",
        "Сумма к оплате: одна строка количеством 1.")) var sum: String?
    @Option(
      help: tr(
        "Name of that line (default: «Оплата по договору № … от …»).",
        "Наименование этой строки (по умолчанию: «Оплата по договору № … от …»).")) var item:
      String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the rate in force on the date).",
        "Ставка НДС: none, 0, 5, 7, 10, 20, 22 (по умолчанию: действующая на дату)."))
    var vat: String?
    @Option(
      help: tr(
        "A line ITEM|QTY|PRICE[|VAT[|UNIT]] instead of --sum; repeat for several.",
        "Строка ITEM|QTY|PRICE[|VAT[|UNIT]] вместо --sum; повторите для нескольких."))
    var line: [String] = []
    @Option(
      help: tr(
        "Number (default: the next one of the year).",
        "Номер (по умолчанию: следующий в году).")) var number: String?
    @Option(
      help: tr(
        "Date: 10.06.2026, 2026-06-10 (default: today).",
        "Дата: 10.06.2026, 2026-06-10 (по умолчанию: сегодня).")) var date: String?
    @Option(
      help: tr(
        "Due day (default: the contract's terms, or invoice_due_days).",
        "Срок оплаты (по умолчанию: по условиям договора или invoice_due_days).")) var due: String?
    @Option(
      help: tr(
        "Deal id: the deal moves to «Счёт выставлен».",
        "Номер сделки: сделка переходит на этап «Счёт выставлен».")) var deal: Int64?
    @Option(
      help: tr(
        "ISO 4217 code (default: the contract's, or RUB).",
        "Код ISO 4217 (по умолчанию: договора или RUB).")) var currency: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Roubles per unit of the currency.",
        "Рублей за единицу валюты.")) var rate: String?
    @Flag(
      help: tr(
        "Keep it a draft: not owed until crm invoice issue.",
        "Оставить черновиком: не к оплате до crm invoice issue.")) var draft = false
    @Flag(
      help: tr(
        "Prices exclude VAT; VAT is added on top.",
        "Цены без НДС; НДС начисляется сверху.")) var vatOnTop = false
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
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
      let id = try service.addInvoice(d)
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

  struct Issue: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "issue",
      abstract: tr(
        "Issue a draft invoice: it is owed from now on.",
        "Выставить черновик счёта: с этого момента он к оплате."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Invoice id.",
        "Номер счёта.")) var id: Int64

    func run(_ session: Session) throws {
      try change(
        session, { try $0.issueInvoice(id) }, load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) issued.", "Счёт № \($0.invoice.number) выставлен.")
        })
    }
  }

  struct Cancel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: tr(
        "Cancel an invoice (refused while payments are allocated to it).",
        "Отменить счёт (нельзя, пока на него разнесены платежи)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Invoice id.",
        "Номер счёта.")) var id: Int64

    func run(_ session: Session) throws {
      try change(
        session, { try $0.cancelInvoice(id) }, load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) cancelled.", "Счёт № \($0.invoice.number) отменён.")
        })
    }
  }

  struct Edit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change an invoice's number, date, due day or notes.",
        "Изменить номер, дату, срок оплаты или заметки счёта."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Invoice id.",
        "Номер счёта.")) var id: Int64
    @Option(help: tr("Number.", "Номер.")) var number: String?
    @Option(help: tr("The new date.", "Новая дата.")) var date: String?
    @Option(
      help: tr(
        "Due day (empty: never overdue).",
        "Срок оплаты (пусто: никогда не просрочен).")) var due: String?
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?

    func run(_ session: Session) throws {
      try change(
        session, { try $0.updateInvoice(id, number: number, date: date, due: due, notes: notes) },
        load: { try loadInvoice($0, id, global) },
        done: {
          global.language.pick(
            "Invoice No. \($0.invoice.number) changed.", "Счёт № \($0.invoice.number) изменён.")
        })
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show an invoice: fields, lines with VAT, totals and the payments on it.",
        "Показать счёт: поля, строки с НДС, итоги и платежи по нему."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Invoice id.",
        "Номер счёта.")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let d = try loadInvoice(service, id, global)
      output.show(
        MoneyJSON.invoice(d, today: service.today), else: invoiceText(d, service, global.language))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List invoices, newest first (--overdue: the longest overdue first).",
        "Список счетов, сначала новые (--overdue: сначала самые просроченные)."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @Option(
      help: tr(
        "Only on this contract.",
        "Только по этому договору.")) var contract: Int64?
    @Option(
      help: tr(
        "Only on this deal.",
        "Только по этой сделке.")) var deal: Int64?
    @Flag(
      help: tr(
        "Only issued invoices with something still to pay.",
        "Только выставленные счета, по которым ещё есть долг.")) var unpaid = false
    @Flag(
      help: tr(
        "Only unpaid invoices past their due day.",
        "Только неоплаченные счета с прошедшим сроком.")) var overdue = false
    @Flag(
      help: tr(
        "Only invoices of your clients.",
        "Только счета ваших клиентов.")) var mine = false
    @OptionGroup var page: Paging<Hundred>
    @OptionGroup var output: JSONOutput

    func check() throws {
      try page.check()
    }

    func run(_ session: Session) throws {
      let database = session.database
      let service = session.context.money
      var f = MoneyService.InvoiceFilter(
        clientId: client, contractId: contract, dealId: deal, unpaidOnly: unpaid,
        overdueOnly: overdue)
      if mine { f.ownerId = try global.existingUser(database).id }
      let rows = page.shown(
        try service.invoices(f, limit: page.sqlLimit(machine: output.json), offset: page.offset),
        machine: output.json, language: global.language)
      let l = global.language
      output.show(
        rows.map { MoneyJSON.invoice($0, today: service.today) },
        else: rows.isEmpty
          ? l.pick("No invoices.", "Счетов нет.") : invoiceTable(rows, today: service.today, l))
    }
  }

  struct Print: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: tr(
        "Print an invoice («Счёт на оплату») as text (80 columns) or an HTML page.",
        "Напечатать счёт («Счёт на оплату») текстом (80 колонок) или HTML-страницей."),
      discussion:
        tr(
          "The supplier is our company (crm company show): its default entity, or the one the document or its contract names. Printing is refused while a requisite the form shows is missing or invalid.",
          "Поставщик — наша организация (crm company show): основная или та, что указана в документе или его договоре. Печать отказывается, пока не задан или неверен реквизит, который показывает форма."
        )
    )
    @OptionGroup var options: PrintOptions

    var global: Global { options.global }

    func run(_ session: Session) throws {
      try options.output(session, .invoice)
    }
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
