import CRMCore
import Foundation
import TerminalUI

/// Unpaid invoices past their due day of a scope's clients: how many, and what they owe per
/// currency. `crm remind` and the pane print it as one line.
public struct OverdueInvoices: Equatable, Sendable {
  public var count: Int
  public var owed: [Money]

  public init(count: Int = 0, owed: [Money] = []) {
    self.count = count
    self.owed = owed
  }

  /// The acting user's clients' (`.user`) or everyone's overdue invoices, counted and summed in
  /// SQL (exact however many there are).
  public static func read(_ money: MoneyService, scope: ContactScope) throws(CRMError)
    -> OverdueInvoices
  {
    var owner: Int64?
    if case .user(let id) = scope { owner = id }
    let s = try money.invoiceSummary(
      MoneyService.InvoiceFilter(overdueOnly: true, ownerId: owner))
    return OverdueInvoices(count: s.count, owed: s.owed.filter { $0.minor > 0 })
  }

  /// `Просроченные счета: 2 · долг 190 000 ₽`; nil when there are none.
  public func line(_ l: Language) -> String? {
    guard count > 0 else { return nil }
    let n = "\(count)"
    let debt = owed.map { MoneyText.amount($0, l) }.joined(separator: " + ")
    return l.pick("Overdue invoices: \(n)", "Просроченные счета: \(n)")
      + (debt.isEmpty ? "" : l.pick(" · owed ", " · долг ") + debt)
  }
}

/// What the reminder pane shows: overdue and due-today contacts (most urgent first) and counts.
public struct PaneModel: Equatable, Sendable {
  /// Overdue contacts first, then the ones due later today, as `ContactService.reminders` ranks.
  public var reminders: [Reminder]
  public var overdue: Int
  /// Planned for later today (not yet due).
  public var dueToday: Int
  /// Clients past their segment's cadence with nothing planned.
  public var losingTouch: Int
  public var now: Date
  /// Overdue invoices of the same clients: a line at the bottom when there are any.
  public var invoices: OverdueInvoices

  public init(
    reminders: [Reminder], overdue: Int, dueToday: Int, losingTouch: Int, now: Date,
    invoices: OverdueInvoices = OverdueInvoices()
  ) {
    self.reminders = reminders
    self.overdue = overdue
    self.dueToday = dueToday
    self.losingTouch = losingTouch
    self.now = now
    self.invoices = invoices
  }
}

/// Draws the compact reminder pane of `crm pane` into a canvas of any size down to 20×5:
/// a header with the counts, then one line per reminder; below 26 columns or 3 rows only
/// the counts.
public struct PaneView: Sendable {
  public let language: Language
  public let timeZone: TimeZone

  public init(language: Language, timeZone: TimeZone) {
    self.language = language
    self.timeZone = timeZone
  }

  public static let overdueStyle = Style(bold: true, color: .red)
  public static let headerStyle = Style.bold
  /// Narrower than this, only the counts are shown.
  public static let minListWidth = 26

  var l: Language { language }

  /// How late, shortly: `+45 мин`, `+3 ч`, `+2 дн`.
  public func late(_ seconds: TimeInterval) -> String {
    let minutes = Int(seconds / 60)
    if minutes < 60 { return "+\(minutes) " + l.pick("min", "мин") }
    if minutes < 24 * 60 { return "+\(minutes / 60) " + l.pick("h", "ч") }
    return "+\(minutes / 1440) " + l.pick("d", "дн")
  }

  func clock(_ d: Date) -> String {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = timeZone
    let p = cal.dateComponents([.hour, .minute], from: d)
    let h = p.hour ?? 0
    let m = p.minute ?? 0
    return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
  }

  /// The header's text, the longest variant that fits `width`.
  public func header(_ m: PaneModel, width: Int) -> String {
    let variants = [
      l.pick(
        "Overdue: \(m.overdue) · Today: \(m.dueToday) · Losing touch: \(m.losingTouch)",
        "Просрочено: \(m.overdue) · Сегодня: \(m.dueToday) · Теряем связь: \(m.losingTouch)"),
      l.pick(
        "Overdue \(m.overdue) · Today \(m.dueToday) · Touch \(m.losingTouch)",
        "Просрочено \(m.overdue) · Сегодня \(m.dueToday) · Связь \(m.losingTouch)"),
      l.pick(
        "Late \(m.overdue) · Today \(m.dueToday) · Touch \(m.losingTouch)",
        "Проср. \(m.overdue) · Сегодня \(m.dueToday) · Связь \(m.losingTouch)"),
    ]
    return variants.first { TextWidth.of($0) <= width } ?? variants[variants.count - 1]
  }

  /// One reminder line: how late (overdue) or the time (later today), kind, client, subject.
  public func line(_ r: Reminder, width: Int) -> String {
    let c = r.row.contact
    let when = r.overdue ? late(r.lateBy) : clock(c.dueAt ?? Date(timeIntervalSince1970: 0))
    var text = TextWidth.fit(when, to: 8) + " "
    if width >= 48 { text += TextWidth.fit(c.kind.name(l), to: 8) + " " }
    text += r.row.clientName
    if !c.subject.isEmpty { text += " — " + c.subject }
    return text
  }

