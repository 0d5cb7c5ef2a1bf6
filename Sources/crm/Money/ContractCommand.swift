import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: crm contract

struct ContractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contract",
    abstract: tr(
      "Contracts with clients: sum, currency, prepayment, payment terms; their money.",
      "Договоры с клиентами: сумма, валюта, предоплата, условия оплаты; их деньги."),
    subcommands: [Add.self, Show.self, List.self, Edit.self])

  /// Fields a contract is added or changed with.
  struct Fields: ParsableArguments {
    @Option(
      help: tr(
        "formal (written) or actual (work on invoices without a paper).",
        "formal (письменный) или actual (работа по счетам без бумаги)."))
    var kind: String?
    @Option(
      help: tr(
        "ISO 4217 code (default: RUB).",
        "Код ISO 4217 (по умолчанию: RUB).")) var currency: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Roubles per unit of the currency: 92.5012.",
        "Рублей за единицу валюты: 92.5012."))
    var rate: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Prepayment in % (0–100).",
        "Предоплата в % (0–100).")) var prepay: String?
    @Option(
      help: tr(
        "Date: 01.06.2026, 2026-06-01 (default: today).",
        "Дата: 01.06.2026, 2026-06-01 (по умолчанию: сегодня).")) var date: String?
    @Option(
      help: tr(
        "What the contract is for; acts name their lines after it.",
        "Предмет договора; по нему называются строки актов.")) var subject: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Payment terms: an invoice on it is due N days after its date.",
        "Условия оплаты: счёт по договору нужно оплатить через N дней после его даты."))
    var termsDays: String?
    @Option(
      help: tr(
        "Terms in words.",
        "Условия словами.")) var terms: String?
    @Option(
      help: tr(
        "Valid until: 31.12.2026 (empty clears it).",
        "Действует до: 31.12.2026 (пусто очищает).")) var validUntil: String?
    @Option(
      help: tr(
        "Deal id (of the same client).",
        "Номер сделки (того же клиента).")) var deal: Int64?
    @Flag(
      help: tr(
        "Priced in the currency, paid in roubles at the rate of the payment day (у. е.).",
        "Цена в валюте, оплата в рублях по курсу дня платежа (у. е.)."))
    var conventionalUnits = false
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?

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
        c.kind = try ContractKind.parse(kind, language: input.l, field: s.fieldName("kind"))
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

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a contract; prints its id.",
        "Добавить договор; выводит его номер."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      help: tr(
        "Number, unique for the client: 7/25.",
        "Номер, уникальный для клиента: 7/25.")) var number: String
    @Option(
      parsing: .unconditional,
      help: tr(
        "Sum: 500000, \"500 000,00\" (0 for none).",
        "Сумма: 500000, \"500 000,00\" (0 — без суммы)."))
    var sum: String
    @OptionGroup var fields: Fields

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      var c = Contract(clientId: client, number: number)
      try fields.apply(to: &c, input, sum: sum)
      let id = try service.addContract(c)
      print(id)
    }
  }

  struct Edit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change a contract's fields, or close or cancel it (--status).",
        "Изменить поля договора, закрыть или отменить его (--status)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Contract id.",
        "Номер договора.")) var id: Int64
    @Option(help: tr("Number.", "Номер.")) var number: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Sum.",
        "Сумма.")) var sum: String?
    @Option(
      help: tr(
        "draft, active, closed or cancelled.",
        "draft, active, closed или cancelled (черновик, действует, закрыт, отменён).")) var status:
      String?
    @Flag(
      help: tr(
        "Settled in roubles after all (clears --conventional-units).",
        "Всё-таки расчёт в рублях (снимает --conventional-units)."))
    var noConventionalUnits = false
    @OptionGroup var fields: Fields

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      var c = try loadContract(service, id, global).contract
      try fields.apply(to: &c, input, sum: sum)
      if let number { c.number = number }
      if let status { c.status = try ContractStatus.parse(status, global, field: "--status") }
      if noConventionalUnits { c.conventionalUnits = false }
      try service.updateContract(c)
      let l = global.language
      print(
        l.pick(
          "Contract No. \(c.number) (№\(id)) changed.", "Договор № \(c.number) (№\(id)) изменён."))
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show a contract: every field, its money and its invoices.",
        "Показать договор: все поля, его деньги и счета."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Contract id.",
        "Номер договора.")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let r = try loadContract(service, id, global)
      let invoices = try service.invoices(
        MoneyService.InvoiceFilter(contractId: id), limit: everyRow)
      var o = MoneyJSON.contract(r)
      o["invoices"] = invoices.map { MoneyJSON.invoice($0, today: service.today) }
      output.show(o, else: contractText(r, invoices: invoices, service, global.language))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List contracts, newest first.",
        "Список договоров, сначала новые."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @OptionGroup var page: Paging<Hundred>
    @OptionGroup var output: JSONOutput

    func check() throws {
      try page.check()
    }

    func run(_ session: Session) throws {
      let service = session.context.money
      let rows = page.shown(
        try service.contracts(
          clientId: client, limit: page.sqlLimit(machine: output.json), offset: page.offset),
        machine: output.json, language: global.language)
      let l = global.language
      output.show(
        rows.map(MoneyJSON.contract),
        else: rows.isEmpty ? l.pick("No contracts.", "Договоров нет.") : contractTable(rows, l))
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
