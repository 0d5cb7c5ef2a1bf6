import CRMCore
import Foundation
import TerminalUI

/// One deal: its fields, the stage with the days in it, the stage history with what the entry
/// actions did, and the deal's contacts. One scrolling page; the funnel's keys move the deal.
@MainActor
final class DealCardScreen: RecordPage {
  let tab: Int
  let context: AppContext
  let dealId: Int64
  let onChange: () -> Void
  var row: DealRow?
  var history: [StageEntry] = []
  var contacts: [ContactRow] = []
  /// Contacts the entry actions planned, by id (they may not belong to the deal's list).
  var planned: [Int64: ContactRow] = [:]
  /// The deal's contracts, invoices and payments; nil when it has none.
  var money: MoneySummary?
  /// The deal's commercial offers, oldest first (`o` opens them).
  var offers: [OfferDetail] = []
  /// The deal's newest files (one more than shown, to know that more follow).
  var files: [Attachment] = []
  var logins: [Int64: String] = [:]
  /// How many files the page lists; `F` picks among all of them.
  static let fileLimit = 10
  var loaded = false
  var scroll = LineScroll()
  static let contactLimit = 100

  init(context: AppContext, dealId: Int64, tab: Int, onChange: @escaping () -> Void = {}) {
    self.context = context
    self.dealId = dealId
    self.tab = tab
    self.onChange = onChange
  }

  var hasRecord: Bool { row != nil }
  var goneText: String { l.pick("This deal no longer exists.", "Этой сделки больше нет.") }

