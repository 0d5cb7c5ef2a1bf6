import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

struct PaneData {
  let clock = HandClock(paneNow)
  let db: CRMDatabase
  let anna: User
  let contacts: ContactService
  let clients: ClientService

  init() throws {
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    contacts = ContactService(db: db, userId: anna.id, language: .ru, timeZone: utc)
    clients = ClientService(db: db, userId: anna.id, language: .ru)
  }

  @discardableResult
  func plan(_ name: String, hours: Double, subject: String = "", remindMinutes: Double? = nil)
    throws -> Int64
  {
    let client = try clients.add(Client(name: name, legalForm: "ООО"))
    let due = clock.current.addingTimeInterval(hours * 3600)
    return try contacts.plan(
      Contact(
        clientId: client, kind: .call, dueAt: due, subject: subject, userId: anna.id,
        remindAt: remindMinutes.map { due.addingTimeInterval(-$0 * 60) }))
  }

  func model() throws -> PaneModel {
    let now = clock.current
    let end = contacts.endOfDay(now)
    let overdue = try contacts.overdueCount(scope: .user(anna.id), at: now)
    let today = try contacts.overdueCount(scope: .user(anna.id), at: end) - overdue
    return PaneModel(
      reminders: try contacts.reminders(scope: .user(anna.id), horizon: end, at: now),
      overdue: overdue, dueToday: today, losingTouch: 2, now: now)
  }
}

func render(_ m: PaneModel, rows: Int, cols: Int, lang: Language = .ru) -> Canvas {
  var canvas = Canvas(size: Size(rows: rows, cols: cols))
  PaneView(language: lang, timeZone: utc).draw(m, into: &canvas)
  return canvas
}

func styleOf(_ canvas: Canvas, _ needle: String) -> Style? {
  for r in 0..<canvas.size.rows {
    let line = canvas.line(r)
    guard let range = line.range(of: needle) else { continue }
    var col = 0
    for ch in line[..<range.lowerBound] { col += TextWidth.of(ch) }
    return canvas[r, col].style
  }
  return nil
}

