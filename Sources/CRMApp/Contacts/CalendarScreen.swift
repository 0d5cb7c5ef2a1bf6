import CRMCore
import Foundation
import TerminalUI

/// Screen 2: the contact calendar. Day, week and month views of planned contacts for me, a
/// chosen user or everyone; ←/→ move the selected day, PgUp/PgDn (or [ ]) the whole period,
/// ↑/↓ pick a contact; contacts of one user that overlap in time are marked `!`.
@MainActor
public final class CalendarScreen: Screen {
  public enum View: String, Sendable { case day, week, month }

  public let tab = 2
  public let context: AppContext
  public private(set) var view = View.week
  /// The selected day (its start, in the user's zone).
  public private(set) var day: Date
  public private(set) var scope: ContactScope
  public private(set) var scopeName = ""
  /// Planned contacts of the visible period, in time order.
  public private(set) var items: [ContactRow] = []
  /// Ids of contacts that overlap another contact of the same user.
  public private(set) var overlapping: Set<Int64> = []
  /// How many pairs of contacts overlap (the header's count).
  public private(set) var overlapPairs = 0
  public private(set) var truncated = false
  var selected = 0
  var loadedRange: DateInterval?
  var stale = true
  public static let limit = 5000

  public init(context: AppContext) {
    self.context = context
    scope = context.myScope
    day = CalendarMath.startOfDay(context.db.clock.now(), context.timeContext.calendar)
  }

  public func dataChanged() { stale = true }

  var cal: Calendar { context.timeContext.calendar }

  var gridCache: (day: Date, grid: [Date])?

  /// The six Monday-first weeks around the selected day's month (cached: Calendar is slow).
  func grid() -> [Date] {
    if let g = gridCache, g.day == day { return g.grid }
    let days = CalendarMath.monthGrid(day, cal)
    let grid = days + [CalendarMath.addDays(days.last!, 1, cal)]
    gridCache = (day, grid)
    return grid
  }

  /// The period the view shows.
  public var range: DateInterval {
    switch view {
    case .day:
      return CalendarMath.dayInterval(day, cal)
    case .week:
      let start = CalendarMath.startOfWeek(day, cal)
      return DateInterval(start: start, end: CalendarMath.addDays(start, 7, cal))
    case .month:
      let g = grid()
      return DateInterval(start: g.first!, end: g.last!)
    }
  }

  func refresh(app: App?) {
    let r = range
    guard stale || loadedRange != r else { return }
    let keep = selectedRow?.id
    stale = false
    loadedRange = r
    do {
      items = try context.contacts.planned(
        from: r.start, to: r.end, scope: scope, limit: Self.limit + 1)
      truncated = items.count > Self.limit
      if truncated { items.removeLast() }
      try mergeTasks(r)
    } catch {
      items = []
      app?.report(error)
    }
    (overlapping, overlapPairs) = Self.overlaps(items)
    if let keep, let i = items.firstIndex(where: { $0.id == keep }) {
      selected = i
    } else {
      selected = items.firstIndex { ($0.contact.dueAt ?? .distantPast) >= day } ?? 0
    }
  }

  // MARK: Team work: tasks in the calendar

  /// Ids of contacts that are a supervisor's task → who gave it (shown «от vera»).
  var givenBy: [Int64: String] = [:]

  /// The open to-dos of the user whose calendar this is, as rows at their due time (negative
  /// ids: `-task id`; the client column reads «☐ Задача: …»), and who gave each contact task.
  func mergeTasks(_ r: DateInterval) throws {
    let tasks = context.core.tasks
    givenBy = try tasks.givenBy(contacts: items.map(\.id))
    guard case .user(let who) = scope else { return }
    let todos = try tasks.openTodos(assignee: who, from: r.start, to: r.end)
    guard !todos.isEmpty else { return }
    let rows = todos.map { t in
      let title = "☐ " + l.pick("Task: ", "Задача: ") + t.title
      return ContactRow(
        contact: Contact(
          id: -t.id, clientId: t.clientId ?? 0, kind: .other, dueAt: t.dueAt,
          subject: l.pick("from ", "от ") + t.authorName, userId: t.assigneeId),
        clientName: title + (t.clientName.isEmpty ? "" : " — " + t.clientName),
        clientShortName: title, userLogin: t.assigneeLogin)
    }
    items = (items + rows).sorted {
      ($0.contact.dueAt ?? .distantPast, $0.id) < ($1.contact.dueAt ?? .distantPast, $1.id)
    }
  }