  func readRecord() throws {
    row = try context.deals.deal(dealId)
    history = try context.deals.history(dealId)
    contacts = try context.contacts.contacts(ofDeal: dealId, limit: Self.contactLimit)
    money = try context.money.summaries(dealIds: [dealId])[dealId]
    offers = try context.core.offers.offers(ofDeal: dealId)
    files = try context.core.attachments.list(dealId: dealId, limit: Self.fileLimit + 1)
    logins = Dictionary(
      try context.db.users().map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
    planned = [:]
    for id in history.flatMap(\.events).compactMap(\.contactId) {
      if let c = try contacts.first(where: { $0.id == id }) ?? context.contacts.contact(id) {
        planned[id] = c
      }
    }
  }

  /// A line of the page: pieces at columns.
  struct Line {
    var parts: [(col: Int, text: String, style: Style, width: Int?)] = []
    init(_ parts: [(col: Int, text: String, style: Style, width: Int?)] = []) { self.parts = parts }
  }

  func eventText(_ e: DealEvent) -> String {
    if let id = e.contactId {
      guard let c = planned[id] else {
        return l.pick("planned contact №\(id)", "запланирован контакт №\(id)")
      }
      let k = c.contact
      var s =
        "\(k.kind.name(l)) \(k.at.map(context.formats.dateTime) ?? "") · \(c.userLogin)"
        + " · \(k.status.name(l))"
      if !k.subject.isEmpty { s += " · «\(k.subject)»" }
      return s
    }
    if let id = e.offerId { return l.pick("offer draft №\(id)", "черновик КП №\(id)") }
    return e.action
  }

  func lines(width: Int) -> [Line] {
    guard let r = row else { return [] }
    let d = r.deal
    let s = context.deals
    let f = context.formats
    var out: [Line] = []
    // Fields in two columns when there is room.
    let sources = (try? context.pipelines.leadSources()) ?? []
    let reasons = d.status == .lost ? ((try? context.pipelines.lostReasons()) ?? []) : []
    let left: [(String, String, Style)] = [
      (s.fieldName("client"), r.clientName, .bold),
      (s.fieldName("status"), d.status.name(l), d.status == .won ? Style(color: .green) : .plain),
      (s.fieldName("amount"), d.amount == 0 ? "—" : d.money.formatted(l), .bold),
      (s.fieldName("probability"), "\(r.probability) %", .plain),
    ]
    var right: [(String, String, Style)] = [
      (s.fieldName("owner"), r.ownerLogin, .plain),
      (
        s.fieldName("source"),
        d.source.isEmpty ? "—" : sources.first { $0.key == d.source }?.name(l) ?? d.source, .plain
      ),
      (
        s.fieldName("expected_close"), d.expectedClose.isEmpty ? "—" : f.day(d.expectedClose),
        .plain
      ),
      (s.fieldName("person"), r.personName ?? "—", .plain),
      (l.pick("Created", "Создана"), d.createdAt.map(f.dateTime) ?? "", .plain),
    ]
    if let closed = d.closedAt {
      right.append((l.pick("Closed", "Закрыта"), f.dateTime(closed), .plain))
    }
    if d.status == .lost {
      right.append(
        (
          s.fieldName("lost_reason"),
          reasons.first { $0.key == d.lostReason }?.name(l) ?? d.lostReason, .plain
        ))
    }
    let twoColumns = width >= 80
    let half = twoColumns ? width / 2 : width
    func labels(_ list: [(String, String, Style)]) -> Int {
      min(20, list.map { TextWidth.of($0.0) }.max() ?? 0) + 1
    }
    let labelWidth = labels(twoColumns ? left : left + right)
    func field(_ p: (String, String, Style), col: Int, label: Int) -> [(
      col: Int, text: String, style: Style, width: Int?
    )] {
      [
        (col, TextWidth.fit(p.0, to: label), Style.dim, label),
        (col + label + 1, p.1, p.2, max(1, half - label - 3)),
      ]
    }
    // The stage on a line of its own: the days in it, and how far over its limit.
    var stageLine = Line([
      (1, TextWidth.fit(s.fieldName("stage"), to: labelWidth), .dim, labelWidth),
      (labelWidth + 2, r.stage.name(l), .bold, width - labelWidth - 3),
    ])
    if d.status == .open {
      var col = labelWidth + 2 + TextWidth.of(r.stage.name(l))
      let days = l.pick(" · \(r.daysInStage) d in it", " · \(r.daysInStage) дн. на этапе")
      stageLine.parts.append((col, days, .plain, max(0, width - col - 1)))
      col += TextWidth.of(days)
      if let over = r.daysOver {
        stageLine.parts.append(
          (
            col,
            l.pick(
              " · stuck: +\(over) d over the stage's \(r.stage.stuckDays ?? 0) d",
              " · зависла: +\(over) дн сверх лимита (\(r.stage.stuckDays ?? 0) дн)"),
            Style(bold: true, color: .red), max(0, width - col - 1)
          ))
      }
    }
    out.append(stageLine)
    if twoColumns {
      let rightLabel = labels(right)
      for i in 0..<max(left.count, right.count) {
        var line = Line()
        if i < left.count { line.parts += field(left[i], col: 1, label: labelWidth) }
        if i < right.count { line.parts += field(right[i], col: half + 1, label: rightLabel) }
        out.append(line)
      }
    } else {
      for p in left + right { out.append(Line(field(p, col: 1, label: labelWidth))) }
    }
    if let m = money {
      // Invoiced, paid and owed on one line: «Деньги  Выставлено 120 000 ₽ · Оплачено …».
      var parts: [(String, String, Style)] = []
      if m.contracted > 0 {
        parts.append(
          (l.pick("Contracts", "Договоры"), MoneyText.amount(m.contracted, m.currency, l), .plain))
      }
      parts += [
        (l.pick("Invoiced", "Выставлено"), MoneyText.amount(m.invoiced, m.currency, l), .plain),
        (
          l.pick("Paid", "Оплачено"), MoneyText.amount(m.paid, m.currency, l),
          Style(bold: true, color: .green)
        ),
        (l.pick("Owed", "Долг"), MoneyText.amount(m.owed, m.currency, l), .bold),
      ]
      if m.overdue > 0 {
        parts.append(
          (
            l.pick("overdue", "просрочено"), MoneyText.amount(m.overdue, m.currency, l),
            Style(bold: true, color: .red)
          ))
      }
      let lines = MoneyText.flow(parts, width: max(10, width - labelWidth - 3))
      for (i, runs) in lines.enumerated() {
        var line = Line([
          (
            1, i == 0 ? TextWidth.fit(l.pick("Money", "Деньги"), to: labelWidth) : "", .dim,
            labelWidth
          )
        ])
        var col = labelWidth + 2
        for (text, style) in runs {
          line.parts.append((col, text, style, max(0, width - col - 1)))
          col += TextWidth.of(text)
        }
        out.append(line)
      }
    }
    if !d.notes.isEmpty {
      out.append(Line())
      for (i, n) in d.notes.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        out.append(
          Line(
            [
              (
                1, i == 0 ? TextWidth.fit(s.fieldName("notes"), to: labelWidth) : "", .dim,
                labelWidth
              ),
              (labelWidth + 2, String(n), .plain, width - labelWidth - 3),
            ]))
      }
    }
    func section(_ title: String) {
      out.append(Line())
      let text = "── " + title + " "
      out.append(
        Line([
          (
            1, text + String(repeating: "─", count: max(0, width - 2 - TextWidth.of(text))),
            .bold, width - 2
          )
        ]))
    }
    section(l.pick("Stage history", "История этапов") + " (\(history.count))")
    for e in history.reversed() {
      let move =
        (e.from.map { $0.name(l) + " → " } ?? l.pick("created at ", "создана: ")) + e.to.name(l)
      var text = "\(f.dateTime(e.at))  \(e.userLogin ?? "?")  \(move)"
      if let left = e.leftAt {
        let days = Int(left.timeIntervalSince(e.at) / 86400)
        text += l.pick(" (\(days) d)", " (\(days) дн)")
      }
      out.append(Line([(1, text, e.leftAt == nil ? .bold : .plain, width - 2)]))
      for ev in e.events {
        out.append(Line([(5, "↳ " + eventText(ev), .dim, width - 6)]))
      }
    }
    section(l.pick("Contacts for the deal", "Контакты по сделке") + " (\(contacts.count))")
    if contacts.isEmpty {
      out.append(
        Line([
          (
            3,
            l.pick(
              "None yet. l logs one, p plans one.", "Пока нет. l — записать, p — запланировать."),
            .dim, width - 4
          )
        ]))
    }
    let now = context.db.clock.now()
    for c in contacts {
      let k = c.contact
      let text = [k.subject, k.outcome.replacingOccurrences(of: "\n", with: " ")]
        .filter { !$0.isEmpty }.joined(separator: " — ")
      var style: Style = k.status == .planned ? .bold : (k.status == .done ? .plain : .dim)
      if k.status == .planned, let due = k.dueAt, due < now { style = Style(color: .red) }
      out.append(
        Line([
          (
            1,
            "\(k.at.map(f.dateTime) ?? "")  \(TextWidth.fit(k.status.name(l), to: 13)) "
              + "\(TextWidth.fit(k.kind.name(l), to: 9)) \(TextWidth.fit(c.userLogin, to: 10)) \(text)",
            style, width - 2
          )
        ]))
    }
    let shownFiles = files.prefix(Self.fileLimit)
    section(
      l.pick("Files (F)", "Файлы (F)")
        + " (\(shownFiles.count)\(files.count > shownFiles.count ? "+" : ""))")
    if files.isEmpty {
      let empty = AttachmentsPanel(context: context, dealId: dealId).emptyText(l)
      out.append(Line([(3, empty, .dim, width - 4)]))
    }
    for a in shownFiles {
      let size = TextWidth.fit(AttachmentService.sizeText(a.size, l), to: 9, alignRight: true)
      let tail = " \(size)  \(f.dateTime(a.createdAt))  \(logins[a.userId] ?? "")"
      let nameWidth = max(8, width - 2 - TextWidth.of(tail))
      out.append(
        Line([(1, TextWidth.fit(a.name, to: nameWidth) + tail, .plain, width - 2)]))
    }
    if files.count > shownFiles.count {
      out.append(
        Line([
          (
            3,
            l.pick(
              "More: F lists them all, or crm attach list --deal \(dealId)",
              "Ещё есть: F — все файлы, или crm attach list --deal \(dealId)"), .dim, width - 4
          )
        ]))
    }
    if !offers.isEmpty {
      section(l.pick("Offers (o)", "КП (o)") + " (\(offers.count))")
      for o in offers {
        var status = o.offer.status.name(l)
        if let sent = o.offer.sentAt { status += " " + f.date(sent) }
        let text =
          "№ \(TextWidth.fit(o.offer.number, to: 10)) \(MoneyText.day(o.offer.date, l))  "
          + "\(TextWidth.fit(status, to: 21)) "
          + TextWidth.fit(
            MoneyText.amount(o.totals.gross, o.totals.currency, l), to: 16, alignRight: true)
        out.append(Line([(1, text, o.offer.status == .sent ? .plain : .bold, width - 2)]))
      }
    }
    return out
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard pageShown(&canvas, top: top, rows: rows, width: width), let r = row else { return }
    var title = l.pick("Deal №\(r.id): ", "Сделка №\(r.id): ") + r.deal.title
    if r.deal.status != .open { title += " [\(r.deal.status.name(l))]" }
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    let body = lines(width: width)
    for (i, line) in body[scroll.fit(count: body.count, visible: max(1, rows - 2))].enumerated() {
      for p in line.parts {
        canvas.put(top + 2 + i, p.col, p.text, p.style, maxWidth: p.width)
      }
    }
    drawMoreMark(&canvas, row: top + rows - 1, width: width)
  }

