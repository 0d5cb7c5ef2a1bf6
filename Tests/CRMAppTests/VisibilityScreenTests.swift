import CRMCore
import Foundation
import TerminalUI
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