  /// A to-do row (see `mergeTasks`): `d` marks it done; other contact keys only explain.
  func handleTask(_ row: ContactRow, _ action: Action?, app: App) -> Bool {
    guard row.id < 0 else { return false }
    if action == .done {
      do {
        try context.core.tasks.done(-row.id)
        app.flash(l.pick("Task done.", "Задача выполнена."))
        stale = true
      } catch { app.report(error) }
    } else if action != nil {
      app.flash(
        l.pick(
          "A task (\(row.contact.subject)): d marks it done; Reminders → T lists tasks.",
          "Задача (\(row.contact.subject)): d — выполнена; Напоминания → T — все задачи."))
    }
    return true
  }

  /// Contacts whose time (`dueAt ..< endsAt`) meets another's of the same user, and how many
  /// such pairs there are. Back to back (one ends as the next begins) is no overlap.
  static func overlaps(_ rows: [ContactRow]) -> (ids: Set<Int64>, pairs: Int) {
    var out: Set<Int64> = []
    var pairs = 0
    var byUser: [Int64: [ContactRow]] = [:]
    for r in rows where r.contact.dueAt != nil { byUser[r.contact.userId, default: []].append(r) }
    for (_, list) in byUser {
      let sorted = list.sorted {
        ($0.contact.dueAt ?? .distantPast, $0.id) < ($1.contact.dueAt ?? .distantPast, $1.id)
      }
      // Contacts still going on at the current start: (end, id).
      var active: [(Date, Int64)] = []
      for r in sorted {
        guard let start = r.contact.dueAt, let end = r.contact.endsAt else { continue }
        active.removeAll { $0.0 <= start }
        if !active.isEmpty {
          pairs += active.count
          out.insert(r.id)
          for a in active { out.insert(a.1) }
        }
        active.append((end, r.id))
      }
    }
    return (out, pairs)
  }

  var selectedRow: ContactRow? { items.indices.contains(selected) ? items[selected] : nil }

  func indices(on date: Date) -> [Int] {
    let d = CalendarMath.dayInterval(date, cal)
    return items.indices.filter {
      guard let due = items[$0].contact.dueAt else { return false }
      return d.contains(due) && due < d.end
    }
  }

  static func weekdayNames(_ l: Language) -> [String] {
    l == .ru
      ? ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
      : ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  }

  static func monthName(_ month: Int, _ l: Language) -> String {
    let ru = [
      "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
      "октябрь", "ноябрь", "декабрь",
    ]
    let en = [
      "January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December",
    ]
    return (l == .ru ? ru : en)[max(0, min(11, month - 1))]
  }

  func time(_ d: Date?) -> String {
    guard let d else { return "" }
    let p = cal.dateComponents([.hour, .minute], from: d)
    return String(format: "%02d:%02d", p.hour ?? 0, p.minute ?? 0)
  }

  func short(_ d: Date) -> String {
    context.formats.dayMonth(d)
  }

