import CRMCore
import Foundation
import TerminalUI

/// Screen 3: overdue and due-today contacts, most urgent first (overdue, then VIP, then days
/// late), one key per outcome; below them the overdue invoices of the same clients (Enter opens
/// the client's Money), then the clients losing touch (no contact for longer than their
/// segment's cadence).
@MainActor
public final class RemindersScreen: ListScreen {
  public let tab = 3
  public let context: AppContext
  public private(set) var everyone = false
  /// Overdue and due-today contacts, most urgent first: a page of SQL around the screen, and
  /// how many there are in all.
  var reminderRows = PagedRows<Reminder>(page: RemindersScreen.limit)
  /// Of `reminderRows.total`, how many are overdue (the rest are due later today).
  public private(set) var overdueTotal = 0
  var losingRows = PagedRows<LosingTouch>(page: RemindersScreen.limit)
  /// Unpaid invoices past their due day, of the acting user's clients (everyone's: all).
  var invoiceRows = PagedRows<InvoiceRow>(page: RemindersScreen.limit)
  /// What the overdue invoices owe, per currency (all of them, not just the page).
  var invoicesOwed: [Money] = []
  var logins: [Int64: String] = [:]
  /// Team: the acting user's open to-dos due today or overdue (first in the list; `d` marks one
  /// done), and who gave each contact that is a supervisor's task.
  var todoRows = PagedRows<TeamTask>(page: RemindersScreen.limit)
  var givenBy: [Int64: String] = [:]
  /// The reminder page (offset, count) `givenBy` was read for.
  var givenByPage: [Int] = []
  var list = ListState()
  var stale = true
  /// The moment the rows were read: every page of one reading ranks by the same "now".
  var readAt = Date(timeIntervalSince1970: 0)
  /// How many rows one page of SQL reads (each part of the list is read a page at a time).
  public static let limit = 500

  public init(context: AppContext) {
    self.context = context
  }

  public func dataChanged() { stale = true }

  public var scope: ContactScope { everyone ? .everyone : context.myScope }

  /// The page of reminders read last (the first page after a refresh).
  public var reminders: [Reminder] { reminderRows.rows }
  /// How many contacts are overdue or due today, in all.
  public var reminderTotal: Int { reminderRows.total }
  public var losing: [LosingTouch] { losingRows.rows }
  public var losingTotal: Int { losingRows.total }
  public var invoices: [InvoiceRow] { invoiceRows.rows }
  public var invoiceTotal: Int { invoiceRows.total }
  public var todos: [TeamTask] { todoRows.rows }

  var invoiceFilter: MoneyService.InvoiceFilter {
    MoneyService.InvoiceFilter(overdueOnly: true, ownerId: everyone ? nil : context.user?.id)
  }

