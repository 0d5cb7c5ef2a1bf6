import CRMCore
import Foundation
import TerminalUI

/// Bank payments the import could not match, oldest first, waiting for a manager: Enter
/// assigns one to a client (picked by search) and, when the client has unpaid invoices, to one
/// of them; `x` sets one aside (not a client's money); `u` undoes the last of either. Reached
/// from the Reports screen with `b`.
@MainActor
final class BankQueueScreen: ListScreen {
  /// What `u` undoes.
  enum Done: Equatable {
    case assigned(Int64)
    case ignored(Int64)
  }

  let tab = 6
  let context: AppContext
  let onChange: () -> Void
  private(set) var rows: [MoneyService.PaymentRow] = []
  private(set) var total = 0
  var list = ListState()
  var stale = true
  private(set) var last: Done?
  /// The payment to select after the next refresh (one `u` brought back).
  var selectId: Int64?
  /// Queued payments read at most (one SQL page, oldest first).
  static let limit = 500

  init(context: AppContext, onChange: @escaping () -> Void = {}) {
    self.context = context
    self.onChange = onChange
  }

  func dataChanged() { stale = true }

  func readRows() throws {
    rows = try context.money.payments(state: .queued, limit: Self.limit)
    total = try context.money.queueCount()
  }
  func forgetRows() { rows = [] }
  var rowCount: Int { rows.count }
  func rowToSelect() -> Int? {
    defer { selectId = nil }
    return selectId.flatMap { id in rows.firstIndex(where: { $0.id == id }) }
  }

  var selected: MoneyService.PaymentRow? {
    rows.indices.contains(list.selected) ? rows[list.selected] : nil
  }