  func whose() -> String {
    switch scope {
    case .everyone: return l.pick("everyone", "все")
    case .user(let id):
      if id == context.user?.id { return l.pick("mine", "мой") }
      return scopeName
    }
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    refresh(app: nil)
    let f = context.formats
    let p = cal.dateComponents([.year, .month], from: day)
    let title: String
    switch view {
    case .day:
      let wd = Self.weekdayNames(l)[CalendarMath.weekday(day, cal) - 1]
      title = "\(wd) \(f.date(day))"
    case .week:
      let r = range
      title = "\(f.date(r.start)) – \(f.date(CalendarMath.addDays(r.start, 6, cal)))"
    case .month:
      title = "\(Self.monthName(p.month ?? 1, l)) \(p.year ?? 0)"
    }
    var col = canvas.put(top, 1, title.prefix(1).uppercased() + title.dropFirst(), .bold)
    let viewName = [
      View.day: l.pick("day", "день"), .week: l.pick("week", "неделя"),
      .month: l.pick("month", "месяц"),
    ][view]!
    col = canvas.put(top, col, " · \(viewName) · \(whose()) · ", .dim)
    // Numbers are never cut: the words shorten until the line fits.
    let planned = f.integer(items.count) + (truncated ? "+" : "")
    let clashes = f.integer(overlapPairs)
    var variants = [
      l.pick("\(planned) planned", "запланировано: \(planned)"),
      l.pick("\(planned) planned", "план: \(planned)"), planned,
    ]
    if overlapPairs > 0 {
      variants = [
        l.pick(
          "\(planned) planned · ! overlaps: \(clashes)",
          "запланировано: \(planned) · ! пересечений: \(clashes)"),
        l.pick(
          "\(planned) planned · ! \(clashes) overlap", "план: \(planned) · ! пересеч.: \(clashes)"),
        l.pick("\(planned) · ! \(clashes)", "\(planned) · ! \(clashes)"),
        "! \(clashes)",
      ]
    }
    let room = width - col - 1
    let info = variants.first { TextWidth.of($0) <= room } ?? variants.last!
    canvas.put(top, col, info, .dim, maxWidth: room)
    switch view {
    case .day: drawDay(&canvas, top: top + 1, rows: rows - 1, width: width)
    case .week: drawWeek(&canvas, top: top + 1, rows: rows - 1, width: width)
    case .month: drawMonth(&canvas, top: top + 1, rows: rows - 1, width: width)
    }
  }

  func style(_ i: Int) -> Style {
    var s = Style.plain
    let row = items[i]
    if overlapping.contains(row.id) { s.color = .yellow }
    if let due = row.contact.dueAt, due < context.db.clock.now() { s.color = .red }
    if i == selected { s.reverse = true }
    return s
  }

  func drawDay(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let indices = self.indices(on: day)
    if indices.isEmpty {
      canvas.notice(
        top + 1,
        l.pick(
          "Nothing planned this day. a plans a contact; ←/→ other days, t today.",
          "На этот день ничего не запланировано. a — запланировать; ←/→ — другие дни, t — сегодня."),
        width: width)
      return
    }
    let everyone = scope == .everyone
    var columns = [
      Column(l.pick("Time", "Время"), width: 13), Column("", width: 1),
      Column(l.pick("Client", "Клиент"), width: 0), Column(l.pick("Kind", "Вид"), width: 9),
      Column(l.pick("Subject", "Тема"), width: 22),
    ]
    if everyone { columns.append(Column(l.pick("Who", "Кто"), width: 10)) }
    var state = ListState(count: indices.count)
    state.visible = max(1, rows - 1)
    state.selected = indices.firstIndex(of: selected) ?? 0
    state.clamp()
    let cells = indices.dropFirst(state.top).prefix(state.visible).map { i -> [String] in
      let c = items[i].contact
      var row = [
        time(c.dueAt) + (c.durationMinutes > 0 ? "–" + time(c.endsAt) : ""),
        overlapping.contains(items[i].id) ? "!" : (c.recurrence.isEmpty ? "" : "↻"),
        items[i].clientName, items[i].id < 0 ? l.pick("task", "задача") : c.kind.name(l),
        c.subject + (givenBy[items[i].id].map { l.pick(" (from \($0))", " (от \($0))") } ?? ""),
      ]
      if everyone { row.append(items[i].userLogin) }
      return row
    }
    drawTable(
      &canvas, top: top, rows: rows, width: width, columns: columns, cells: Array(cells),
      firstIndex: state.top, selected: nil
    ) { n in self.style(indices[n]) }
  }

