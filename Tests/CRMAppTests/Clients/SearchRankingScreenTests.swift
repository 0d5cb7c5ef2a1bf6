import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// The clients list ranks a search: the client named as typed on the first row among thousands
/// of matches, a match through a contact person saying so, and `s` back to a column's order.
@MainActor
@Suite struct SearchRankingScreenTests {
  @Test func theClientNamedAsTypedIsOnTheFirstRowAndOthersSayWhy() throws {
    let (app, term, db) = try makeApp(demo: 2000)
    let s = ClientService(db: db, userId: nil, language: .ru)
    try s.add(Client(kind: .person, name: "Алёна Фёдорова"))
    let zenith = try s.add(Client(name: "Зенит", legalForm: "ООО"))
    try s.addPerson(ContactPerson(clientId: zenith, name: "Хрустальёв Фома"))
    let clients = app.current as! ClientsScreen
    clients.reload()
    press(app, term, .char("/"))
    type(app, "федорова алена")
    #expect(term.line(3).contains("Алёна Фёдорова"), "\(term.line(3))")
    #expect(term.line(1).contains("лучшие сверху"), "\(term.line(1))")
    #expect(!term.line(2).contains("▲"))
    press(app, term, .escape)
    press(app, term, .char("/"))
    type(app, "хрустальев")
    #expect(term.line(3).contains("ООО «Зенит» · контакт: Хрустальёв"), "\(term.line(3))")
    #expect(term.text.contains("клиентов: 1"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
    // `s` leaves the ranking for the name column, and the header shows it.
    press(app, term, .escape)
    press(app, term, .char("/"))
    type(app, "федоров")
    press(app, term, .enter)
    press(app, term, .char("s"))
    #expect(term.line(2).contains("Название ▲"))
    #expect(!term.line(1).contains("лучшие сверху"))
    let byName = try db.page(
      ClientListQuery(search: "федоров", ranked: false), offset: 0, limit: 1)
    #expect(term.line(3).contains(try #require(byName.first).name))
  }
}