  func handle(_ key: Key, app: App) {
    loadIfNeeded(app: app)
    let action = keys.action(for: key)
    if scroll.move(action) { return }
    switch action {
    case .back: app.pop()
    default: break
    }
    guard let r = row else { return }
    let changed = self.changed
    switch action {
    case .edit:
      app.push(
        DealFormScreen(
          tab: tab, context: context, deal: r.deal, clientName: r.clientName, onSaved: changed))
    case .forward:
      DealFlows.step(r, by: 1, tab: tab, context: context, app: app, changed: changed)
    case .backward:
      DealFlows.step(r, by: -1, tab: tab, context: context, app: app, changed: changed)
    case .won:
      DealFlows.won(r, tab: tab, context: context, app: app, changed: changed)
    case .lost:
      DealFlows.lost(r, tab: tab, context: context, app: app, changed: changed)
    case .moveStage:
      DealFlows.pickStage(r, tab: tab, context: context, app: app, changed: changed)
    case .reopen:
      guard r.deal.status != .open else {
        app.flash(l.pick("The deal is open.", "Сделка и так открыта."))
        return
      }
      do {
        let result = try context.deals.reopen(r.id)
        app.flash(DealFlows.describe(result, title: r.deal.title, context: context))
        changed()
      } catch { app.report(error) }
    case .log:
      ContactFlows.log(
        clientId: r.deal.clientId, name: r.clientName, tab: tab, context: context, app: app,
        dealId: r.id, changed: changed)
    case .plan:
      ContactFlows.plan(
        clientId: r.deal.clientId, name: r.clientName, tab: tab, context: context, app: app,
        dealId: r.id, changed: changed)
    case .clientCard:
      app.push(ClientCardScreen(context: context, clientId: r.deal.clientId, list: nil))
    case .files:
      pickFile(app: app)
    case .offers:
      app.push(
        OffersScreen(
          context: context, dealId: r.id, dealTitle: r.deal.title, tab: tab, onChange: changed))
    default:
      break
    }
  }

