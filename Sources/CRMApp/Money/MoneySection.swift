import CRMCore
import Foundation
import TerminalUI

/// Money as the screens print it.
enum MoneyText {
  /// `120 000 ₽` when there are no kopecks, `120 000,50 ₽` when there are.
  static func amount(_ m: Money, _ l: Language) -> String {
    var scale: Int64 = 1
    for _ in 0..<m.currency.minorDigits { scale *= 10 }
    return m.formatted(l, whole: m.minor % scale == 0)
  }

  static func amount(_ minor: Int64, _ currency: Currency, _ l: Language) -> String {
    amount(Money(minor: minor, currency: currency), l)
  }

  /// An amount to prefill a form field with, as the person would type it: `1 052 000,00`
  /// (`1,052,000.00` in English), no currency sign; `Money.parse` reads it back.
  static func input(_ m: Money, _ l: Language) -> String {
    let text = m.formatted(l)
    let sign = "\u{00A0}" + m.currency.symbol
    return (text.hasSuffix(sign) ? String(text.dropLast(sign.count)) : text)
      .replacingOccurrences(of: "\u{00A0}", with: " ")
  }

  /// `20.11.2026` (ru) or `2026-11-20` (en); empty stays empty.
  static func day(_ iso: String, _ l: Language) -> String {
    OfferService.displayDay(iso, l)
  }

  /// Where a payment came from: the bank, cash, or cash kept out of accounting.
  static func source(_ p: Payment, _ l: Language) -> String {
    if p.source == .bank { return l.pick("bank", "банк") }
    return p.managementOnly ? l.pick("mgmt", "упр.") : l.pick("cash", "нал.")
  }

  /// Whole days from `from` to `to` (`YYYY-MM-DD`); 0 when either is not a day.
  static func days(from: String, to: String) -> Int {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "UTC")!
    func date(_ s: String) -> Date? {
      let p = s.split(separator: "-").compactMap { Int($0) }
      guard p.count == 3 else { return nil }
      return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
    }
    guard let a = date(from), let b = date(to) else { return 0 }
    return c.dateComponents([.day], from: a, to: b).day ?? 0
  }

  /// The style of an invoice's row by its status: overdue in red like stuck deals.
  static func style(_ s: InvoiceStatus) -> Style {
    switch s {
    case .overdue: return Style(bold: true, color: .red)
    case .paid: return Style(color: .green)
    case .cancelled, .draft: return .dim
    case .issued, .partlyPaid: return .plain
    }
  }

  /// The pieces of a money summary: label, value and the value's style.
  static func summaryParts(_ s: MoneySummary, _ l: Language) -> [(String, String, Style)] {
    let c = s.currency
    var parts: [(String, String, Style)] = [
      (l.pick("Contracts", "Договоры"), amount(s.contracted, c, l), .plain),
      (l.pick("Invoiced", "Выставлено"), amount(s.invoiced, c, l), .plain),
      (l.pick("Paid", "Оплачено"), amount(s.paid, c, l), Style(bold: true, color: .green)),
      (l.pick("Owed", "Долг"), amount(s.owed, c, l), .bold),
      (
        l.pick("Overdue", "Просрочено"), amount(s.overdue, c, l),
        s.overdue > 0 ? Style(bold: true, color: .red) : .plain
      ),
    ]
    if s.managementOnly > 0 {
      parts.append((l.pick("Mgmt cash", "Упр. нал."), amount(s.managementOnly, c, l), .plain))
    }
    if s.unallocated != 0 {
      parts.append(
        (
          l.pick("Unallocated", "Не распределено"), amount(s.unallocated, c, l),
          Style(color: .yellow)
        ))
    }
    return parts
  }

  /// Label-value pieces flowed into lines of at most `width` columns, ` · ` between them.
  static func flow(_ parts: [(String, String, Style)], width: Int) -> [[(String, Style)]] {
    var lines: [[(String, Style)]] = [[]]
    var used = 0
    for (label, value, style) in parts {
      let piece = TextWidth.of(label) + 1 + TextWidth.of(value)
      let sep = used == 0 ? 0 : 3
      if used > 0 && used + sep + piece > width {
        lines.append([])
        used = 0
      }
      if used > 0 { lines[lines.count - 1].append((" · ", .dim)) }
      lines[lines.count - 1].append((label + " ", .dim))
      lines[lines.count - 1].append((value, style))
      used += (used == 0 ? 0 : 3) + piece
    }
    return lines
  }
}