  /// Counts every part with COUNT queries (on the planned-contact, open-invoice and open-task
  /// indexes), then reads the pages on screen.
  func readRows() throws {
    let now = context.db.clock.now()
    readAt = now
    let contacts = context.contacts
    let endOfDay = contacts.endOfDay(now)
    overdueTotal = try contacts.overdueCount(scope: scope, at: now)
    reminderRows = PagedRows(page: Self.limit)
    reminderRows.total = try contacts.overdueCount(scope: scope, at: endOfDay)
    losingRows = PagedRows(page: Self.limit)
    let lt = try contacts.losingTouch(scope: scope, at: now, limit: Self.limit)
    losingRows.rows = lt.items
    losingRows.total = lt.total
    invoiceRows = PagedRows(page: Self.limit)
    let summary = try context.money.invoiceSummary(invoiceFilter)
    invoiceRows.total = summary.count
    invoicesOwed = summary.owed.filter { $0.minor > 0 }
    if everyone {
      logins = Dictionary(
        try context.db.users().map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
    }
    todoRows = PagedRows(page: Self.limit)
    if !everyone, let me = context.user?.id {
      todoRows.total = try context.core.tasks.openTodoCount(assignee: me, before: endOfDay)
    }
    givenBy = [:]
    givenByPage = []
    try cover(list.top..<(list.top + max(list.visible, 1)))
    try cover(list.selected..<(list.selected + 1))
  }

  /// Reads the pages that hold list rows `range` (indices over the whole list).
  func cover(_ range: Range<Int>) throws {
    let now = readAt
    let contacts = context.contacts
    let endOfDay = contacts.endOfDay(now)
    let scope = self.scope
    let starts = sectionStarts
    func local(_ start: Int, _ count: Int) -> Range<Int> {
      let lo = max(range.lowerBound, start)
      let hi = min(range.upperBound, start + count)
      return lo < hi ? (lo - start)..<(hi - start) : 0..<0
    }
    if let me = context.user?.id, !everyone {
      let tasks = context.core.tasks
      try todoRows.cover(local(0, todoRows.total)) { offset, limit in
        try tasks.openTodos(assignee: me, to: endOfDay, limit: limit, offset: offset)
      }
    }
    try reminderRows.cover(local(starts.reminders, reminderRows.total)) { offset, limit in
      try contacts.reminders(
        scope: scope, horizon: endOfDay, at: now, limit: limit, offset: offset)
    }
    // Who gave each contact of the page read, once per page.
    let page = [reminderRows.offset, reminderRows.rows.count]
    if givenByPage != page {
      givenBy = try context.core.tasks.givenBy(contacts: reminderRows.rows.map(\.row.id))
      givenByPage = page
    }
    let money = context.money
    let filter = invoiceFilter
    try invoiceRows.cover(local(starts.invoices, invoiceRows.total)) { offset, limit in
      try money.invoices(filter, limit: limit, offset: offset)
    }
    try losingRows.cover(local(starts.losing, losingRows.total)) { offset, limit in
      try contacts.losingTouch(scope: scope, at: now, limit: limit, offset: offset).items
    }
  }

  /// Where each part begins in the list.
  var sectionStarts: (reminders: Int, invoices: Int, losing: Int) {
    let r = todoRows.total
    let i = r + reminderRows.total
    return (r, i, i + invoiceRows.total)
  }

  /// Reads the page holding list row `index` when it is not read yet.
  func coverRow(_ index: Int) {
    do { try cover(index..<(index + 1)) } catch {}
  }

  func forgetRows() {
    todoRows = PagedRows(page: Self.limit)
    reminderRows = PagedRows(page: Self.limit)
    losingRows = PagedRows(page: Self.limit)
    invoiceRows = PagedRows(page: Self.limit)
    invoicesOwed = []
    overdueTotal = 0
  }
  var rowCount: Int {
    todoRows.total + reminderRows.total + invoiceRows.total + losingRows.total
  }

  var selectedTodo: TeamTask? {
    guard list.selected < todoRows.total else { return nil }
    coverRow(list.selected)
    return todoRows.row(list.selected)
  }

  var selectedReminder: Reminder? {
    let i = list.selected - sectionStarts.reminders
    guard i >= 0, i < reminderRows.total else { return nil }
    coverRow(list.selected)
    return reminderRows.row(i)
  }

  var selectedInvoice: InvoiceRow? {
    let i = list.selected - sectionStarts.invoices
    guard i >= 0, i < invoiceRows.total else { return nil }
    coverRow(list.selected)
    return invoiceRows.row(i)
  }

  var selectedLosing: LosingTouch? {
    let i = list.selected - sectionStarts.losing
    guard i >= 0, i < losingRows.total else { return nil }
    coverRow(list.selected)
    return losingRows.row(i)
  }

  /// `120 000 ₽` when every overdue invoice is in one currency, else the sums joined by «+».
  func owedText() -> String {
    invoicesOwed.map { MoneyText.amount($0, l) }.joined(separator: " + ")
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    refresh(app: nil)
    let f = context.formats
    let now = readAt
    let overdue = overdueTotal
    let today = reminderRows.total - overdue
    let whose = everyone ? l.pick("everyone", "все") : l.pick("mine", "мои")
    // The summary line: each part whole (a count is never cut).
    typealias Part = (full: String, short: String, style: Style)
    var parts: [Part] = [
      (l.pick("Reminders", "Напоминания"), l.pick("Reminders", "Напоминания"), .bold),
      (" · \(whose)", " · \(whose)", .dim),
      (
        l.pick(" · overdue: \(f.integer(overdue))", " · просрочено: \(f.integer(overdue))"),
        l.pick(" · overdue \(f.integer(overdue))", " · просроч. \(f.integer(overdue))"),
        overdue > 0 ? Style(bold: true, color: .red) : .dim
      ),
      (
        l.pick(
          " · today: \(f.integer(today))",
          " · сегодня: \(f.integer(today))"),
        l.pick(
          " · today \(f.integer(today))",
          " · сегодня \(f.integer(today))"), .dim
      ),
    ]
    if invoiceRows.total > 0 {
      parts.append(
        (
          l.pick(
            " · invoices: \(f.integer(invoiceRows.total))",
            " · счета: \(f.integer(invoiceRows.total))"),
          l.pick(
            " · invoices \(f.integer(invoiceRows.total))",
            " · счета \(f.integer(invoiceRows.total))"),
          Style(bold: true, color: .red)
        ))
    }
    if todoRows.total > 0 {
      parts.append(
        (
          l.pick(
            " · tasks: \(f.integer(todoRows.total))", " · задачи: \(f.integer(todoRows.total))"),
          l.pick(" · tasks \(f.integer(todoRows.total))", " · задачи \(f.integer(todoRows.total))"),
          .bold
        ))
    }
    parts.append(
      (
        l.pick(
          " · losing touch: \(f.integer(losingTotal))",
          " · теряем контакт: \(f.integer(losingTotal))"),
        l.pick(" · losing \(f.integer(losingTotal))", " · теряем связь \(f.integer(losingTotal))"),
        .dim
      ))
    let room = width - 2
    // First the trailing parts go (their sections below repeat the counts), down to the four
    // always there; then every part takes its short words; then the rest go from the end.
    var texts = parts.map(\.full)
    while texts.count > 4 && TextWidth.of(texts.joined()) > room { texts.removeLast() }
    if TextWidth.of(texts.joined()) > room {
      texts = Array(parts.map(\.short).prefix(texts.count))
    }
    while texts.count > 1 && TextWidth.of(texts.joined()) > room { texts.removeLast() }
    var col = 1
    for (i, text) in texts.enumerated() {
      col = canvas.put(top, col, text, parts[i].style, maxWidth: max(0, width - col - 1))
    }
    if rowCount == 0 {
      canvas.notice(
        top + 2,
        l.pick(
          "Nothing overdue or due today, and nobody is losing touch. Well done.",
          "Ни просроченных, ни сегодняшних контактов, и никто не теряет связь. Отлично."),
        width: width)
      return
    }
    // One list: reminders, then a title row and the overdue invoices, then a title row and
    // the clients losing touch; each part read from SQL a page at a time.
    let body = rows - 1
    let starts = sectionStarts
    let reminderStart = starts.reminders
    let invoiceStart = starts.invoices
    let losingStart = starts.losing
    let titleRows = (losingRows.total == 0 ? 0 : 1) + (invoiceRows.total == 0 ? 0 : 1)
    list.visible = max(1, body - 1 - titleRows)
    list.clamp()
    do {
      try cover(list.top..<(list.top + list.visible))
    } catch {
      canvas.notice(top + 2, (error as? CRMError)?.message(l) ?? "\(error)", width: width)
      return
    }
    let columns = [
      Column(l.pick("When", "Когда"), width: 16), Column(l.pick("Client", "Клиент"), width: 0),
      Column(l.pick("Kind", "Вид"), width: 9), Column(l.pick("Subject", "Тема"), width: 20),
      Column(l.pick("Who", "Кто"), width: everyone ? 10 : 0),
    ].filter { $0.width != 0 || $0.title == l.pick("Client", "Клиент") }
    let widths = layoutColumns(columns, total: width)
    var r = top + 1
    canvas.fill(r, 0, width: width, .bold)
    var c = 0
    for (i, column) in columns.enumerated() where widths[i] > 0 {
      canvas.put(r, c, TextWidth.fit(column.title, to: widths[i]), .bold)
      c += widths[i] + 1
    }
    r += 1
    let end = top + rows
    var index = list.top
    while r < end && index < list.count {
      if index == invoiceStart && invoiceRows.total > 0 {
        canvas.line(
          &r,
          l.pick(
            "── Overdue invoices (\(f.integer(invoiceRows.total))) — owed \(owedText()); Enter opens the client's Money",
            "── Просроченные счета (\(f.integer(invoiceRows.total))) — долг \(owedText()); Enter — деньги клиента"
          ), .bold, width: width)
        if r >= end { break }
      }
      if index == losingStart && losingRows.total > 0 {
        canvas.line(
          &r,
          l.pick(
            "── Losing touch (\(f.integer(losingTotal))) — no contact for longer than the segment's cadence",
            "── Теряем контакт (\(f.integer(losingTotal))) — нет контакта дольше нормы сегмента"),
          .bold, width: width)
        if r >= end { break }
      }
      var style = Style.plain
      var cells: [String] = []
      if index >= invoiceStart && index < losingStart {
        if let i = invoiceRows.row(index - invoiceStart) {
          let days = MoneyText.days(from: i.invoice.dueDate, to: context.money.today)
          cells = [
            l.pick("+\(days) d", "+\(days) дн."), i.clientName, "№ " + i.invoice.number,
            l.pick("owed ", "долг ") + MoneyText.amount(i.invoice.owed, i.invoice.money, l),
          ]
          if everyone { cells.append(i.ownerId.flatMap { logins[$0] } ?? "") }
        }
        style = Style(bold: true, color: .red)
      } else if index < reminderStart {
        if let t = todoRows.row(index) {
          cells = [
            t.overdue
              ? "! " + Relative.text(t.dueAt.timeIntervalSince(now), l) : f.dateTime(t.dueAt),
            "☐ " + l.pick("Task: ", "Задача: ") + t.title, l.pick("task", "задача"),
            t.authorName.isEmpty ? t.clientName : l.pick("from ", "от ") + t.authorName,
          ]
          if everyone { cells.append(t.assigneeLogin) }
          style = t.overdue ? Style(bold: true, color: .red) : Style(bold: true)
        }
      } else if index < invoiceStart {
        if let m = reminderRows.row(index - reminderStart) {
          let due = m.row.contact.dueAt ?? now
          let when =
            m.overdue ? "! " + Relative.text(due.timeIntervalSince(now), l) : f.dateTime(due)
          cells = [
            when,
            m.row.clientName + (m.vip ? " ★" : "")
              + (givenBy[m.row.id].map { l.pick(" · from \($0)", " · от \($0)") } ?? ""),
            m.row.contact.kind.name(l),
            m.row.contact.subject,
          ]
          if everyone { cells.append(m.row.userLogin) }
          if m.overdue { style = Style(color: .red) }
        }
      } else if let t = losingRows.row(index - losingStart) {
        let last = t.lastContact.map(f.date) ?? l.pick("never", "никогда")
        cells = [
          l.pick("+\(t.daysOver) d", "+\(t.daysOver) дн."), t.clientName,
          t.segment, l.pick("last: ", "последний: ") + last,
        ]
        if everyone { cells.append("") }
        style = Style(color: .yellow)
      }
      if index == list.selected { style.reverse = true }
      canvas.fill(r, 0, width: width, style)
      var col = 0
      for (i, text) in cells.enumerated() where i < widths.count && widths[i] > 0 {
        canvas.put(r, col, TextWidth.fit(text, to: widths[i]), style)
        col += widths[i] + 1
      }
      r += 1
      index += 1
    }
  }

  public func handle(_ key: Key, app: App) {
    if moveSelection(key, app: app) { return }
    let action = keys.action(for: key)
    switch action {
    case .scope:
      everyone.toggle()
      list = ListState()
      stale = true
      return
    case .quit:
      app.quit()
      return
    case .tasks:
      app.push(TasksScreen(context: context))
      return
    case .open:
      if let t = selectedLosing {
        app.push(ClientCardScreen(context: context, clientId: t.clientId, list: nil))
        return
      }
      if let i = selectedInvoice {
        let card = ClientCardScreen(
          context: context, clientId: i.invoice.clientId, list: nil, section: .money)
        card.money.pendingKey = "i\(i.id)"
        app.push(card)
        return
      }
    case .plan:
      if let t = selectedLosing {
        planFor(t.clientId, name: t.clientName, app: app)
      } else if let i = selectedInvoice {
        planFor(i.invoice.clientId, name: i.clientName, app: app)
      } else if let m = selectedReminder {
        planFor(m.row.contact.clientId, name: m.row.clientName, app: app)
      }
      return
    case .log:
      if let t = selectedLosing {
        logFor(t.clientId, name: t.clientName, app: app)
        return
      }
      if let i = selectedInvoice {
        logFor(i.invoice.clientId, name: i.clientName, app: app)
        return
      }
    default:
      break
    }
    if let t = selectedTodo, action != nil {
      if action == .done {
        do {
          try context.core.tasks
            .done(t.id)
          app.flash(context.language.pick("Task done: ", "Задача выполнена: ") + t.title)
          stale = true
        } catch {
          app.report(error)
        }
      } else {
        app.flash(
          context.language.pick(
            "A task from \(t.authorName): d marks it done; T opens the tasks.",
            "Задача от \(t.authorName): d — выполнена; T — все задачи."))
      }
      return
    }
    if selectedInvoice != nil && action != nil {
      app.flash(
        context.language.pick(
          "An overdue invoice: Enter opens the client's Money, l logs a call, p plans one.",
          "Просроченный счёт: Enter — деньги клиента, l — записать звонок, p — запланировать."))
      return
    }
    if selectedLosing != nil && action != nil {
      app.flash(
        context.language.pick(
          "This client has nothing planned: p plans a contact, l logs one.",
          "У клиента ничего не запланировано: p — запланировать, l — записать контакт."))
      return
    }
    _ = ContactActions.handle(
      action, row: selectedReminder?.row, tab: tab, context: context, app: app
    ) { [weak self] in self?.stale = true }
  }

  func planFor(_ clientId: Int64, name: String, app: App) {
    guard let me = context.user?.id else { return }
    let settings = (try? context.db.settings()) ?? Settings()
    let due = WorkingHours(settings, timeZone: context.timeContext.timeZone)
      .nextWorkingDayStart(after: context.db.clock.now())
    app.push(
      ContactFormScreen(
        tab: tab, context: context,
        contact: Contact(clientId: clientId, kind: .call, dueAt: due, userId: me),
        clientName: name
      ) { [weak self] in self?.stale = true })
  }

  func logFor(_ clientId: Int64, name: String, app: App) {
    app.push(
      KindPickerScreen(
        tab: tab, context: context,
        title: context.language.pick("Log a contact: ", "Записать контакт: ") + name
      ) { [weak self] kind, app in
        guard let self else { return }
        app.push(
          OutcomeFormScreen(
            tab: self.tab, context: self.context, mode: .log(clientId: clientId, kind: kind),
            clientName: name
          ) { [weak self] in self?.stale = true })
      })
  }
}