  func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    guard height > 0, width > 4 else { return }
    refresh(app: nil)
    let f = context.formats
    var col = canvas.put(top, 1, l.pick("Bank queue", "Очередь банка"), .bold, maxWidth: width - 2)
    let count =
      total == 0
      ? l.pick(" · empty", " · пусто")
      : l.pick(
        " · \(f.integer(total)) waiting for a manager", " · ждут менеджера: \(f.integer(total))")
    col = canvas.put(top, col, count, total > 0 ? .bold : .dim, maxWidth: max(0, width - col - 1))
    if rows.count < total {
      canvas.put(
        top, col, l.pick(" · the oldest \(rows.count) shown", " · показаны старые \(rows.count)"),
        .dim, maxWidth: max(0, width - col - 1))
    }
    guard height > 2 else { return }
    if rows.isEmpty {
      canvas.notice(
        top + 2,
        l.pick(
          "Nothing waits: every bank payment belongs to a client or was set aside.",
          "Очередь пуста: все банковские платежи привязаны к клиентам или отложены."), width: width)
      return
    }
    // The table above, the selected payment's purpose and reason below it.
    let detailRows = height >= 14 ? 5 : (height >= 9 ? 3 : 0)
    let tableRows = height - 1 - detailRows
    // The payer gets 16 columns at 80, more on wider terminals; the purpose the rest.
    let payer = max(16, min(30, (width - 50) / 2))
    let columns = [
      Column(l.pick("Date", "Дата"), width: 10),
      Column(l.pick("Payer", "Плательщик"), width: payer),
      Column(l.pick("INN", "ИНН"), width: 12),
      Column(l.pick("Amount", "Сумма"), width: 13, alignRight: true),
      Column(l.pick("Purpose", "Назначение"), width: 0),
    ]
    list.visible = max(1, tableRows - 1)
    list.clamp()
    let shown = Array(self.rows.dropFirst(list.top).prefix(list.visible))
    let cells = shown.map { r -> [String] in
      let p = r.payment
      return [
        MoneyText.day(p.date, l), p.payerName, p.payerINN, MoneyText.amount(p.amount, p.money, l),
        p.purpose,
      ]
    }
    drawTable(
      &canvas, top: top + 1, rows: tableRows, width: width, columns: columns, cells: cells,
      firstIndex: list.top, selected: list.selected)
    guard detailRows > 0, let s = selected else { return }
    let p = s.payment
    var r = top + 1 + tableRows
    canvas.put(r, 0, String(repeating: "─", count: width), .dim)
    r += 1
    let label =
      max(TextWidth.of(l.pick("Purpose", "Назначение")), TextWidth.of(l.pick("Reason", "Причина")))
      + 2
    let textWidth = max(1, width - label - 2)
    let purpose = wrap(p.purpose.isEmpty ? "—" : p.purpose, width: textWidth)
    let reason = wrap(
      p.note.isEmpty ? l.pick("not recognised", "не распознан") : p.note, width: textWidth)
    let reasonRows = max(1, min(reason.count, (detailRows - 1) / 2))
    let purposeRows = max(1, detailRows - 1 - reasonRows)
    for (i, line) in purpose.prefix(purposeRows).enumerated() {
      if i == 0 { canvas.put(r, 1, l.pick("Purpose", "Назначение"), .dim) }
      canvas.put(r, 1 + label, line, .plain, maxWidth: textWidth)
      r += 1
    }
    for (i, line) in reason.prefix(reasonRows).enumerated() {
      if i == 0 { canvas.put(r, 1, l.pick("Reason", "Причина"), .dim) }
      canvas.put(r, 1 + label, line, Style(color: .yellow), maxWidth: textWidth)
      r += 1
    }
  }

  func handle(_ key: Key, app: App) {
    guard let action = listAction(key, app: app) else { return }
    switch action {
    case .open:
      guard let s = selected else { return }
      guard MoneyFlows.requireUser(context, app) else { return }
      pickClient(for: s, app: app)
    case .ignore:
      guard let s = selected else { return }
      do {
        try context.money.ignore(s.id)
        last = .ignored(s.id)
        app.flash(
          l.pick("Payment of ", "Платёж ") + MoneyText.amount(s.payment.amount, s.payment.money, l)
            + l.pick(" set aside; u undoes.", " отложен; u — отменить."))
        changed()
      } catch { app.report(error) }
    case .undo:
      guard let last else {
        app.flash(l.pick("Nothing to undo.", "Нечего отменять."))
        return
      }
      do {
        switch last {
        case .ignored(let id):
          try context.money.ignore(id, false)
          selectId = id
        case .assigned(let id):
          try context.money.unassign(id)
          selectId = id
        }
        self.last = nil
        app.flash(l.pick("The payment is back in the queue.", "Платёж снова в очереди."))
        changed()
      } catch { app.report(error) }
    default:
      break
    }
  }

  func changed() {
    stale = true
    onChange()
  }

  /// The client (searched), then the invoice when it has unpaid ones, then the assignment.
  func pickClient(for row: MoneyService.PaymentRow, app: App) {
    let p = row.payment
    let what =
      MoneyText.amount(p.amount, p.money, l)
      + (p.payerName.isEmpty ? "" : l.pick(" from ", " от ") + p.payerName)
    // Clients sharing the payer's ИНН (the queue's «several clients») are shown at once.
    var filter = ""
    if !p.payerINN.isEmpty,
      let found = try? context.db.page(
        ClientListQuery(search: p.payerINN), offset: 0, limit: 1), !found.isEmpty
    {
      filter = p.payerINN
    }
    app.push(
      PickerScreen.clients(
        tab: tab, context: context, title: l.pick("Whose payment: ", "Чей платёж: ") + what,
        prompt: l.pick(
          "Type a part of the client's name, a phone or an INN; Enter picks.",
          "Введите часть названия клиента, телефон или ИНН; Enter — выбрать."),
        cancelMessage: l.pick("The payment stays in the queue.", "Платёж остался в очереди."),
        filter: filter
      ) { [weak self] item, app in
        guard let self, let client = Int64(item.key) else { return }
        self.pickInvoice(for: row, client: client, name: item.label, app: app)
      })
  }

  func pickInvoice(for row: MoneyService.PaymentRow, client: Int64, name: String, app: App) {
    let p = row.payment
    let unpaid: [InvoiceRow]
    do {
      unpaid = try context.money.invoices(
        MoneyService.InvoiceFilter(clientId: client, unpaidOnly: true), limit: 200
      ).filter { $0.invoice.currency == p.currency }
    } catch {
      app.report(error)
      return
    }
    if unpaid.isEmpty {
      assign(row, client: client, name: name, invoice: nil, app: app)
      return
    }
    // The invoices owing exactly this sum first, then the oldest.
    let ordered =
      unpaid.filter { $0.invoice.owed == p.amount }.reversed()
      + unpaid.filter { $0.invoice.owed != p.amount }.reversed()
    var items = ordered.map { r in
      let i = r.invoice
      return PickItem(
        key: "\(r.id)",
        label: l.pick("invoice № ", "счёт № ") + i.number + l.pick(" of ", " от ")
          + MoneyText.day(i.date, l),
        detail: l.pick("owed ", "долг ") + MoneyText.amount(i.owed, i.money, l)
          + l.pick(", due ", ", до ") + MoneyText.day(i.dueDate, l))
    }
    items.append(PickItem(key: "", label: l.pick("no invoice", "без счёта")))
    app.push(
      PickerScreen.fixed(
        tab: tab, context: context,
        title: name + ": " + l.pick("which invoice does ", "какой счёт оплачивают ")
          + MoneyText.amount(p.amount, p.money, l) + l.pick(" pay?", "?"),
        prompt: l.pick(
          "Enter picks; «no invoice» leaves it unallocated.",
          "Enter — выбрать; «без счёта» — не распределять."), items: items,
        cancelMessage: l.pick("The payment stays in the queue.", "Платёж остался в очереди.")
      ) { [weak self] item, app in
        guard let self else { return }
        self.assign(
          row, client: client, name: name, invoice: ordered.first { "\($0.id)" == item.key },
          app: app)
      })
  }

  func assign(
    _ row: MoneyService.PaymentRow, client: Int64, name: String, invoice: InvoiceRow?, app: App
  ) {
    let p = row.payment
    do {
      try context.money.assign(row.id, to: client, invoiceId: invoice?.id)
      last = .assigned(row.id)
      let allocated = try context.money.payment(row.id)?.payment.allocated ?? 0
      // Short: the status line shares its row with the overdue badge.
      var text = l.pick("Assigned to ", "Привязан к ") + name
      if let invoice, allocated > 0 {
        text += l.pick(", invoice № ", ", счёт № ") + invoice.invoice.number
        if allocated < p.amount {
          text +=
            ": " + MoneyText.amount(allocated, p.money, l) + l.pick(" of ", " из ")
            + MoneyText.amount(p.amount, p.money, l)
        }
      }
      app.flash(text + l.pick("; u undoes.", "; u — отмена."))
      changed()
    } catch { app.report(error) }
  }
}
