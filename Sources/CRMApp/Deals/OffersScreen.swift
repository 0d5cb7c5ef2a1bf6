import CRMCore
import Foundation
import TerminalUI

/// The commercial offers of one deal (from the deal card, `o`), oldest first: number, date,
/// status, lines and total. Enter opens one; `a` starts a new draft, `C` copies the selected one
/// (sent or not) to a new draft, `d` deletes a draft, `s` marks a draft sent.
@MainActor
final class OffersScreen: ListScreen {
  let tab: Int
  let context: AppContext
  let dealId: Int64
  let dealTitle: String
  let onChange: () -> Void
  private(set) var offers: [OfferDetail] = []
  var list = ListState()
  var stale = true
  /// The offer to select after the next read (one just made).
  var selectId: Int64?

  init(
    context: AppContext, dealId: Int64, dealTitle: String, tab: Int,
    onChange: @escaping () -> Void = {}
  ) {
    self.context = context
    self.dealId = dealId
    self.dealTitle = dealTitle
    self.tab = tab
    self.onChange = onChange
  }

  var service: OfferService { context.core.offers }

  func dataChanged() { stale = true }
  func readRows() throws { offers = try service.offers(ofDeal: dealId) }
  func forgetRows() { offers = [] }
  var rowCount: Int { offers.count }
  func rowToSelect() -> Int? {
    defer { selectId = nil }
    return selectId.flatMap { id in offers.firstIndex { $0.id == id } }
  }

  var selected: OfferDetail? {
    offers.indices.contains(list.selected) ? offers[list.selected] : nil
  }

  /// After a change made here or in an offer opened from here: read again, tell the deal card.
  var changed: () -> Void {
    { [weak self] in
      self?.stale = true
      self?.onChange()
    }
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 4 else { return }
    refresh(app: nil)
    let col = canvas.put(
      top, 1, l.pick("Offers: ", "КП по сделке: ") + dealTitle, .bold, maxWidth: width - 2)
    canvas.put(
      top, col, l.pick(" · \(offers.count)", " · \(offers.count)"), .dim,
      maxWidth: max(0, width - col - 1))
    guard rows > 2 else { return }
    if offers.isEmpty {
      canvas.notice(
        top + 2,
        l.pick(
          "No offers on this deal yet. a starts a draft.",
          "По сделке ещё нет КП. a — создать черновик."), width: width)
      return
    }
    let columns = [
      Column("№", width: 5, alignRight: true), Column(l.pick("Number", "Номер"), width: 11),
      Column(l.pick("Date", "Дата"), width: 10), Column(l.pick("Status", "Статус"), width: 0),
      Column(l.pick("Lines", "Строк"), width: 5, alignRight: true),
      Column(l.pick("Total", "Сумма"), width: 16, alignRight: true),
    ]
    list.visible = max(1, rows - 2)
    list.clamp()
    let f = context.formats
    let cells = offers.dropFirst(list.top).prefix(list.visible).map { d -> [String] in
      let o = d.offer
      var status = o.status.name(l)
      if let sent = o.sentAt { status += " " + f.date(sent) }
      return [
        "\(d.id)", o.number, MoneyText.day(o.date, l), status, "\(d.lines.count)",
        MoneyText.amount(d.totals.gross, d.totals.currency, l),
      ]
    }
    drawTable(
      &canvas, top: top + 1, rows: rows - 1, width: width, columns: columns, cells: Array(cells),
      firstIndex: list.top, selected: list.selected
    ) { i in self.offers[i].offer.status == .sent ? .dim : .plain }
  }

  func handle(_ key: Key, app: App) {
    guard let action = listAction(key, app: app) else { return }
    switch action {
    case .open:
      guard let d = selected else { return }
      open(d.id, app: app)
    case .add:
      do {
        let id = try service.add(Offer(dealId: dealId))
        selectId = id
        changed()
        app.flash(l.pick("Draft offer created.", "Черновик КП создан."))
        open(id, app: app)
      } catch { app.report(error) }
    case .copyOffer:
      guard let d = selected else { return }
      OfferFlows.copy(d, context: context, app: app) { [weak self] id in
        self?.selectId = id
        self?.changed()
        self?.open(id, app: app)
      }
    case .delete:
      guard let d = selected else { return }
      OfferFlows.delete(d, context: context, app: app, changed: changed)
    case .markSent:
      guard let d = selected else { return }
      OfferFlows.markSent(d, context: context, app: app, changed: changed)
    case .pdf, .openPDF:
      guard let d = selected else { return }
      DocumentPDFFlow.run(.offer, id: d.id, open: action == .openPDF, context: context, app: app)
    default:
      break
    }
  }

  func open(_ id: Int64, app: App) {
    app.push(OfferScreen(context: context, offerId: id, tab: tab, onChange: changed))
  }
}

/// The offer actions shared by the list of a deal's offers and the offer itself.
@MainActor
enum OfferFlows {
  /// `C`: a new draft with the same lines, the next free number and today's date.
  static func copy(
    _ d: OfferDetail, context: AppContext, app: App, then: @escaping (Int64) -> Void
  ) {
    let l = context.language
    do {
      let id = try context.core.offers.copy(d.id)
      let number = try context.core.offers.offer(id)?.offer.number ?? ""
      app.flash(
        l.pick(
          "Copied to a new draft, No. \(number).", "Скопировано в новый черновик № \(number)."))
      then(id)
    } catch { app.report(error) }
  }

  /// `d` on an offer: deletes a draft after asking; a sent one stays in the history.
  static func delete(
    _ d: OfferDetail, context: AppContext, app: App, changed: @escaping () -> Void,
    then: @escaping () -> Void = {}
  ) {
    let l = context.language
    guard d.offer.status == .draft else {
      app.flash(
        l.pick(
          "A sent offer stays in the client's history; C copies it to a new draft.",
          "Отправленное КП остаётся в истории клиента; C — скопировать в новый черновик."))
      return
    }
    app.ask(
      l.pick("Delete offer", "Удаление КП"),
      l.pick(
        "Delete the draft No. \(d.offer.number) with its \(d.lines.count) lines?",
        "Удалить черновик № \(d.offer.number) со строками (\(d.lines.count))?")
    ) {
      do {
        try context.core.offers.delete(d.id)
        app.flash(l.pick("Draft deleted.", "Черновик удалён."))
        changed()
        then()
      } catch { app.report(error) }
    }
  }

  /// `s`: marks a draft sent (logs the e-mail contact) after asking.
  static func markSent(
    _ d: OfferDetail, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    let l = context.language
    guard d.offer.status == .draft else {
      app.flash(l.pick("The offer is sent already.", "КП уже отправлено."))
      return
    }
    let total = MoneyText.amount(d.totals.gross, d.totals.currency, l)
    app.ask(
      l.pick("Offer sent", "КП отправлено"),
      l.pick(
        "Mark No. \(d.offer.number) (\(total)) sent? It will no longer change; an e-mail contact is logged.",
        "Отметить № \(d.offer.number) (\(total)) отправленным? Оно больше не изменится; запишется контакт-письмо."
      )
    ) {
      do {
        try context.core.offers.markSent(d.id)
        app.flash(
          l.pick("No. \(d.offer.number) marked sent.", "№ \(d.offer.number) отмечено отправленным.")
        )
        changed()
      } catch { app.report(error) }
    }
  }
}