@Suite @MainActor struct PaneViewTests {
  @Test func wideShowsCountsOverdueInRedThenToday() throws {
    let d = try PaneData()
    try d.plan("Ромашка", hours: -3, subject: "Счёт")
    try d.plan("Вектор", hours: -0.5)
    try d.plan("Ёлочка", hours: 2.5, subject: "Договор")
    try d.plan("Завтрашний", hours: 20)
    let c = render(try d.model(), rows: 10, cols: 80)
    #expect(c.line(0).hasPrefix("Просрочено: 2 · Сегодня: 1 · Теряем связь: 2"))
    #expect(c.line(0).hasSuffix("12:00"))
    #expect(c.line(1).contains("+3 ч") && c.line(1).contains("ООО «Ромашка» — Счёт"))
    #expect(c.line(1).contains("звонок"))
    #expect(c.line(2).contains("+30 мин") && c.line(2).contains("ООО «Вектор»"))
    #expect(c.line(3).contains("14:30") && c.line(3).contains("ООО «Ёлочка» — Договор"))
    #expect(!c.text.contains("Завтрашний"))
    #expect(styleOf(c, "+3 ч") == PaneView.overdueStyle)
    #expect(styleOf(c, "ООО «Вектор»")?.color == .red)
    #expect(styleOf(c, "14:30")?.color == .default)
    for r in 0..<10 { #expect(TextWidth.of(c.line(r)) == 80) }
  }

  @Test func narrowerDropsTheKindAndShortensTheHeader() throws {
    let d = try PaneData()
    try d.plan("Ромашка", hours: -26)
    let c = render(try d.model(), rows: 6, cols: 30)
    #expect(c.line(0).hasPrefix("Проср. 1 · Сегодня 0 · Связь 2"))
    #expect(c.line(1).contains("+1 дн") && c.line(1).contains("ООО «Ромашка»"))
    #expect(!c.line(1).contains("звонок"))
    #expect(styleOf(c, "+1 дн")?.color == .red)
  }

  @Test func tooManyLinesEndWithHowManyMore() throws {
    let d = try PaneData()
    for i in 0..<8 { try d.plan("Клиент \(i)", hours: -Double(i + 1)) }
    let c = render(try d.model(), rows: 6, cols: 40)
    #expect(c.line(5).contains("… ещё 4"))
    #expect(c.line(1).contains("+8 ч"))
  }

  @Test func smallestSizeShowsOnlyTheCounts() throws {
    let d = try PaneData()
    try d.plan("Ромашка", hours: -1)
    try d.plan("Вектор", hours: 1)
    let c = render(try d.model(), rows: 5, cols: 20)
    #expect(c.line(0).hasPrefix("Просрочено: 1"))
    #expect(c.line(1).hasPrefix("Сегодня: 1"))
    #expect(c.line(2).hasPrefix("Теряем связь: 2"))
    #expect(c.line(3).hasPrefix("12:00"))
    #expect(!c.text.contains("Ромашка"))
    #expect(styleOf(c, "Просрочено")?.color == .red)
    let tiny = render(try d.model(), rows: 1, cols: 20)
    #expect(tiny.line(0).hasPrefix("!1 ·1 ~2"))
  }

  @Test func emptyStateAndEnglish() throws {
    let d = try PaneData()
    let c = render(try d.model(), rows: 10, cols: 80, lang: .en)
    #expect(c.line(0).hasPrefix("Overdue: 0 · Today: 0 · Losing touch: 2"))
    #expect(c.line(1).hasPrefix("Nothing overdue or due today"))
    #expect(styleOf(c, "Nothing")?.dim == true)
    let ru = render(try d.model(), rows: 5, cols: 20)
    #expect(styleOf(ru, "Просрочено")?.color == .default)
  }

  @Test func notifierRingsOnceForRemindersPassingAfterTheStart() throws {
    let d = try PaneData()
    let before = try d.plan("Уже просрочен", hours: -1)
    let soon = try d.plan("Скоро", hours: 1, remindMinutes: 15)
    let noReminder = try d.plan("Без напоминания", hours: 2, remindMinutes: 0)
    var n = PaneNotifier(since: paneNow)
    let rows = try d.contacts.planned(
      from: paneNow.addingTimeInterval(-86400), to: paneNow.addingTimeInterval(86400),
      scope: .everyone)
    #expect(n.due(rows, now: paneNow).isEmpty)
    #expect(n.next(rows, now: paneNow) == paneNow.addingTimeInterval(45 * 60))
    #expect(n.due(rows, now: paneNow.addingTimeInterval(44 * 60)).isEmpty)
    #expect(n.due(rows, now: paneNow.addingTimeInterval(45 * 60)).map(\.id) == [soon])
    #expect(n.due(rows, now: paneNow.addingTimeInterval(50 * 60)).isEmpty)
    #expect(n.due(rows, now: paneNow.addingTimeInterval(3 * 3600)).map(\.id) == [noReminder])
    #expect(!n.announced.contains(before))
  }

  @Test func paneLoopReloadsOnWritesAndMinutesAndNotifies() throws {
    let d = try PaneData()
    let term = MemoryTerminal(rows: 8, cols: 60)
    var bells = 0
    var messages: [String] = []
    let context = AppContext(db: d.db, user: d.anna, language: .ru, timeZone: utc)
    let pane = Pane(
      term: term, context: context, scope: .user(d.anna.id), bell: { bells += 1 },
      notify: { messages.append($0) })
    #expect(pane.tick())
    #expect(!pane.tick())
    #expect(pane.reloads == 1)
    #expect(term.text.contains("Просроченных и на сегодня нет"))
    try d.plan("Ромашка", hours: 0.25, subject: "Счёт", remindMinutes: 5)
    #expect(pane.tick())
    #expect(term.text.contains("12:15") && term.text.contains("ООО «Ромашка»"))
    d.clock.current = paneNow.addingTimeInterval(30)
    #expect(!pane.tick())
    d.clock.current = paneNow.addingTimeInterval(10 * 60)
    #expect(pane.tick())
    #expect(bells == 1)
    #expect(messages == ["Звонок: ООО «Ромашка» в 12:15 — Счёт"])
    d.clock.current = paneNow.addingTimeInterval(16 * 60)
    #expect(pane.tick())
    #expect(bells == 1)
    #expect(term.text.contains("+1 мин"))
    #expect(term.style(of: "+1 мин")?.color == .red)
    term.type("x")
    term.send(.char("й"))
    pane.run()
    #expect(pane.reloads == 4)
  }
}