  /// The text of the notification for a contact whose reminder came due.
  public func message(_ r: ContactRow) -> String {
    let c = r.contact
    let kind = c.kind.name(l)
    var text =
      kind.prefix(1).uppercased() + kind.dropFirst() + ": " + r.clientName + " "
      + l.pick("at ", "в ") + clock(c.dueAt ?? Date(timeIntervalSince1970: 0))
    if !c.subject.isEmpty { text += " — " + c.subject }
    return text
  }

  public func draw(_ m: PaneModel, into canvas: inout Canvas) {
    canvas.clear()
    let rows = canvas.size.rows
    let cols = canvas.size.cols
    guard rows > 0, cols > 0 else { return }
    if cols < Self.minListWidth || rows < 3 {
      drawCounts(m, into: &canvas)
      return
    }
    let head = header(m, width: cols)
    canvas.put(0, 0, head, Self.headerStyle, maxWidth: cols)
    let time = clock(m.now)
    if TextWidth.of(head) + 1 + TextWidth.of(time) <= cols {
      canvas.put(0, cols - TextWidth.of(time), time, .dim)
    }
    // Overdue invoices take the last row when there is room for a reminder above them.
    var listEnd = rows
    if let invoices = m.invoices.line(l), rows >= 4 {
      listEnd = rows - 1
      canvas.put(rows - 1, 0, invoices, Self.overdueStyle, maxWidth: cols)
    }
    if m.reminders.isEmpty {
      canvas.put(
        1, 0, l.pick("Nothing overdue or due today", "Просроченных и на сегодня нет"), .dim,
        maxWidth: cols)
      return
    }
    let total = max(m.overdue + m.dueToday, m.reminders.count)
    let room = listEnd - 1
    let shown = total > room ? room - 1 : min(room, m.reminders.count)
    for (i, r) in m.reminders.prefix(shown).enumerated() {
      canvas.put(
        1 + i, 0, line(r, width: cols), r.overdue ? Self.overdueStyle : .plain, maxWidth: cols)
    }
    if total > shown {
      canvas.put(
        listEnd - 1, 0, l.pick("… \(total - shown) more", "… ещё \(total - shown)"), .dim,
        maxWidth: cols)
    }
  }

  func drawCounts(_ m: PaneModel, into canvas: inout Canvas) {
    let rows = canvas.size.rows
    let cols = canvas.size.cols
    let overdueStyle = m.overdue > 0 ? Self.overdueStyle : Style.plain
    if rows < 3 {
      canvas.put(0, 0, "!\(m.overdue) ·\(m.dueToday) ~\(m.losingTouch)", overdueStyle)
      return
    }
    let lines: [(String, Style)] = [
      (l.pick("Overdue: \(m.overdue)", "Просрочено: \(m.overdue)"), overdueStyle),
      (l.pick("Today: \(m.dueToday)", "Сегодня: \(m.dueToday)"), .plain),
      (l.pick("Losing touch: \(m.losingTouch)", "Теряем связь: \(m.losingTouch)"), .plain),
    ]
    for (i, (text, style)) in lines.enumerated() { canvas.put(i, 0, text, style, maxWidth: cols) }
    if rows > 3 { canvas.put(3, 0, clock(m.now), .dim) }
  }
}

/// Decides which contacts to announce: one whose reminder time (or due time, without a
/// reminder) passes after `since`, each contact once. Contacts already due when the pane started
/// are never announced.
public struct PaneNotifier: Sendable {
  public let since: Date
  public private(set) var announced: Set<Int64> = []

  public init(since: Date) { self.since = since }

  /// When a contact should ring: its reminder, or its due time when it has none or the
  /// reminder is later.
  public static func trigger(_ c: Contact) -> Date? {
    guard let due = c.dueAt else { return nil }
    return min(c.remindAt ?? due, due)
  }

  /// The contacts that came due since the last call; remembers them.
  public mutating func due(_ candidates: [ContactRow], now: Date) -> [ContactRow] {
    var out: [ContactRow] = []
    for r in candidates where r.contact.status == .planned && !announced.contains(r.id) {
      guard let t = Self.trigger(r.contact), t > since, t <= now else { continue }
      announced.insert(r.id)
      out.append(r)
    }
    return out
  }

  /// The earliest trigger still ahead, so the pane can wake for it between minutes.
  public func next(_ candidates: [ContactRow], now: Date) -> Date? {
    candidates.compactMap { r in
      announced.contains(r.id) ? nil : Self.trigger(r.contact).flatMap { $0 > now ? $0 : nil }
    }.min()
  }
}