/// The Money section of the client card: a summary per currency on top, then the client's
/// contracts, invoices, payments and acts in one list that scrolls under it. Only documents
/// are selectable; the section titles carry the column names.
@MainActor
final class MoneyPanel {
  enum Item {
    case title(Kind, Int)
    case contract(ContractRow)
    case invoice(InvoiceRow)
    case payment(MoneyService.PaymentRow)
    case act(ActDetail)
    case none(Kind)

    var selectable: Bool {
      switch self {
      case .title, .none: return false
      default: return true
      }
    }
  }

  enum Kind { case contracts, invoices, payments, acts }

  let context: AppContext
  let clientId: Int64
  var summaries: [MoneySummary] = []
  var contracts: [ContractRow] = []
  var invoices: [InvoiceRow] = []
  var payments: [MoneyService.PaymentRow] = []
  var acts: [ActDetail] = []
  var items: [Item] = []
  var state = ListState()
  var loaded = false
  /// The document to select after the next load (one just added), as `key(_:)` names it.
  var pendingKey: String?
  /// Documents of each kind read (newest first).
  static let limit = 200

  init(context: AppContext, clientId: Int64) {
    self.context = context
    self.clientId = clientId
  }

  var l: Language { context.language }
  var today: String { context.money.today }

  func load(app: App?) {
    loaded = true
    let m = context.money
    do {
      summaries = try m.summary(clientId: clientId)
      contracts = try m.contracts(clientId: clientId, limit: Self.limit)
      invoices = try m.invoices(
        MoneyService.InvoiceFilter(clientId: clientId), limit: Self.limit)
      payments = try m.payments(clientId: clientId, limit: Self.limit)
      acts = Array(try m.acts(clientId: clientId).suffix(Self.limit).reversed())
    } catch {
      app?.report(error)
    }
    var out: [Item] = [.title(.contracts, contracts.count)]
    out += contracts.isEmpty ? [.none(.contracts)] : contracts.map(Item.contract)
    out.append(.title(.invoices, invoices.count))
    out += invoices.isEmpty ? [.none(.invoices)] : invoices.map(Item.invoice)
    out.append(.title(.payments, payments.count))
    out += payments.isEmpty ? [.none(.payments)] : payments.map(Item.payment)
    out.append(.title(.acts, acts.count))
    out += acts.isEmpty ? [.none(.acts)] : acts.map(Item.act)
    let key = pendingKey ?? selectedKey
    pendingKey = nil
    items = out
    state.count = items.count
    if let key, let i = items.firstIndex(where: { Self.key($0) == key }) {
      state.selected = i
    }
    settle(direction: 1)
  }

  static func key(_ item: Item) -> String? {
    switch item {
    case .contract(let c): return "k\(c.id)"
    case .invoice(let i): return "i\(i.id)"
    case .payment(let p): return "p\(p.id)"
    case .act(let a): return "a\(a.id)"
    default: return nil
    }
  }

  var selectedKey: String? {
    items.indices.contains(state.selected) ? Self.key(items[state.selected]) : nil
  }

  var selected: Item? { items.indices.contains(state.selected) ? items[state.selected] : nil }

  var selectedInvoice: InvoiceRow? {
    if case .invoice(let i) = selected { return i }
    return nil
  }

  var selectedContract: ContractRow? {
    if case .contract(let c) = selected { return c }
    return nil
  }

  var selectedAct: ActDetail? {
    if case .act(let a) = selected { return a }
    return nil
  }

  /// Selects the first (or, going up, the last) invoice.
  func select(_ kind: Kind) {
    if let i = items.firstIndex(where: {
      switch ($0, kind) {
      case (.invoice, .invoices), (.payment, .payments), (.contract, .contracts), (.act, .acts):
        return true
      default: return false
      }
    }) {
      state.selected = i
      state.clamp()
    }
  }

  /// Moves the selection off titles: on in `direction`, else back.
  func settle(direction: Int) {
    state.clamp()
    guard items.contains(where: \.selectable) else { return }
    var i = state.selected
    let step = direction >= 0 ? 1 : -1
    while items.indices.contains(i) && !items[i].selectable { i += step }
    if !items.indices.contains(i) {
      i = state.selected
      while items.indices.contains(i) && !items[i].selectable { i -= step }
    }
    if items.indices.contains(i) { state.selected = i }
    // Keep the title of the first section in view when at its first document.
    if let first = items.firstIndex(where: \.selectable), state.selected == first {
      state.top = 0
    }
    state.clamp()
  }

  /// Movement keys; true when the key was one.
  func move(_ key: Key) -> Bool {
    let before = state.selected
    guard state.move(key) else { return false }
    settle(direction: state.selected >= before ? 1 : -1)
    return true
  }

  // MARK: Drawing

