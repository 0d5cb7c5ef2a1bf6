import CRMCore
import Foundation
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Issue #20, items 1, 4 and 5: `u` reaches only what was done on the screen and record in
/// view, after naming it; unsaved input is never dropped without a question; the handover asks
/// with the counts and shows its progress.
@MainActor @Suite struct UndoAndUnsavedScreenTests {
  func clients(_ app: App) -> ClientsScreen { app.roots[1] as! ClientsScreen }

  /// Opens the card of the client called `name` (search, Enter, Enter).
  func openCard(_ app: App, _ term: MemoryTerminal, _ name: String) {
    press(app, term, .char("/"))
    type(app, name)
    press(app, term, .enter)
    press(app, term, .enter)
  }

  @Test func theCardUndoesItsOwnPlannedCallAfterNamingIt() throws {
    let (app, term, db) = try makeApp()
    let s = app.context.clients
    let other = try s.add(Client(name: "Другой клиент"))
    let park = try s.add(Client(name: "Технопарк Северный"))
    clients(app).reload()
    openCard(app, term, "Технопарк")
    #expect(app.current is ClientCardScreen)
    press(app, term, .char("p"))
    press(app, term, .ctrl("s"))
    #expect(try app.context.contacts.contacts(ofClient: park).count == 1)
    press(app, term, .char("u"))
    #expect(term.text.contains("Отменить: план звонка"))
    let asked = try #require(app.confirm?.text)
    #expect(asked.hasPrefix("Отменить: план звонка "))
    #expect(asked.hasSuffix(" для «Технопарк Северный»?"))
    #expect(try app.context.contacts.contacts(ofClient: park).count == 1)  // not before y
    press(app, term, .char("y"))
    #expect(term.text.contains("Отменено: план звонка"))
    #expect(try app.context.contacts.contacts(ofClient: park).isEmpty)
    // The second u finds nothing done here: neither the open client nor another one moves.
    press(app, term, .char("u"))
    #expect(term.text.contains("Нечего отменять"))
    #expect(try s.client(park)?.deletedAt == nil)
    #expect(try s.client(other)?.deletedAt == nil)
    #expect(try db.count(ClientListQuery()) == 2)
  }

  @Test func theListNeverUndoesWhatACardDid() throws {
    let (app, term, _) = try makeApp()
    let s = app.context.clients
    let park = try s.add(Client(name: "Технопарк Северный"))
    clients(app).reload()
    openCard(app, term, "Технопарк")
    press(app, term, .char("p"))
    press(app, term, .ctrl("s"))
    press(app, term, .escape)  // back to the list
    #expect(app.current is ClientsScreen)
    press(app, term, .char("u"))
    #expect(term.text.contains("Нечего отменять"))
    #expect(try app.context.contacts.contacts(ofClient: park).count == 1)
    #expect(try s.client(park)?.deletedAt == nil)
  }

  @Test func anotherUsersChangeOfTheOpenClientIsNotOffered() throws {
    let (app, term, db) = try makeApp()
    let park = try app.context.clients.add(Client(name: "Технопарк Северный"))
    clients(app).reload()
    openCard(app, term, "Технопарк")
    let boris = ClientService(db: db, userId: try db.user(login: "boris")?.id, language: .ru)
    var c = try #require(try boris.client(park))
    c.city = "Тверь"
    try boris.update(c)
    press(app, term, .char("u"))
    #expect(term.text.contains("Нечего отменять"))
    #expect(try boris.client(park)?.city == "Тверь")
  }