  func drawWeek(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let start = range.start
    let colWidth = max(8, (width - 1) / 7)
    let names = Self.weekdayNames(l)
    let today = CalendarMath.startOfDay(context.db.clock.now(), cal)
    for d in 0..<7 {
      let date = CalendarMath.addDays(start, d, cal)
      let x = d * colWidth
      var head = Style.bold
      if date == day { head.reverse = true }
      if date == today { head.underline = true }
      canvas.fill(top, x, width: colWidth - 1, head)
      canvas.put(top, x, TextWidth.fit("\(names[d]) \(short(date))", to: colWidth - 1), head)
      let indices = self.indices(on: date)
      let capacity = rows - 1
      // Keep the selected contact visible in its column.
      let first =
        (indices.firstIndex(of: selected).map { max(0, $0 - capacity + 2) } ?? 0)
      for (n, i) in indices.dropFirst(first).prefix(capacity).enumerated() {
        let c = items[i].contact
        var text = time(c.dueAt) + (overlapping.contains(items[i].id) ? "!" : " ")
        text += items[i].clientShortName
        if n == capacity - 1 && indices.count - first > capacity {
          text = l.pick("+\(indices.count - first - n) more", "ещё \(indices.count - first - n)")
        }
        canvas.put(top + 1 + n, x, TextWidth.fit(text, to: colWidth - 1), style(i))
      }
    }
    if let row = selectedRow, rows > 3 {
      let c = row.contact
      let line =
        "\(time(c.dueAt)) \(row.id < 0 ? l.pick("task", "задача") : c.kind.name(l)) · \(row.clientName)"
        + (c.subject.isEmpty ? "" : " · \(c.subject)")
        + (givenBy[row.id].map { l.pick(" · from \($0)", " · от \($0)") } ?? "")
        + (scope == .everyone ? " · \(row.userLogin)" : "")
      canvas.fill(top + rows - 1, 0, width: width, .plain)
      canvas.put(top + rows - 1, 1, line, .bold, maxWidth: width - 2)
    }
  }

  func drawMonth(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let bounds = self.grid()  // 43 day starts: 42 days and the end of the last
    let grid = Array(bounds.dropLast())
    let weeks = grid.count / 7
    let colWidth = max(8, (width - 1) / 7)
    let names = Self.weekdayNames(l)
    for d in 0..<7 {
      canvas.put(top, d * colWidth, TextWidth.fit(names[d], to: colWidth - 1), .bold)
    }
    let cellRows = max(1, (rows - 1) / weeks)
    let month = cal.component(.month, from: day)
    let today = CalendarMath.startOfDay(context.db.clock.now(), cal)
    // One pass over the contacts (in time order) against the day bounds: per-day indices.
    var perDay = Array(repeating: [Int](), count: grid.count)
    var d = 0
    for (i, r) in items.enumerated() {
      guard let due = r.contact.dueAt else { continue }
      while d < grid.count && due >= bounds[d + 1] { d += 1 }
      if d < grid.count { perDay[d].append(i) }
    }
    let now = context.db.clock.now()
    for (n, date) in grid.enumerated() {
      let x = (n % 7) * colWidth
      let y = top + 1 + (n / 7) * cellRows
      let inMonth = cal.component(.month, from: date) == month
      let list = perDay[n]
      var head = inMonth ? Style.bold : Style.dim
      if date == day { head.reverse = true }
      if date == today { head.underline = true }
      let late = list.contains { (items[$0].contact.dueAt ?? .distantFuture) < now }
      let clash = list.contains { overlapping.contains(items[$0].id) }
      var label = String(cal.component(.day, from: date))
      if !list.isEmpty { label += " •\(list.count)" }
      if clash { label += "!" }
      canvas.fill(y, x, width: colWidth - 1, head)
      var s = head
      if late && !head.reverse { s.color = .red }
      canvas.put(y, x, TextWidth.fit(label, to: colWidth - 1), s)
      for (k, i) in list.prefix(max(0, cellRows - 1)).enumerated() {
        let text = time(items[i].contact.dueAt) + " " + items[i].clientShortName
        canvas.put(y + 1 + k, x, TextWidth.fit(text, to: colWidth - 1), inMonth ? .plain : .dim)
      }
    }
  }

  // MARK: Keys

