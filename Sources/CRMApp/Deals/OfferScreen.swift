import CRMCore
import Foundation
import TerminalUI

/// One commercial offer: its header, its lines (goods and discounts) with one selected, and the
/// totals the core computes. A draft changes here: `a` adds a line, `%` a discount, `e`/Enter
/// edits the selected line, `d` removes it, `c` copies it, `J`/`K` move it, `h` edits the
/// header. A sent offer is frozen: those keys offer to copy it to a new draft instead.
@MainActor
final class OfferScreen: Screen {
  let tab: Int
  let context: AppContext
  private(set) var offerId: Int64
  let onChange: () -> Void
  private(set) var detail: OfferDetail?
  var list = ListState()
  var loaded = false

  init(context: AppContext, offerId: Int64, tab: Int, onChange: @escaping () -> Void = {}) {
    self.context = context
    self.offerId = offerId
    self.tab = tab
    self.onChange = onChange
  }

  var service: OfferService { context.core.offers }

  func dataChanged() { loaded = false }

  func load(app: App?) {
    guard !loaded else { return }
    loaded = true
    do {
      detail = try service.offer(offerId)
    } catch {
      app?.report(error)
    }
    list.count = detail?.lines.count ?? 0
    list.clamp()
  }

  /// After a change: read again (selecting line `select`, 1-based), tell the opener.
  func changed(select: Int? = nil) {
    loaded = false
    load(app: nil)
    if let select {
      list.selected = select - 1
      list.clamp()
    }
    onChange()
  }

  var selectedLine: OfferLine? {
    guard let d = detail, d.lines.indices.contains(list.selected) else { return nil }
    return d.lines[list.selected]
  }

  func amount(_ minor: Int64) -> String {
    MoneyText.amount(minor, detail?.totals.currency ?? .rub, l)
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 4, width > 10 else { return }
    load(app: nil)
    guard let d = detail else {
      canvas.notice(
        top + 1, l.pick("This offer no longer exists.", "Этого КП больше нет."), width: width,
        .error)
      return
    }
    let o = d.offer
    let f = context.formats
    let s = service
    let col = canvas.put(
      top, 1,
      l.pick("Offer No. ", "КП № ") + o.number + l.pick(" of ", " от ")
        + MoneyText.day(o.date, l), .bold, maxWidth: width - 2)
    canvas.put(top, col, " · " + d.clientName, .plain, maxWidth: max(0, width - col - 1))
    // The header on one line: status, valid until, VAT mode, the deal.
    var status = o.status.name(l)
    if let sent = o.sentAt { status += " " + f.date(sent) }
    var info = [
      status,
      o.pricesIncludeVAT
        ? l.pick("prices include VAT", "цены с НДС") : l.pick("VAT on top", "НДС сверху"),
    ]
    if !o.validUntil.isEmpty {
      info.append(s.fieldName("valid_until") + " " + MoneyText.day(o.validUntil, l))
    }
    info.append(l.pick("deal: ", "сделка: ") + d.dealTitle)
    canvas.put(
      top + 1, 1, info.joined(separator: " · "),
      o.status == .sent ? Style(bold: true, color: .yellow) : .dim, maxWidth: width - 2)
    // The totals at the bottom: net, VAT by rate, total.
    let t = d.totals
    var totals: [(String, String, Style)] = []
    if t.withoutVAT {
      totals.append((l.pick("Without VAT", "Без НДС"), "", .dim))
    } else {
      totals.append((l.pick("Net of VAT", "Без НДС"), amount(t.net), .plain))
      for part in t.vatByRate {
        totals.append(
          (
            (t.pricesIncludeVAT ? l.pick("incl. VAT ", "в т. ч. НДС ") : l.pick("VAT ", "НДС "))
              + "\(part.rate) %", amount(part.vat), .plain
          ))
      }
    }
    totals.append((l.pick("Total", "Всего"), amount(t.gross), .bold))
    let discounts = d.lines.filter(\.isDiscount).reduce(Int64(0)) { $0 + $1.sum }
    if discounts < 0 {
      totals.insert((l.pick("Discounts", "Скидки"), amount(discounts), Style(color: .green)), at: 0)
    }
    // Totals go side by side on one or two lines to leave the lines room.
    let flowed = MoneyText.flow(
      totals.map { ($0.0, $0.1, $0.2) }, width: max(10, width - 2))
    let totalRows = min(flowed.count, max(1, rows - 5))
    let tableRows = rows - 2 - totalRows - 1
    if d.lines.isEmpty {
      canvas.notice(
        top + 3,
        o.status == .draft
          ? l.pick(
            "No lines yet. a adds goods or a service, % a discount.",
            "Строк пока нет. a — добавить товар или услугу, % — скидку.")
          : l.pick("The offer has no lines.", "В КП нет строк."), width: width)
    } else {
      let columns = [
        Column("№", width: 3, alignRight: true), Column(s.fieldName("item"), width: 0),
        Column(l.pick("Qty", "Кол-во"), width: 9, alignRight: true),
        Column(s.fieldName("price"), width: 13, alignRight: true),
        Column(s.fieldName("vat"), width: 7, alignRight: true),
        Column(l.pick("Sum", "Сумма"), width: 14, alignRight: true),
      ]
      list.visible = max(1, tableRows - 1)
      list.clamp()
      let cells = d.lines.dropFirst(list.top).prefix(list.visible).map { line -> [String] in
        let vat = line.vatRate.map { "\($0) %" } ?? l.pick("none", "без")
        if line.isDiscount {
          return [
            "\(line.position)", line.item,
            line.percent.map { OfferService.formatPercent($0, l) } ?? "", "", vat,
            amount(line.sum),
          ]
        }
        return [
          "\(line.position)", line.item,
          OfferService.formatQuantity(line.quantityMilli, l)
            + (line.unit.isEmpty ? "" : " " + line.unit),
          amount(line.price), vat, amount(line.sum),
        ]
      }
      drawTable(
        &canvas, top: top + 2, rows: tableRows, width: width, columns: columns,
        cells: Array(cells), firstIndex: list.top, selected: list.selected
      ) { i in d.lines[i].isDiscount ? Style(color: .green) : .plain }
    }
    let totalsTop = top + rows - totalRows
    canvas.put(totalsTop - 1, 0, String(repeating: "─", count: width), .dim)
    for (i, runs) in flowed.prefix(totalRows).enumerated() {
      var c = 1
      for (text, style) in runs {
        c = canvas.put(totalsTop + i, c, text, style, maxWidth: max(0, width - c - 1))
      }
    }
  }

