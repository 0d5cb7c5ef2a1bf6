import CRMCore
import Foundation
import TerminalUI

/// One invoice: its header, lines, totals and the payments allocated to it. Scrolls; `$`
/// records a payment of it, `A` makes an act from it, `c` cancels it.
@MainActor
final class InvoiceScreen: RecordPage {
  let tab: Int
  let context: AppContext
  let invoiceId: Int64
  let onChange: () -> Void
  var detail: InvoiceDetail?
  var loaded = false
  var scroll = LineScroll()

  init(context: AppContext, invoiceId: Int64, tab: Int, onChange: @escaping () -> Void = {}) {
    self.context = context
    self.invoiceId = invoiceId
    self.tab = tab
    self.onChange = onChange
  }

  func readRecord() throws { detail = try context.money.invoice(invoiceId) }
  var hasRecord: Bool { detail != nil }
  var goneText: String { l.pick("This invoice no longer exists.", "Этого счёта больше нет.") }

  func lines(width: Int) -> [ReportLine] {
    guard let d = detail else { return [] }
    let i = d.invoice
    let m = context.money
    let cur = i.money
    func amount(_ minor: Int64) -> String { MoneyText.amount(minor, cur, l) }
    var out: [ReportLine] = []
    let status = i.status(today: m.today)
    var statusText = status.name(l)
    if status == .overdue {
      let days = MoneyText.days(from: i.dueDate, to: m.today)
      statusText += l.pick(" for \(days) d", " на \(days) дн.")
    }
    let label = 14
    func field(_ name: String, _ value: String, _ style: Style = .plain) {
      out.append(ReportLine([(" " + TextWidth.fit(name, to: label) + " ", .dim), (value, style)]))
    }
    field(m.fieldName("client"), d.clientName, .bold)
    if !d.clientINN.isEmpty {
      field(
        l.pick("INN / KPP", "ИНН / КПП"),
        d.clientINN + (d.clientKPP.isEmpty ? "" : " / " + d.clientKPP))
    }
    field(m.fieldName("status"), statusText, MoneyText.style(status))
    field(m.fieldName("due"), i.dueDate.isEmpty ? "—" : MoneyText.day(i.dueDate, l))
    if let k = d.contractNumber {
      field(
        m.fieldName("contract"),
        "№ " + k + (d.contractDate.map { l.pick(" of ", " от ") + MoneyText.day($0, l) } ?? ""))
    }
    if i.currency != "RUB" {
      field(
        m.fieldName("currency"),
        i.currency
          + (i.rate.map { l.pick(" at ", " по курсу ") + NSDecimalNumber(decimal: $0).stringValue }
            ?? ""))
    }
    if !i.notes.isEmpty {
      field(m.fieldName("notes"), i.notes.replacingOccurrences(of: "\n", with: " "))
    }
    // Lines.
    out.append(.blank)
    let cols = [
      Column("№", width: 3, alignRight: true), Column(m.fieldName("item"), width: 0),
      Column(l.pick("Qty", "Кол-во"), width: 7, alignRight: true),
      Column(m.fieldName("price"), width: 13, alignRight: true),
      Column(m.fieldName("vat"), width: 7, alignRight: true),
      Column(m.fieldName("sum"), width: 13, alignRight: true),
    ]
    let widths = layoutColumns(cols, total: width - 1, minFlex: 12)
    func row(_ cells: [String], _ style: Style) -> ReportLine {
      var runs: [(String, Style)] = [(" ", .plain)]
      for (n, c) in cols.enumerated() where widths[n] > 0 && n < cells.count {
        runs.append((TextWidth.fit(cells[n], to: widths[n], alignRight: c.alignRight) + " ", style))
      }
      return ReportLine(runs)
    }
    out.append(row(cols.map(\.title), Style(bold: true, underline: true)))
    for line in d.lines {
      out.append(
        row(
          [
            "\(line.position)", line.item,
            OfferService.formatQuantity(line.quantityMilli, l)
              + (line.unit.isEmpty ? "" : " " + line.unit),
            amount(line.price), line.vatRate.map { "\($0) %" } ?? l.pick("none", "без"),
            amount(line.sum),
          ], .plain))
    }
    // Totals.
    let t = d.totals
    out.append(.blank)
    let totalLabel = 24
    func total(_ name: String, _ value: String, _ style: Style = .plain) {
      out.append(
        ReportLine([
          (" " + TextWidth.fit(name, to: totalLabel, alignRight: true) + " ", .dim),
          (TextWidth.fit(value, to: 15, alignRight: true), style),
        ]))
    }
    if t.withoutVAT {
      total(l.pick("Without VAT", "Без НДС"), "")
    } else {
      total(l.pick("Net of VAT", "Без НДС"), amount(t.net))
      for part in t.vatByRate {
        total(
          (t.pricesIncludeVAT ? l.pick("incl. VAT ", "в т. ч. НДС ") : l.pick("VAT ", "НДС "))
            + "\(part.rate) %", amount(part.vat))
      }
    }
    total(l.pick("Total", "Всего"), amount(i.total), .bold)
    total(l.pick("Paid", "Оплачено"), amount(i.paid), Style(color: .green))
    total(
      l.pick("Owed", "Долг"), amount(i.owed),
      i.owed > 0 ? (status == .overdue ? Style(bold: true, color: .red) : .bold) : .plain)
    if i.overpaid > 0 {
      total(l.pick("Overpaid", "Переплата"), amount(i.overpaid), Style(color: .yellow))
    }
    // Payments allocated to it.
    out.append(.blank)
    out.append(
      ReportLine([
        (
          " " + l.pick("Payments", "Оплаты") + " (\(d.allocations.count))",
          Style(bold: true, underline: true)
        )
      ]))
    if d.allocations.isEmpty {
      out.append(
        .text(l.pick("None yet. $ records one.", "Пока нет. $ — записать оплату."), .dim))
    }
    for a in d.allocations {
      var text = " " + TextWidth.fit(MoneyText.day(a.date, l), to: 11)
      text += TextWidth.fit(
        a.source == .bank ? l.pick("bank", "банк") : l.pick("cash", "нал."), to: 6)
      text += TextWidth.fit(a.number.isEmpty ? "" : "№ " + a.number, to: 12)
      out.append(
        ReportLine([
          (text, .plain), (TextWidth.fit(amount(a.amount), to: 15, alignRight: true), .bold),
        ]))
    }
    return out
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard pageShown(&canvas, top: top, rows: rows, width: width), let d = detail else { return }
    let i = d.invoice
    canvas.put(
      top, 1,
      l.pick("Invoice № ", "Счёт № ") + i.number + l.pick(" of ", " от ") + MoneyText.day(i.date, l)
        + " · " + MoneyText.amount(i.total, i.money, l), .bold, maxWidth: width - 2)
    let body = lines(width: width)
    for (n, line) in body[scroll.fit(count: body.count, visible: max(1, rows - 2))].enumerated() {
      line.draw(&canvas, row: top + 2 + n, width: width)
    }
    drawMoreMark(&canvas, row: top + rows - 1, width: width)
  }

  func handle(_ key: Key, app: App) {
    loadIfNeeded(app: app)
    let changed = self.changed
    let action = keys.action(for: key)
    if scroll.move(action) { return }
    switch action {
    case .back: app.pop()
    case .payment:
      guard let d = detail else { return }
      MoneyFlows.newPayment(
        clientId: d.invoice.clientId, name: d.clientName, invoice: d.invoice, tab: tab,
        context: context, app: app
      ) { _ in changed() }
    case .act:
      guard let d = detail else { return }
      MoneyFlows.act(from: d.invoice, context: context, app: app) { _ in changed() }
    case .sendMail:
      guard let d = detail else { return }
      SendFlow.start(.invoice, d.id, tab: tab, context: context, app: app, changed: changed)
    case .cancelDocument:
      guard let d = detail else { return }
      MoneyFlows.cancel(invoice: d.invoice, context: context, app: app, changed: changed)
    case .pdf, .openPDF:
      guard let d = detail else { return }
      DocumentPDFFlow.run(
        .invoice, id: d.id, open: action == .openPDF, context: context, app: app)
    default:
      break
    }
  }
}