  func columns(_ kind: Kind, first: Int) -> [Column] {
    switch kind {
    case .contracts:
      return [
        Column("", width: first), Column(l.pick("Date", "Дата"), width: 10),
        Column(l.pick("Sum", "Сумма"), width: 13, alignRight: true),
        Column(l.pick("Owed", "Долг"), width: 13, alignRight: true),
        Column(l.pick("Kind · status · subject", "Вид · статус · предмет"), width: 0),
      ]
    case .invoices:
      return [
        Column("", width: first), Column(l.pick("Date", "Дата"), width: 10),
        Column(l.pick("Due", "Срок"), width: 10),
        Column(l.pick("Total", "Сумма"), width: 13, alignRight: true),
        Column(l.pick("Paid", "Оплачено"), width: 13, alignRight: true),
        Column(l.pick("Status", "Статус"), width: 0),
      ]
    case .payments:
      return [
        Column("", width: first), Column(l.pick("From", "Откуда"), width: 6),
        Column(l.pick("Amount", "Сумма"), width: 13, alignRight: true),
        Column(l.pick("Allocated", "Распред."), width: 13, alignRight: true),
        Column(l.pick("Note", "Примечание"), width: 0),
      ]
    case .acts:
      return [
        Column("", width: first), Column(l.pick("Date", "Дата"), width: 10),
        Column(l.pick("Total", "Сумма"), width: 13, alignRight: true),
        Column(l.pick("To accounting", "В учёт"), width: 0),
      ]
    }
  }

  func title(_ kind: Kind, _ n: Int) -> String {
    switch kind {
    case .contracts: return l.pick("Contracts", "Договоры") + " (\(n))"
    case .invoices: return l.pick("Invoices", "Счета") + " (\(n))"
    case .payments: return l.pick("Payments", "Платежи") + " (\(n))"
    case .acts: return l.pick("Acts", "Акты") + " (\(n))"
    }
  }

  func emptyText(_ kind: Kind) -> String {
    switch kind {
    case .contracts: return l.pick("none; K adds one", "нет; K — добавить")
    case .invoices: return l.pick("none; i issues one", "нет; i — выставить")
    case .payments: return l.pick("none; $ records one", "нет; $ — записать")
    case .acts:
      return l.pick(
        "none; A makes one from an invoice or a contract", "нет; A — акт по счёту или договору")
    }
  }

  func kind(_ item: Item) -> Kind {
    switch item {
    case .title(let k, _), .none(let k): return k
    case .contract: return .contracts
    case .invoice: return .invoices
    case .payment: return .payments
    case .act: return .acts
    }
  }

  /// The first column's width, the same in every section so that dates and sums line up:
  /// the titles, the numbers and dates, 10–16.
  var firstWidth: Int {
    var w = 10
    w = max(w, TextWidth.of(title(.contracts, contracts.count)))
    w = max(w, TextWidth.of(title(.invoices, invoices.count)))
    w = max(w, TextWidth.of(title(.payments, payments.count)))
    w = max(w, TextWidth.of(title(.acts, acts.count)))
    w = max(w, contracts.map { TextWidth.of("№ " + $0.contract.number) }.max() ?? 0)
    w = max(w, invoices.map { TextWidth.of("№ " + $0.invoice.number) }.max() ?? 0)
    w = max(w, acts.map { TextWidth.of("№ " + $0.act.number) }.max() ?? 0)
    return min(16, w)
  }