  public func handle(_ key: Key, app: App) {
    refresh(app: app)
    let action = keys.action(for: key)
    switch action {
    case .previous: moveDay(-1)
    case .next: moveDay(1)
    case .pageUp: movePeriod(-1)
    case .pageDown: movePeriod(1)
    case .today: day = CalendarMath.startOfDay(context.db.clock.now(), cal)
    case .dayView: view = .day
    case .weekView: view = .week
    case .monthView: view = .month
    case .down: moveSelection(1)
    case .up: moveSelection(-1)
    case .open where view == .month:
      view = .day
    case .add:
      addContact(app: app)
    case .pickUser:
      app.push(CalendarUserScreen(context: context, calendar: self))
    case .quit:
      app.quit()
    case .clientCard:
      if let r = selectedRow, r.id > 0 || r.contact.clientId > 0 {
        app.push(ClientCardScreen(context: context, clientId: r.contact.clientId, list: nil))
      }
    default:
      if let r = selectedRow, handleTask(r, action, app: app) { break }
      let mapped: Action? = action == .open ? .edit : action
      _ = ContactActions.handle(
        mapped, row: selectedRow, tab: tab, context: context, app: app
      ) { [weak self] in self?.stale = true }
    }
    refresh(app: app)
    if view != .month, let r = selectedRow, let due = r.contact.dueAt,
      !CalendarMath.dayInterval(day, cal).contains(due), action == .down || action == .up
    {
      day = CalendarMath.startOfDay(due, cal)
    }
  }

  func moveDay(_ n: Int) {
    day = CalendarMath.addDays(day, n, cal)
    selectFirst(on: day)
  }

  func movePeriod(_ n: Int) {
    switch view {
    case .day: day = CalendarMath.addDays(day, n, cal)
    case .week: day = CalendarMath.addDays(day, 7 * n, cal)
    case .month: day = CalendarMath.addMonths(day, n, cal)
    }
    selectFirst(on: day)
  }

  func selectFirst(on date: Date) {
    refresh(app: nil)
    if let i = indices(on: date).first { selected = i }
  }

  func moveSelection(_ n: Int) {
    if view == .month {
      moveDay(7 * n)
      return
    }
    guard !items.isEmpty else { return }
    selected = max(0, min(items.count - 1, selected + n))
    if let due = items[selected].contact.dueAt { day = CalendarMath.startOfDay(due, cal) }
  }

  func setScope(_ s: ContactScope, name: String) {
    scope = s
    scopeName = name
    stale = true
  }

  func addContact(app: App) {
    PlanOnDay.start(day: day, context: context, app: app) { [weak self] in self?.stale = true }
  }
}

/// Whose calendar: empty = mine, a login, or `*` for everyone.
@MainActor
final class CalendarUserScreen: FormScreen {
  weak var calendar: CalendarScreen?

  init(context: AppContext, calendar: CalendarScreen) {
    self.calendar = calendar
    let l = context.language
    super.init(
      context: context,
      form: Form(
        title: l.pick("Whose calendar", "Чей календарь"),
        fields: [
          FormField(
            key: "user", label: l.pick("User", "Пользователь"),
            note: l.pick("empty = mine, * = all, name", "пусто — мой, * — все, имя"))
        ]), tab: 2)
  }

  override func submit(app: App) -> Bool {
    let login = form.value("user").trimmingSpaces()
    if login.isEmpty {
      calendar?.setScope(context.myScope, name: "")
    } else if login == "*" {
      calendar?.setScope(.everyone, name: "")
    } else {
      guard let u = namedUser(login, field: "user") else { return false }
      calendar?.setScope(.user(u.id), name: u.login)
    }
    return true
  }
}

/// `a` on the calendar: pick the client (search as you type over the client base, as the
/// funnel's new deal does), then the contact form for the selected day at the start of the
/// working day.
@MainActor
enum PlanOnDay {
  static func start(day: Date, context: AppContext, app: App, onSaved: @escaping () -> Void) {
    let l = context.language
    guard let me = context.user?.id else {
      app.flash(l.pick("No acting user.", "Нет пользователя."), error: true)
      return
    }
    let date = context.formats.date(day)
    app.push(
      PickerScreen.clients(
        tab: 2, context: context,
        title: l.pick("Plan on \(date): the client", "Запланировать на \(date): клиент"),
        cancelMessage: l.pick("Nothing planned.", "Ничего не запланировано.")
      ) { item, app in
        guard let id = Int64(item.key) else { return }
        let hour = (try? context.db.settings().dayStartHour) ?? 10
        let due = day.addingTimeInterval(Double(hour) * 3600)
        app.push(
          ContactFormScreen(
            tab: 2, context: context,
            contact: Contact(clientId: id, kind: .call, dueAt: due, userId: me),
            clientName: item.label, onSaved: onSaved))
      })
  }
}
