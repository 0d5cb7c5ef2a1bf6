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
  public private(set) var reminders: [Reminder] = []
  public private(set) var losing: [LosingTouch] = []
  public private(set) var losingTotal = 0
  /// Unpaid invoices past their due day, of the acting user's clients (everyone's: all).
  public private(set) var invoices: [InvoiceRow] = []
  var logins: [Int64: String] = [:]
  /// Team: the acting user's open to-dos due today or overdue (first in the list; `d` marks one
  /// done), and who gave each contact that is a supervisor's task.
  public private(set) var todos: [TeamTask] = []
  var givenBy: [Int64: String] = [:]
  var list = ListState()
  var stale = true
  /// How many reminders and "losing touch" rows the screen reads (pages of SQL, not the table).
  public static let limit = 500
  static let losingLimit = 200
  static let invoiceLimit = 200

  public init(context: AppContext) {
    self.context = context
  }

  public func dataChanged() { stale = true }

  public var scope: ContactScope { everyone ? .everyone : context.myScope }

  func readRows() throws {
    let now = context.db.clock.now()
    reminders = try context.contacts.reminders(
      scope: scope, horizon: context.contacts.endOfDay(now), at: now, limit: Self.limit)
    let lt = try context.contacts.losingTouch(scope: scope, at: now, limit: Self.losingLimit)
    losing = lt.items
    losingTotal = lt.total
    invoices = try context.money.invoices(
      MoneyService.InvoiceFilter(
        overdueOnly: true, ownerId: everyone ? nil : context.user?.id),
      limit: Self.invoiceLimit)
    if everyone {
      logins = Dictionary(
        try context.db.users().map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
    }
    let tasks = context.core.tasks
    todos =
      everyone || context.user == nil
      ? []
      : try tasks.openTodos(
        assignee: context.user!.id, to: context.contacts.endOfDay(now), limit: Self.limit)
    givenBy = try tasks.givenBy(contacts: reminders.map(\.row.id))
  }
  func forgetRows() {
    todos = []
    reminders = []
    losing = []
    invoices = []
  }
  var rowCount: Int { todos.count + reminders.count + invoices.count + losing.count }

  var selectedTodo: TeamTask? {
    todos.indices.contains(list.selected) ? todos[list.selected] : nil
  }

  var selectedReminder: Reminder? {
    let i = list.selected - todos.count
    return reminders.indices.contains(i) ? reminders[i] : nil
  }

  var selectedInvoice: InvoiceRow? {
    let i = list.selected - todos.count - reminders.count
    return invoices.indices.contains(i) ? invoices[i] : nil
  }

  var selectedLosing: LosingTouch? {
    let i = list.selected - todos.count - reminders.count - invoices.count
    return losing.indices.contains(i) ? losing[i] : nil
  }

  /// `120 000 ₽` when every invoice is in one currency, else the count of currencies.
  func owedText(_ rows: [InvoiceRow]) -> String {
    guard let first = rows.first?.invoice.money else { return "" }
    if rows.contains(where: { $0.invoice.currency != first.code }) {
      return l.pick("several currencies", "в разных валютах")
    }
    return MoneyText.amount(rows.reduce(0) { $0 + $1.invoice.owed }, first, l)
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    refresh(app: nil)
    let f = context.formats
    let now = context.db.clock.now()
    let overdue = reminders.filter(\.overdue).count
    let whose = everyone ? l.pick("everyone", "все") : l.pick("mine", "мои")
    // The summary line: each part whole (a count is never cut); when the parts do not fit in
    // 80 columns they take their short words, then the last ones are left out whole.
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
          " · today: \(f.integer(reminders.count - overdue))",
          " · сегодня: \(f.integer(reminders.count - overdue))"),
        l.pick(
          " · today \(f.integer(reminders.count - overdue))",
          " · сегодня \(f.integer(reminders.count - overdue))"), .dim
      ),
    ]
    if !invoices.isEmpty {
      parts.append(
        (
          l.pick(
            " · invoices: \(f.integer(invoices.count))", " · счета: \(f.integer(invoices.count))"),
          l.pick(
            " · invoices \(f.integer(invoices.count))", " · счета \(f.integer(invoices.count))"),
          Style(bold: true, color: .red)
        ))
    }
    if !todos.isEmpty {
      parts.append(
        (
          l.pick(" · tasks: \(f.integer(todos.count))", " · задачи: \(f.integer(todos.count))"),
          l.pick(" · tasks \(f.integer(todos.count))", " · задачи \(f.integer(todos.count))"), .bold
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
    var texts = parts.map(\.full)
    if TextWidth.of(texts.joined()) > room { texts = parts.map(\.short) }
    while texts.count > 1 && TextWidth.of(texts.joined()) > room { texts.removeLast() }
    var col = 1
    for (i, text) in texts.enumerated() {
      col = canvas.put(top, col, text, parts[i].style, maxWidth: max(0, width - col - 1))
    }
    if reminders.isEmpty && losing.isEmpty && invoices.isEmpty && todos.isEmpty {
      canvas.notice(
        top + 2,
        l.pick(
          "Nothing overdue or due today, and nobody is losing touch. Well done.",
          "Ни просроченных, ни сегодняшних контактов, и никто не теряет связь. Отлично."),
        width: width)
      return
    }
    // One list: reminders, then a title row and the overdue invoices, then a title row and
    // the clients losing touch.
    let body = rows - 1
    let reminderStart = todos.count
    let invoiceStart = todos.count + reminders.count
    let losingStart = todos.count + reminders.count + invoices.count
    let titleRows = (losing.isEmpty ? 0 : 1) + (invoices.isEmpty ? 0 : 1)
    list.visible = max(1, body - 1 - titleRows)
    list.clamp()
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
      if index == invoiceStart && !invoices.isEmpty {
        canvas.line(
          &r,
          l.pick(
            "── Overdue invoices (\(f.integer(invoices.count))) — owed \(owedText(invoices)); Enter opens the client's Money",
            "── Просроченные счета (\(f.integer(invoices.count))) — долг \(owedText(invoices)); Enter — деньги клиента"
          ), .bold, width: width)
        if r >= end { break }
      }
      if index == losingStart && !losing.isEmpty {
        canvas.line(
          &r,
          l.pick(
            "── Losing touch (\(f.integer(losingTotal))) — no contact for longer than the segment's cadence",
            "── Теряем контакт (\(f.integer(losingTotal))) — нет контакта дольше нормы сегмента"),
          .bold, width: width)
        if r >= end { break }
      }
      var style = Style.plain
      var cells: [String]
      if index >= invoiceStart && index < losingStart {
        let i = invoices[index - invoiceStart]
        let days = MoneyText.days(from: i.invoice.dueDate, to: context.money.today)
        cells = [
          l.pick("+\(days) d", "+\(days) дн."), i.clientName, "№ " + i.invoice.number,
          l.pick("owed ", "долг ") + MoneyText.amount(i.invoice.owed, i.invoice.money, l),
        ]
        if everyone { cells.append(i.ownerId.flatMap { logins[$0] } ?? "") }
        style = Style(bold: true, color: .red)
      } else if index < reminderStart {
        let t = todos[index]
        cells = [
          t.overdue ? "! " + Relative.text(t.dueAt.timeIntervalSince(now), l) : f.dateTime(t.dueAt),
          "☐ " + l.pick("Task: ", "Задача: ") + t.title, l.pick("task", "задача"),
          t.authorName.isEmpty ? t.clientName : l.pick("from ", "от ") + t.authorName,
        ]
        if everyone { cells.append(t.assigneeLogin) }
        style = t.overdue ? Style(bold: true, color: .red) : Style(bold: true)
      } else if index < invoiceStart {
        let m = reminders[index - reminderStart]
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
      } else {
        let t = losing[index - losingStart]
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
    let due = CalendarMath.addDays(
      CalendarMath.startOfDay(context.db.clock.now(), context.timeContext.calendar), 1,
      context.timeContext.calendar
    ).addingTimeInterval(Double((try? context.db.settings().dayStartHour) ?? 10) * 3600)
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
