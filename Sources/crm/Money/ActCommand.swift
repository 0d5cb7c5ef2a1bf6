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

  struct Add: CRMCommand {
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
      abstract: "Show an act: fields, lines with VAT, totals, its export to 1C.")
    @OptionGroup var global: Global
    @Argument(help: "Act id.") var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.money
      let d = try loadAct(service, id, global)
      output.show(MoneyJSON.act(d, lines: true), else: actText(d, service, global.language))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List acts by date.")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Option(help: "Dated from this day.") var from: String?
    @Option(help: "Dated up to this day (included).") var to: String?
    @Flag(help: "Only acts never exported to 1C (cancelled ones left out).") var notExported = false
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
      abstract: "Print an act («Акт об оказании услуг») as text (80 columns) or an HTML page.",
      discussion:
        "The contractor is your company: crm settings set company_name / company_inn / company_kpp."
    )
    @OptionGroup var options: PrintOptions

    var global: Global { options.global }

    func run(_ session: Session) throws {
      try options.output(session, loadAct, InvoiceDocument.render)
    }
  }

  struct Cancel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: "Cancel an act (one already exported stays in 1C: cancel it there too).")
    @OptionGroup var global: Global
    @Argument(help: "Act id.") var id: Int64

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