  /// `F`: the deal's files in a picker (newest first, read from SQL a window at a time); the
  /// chosen one opens with the user's opener.
  func pickFile(app: App) {
    guard !files.isEmpty else {
      app.flash(AttachmentsPanel(context: context, dealId: dealId).emptyText(l))
      return
    }
    let context = context
    let dealId = dealId
    let logins = logins
    let l = l
    app.push(
      PickerScreen(
        tab: tab, context: context, title: l.pick("Files of the deal", "Файлы сделки"),
        prompt: l.pick(
          "Type a part of the name; Enter opens the file.",
          "Введите часть имени; Enter — открыть файл."),
        source: { text, limit throws(CRMError) in
          let k = TextFold.key(text.trimmingSpaces())
          return try context.core.attachments.list(dealId: dealId, limit: limit)
            .filter { k.isEmpty || TextFold.key($0.name).contains(k) }
            .map { a in
              PickItem(
                key: "\(a.id)", label: a.name,
                detail: AttachmentService.sizeText(a.size, l) + " · "
                  + context.formats.dateTime(a.createdAt) + " · " + (logins[a.userId] ?? ""))
            }
        }
      ) { item, app in
        guard let id = Int64(item.key),
          let a = (try? context.core.attachments.get(id))??.0
        else { return }
        AttachmentOpen.run(a, context: context, app: app)
      })
  }
}
