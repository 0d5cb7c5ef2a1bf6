import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// anna (admin) and boris (manager) change clients over two days; the audit screen on top.
@MainActor
struct AuditScreenFixture {
  let clock = HandClock(paneNow)
  let db: CRMDatabase
  let anna: User
  let boris: User
  let alpha: Int64
  let app: App
  let term: MemoryTerminal

  init(as login: String = "anna", clients extra: Int = 0) throws {
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    // The sign-ups are audited too; this history starts after them.
    try db.write { db in try db.execute(sql: "DELETE FROM audit; DELETE FROM change_set") }
    let a = ClientService(db: db, userId: anna.id, language: .ru)
    let b = ClientService(db: db, userId: boris.id, language: .ru)
    clock.current = paneNow.addingTimeInterval(-86_400)  // Sunday 22.11 12:00
    alpha = try a.add(Client(name: "Альфа", ownerId: anna.id))
    clock.current = paneNow.addingTimeInterval(3600)  // Monday 23.11 13:00
    _ = try b.add(Client(name: "Бета", ownerId: boris.id))
    clock.current = paneNow.addingTimeInterval(2 * 3600)  // 14:05
      .addingTimeInterval(300)
    var c = try #require(try a.client(alpha))
    c.city = "Тверь"
    c.phones = [Phone("+7 495 123-45-67")]
    try a.update(c)
    for i in 0..<extra {
      _ = try a.add(Client(name: "Клиент \(i)", ownerId: anna.id))
    }
    clock.current = paneNow.addingTimeInterval(3 * 3600)
    let me = login == "anna" ? anna : boris
    try db.signIn(me)
    let context = AppContext(db: db, user: me, language: .ru, timeZone: utc)
    term = MemoryTerminal(rows: 24, cols: 80)
    app = App(term: term, context: context)
    app.push(AuditScreen(context: context))
    app.render()
  }

  var screen: AuditScreen { app.stack.compactMap { $0 as? AuditScreen }.last! }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  func type(_ text: String) {
    for ch in text { app.handle(.char(ch)) }
    app.render()
  }

  var text: String { term.text }
}

@MainActor
@Suite struct AuditScreenTests {
  @Test func rendersChangesNewestFirstAt80x24InRussian() throws {
    let f = try AuditScreenFixture()
    #expect(f.term.line(1).contains("Журнал изменений  Фильтр: все изменения"))
    #expect(
      f.term.line(2)
        == "Время            Кто      Объект             Действие   Поля                    ")
    #expect(
      f.term.line(3)
        == "23.11.2026 14:05 anna     клиент «Альфа»     изменено   город, телефоны         ")
    #expect(
      f.term.line(4)
        == "23.11.2026 13:00 boris    клиент «Бета»      создано    тип, название, ответств…")
    #expect(
      f.term.line(5)
        == "22.11.2026 12:00 anna     клиент «Альфа»     создано    тип, название, ответств…")
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) <= 80) }
  }

  @Test func enterShowsEveryFieldOfTheChange() throws {
    let f = try AuditScreenFixture()
    f.press(.enter)
    #expect(f.text.contains("23.11.2026 14:05 · anna · клиент «Альфа»"))
    #expect(f.text.contains("Действие: изменено"))
    #expect(f.text.contains("Город: — → Тверь"))
    #expect(f.text.contains("Телефоны: — → +7 495 123-45-67"))
    #expect(f.text.contains("Было (как хранится):"))
    #expect(f.text.contains("name: Альфа"))
    #expect(
      AuditDetailScreen.summary(json: #"{"b":"x","a":1,"c":"","d":[1,2]}"#)
        == "a: 1 · b: x · d: [2]")
    #expect(AuditDetailScreen.summary(json: "not json") == "not json")
    f.press(.char("q"))
    #expect(f.app.current is AuditScreen)
    f.press(.char("j"), .enter)
    #expect(f.text.contains("Ответственный: — → boris"))
  }

  @Test func filtersByKeys() throws {
    let f = try AuditScreenFixture()
    // u: a picker of users; boris.
    f.press(.char("u"))
    #expect(f.text.contains("Чьи изменения?"))
    f.type("boris")
    f.press(.enter)
    #expect(f.text.contains("Фильтр: пользователь boris"))
    #expect(f.screen.changes.map(\.user) == ["boris"])
    // e: entity; person → nothing.
    f.press(.char("e"))
    f.type("лицо")
    f.press(.enter)
    #expect(f.text.contains("Фильтр: пользователь boris · лицо"))
    #expect(f.text.contains("Изменений не найдено. c — сбросить фильтры."))
    // c clears; p: today (Monday 23.11) → two changes; [ → Sunday → one.
    f.press(.char("c"))
    #expect(f.screen.changes.count == 3)
    f.press(.char("p"))
    #expect(f.text.contains("Фильтр: день 23.11.2026"))
    #expect(f.screen.changes.count == 2)
    f.press(.char("["))
    #expect(f.text.contains("Фильтр: день 22.11.2026"))
    #expect(f.screen.changes.count == 1)
    f.press(.char("]"), .char("p"))
    #expect(f.text.contains("неделя 23.11.2026 – 29.11.2026"))
    f.press(.char("p"))
    #expect(f.text.contains("месяц 01.11.2026 – 30.11.2026"))
    #expect(f.screen.changes.count == 3)
    f.press(.char("p"))
    #expect(f.text.contains("Фильтр: все изменения"))
  }

  @Test func oOpensTheClientCard() throws {
    let f = try AuditScreenFixture()
    f.press(.char("o"))
    #expect(f.app.current is ClientCardScreen)
    #expect(f.text.contains("Альфа"))
  }

  @Test func scrollingLoadsTheNextPage() throws {
    let f = try AuditScreenFixture(clients: 70)
    #expect(f.screen.changes.count == AuditScreen.pageSize)
    f.press(.char("G"))
    #expect(f.screen.changes.count == 73)
    f.press(.char("G"))
    #expect(Set(f.screen.changes.map(\.changeId)).count == 73)
    #expect(f.text.contains("22.11.2026 12:00 anna"))
  }

  @Test func aManagerSeesOnlyTheirOwnChanges() throws {
    let f = try AuditScreenFixture(as: "boris")
    #expect(f.text.contains("Только ваши изменения"))
    #expect(f.screen.changes.map(\.user) == ["boris"])
    f.press(.char("u"))
    #expect(f.text.contains("Менеджер видит только свои изменения."))
  }

  @Test func theClientCardOpensItsAuditLog() throws {
    let f = try AuditScreenFixture()
    f.press(.char("q"))
    let context = f.app.context
    f.app.push(ClientCardScreen(context: context, clientId: f.alpha, list: nil))
    f.press(.char("h"))
    #expect(f.text.contains("Фильтр: клиент «Альфа»"))
    #expect(f.screen.changes.count == 2)
  }
}