  func cells(_ item: Item) -> ([String], Style) {
    switch item {
    case .contract(let r):
      let c = r.contract
      let s = r.summary
      var what = [c.kind.name(l), c.status.name(l)]
      if !c.subject.isEmpty { what.append(c.subject) }
      let style: Style =
        c.status == .cancelled || c.status == .closed
        ? .dim : (s.overdue > 0 ? Style(bold: true, color: .red) : .plain)
      return (
        [
          "№ " + c.number, MoneyText.day(c.date, l), MoneyText.amount(c.amount, c.money, l),
          MoneyText.amount(s.owed, s.currency, l), what.joined(separator: " · "),
        ], style
      )
    case .invoice(let r):
      let i = r.invoice
      let status = i.status(today: today)
      var text = status.name(l)
      if status == .overdue {
        let days = MoneyText.days(from: i.dueDate, to: today)
        text += l.pick(" +\(days) d", " +\(days) дн")
      }
      return (
        [
          "№ " + i.number, MoneyText.day(i.date, l), MoneyText.day(i.dueDate, l),
          MoneyText.amount(i.total, i.money, l), MoneyText.amount(i.paid, i.money, l), text,
        ], MoneyText.style(status)
      )
    case .payment(let r):
      let p = r.payment
      var note: [String] = []
      if p.unallocated > 0 {
        note.append(
          l.pick("unallocated ", "не распределено ")
            + MoneyText.amount(p.unallocated, p.money, l))
      }
      if let k = r.contractNumber { note.append(l.pick("contract № ", "дог. № ") + k) }
      if !p.number.isEmpty { note.append(l.pick("order № ", "п/п № ") + p.number) }
      if !p.purpose.isEmpty { note.append(p.purpose) }
      return (
        [
          MoneyText.day(p.date, l), MoneyText.source(p, l), MoneyText.amount(p.amount, p.money, l),
          MoneyText.amount(p.allocated, p.money, l), note.joined(separator: " · "),
        ], p.unallocated > 0 ? Style(color: .yellow) : .plain
      )
    case .act(let d):
      let a = d.act
      var text: String
      if a.cancelled {
        text =
          a.exportId != nil
          ? l.pick("cancelled after export", "отменён после выгрузки")
          : l.pick("cancelled", "отменён")
      } else {
        text =
          a.exportId != nil ? l.pick("exported", "выгружен") : l.pick("not exported", "не выгружен")
      }
      if !a.periodFrom.isEmpty {
        text += " · " + MoneyText.day(a.periodFrom, l) + "–" + MoneyText.day(a.periodTo, l)
      }
      if let n = d.invoiceNumber { text += l.pick(" · invoice № ", " · счёт № ") + n }
      return (
        [
          "№ " + a.number, MoneyText.day(a.date, l), MoneyText.amount(a.total, a.money, l), text,
        ], a.cancelled ? .dim : .plain
      )
    case .title, .none:
      return ([], .plain)
    }
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    if !loaded { load(app: nil) }
    guard rows > 0, width > 4 else { return }
    var r = top
    let end = top + rows
    // The summary: one flowing line (or more) per currency; none yet: say how to start.
    if summaries.allSatisfy(\.isEmpty) {
      canvas.line(
        &r,
        l.pick(
          "No money yet: i issues an invoice, $ records a payment, K adds a contract.",
          "Денег пока нет: i — выставить счёт, $ — записать оплату, K — добавить договор."), .dim,
        width: width)
    } else {
      for s in summaries where !s.isEmpty {
        var parts = MoneyText.summaryParts(s, l)
        if summaries.count > 1 { parts[0].0 = s.currency.code + ": " + parts[0].0 }
        for line in MoneyText.flow(parts, width: width - 2) {
          if r >= end - 1 { break }
          var col = 1
          for (text, style) in line {
            col = canvas.put(r, col, text, style, maxWidth: max(0, width - 1 - col))
          }
          r += 1
        }
      }
    }
    r += 1
    // The section's own keys on its last row (the hint bar has no room for them all).
    var listEnd = end
    if end - r >= 6 {
      listEnd = end - 1
      canvas.put(
        listEnd, 1,
        l.pick(
          "i invoice · $ payment · K contract · A act · c cancel · Enter opens an invoice",
          "i счёт · $ оплата · K договор · A акт · c отменить · Enter — открыть счёт"), .dim,
        maxWidth: width - 2)
    }
    // The documents.
    let listRows = listEnd - r
    guard listRows > 0 else { return }
    state.visible = max(1, listRows)
    state.clamp()
    let first = firstWidth
    for (n, item) in items.dropFirst(state.top).prefix(listRows).enumerated() {
      let row = r + n
      let k = kind(item)
      let cols = columns(k, first: first)
      let widths = layoutColumns(cols, total: width, minFlex: 12)
      switch item {
      case .title(_, let count):
        canvas.fill(row, 0, width: width, .bold)
        var col = 0
        for (i, c) in cols.enumerated() where widths[i] > 0 {
          let text = i == 0 ? title(k, count) : c.title
          canvas.put(
            row, col, TextWidth.fit(text, to: widths[i], alignRight: c.alignRight),
            Style(bold: true, underline: true))
          col += widths[i] + 1
        }
      case .none:
        canvas.put(row, 2, emptyText(k), .dim, maxWidth: width - 3)
      default:
        var (texts, style) = cells(item)
        if state.top + n == state.selected { style.reverse = true }
        canvas.fill(row, 0, width: width, style)
        var col = 0
        for (i, c) in cols.enumerated() where widths[i] > 0 && i < texts.count {
          canvas.put(
            row, col, TextWidth.fit(texts[i], to: widths[i], alignRight: c.alignRight), style)
          col += widths[i] + 1
        }
      }
    }
  }
}
