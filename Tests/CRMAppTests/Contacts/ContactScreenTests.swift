import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Monday 2026-11-23 12:00 UTC (the pane tests' moment too).
let noon = paneNow

@MainActor
func contactApp(
  rows: Int = 24, cols: Int = 80, lang: Language = .ru
) throws -> (App, MemoryTerminal, CRMDatabase, HandClock, ContactService, Int64) {
  let clock = HandClock(noon)
  let db = try CRMDatabase(memory: clock)
  let user = try #require(try db.user(login: "anna"))
  let context = AppContext(
    db: db, user: user, language: lang, timeZone: TimeZone(identifier: "UTC")!)
  let term = MemoryTerminal(rows: rows, cols: cols)
  let app = App(term: term, context: context)
  return (app, term, db, clock, context.contacts, user.id)
}

@MainActor
@Suite struct ContactScreenTests {
  @Test func logACallWithANextContactFromTheClientList() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    (app.current as! ClientsScreen).reload()
    app.render()
    press(app, term, .char("l"))
    #expect(term.text.contains("Какой вид? Нажмите клавишу:"))
    #expect(term.text.contains("звонок"))
    press(app, term, .char("с"))  // c in the Russian layout: a call
    #expect(term.text.contains("Записать звонок: ООО «Ромашка»"))
    type(app, "Просят КП")
    press(app, term, .tab, .tab)
    type(app, "+3d")
    press(app, term, .ctrl("s"))
    #expect(app.current is ClientsScreen)
    #expect(term.text.contains("Записано. Следующий: 26.11.2026 12:00."))
    let all = try contacts.list(scope: .everyone, clientId: id)
    #expect(all.count == 2)
    let planned = try #require(all.first { $0.contact.status == .planned })
    #expect(planned.contact.dueAt == noon.addingTimeInterval(3 * 86400))
    #expect(planned.contact.kind == .call)
    #expect(all.contains { $0.contact.status == .done && $0.contact.outcome == "Просят КП" })
  }

  @Test func aBadNextTimeKeepsTheFormOpenWithTheFieldMarked() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    _ = try clients.add(Client(name: "Ромашка"))
    (app.current as! ClientsScreen).reload()
    app.render()
    press(app, term, .char("l"), .char("c"))
    press(app, term, .tab, .tab)
    type(app, "31.02.2027 10:00")
    press(app, term, .ctrl("s"))
    #expect(app.current is OutcomeFormScreen)
    #expect(term.text.contains("февраль 2027") || term.text.contains("феврал"))
    #expect(try contacts.list(scope: .everyone).isEmpty)
    press(app, term, .escape)
    #expect(term.text.contains("Закрыть форму"))  // typed text is not dropped unasked
    press(app, term, .char("y"))
    #expect(term.text.contains("Ничего не записано."))
  }

  @Test func remindersRankAndOneKeyPerOutcome() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let regular = try clients.add(Client(name: "Обычный"))
    let vip = try clients.add(Client(name: "Важный", segment: "VIP"))
    let late = try contacts.plan(
      Contact(
        clientId: regular, kind: .call, dueAt: noon.addingTimeInterval(-2 * 86400),
        subject: "Ответ по КП", userId: me))
    let vipLate = try contacts.plan(
      Contact(clientId: vip, kind: .meeting, dueAt: noon.addingTimeInterval(-3600), userId: me))
    _ = try contacts.plan(
      Contact(clientId: regular, kind: .email, dueAt: noon.addingTimeInterval(3600), userId: me))
    press(app, term, .char("3"))
    #expect(app.current is RemindersScreen)
    let text = term.text
    #expect(text.contains("просрочено: 2"))
    #expect(text.contains("сегодня: 1"))
    let vipRow = try #require(term.row(containing: "Важный ★"))
    let lateRow = try #require(term.row(containing: "2 дн. назад"))
    #expect(vipRow < lateRow)
    #expect(term.style(of: "Важный ★")?.reverse == true)  // the most urgent is selected
    #expect(term.line(22).contains("просрочено: 2 [3]"))
    // n: no answer on the VIP meeting → retried by the rule, 2 hours later by default.
    press(app, term, .char("n"))
    #expect(term.text.contains("Не дозвонился; повтор 23.11.2026 14:00."))
    #expect(try contacts.contact(vipLate)?.contact.status == .missed)
    // Now the two-days-late call is first: postpone it by a day with z, 2.
    press(app, term, .char("z"))
    #expect(term.text.contains("Перенести: Обычный"))
    press(app, term, .char("2"))
    #expect(try contacts.contact(late)?.contact.dueAt == noon.addingTimeInterval(86400))
    #expect(term.line(22).contains("просрочено") == false)
    // d: done asks the result.
    press(app, term, .char("d"))
    #expect(term.text.contains("Выполнено"))
    type(app, "Договорились")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Отмечено выполненным."))
  }

  @Test func remindersShowClientsLosingTouchAndTheEmptyState() throws {
    let (app, term, db, clock, _, me) = try contactApp(lang: .en)
    press(app, term, .char("3"))
    #expect(term.text.contains("Nothing overdue or due today"))
    let clients = ClientService(db: db, userId: me, language: .en)
    _ = try clients.add(Client(name: "Quiet VIP", segment: "VIP"))
    clock.current = noon.addingTimeInterval(20 * 86400)
    app.idle()
    app.render()
    #expect(term.text.contains("losing touch: 1"))
    #expect(term.text.contains("── Losing touch (1)"))
    #expect(term.text.contains("Quiet VIP"))
    #expect(term.text.contains("+6 d"))
  }

  @Test func calendarWeekMonthAndDayViewsWithOverlapsAt80x24() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let a = try clients.add(Client(name: "Альфа"))
    let b = try clients.add(Client(name: "Бета"))
    // Wednesday 25.11: two overlapping meetings; Friday 27.11: one call.
    let wed10 = noon.addingTimeInterval(2 * 86400 - 2 * 3600)
    try contacts.plan(
      Contact(clientId: a, kind: .meeting, dueAt: wed10, durationMinutes: 60, userId: me))
    try contacts.plan(
      Contact(clientId: b, kind: .meeting, dueAt: wed10.addingTimeInterval(1800), userId: me))
    try contacts.plan(
      Contact(
        clientId: b, kind: .call, dueAt: noon.addingTimeInterval(4 * 86400), subject: "Счёт",
        userId: me))
    press(app, term, .char("2"))
    let cal = try #require(app.current as? CalendarScreen)
    #expect(cal.view == .week)
    #expect(term.text.contains("23.11.2026 – 29.11.2026"))
    #expect(term.text.contains("запланировано: 3"))
    #expect(term.text.contains("пересечений: 1"))
    #expect(term.line(2).hasPrefix("Пн 23.11"))
    #expect(term.text.contains("10:00!Аль"))
    #expect(term.text.contains("10:30!Бета"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
    press(app, term, .char("M"))
    #expect(term.text.contains("Ноябрь 2026"))
    #expect(term.text.contains("25 •2!"))
    #expect(term.text.contains("27 •1"))
    press(app, term, .char("D"))
    #expect(term.text.contains("Пн 23.11.2026"))
    #expect(term.text.contains("На этот день ничего не запланировано"))
    press(app, term, .char("l"), .char("l"))  // two days on: Wednesday
    #expect(term.text.contains("Ср 25.11.2026"))
    #expect(term.text.contains("10:00–11:00"))
    // Reschedule the selected meeting in place: z, then a typed time.
    press(app, term, .char("z"), .enter)
    type(app, "26.11.2026 15:00")
    press(app, term, .enter)
    #expect(term.text.contains("Перенесено на 26.11.2026 15:00."))
    #expect(!term.text.contains("пересечений"))
    press(app, term, .pageDown)  // next day in the day view
    #expect(term.text.contains("Чт 26.11.2026"))
    #expect(term.text.contains("15:00–16:00"))
  }

  @Test func calendarMovesByPeriodJumpsToTodayAndAddsOnTheSelectedDay() throws {
    let (app, term, db, _, contacts, me) = try contactApp(lang: .en)
    let clients = ClientService(db: db, userId: me, language: .en)
    _ = try clients.add(Client(name: "Gamma Trading"))
    press(app, term, .char("2"), .char("M"))
    #expect(term.text.contains("November 2026"))
    press(app, term, .pageDown, .pageDown, .pageDown)
    #expect(term.text.contains("February 2027"))
    press(app, term, .char("t"))
    #expect(term.text.contains("November 2026"))
    press(app, term, .char("D"), .char("a"))
    type(app, "gamma")
    press(app, term, .enter)
    #expect(term.text.contains("Plan a contact: Gamma Trading"))
    press(app, term, .tab)
    #expect(app.current is ContactFormScreen)
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Planned for 2026-11-23 10:00"))
    #expect(
      try contacts.planned(from: noon.addingTimeInterval(-86400), to: noon, scope: .everyone).count
        == 1)
    #expect(term.text.contains("1 overdue [3]"))
  }

  @Test func theCardListsContactsAndHistoryNamesContactFields() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let id = try clients.add(Client(name: "Ромашка"))
    try contacts.log(clientId: id, kind: .call, outcome: "Просят КП")
    try contacts.plan(
      Contact(
        clientId: id, kind: .meeting, dueAt: noon.addingTimeInterval(86400), subject: "Показ",
        userId: me))
    (app.current as! ClientsScreen).reload()
    press(app, term, .enter, .tab, .tab)
    #expect(term.text.contains("Контакты (2)"))
    let planned = try #require(term.row(containing: "Показ"))
    let done = try #require(term.row(containing: "Просят КП"))
    #expect(planned < done)
    #expect(term.text.contains("запланирован"))
    press(app, term, .tab)
    #expect(term.text.contains("контакт Результат"))
  }

  @Test func anotherProcessWritingRefreshesTheOverdueCount() throws {
    let dir = NSTemporaryDirectory() + "crm-live-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let clock = HandClock(noon)
    let path = dir + "/crm.sqlite"
    let db = try CRMDatabase(path: path, clock: clock)
    let user = try #require(try db.user(login: "anna"))
    let app = App(
      term: MemoryTerminal(), context: AppContext(db: db, user: user, language: .en))
    app.render()
    #expect(app.overdue == 0)
    #expect(app.idle() == false)
    // A second connection, as another crm process would.
    let other = try CRMDatabase(path: path, clock: clock)
    let s = ContactService(db: other, userId: user.id, language: .en)
    let c = try ClientService(db: other, userId: user.id, language: .en).add(Client(name: "X"))
    try s.plan(
      Contact(clientId: c, kind: .call, dueAt: noon.addingTimeInterval(-60), userId: user.id))
    #expect(app.idle() == true)
    #expect(app.overdue == 1)
  }
}
