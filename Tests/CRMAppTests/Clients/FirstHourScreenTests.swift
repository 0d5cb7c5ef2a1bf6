import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// #20 items 6, 7, 8 and 10 as a manager sees them.
@MainActor @Suite struct FirstHourScreenTests {
  func clear(_ app: App, _ n: Int = 40) {
    for _ in 0..<n { app.handle(.backspace) }
  }

  @Test func theDuplicateCheckRunsOnEverySaveWithTheScansRules() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: nil, language: .ru)
    let north = try s.add(Client(name: "Технопарк Северный", legalForm: "ООО"))
    try s.add(Client(name: "Ромашка", legalForm: "ООО"))
    (app.current as! ClientsScreen).reload()
    press(app, term, .char("a"))
    type(app, "Ромашка")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Возможно, такой клиент уже есть"))
    #expect(term.text.contains("ООО «Ромашка»"))
    // Another name after the warning is checked again: one letter off the technopark.
    clear(app)
    type(app, "Технопарк Сиверный")
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery()) == 2)
    #expect(term.text.contains("№\(north) ООО «Технопарк Северный» — похожее название"))
    #expect(!term.text.contains("ООО «Ромашка»"))
    // A change of the same kind warns again; ^S with nothing changed saves anyway.
    clear(app)
    type(app, "ООО \"Технопарк Северный\"")
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery()) == 2)
    #expect(term.text.contains("Возможно, такой клиент уже есть"))
    press(app, term, .ctrl("s"))
    #expect(try db.count(ClientListQuery()) == 3)
    // The saved name was split into the form and the name.
    let rows = try db.page(ClientListQuery(search: "технопарк"), offset: 0, limit: 5)
    #expect(rows.map(\.name) == ["ООО «Технопарк Северный»", "ООО «Технопарк Северный»"])
  }

  @Test func aNewNameWithoutDuplicatesSavesAtOnceAfterAWarning() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: nil, language: .ru)
    try s.add(Client(name: "Ромашка", legalForm: "ООО"))
    (app.current as! ClientsScreen).reload()
    press(app, term, .char("a"))
    type(app, "Ромашка")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Возможно, такой клиент уже есть"))
    clear(app)
    type(app, "Одуванчик")
    press(app, term, .ctrl("s"))
    #expect(app.current is ClientsScreen)
    #expect(try db.count(ClientListQuery()) == 2)
  }

  @Test func namesShowGuillemetsOnceAndSortByTheName() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: nil, language: .ru)
    try s.add(Client(name: "«Акваинвест Плюс»", legalForm: "ООО"))
    try s.add(Client(name: "Бета", legalForm: "АО"))
    try s.add(Client(kind: .person, name: "\"Иванов Иван\"", legalForm: "ИП"))
    (app.current as! ClientsScreen).reload()
    app.render()
    #expect(!term.text.contains("««"))
    #expect(!term.text.contains("\"Иванов"))
    let aqua = try #require(term.row(containing: "Акваинвест"))
    let beta = try #require(term.row(containing: "Бета"))
    #expect(aqua < beta)
  }

  @Test func historyShowsNamesAndWordsNotCodes() throws {
    let (app, term, db) = try makeApp(cols: 120)
    let boris = try #require(try db.user(login: "boris"))
    let anna = try #require(try db.user(login: "anna"))
    let s = ClientService(db: db, userId: anna.id, language: .ru)
    let id = try s.add(
      Client(name: "Ромашка", legalForm: "ООО", inn: "7707083893", ownerId: boris.id))
    let contacts = ContactService(db: db, userId: anna.id, language: .ru)
    try contacts.plan(
      Contact(
        clientId: id, kind: .call, dueAt: Date(timeIntervalSince1970: 1_795_100_000),
        userId: boris.id))
    (app.current as! ClientsScreen).reload()
    press(app, term, .enter, .tab, .tab, .tab)
    #expect(term.text.contains("История"))
    let text = term.text
    #expect(text.contains("Ответственный: — → \(boris.name)"))
    #expect(text.contains("Вид: — → звонок"))
    #expect(text.contains("Статус: — → запланирован"))
    #expect(text.contains("Направление: — → исходящий"))
    #expect(!text.contains("→ call") && !text.contains("→ planned") && !text.contains("→ out"))
    #expect(!text.contains("Ответственный: — → \(boris.id)\n"))
    #expect(text.contains("ИНН: — → 7707083893"))
    #expect(text.contains("ОПФ: — → ООО"))
  }

  @Test func aRussianBirthdayIsTypedAndShownAsDDMMYYYY() throws {
    let (app, term, db) = try makeApp()
    let s = ClientService(db: db, userId: nil, language: .ru)
    let id = try s.add(Client(name: "Ромашка", legalForm: "ООО"))
    (app.current as! ClientsScreen).reload()
    press(app, term, .enter, .tab, .char("a"))
    type(app, "Семёнов Пётр")
    for _ in 0..<4 { app.handle(.tab) }
    type(app, "08.03.1985")
    #expect(term.text.contains("ДД.ММ.ГГГГ"))
    press(app, term, .ctrl("s"))
    #expect(!term.text.contains("ГГГГ-ММ-ДД"))
    let p = try #require(try s.persons(of: id).first)
    #expect(p.birthday == "1985-03-08")
  }
}