  func handle(_ key: Key, app: App) {
    load(app: app)
    if list.move(key) { return }
    let action = keys.action(for: key)
    if action == .back {
      app.pop()
      return
    }
    guard let d = detail else { return }
    let editing: Set<Action> = [
      .add, .discount, .edit, .open, .delete, .copy, .reorder, .offerHeader,
    ]
    if let action, editing.contains(action), d.offer.status == .sent {
      askToCopy(d, app: app)
      return
    }
    switch action {
    case .pdf, .openPDF:
      DocumentPDFFlow.run(
        .offer, id: offerId, open: action == .openPDF, context: context, app: app)
    case .add:
      app.push(
        OfferLineFormScreen(
          context: context, offer: d, line: nil, at: selectedLine.map { $0.position + 1 },
          tab: tab
        ) { [weak self] n in self?.changed(select: n) })
    case .discount:
      app.push(
        OfferDiscountFormScreen(
          context: context, offer: d, line: nil, at: selectedLine.map { $0.position + 1 },
          tab: tab
        ) { [weak self] n in self?.changed(select: n) })
    case .edit, .open:
      guard let line = selectedLine else {
        app.flash(l.pick("No line selected; a adds one.", "Строка не выбрана; a — добавить."))
        return
      }
      let done: (Int) -> Void = { [weak self] n in self?.changed(select: n) }
      if line.isDiscount {
        app.push(
          OfferDiscountFormScreen(
            context: context, offer: d, line: line, at: nil, tab: tab, then: done))
      } else {
        app.push(
          OfferLineFormScreen(context: context, offer: d, line: line, at: nil, tab: tab, then: done)
        )
      }
    case .delete:
      guard let line = selectedLine else { return }
      app.ask(
        l.pick("Remove line", "Удаление строки"),
        l.pick(
          "Remove line \(line.position) «\(line.item)»?",
          "Удалить строку \(line.position) «\(line.item)»?")
      ) { [weak self] in
        guard let self else { return }
        do {
          try self.service.removeLine(self.offerId, number: line.position)
          app.flash(self.l.pick("Line removed.", "Строка удалена."))
          self.changed(select: line.position)
        } catch { app.report(error) }
      }
    case .copy:
      guard let line = selectedLine else { return }
      do {
        let n = try service.copyLine(offerId, number: line.position)
        app.flash(l.pick("Line copied as \(n).", "Строка скопирована: \(n)."))
        changed(select: n)
      } catch { app.report(error) }
    case .reorder:
      guard let line = selectedLine else { return }
      let to = line.position + (KeyboardLayout.latin(key) == .char("K") ? -1 : 1)
      guard to >= 1 && to <= d.lines.count else { return }
      do {
        try service.moveLine(offerId, from: line.position, to: to)
        changed(select: to)
      } catch { app.report(error) }
    case .offerHeader:
      app.push(
        OfferHeaderFormScreen(context: context, offer: d, tab: tab) { [weak self] in
          self?.changed()
        })
    case .copyOffer:
      OfferFlows.copy(d, context: context, app: app) { [weak self] id in self?.show(id) }
    case .sendMail:
      SendFlow.start(.offer, d.id, tab: tab, context: context, app: app) { [weak self] in
        self?.changed()
      }
    case .markSent:
      OfferFlows.markSent(d, context: context, app: app) { [weak self] in self?.changed() }
    case .cancelDocument:
      OfferFlows.delete(d, context: context, app: app, changed: onChange) { app.pop() }
    default:
      break
    }
  }

  /// Shows another offer (a copy just made) in this screen.
  func show(_ id: Int64) {
    offerId = id
    list = ListState()
    changed()
  }

  /// A key that would change a sent offer: offer an editable copy instead.
  func askToCopy(_ d: OfferDetail, app: App) {
    let when = d.offer.sentAt.map(context.formats.date) ?? ""
    let context = self.context
    app.ask(
      l.pick("The offer is sent", "КП отправлено"),
      l.pick(
        "No. \(d.offer.number) was sent on \(when) and does not change. Copy it to a new draft to edit?",
        "№ \(d.offer.number) отправлено \(when) и не меняется. Скопировать в новый черновик и править его?"
      )
    ) { [weak self] in
      OfferFlows.copy(d, context: context, app: app) { id in
        self?.show(id)
      }
    }
  }
}