  @Test func escapeInAFormWithTypedTextAsksFirst() throws {
    let (app, term, db) = try makeApp()
    press(app, term, .char("a"))
    press(app, term, .escape)  // nothing typed: closes at once
    #expect(app.current is ClientsScreen)
    press(app, term, .char("a"))
    type(app, "Ромашка")
    press(app, term, .escape)
    #expect(term.text.contains("Закрыть форму"))
    #expect(app.confirm?.text.hasSuffix("Закрыть без сохранения?") == true)
    press(app, term, .char("n"))
    #expect(app.current is ClientFormScreen)
    #expect(term.text.contains("Ромашка"))
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery()) == 1)
    press(app, term, .char("a"))
    type(app, "Лютик")
    press(app, term, .escape)
    press(app, term, .char("y"))
    #expect(app.current is ClientsScreen)
    #expect(term.text.contains("Не сохранено."))
    #expect(try db.count(ClientListQuery()) == 1)
  }

  @Test func ctrlCAndQAskWhenWorkWouldBeLost() throws {
    let (app, term, _) = try makeApp()
    try app.context.clients.add(Client(name: "Ромашка"))
    clients(app).reload()
    press(app, term, .char("a"))
    type(app, "Лютик")
    press(app, term, .ctrl("c"))
    #expect(app.running)
    #expect(term.text.contains("Не сохранено"))
    #expect(app.confirm?.text == "Не сохранено: форма «Новый клиент». Всё равно выйти?")
    press(app, term, .char("n"))
    #expect(app.running)
    #expect(term.text.contains("Лютик"))
    press(app, term, .ctrl("c"))
    press(app, term, .char("y"))
    #expect(!app.running)
    // q on the list with marked clients asks too; without marks it quits at once.
    let (app2, term2, _) = try makeApp()
    try app2.context.clients.add(Client(name: "Ромашка"))
    clients(app2).reload()
    press(app2, term2, .char(" "))
    press(app2, term2, .char("q"))
    #expect(app2.running)
    #expect(app2.confirm?.text == "Не сохранено: отмечено клиентов: 1. Всё равно выйти?")
    press(app2, term2, .char("n"))
    press(app2, term2, .escape)  // clears the marks
    press(app2, term2, .char("q"))
    #expect(!app2.running)
  }

  @Test func aTooSmallWindowDoesNotQuitOverUnsavedInput() throws {
    let (app, term, db) = try makeApp()
    press(app, term, .char("a"))
    type(app, "Лютик")
    term.resize(rows: 20, cols: 60)
    press(app, term, .resize)
    #expect(term.text.contains("Не сохранено: форма «Новый клиент»"))
    press(app, term, .char("q"))
    press(app, term, .ctrl("c"))
    #expect(app.running)
    term.resize(rows: 24, cols: 80)
    press(app, term, .resize)
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery(search: "Лютик")) == 1)
  }

  @Test func handoverAsksWithTheCountsShowsProgressAndDropsKeysTypedMeanwhile() throws {
    let (app, term, db) = try makeApp()
    let boris = try #require(try db.user(login: "boris")).id
    let anna = try #require(app.context.user?.id)
    let s = app.context.clients
    var ids: [Int64] = []
    for i in 0..<600 { ids.append(try s.add(Client(name: "Клиент \(i)", ownerId: anna))) }
    try app.context.contacts.plan(
      Contact(
        clientId: ids[3], kind: .call, dueAt: Date(timeIntervalSince1970: 1_796_000_000),
        userId: anna))
    clients(app).reload()
    press(app, term, .char("H"))
    #expect(term.text.contains("Что"))
    #expect(term.text.contains("клиент"))
    #expect(term.text.contains("да"))
    #expect(!term.text.contains("client"))
    type(app, "boris")
    press(app, term, .tab)
    press(app, term, .ctrl("u"))
    type(app, "все")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Передача клиентов"))
    // The question is longer than the box: it wraps, its end is on screen too.
    #expect(term.text.contains("открытых сделок: 0?"))
    #expect(
      app.confirm?.text
        == "Передать boris клиентов: 600 (от anna), запланированных контактов: 1, открытых сделок: 0?"
    )
    #expect(try s.client(ids[0])?.ownerId == anna)  // nothing before the answer
    // Keys pressed while the work runs wait in the terminal; they must not run afterwards.
    term.send(.char("d"), .char("y"))
    let framesBefore = term.frames
    app.handle(.char("y"))
    #expect(term.frames - framesBefore >= 4)  // the start and a redraw per batch of 200
    #expect(term.text.contains("Передача… 600 из 600 клиентов"))
    #expect(term.queuedKeys == 0)
    app.render()
    #expect(app.current is ClientsScreen)
    #expect(term.text.contains("Передано boris: клиентов 600, запланированных контактов 1"))
    #expect(try s.client(ids[599])?.ownerId == boris)
    #expect(try s.client(ids[0])?.ownerId == boris)
    #expect(try db.count(ClientListQuery()) == 600)
  }
}