/// The loop of `crm pane`: wakes every `interval`, reloads only when another process wrote
/// (`PRAGMA data_version`), the minute turned or a reminder time came; rings once per contact
/// whose reminder passes while it runs. `q` or ^C ends it.
@MainActor
public final class Pane {
  public let term: any Terminal
  public let context: AppContext
  public let scope: ContactScope
  public let interval: TimeInterval
  let bell: () -> Void
  let notify: (String) -> Void
  public let view: PaneView
  public private(set) var model: PaneModel
  public private(set) var notifier: PaneNotifier
  var candidates: [ContactRow] = []
  var nextTrigger: Date?
  var seen: (version: Int, own: Int, minute: Int)?
  public private(set) var reloads = 0
  /// How far ahead of now contacts are watched for reminders (remind_before is at most 7 days).
  static let lookahead: TimeInterval = 8 * 86400

  public init(
    term: any Terminal, context: AppContext, scope: ContactScope, interval: TimeInterval = 1,
    bell: @escaping () -> Void, notify: @escaping (String) -> Void
  ) {
    self.term = term
    self.context = context
    self.scope = scope
    self.interval = interval
    self.bell = bell
    self.notify = notify
    let now = context.db.clock.now()
    view = PaneView(language: context.language, timeZone: context.timeZone)
    model = PaneModel(reminders: [], overdue: 0, dueToday: 0, losingTouch: 0, now: now)
    notifier = PaneNotifier(since: now)
  }

  /// Draws until `q`, ^C or the end of input.
  public func run() {
    _ = tick()
    while true {
      switch term.readKey(milliseconds: Int(interval * 1000)) {
      case .key(let key):
        switch KeyboardLayout.latin(key) {
        case .char("q"), .ctrl("c"): return
        default: render()
        }
      case .timeout: _ = tick()
      case .end: return
      }
    }
  }

  /// One wake-up: reloads and repaints only when something could have changed. Returns true
  /// when it reloaded.
  @discardableResult
  public func tick() -> Bool {
    let now = context.db.clock.now()
    let minute = Int(now.timeIntervalSince1970 / 60)
    // data_version changes when another connection commits; this one's own writes (tests, or
    // none in `crm pane`) show in the total change count.
    let (version, own) =
      (try? context.db.queue.inDatabase { db in
        (try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0, db.totalChangesCount)
      }) ?? (0, 0)
    let due = nextTrigger.map { now >= $0 } ?? false
    if let s = seen, s.version == version, s.own == own, s.minute == minute, !due { return false }
    seen = (version, own, minute)
    reload(now)
    render()
    return true
  }

  /// The acting user's open to-dos due before `end`, as reminder rows (negative ids).
  static func todoReminders(_ context: AppContext, scope: ContactScope, now: Date, end: Date)
    -> [Reminder]
  {
    guard case .user(let id) = scope else { return [] }
    let l = context.language
    let tasks = context.core.tasks
    let todos = (try? tasks.openTodos(assignee: id, to: end, limit: 50)) ?? []
    return todos.map { t in
      let title = "☐ " + l.pick("Task: ", "Задача: ") + t.title
      let row = ContactRow(
        contact: Contact(
          id: -t.id, clientId: t.clientId ?? 0, kind: .other, dueAt: t.dueAt,
          subject: t.authorLogin.isEmpty ? "" : l.pick("from ", "от ") + t.authorLogin,
          userId: t.assigneeId),
        clientName: title, clientShortName: title, userLogin: t.assigneeLogin)
      return Reminder(
        row: row, overdue: t.dueAt < now, lateBy: max(0, now.timeIntervalSince(t.dueAt)),
        vip: false)
    }
  }

  func reload(_ now: Date) {
    reloads += 1
    let c = context.contacts
    let end = c.endOfDay(now)
    let overdue = (try? c.overdueCount(scope: scope, at: now)) ?? 0
    let untilTonight = (try? c.overdueCount(scope: scope, at: end)) ?? overdue
    var list = (try? c.reminders(scope: scope, horizon: end, at: now, limit: 200)) ?? []
    let losing = (try? c.losingTouch(scope: scope, at: now, limit: 1).total) ?? 0
    let invoices = (try? OverdueInvoices.read(context.money, scope: scope)) ?? OverdueInvoices()
    // Team work: open to-dos due today or overdue come first, as «☐ Задача: …» rows.
    let todos = Self.todoReminders(context, scope: scope, now: now, end: end)
    list = todos + list
    let lateTodos = todos.filter(\.overdue).count
    model = PaneModel(
      reminders: list, overdue: overdue + lateTodos,
      dueToday: max(0, untilTonight - overdue) + todos.count - lateTodos,
      losingTouch: losing, now: now, invoices: invoices)
    candidates =
      (try? c.planned(
        from: notifier.since, to: now.addingTimeInterval(Self.lookahead), scope: scope))
      ?? []
    let fresh = notifier.due(candidates, now: now)
    if !fresh.isEmpty {
      bell()
      for r in fresh { notify(view.message(r)) }
    }
    nextTrigger = notifier.next(candidates, now: now)
  }

  public func render() {
    var canvas = Canvas(size: term.size)
    view.draw(model, into: &canvas)
    term.present(canvas)
  }
}
