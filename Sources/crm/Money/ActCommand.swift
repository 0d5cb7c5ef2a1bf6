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
    abstract: tr(
      "Acts of services rendered: add (from a contract or an invoice), list, print.",
      "Акты оказанных услуг: add (по договору или счёту), list, print."),
    subcommands: [Add.self, Show.self, List.self, Print.self, Cancel.self])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add an act on a contract, or from an invoice (its lines copied); prints its id.",
        "Добавить акт по договору или из счёта (его строки копируются); выводит номер."),
      discussion: tr(
        "Its number, date and sum go to standard error.",
        "Его номер, дата и сумма выводятся в стандартный поток ошибок."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Contract id.",
        "Номер договора.")) var contract: Int64?
    @Option(
      help: tr(
        "Invoice id: the act copies its lines unless --sum or --line is given.",
        "Номер счёта: акт копирует его строки, если не указаны --sum или --line."))
    var invoice: Int64?
    @Option(
      help: tr(
        "Client id (an act without a contract).",
        "Номер клиента (акт без договора).")) var client: Int64?
    @Option(
      parsing: .unconditional,
      help: tr(
        "Sum: one line of quantity 1.",
        "Сумма: одна строка количеством 1.")) var sum: String?
    @Option(
      help: tr(
        "Name of that line (default: the contract's subject and the period).",
        "Наименование этой строки (по умолчанию: предмет договора и период)."))
    var item: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "VAT rate: none, 0, 5, 7, 10, 20, 22.",
        "Ставка НДС: none, 0, 5, 7, 10, 20, 22.")) var vat: String?
    @Option(
      help: tr(
        "A line ITEM|QTY|PRICE[|VAT[|UNIT]] instead of --sum; repeat for several.",
        "Строка ITEM|QTY|PRICE[|VAT[|UNIT]] вместо --sum; повторите для нескольких."))
    var line: [String] = []
    @Option(
      help: tr(
        "Period of the services: 01.11.2026..30.11.2026.",
        "Период услуг: 01.11.2026..30.11.2026.")) var period: String?
    @Option(
      help: tr(
        "Number (default: the next one of the year).",
        "Номер (по умолчанию: следующий в году).")) var number: String?
    @Option(
      help: tr(
        "Date (default: today).",
        "Дата (по умолчанию: сегодня).")) var date: String?
    @Option(
      help: tr(
        "ISO 4217 code (default: the invoice's or the contract's).",
        "Код ISO 4217 (по умолчанию: счёта или договора).")) var currency: String?
    @Flag(
      help: tr(
        "Prices exclude VAT; VAT is added on top.",
        "Цены без НДС; НДС начисляется сверху.")) var vatOnTop = false
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?

    func run(_ session: Session) throws {
      _ = try session.writer()
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      let source = try invoice.map { try loadInvoice(service, $0, global).invoice.currency }
      let k = try contract.map { try loadContract(service, $0, global).contract.currency }
      let cur = try input.currency(currency ?? source ?? k ?? "RUB")
      let lines = try input.lines(sum: sum, item: item, vat: vat, specs: line, currency: cur)
      let (from, to) = try service.period(period ?? "")
      let d = DocumentDraft(
        clientId: client, contractId: contract, invoiceId: invoice, number: number ?? "",
        date: date ?? "", periodFrom: from, periodTo: to,
        currency: currency == nil ? nil : cur.code, pricesIncludeVAT: !vatOnTop, lines: lines,
        notes: notes ?? "")
      let id = try service.addAct(d)
      print(id)
      let a = try loadAct(service, id, global).act
      let l = global.language
      writeError(
        l.pick("Act ", "Акт ") + documentName(a.number, a.date, l) + ": "
          + Money(minor: a.total, currency: a.money).formatted(l))
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show an act: fields, lines with VAT, totals, its export to 1C.",
        "Показать акт: поля, строки с НДС, итоги, его выгрузку в 1С."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Act id.",
        "Номер акта.")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let d = try loadAct(service, id, global)
      output.show(MoneyJSON.act(d, lines: true), else: actText(d, service, global.language))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List acts by date.",
        "Список актов по дате."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @Option(
      help: tr(
        "Dated from this day.",
        "Датированные с этого дня.")) var from: String?
    @Option(
      help: tr(
        "Dated up to this day (included).",
        "Датированные по этот день (включительно).")) var to: String?
    @Flag(
      help: tr(
        "Only acts never exported to 1C (cancelled ones left out).",
        "Только акты, ни разу не выгруженные в 1С (без отменённых).")) var notExported = false
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let input = MoneyInput(global: global, service: service)
      let start = try input.day(from ?? "", key: "--from")
      let end = try input.day(to ?? "", key: "--to")
      if !start.isEmpty && !end.isEmpty && end < start {
        throw Failure(
          message: global.language.pick(
            "--to: is before --from", "--to: раньше, чем --from"), code: 1)
      }
      let rows = try service.acts(
        clientId: client, from: start, to: end, notExported: notExported,
        includeCancelled: !notExported, limit: everyRow)
      let l = global.language
      output.show(
        rows.map { MoneyJSON.act($0) },
        else: rows.isEmpty ? l.pick("No acts.", "Актов нет.") : actTable(rows, l))
    }
  }

  struct Print: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: tr(
        "Print an act («Акт об оказании услуг») as text (80 columns) or an HTML page.",
        "Напечатать акт («Акт об оказании услуг») текстом (80 колонок) или HTML-страницей."),
      discussion:
        tr(
          "The contractor is our company (crm company show): its default entity, or the one the document or its contract names. Printing is refused while a requisite the form shows is missing or invalid.",
          "Исполнитель — наша организация (crm company show): основная или та, что указана в документе или его договоре. Печать отказывается, пока не задан или неверен реквизит, который показывает форма."
        )
    )
    @OptionGroup var options: PrintOptions

    var global: Global { options.global }

    func run(_ session: Session) throws {
      try options.output(session, .act)
    }
  }

  struct Cancel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: tr(
        "Cancel an act (one already exported stays in 1C: cancel it there too).",
        "Отменить акт (уже выгруженный остаётся в 1С: отмените его и там)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Act id.",
        "Номер акта.")) var id: Int64

    func run(_ session: Session) throws {
      let l = global.language
      try change(
        session, { try $0.cancelAct(id) }, load: { try loadAct($0, id, global).act },
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
