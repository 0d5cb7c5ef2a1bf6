import CRMCore
import Foundation
import TerminalUI
import TestSupport
import Testing

@testable import CRMApp

/// The screens show what CRMCore lets the signed-in user see; they never filter on their own.
@MainActor
@Suite struct VisibilityScreenTests {
  @Test func aManagerUnderOwnSeesOnlyTheirClientsOnTheListAndInSearch() throws {
    let db = try CRMDatabase(
      memory: SteppingClock(start: Date(timeIntervalSince1970: 1_795_000_000)))
    let anna = try #require(try db.user(login: "anna"))
    let boris = try #require(try db.user(login: "boris"))
    let clients = ClientService(db: db, userId: anna.id, language: .ru)
    try clients.add(Client(name: "Вектор", legalForm: "ООО", ownerId: anna.id))
    try clients.add(Client(name: "Ромашка", legalForm: "ООО", ownerId: boris.id))
    try clients.add(Client(name: "Ромашка Север", legalForm: "ООО", ownerId: anna.id))
    try db.setSetting("visibility", "own", language: .ru)
    let me = try db.signIn(login: "boris").user
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(
      term: term,
      context: AppContext(
        db: db, user: me, language: .ru, timeZone: TimeZone(identifier: "UTC")!))
    app.render()
    #expect(term.text.contains("клиентов: 1"))
    #expect(term.text.contains("ООО «Ромашка»"))
    #expect(!term.text.contains("Вектор"))
    press(app, term, .char("/"))
    type(app, "Ромашка")
    #expect(!term.text.contains("Север"))
  }
}

@MainActor
@Suite struct SignedInHeaderTests {
  /// The header always says who is signed in: a long login shortens the inactive tabs at 80
  /// columns instead of disappearing (it did, from 7 letters on).
  @Test func aLongLoginShortensTheInactiveTabs() throws {
    let db = try CRMDatabase(
      memory: SteppingClock(start: Date(timeIntervalSince1970: 1_795_000_000)))
    _ = try db.user(login: "anna")
    let user = try db.user(login: "kuznetsova")
    let context = AppContext(db: db, user: user, language: .ru, timeZone: utc)
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(term: term, context: context)
    app.render()
    let header = term.line(0)
    #expect(header.hasPrefix(" 1 Клиенты  2 Кал.  3 Нап.  4 Вор.  5 Акт.  6 Отч. "), "\(header)")
    #expect(header.hasSuffix("kuznetsova "))
    press(app, term, .char("3"))
    #expect(term.line(0).hasPrefix(" 1 Кли.  2 Кал.  3 Напоминания  4 Вор."), "\(term.line(0))")
    // A short login keeps the full titles.
    let anna = AppContext(db: db, user: try db.user(login: "anna"), language: .ru, timeZone: utc)
    let t2 = MemoryTerminal(rows: 24, cols: 80)
    let a2 = App(term: t2, context: anna)
    a2.render()
    #expect(t2.line(0).hasPrefix(" 1 Клиенты  2 Календарь  3 Напоминания"))
    #expect(t2.line(0).hasSuffix("anna "))
  }
}
