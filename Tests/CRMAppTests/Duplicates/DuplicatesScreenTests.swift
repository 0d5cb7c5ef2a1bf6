import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

@MainActor
@Suite struct DuplicatesScreenTests {
  let app: App
  let term: MemoryTerminal
  let db: CRMDatabase
  let clients: ClientService

  init() throws {
    (app, term, db) = try makeApp()
    clients = ClientService(db: db, userId: try db.user(login: "anna")?.id, language: .ru)
  }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  var text: String { term.text }

  func count(_ sql: String) throws -> Int {
    try db.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
  }

  /// «Ромашка» with ИНН and phone, «Romashka LLC» with the same phone, a website and a person.
  @discardableResult
  func twoCards() throws -> (Int64, Int64) {
    let a = try clients.add(
      Client(
        name: "Ромашка", legalForm: "ООО", inn: "5001999994", phones: [Phone("+7 495 123-45-67")],
        city: "Москва"))
    let b = try clients.add(
      Client(
        name: "Romashka", legalForm: "LLC", phones: [Phone("8 495 123 45 67")],
        emails: ["sales@romashka.ru"], website: "romashka.ru", city: "Химки"))
    try clients.addPerson(ContactPerson(clientId: b, name: "Пётр Сидоров"))
    return (a, b)
  }

  @Test func anEmptyDatabaseShowsAHelpfulEmptyState() throws {
    press(.char("D"))
    #expect(text.contains("Дубли: клиенты"))
    #expect(text.contains("Похожих клиентов нет."))
    #expect(text.contains("не дубль"))
    press(.char("p"))
    #expect(text.contains("Похожих контактных лиц нет."))
    press(.char("q"))
    #expect(text.contains("Клиенты") && !text.contains("Дубли:"))
  }

  @Test func theListShowsPairsWithScoreAndReasonsAt80x24() throws {
    let (a, b) = try twoCards()
    press(.char("D"))
    #expect(text.contains("пар: 1"))
    let row = try #require(term.row(containing: "#\(a) ООО «Ромашка»"))
    #expect(term.line(row).contains("#\(b) Romashka LLC"))
    #expect(text.contains("тот же телефон +74951234567"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) <= 80) }
    // ? shows the keys of this screen.
    press(.char("?"))
    #expect(text.contains("не дубль: больше не показывать"))
    press(.char("x"))
  }

  @Test func comparingChoosingSwappingAndMergingAndUndoing() throws {
    let (a, b) = try twoCards()
    press(.char("D"), .enter)
    #expect(text.contains("Оставить #\(a) ООО «Ромашка» ← влить #\(b) Romashka LLC"))
    let city = try #require(term.row(containing: "Химки"))
    #expect(term.line(city).contains("Москва"))
    #expect(term.line(city).contains("◀"))
    #expect(text.contains("Перейдут: контактные лица 1"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) <= 80) }
    // Move to the city and take the right value.
    for _ in 0..<20 where term.style(of: "Город")?.reverse != true { press(.char("j")) }
    #expect(term.style(of: "Город")?.reverse == true)
    press(.right)
    #expect(term.line(city).contains("▶"))
    #expect(text.contains("Город: Химки"))
    press(.left)
    #expect(text.contains("Город: Москва"))
    press(.char("l"))
    press(.char("m"))
    #expect(text.contains("Объединить?"))
    #expect(text.contains("контактные лица 1"))
    press(.char("y"))
    #expect(text.contains("Объединено в ООО «Ромашка»"))
    #expect(text.contains("Похожих клиентов нет."))
    let survivor = try #require(try clients.client(a))
    #expect(survivor.city == "Химки")
    #expect(survivor.website == "romashka.ru")
    #expect(try clients.persons(of: a).count == 1)
    #expect(try clients.client(b)?.deletedAt != nil)
    // u undoes the merge; the pair is back.
    press(.char("u"))
    #expect(text.contains("Объединение отменено: Romashka LLC снова отдельно."))
    #expect(text.contains("пар: 1"))
    #expect(try clients.client(a)?.city == "Москва")
    #expect(try clients.client(b)?.deletedAt == nil)
    #expect(try clients.persons(of: b).count == 1)
  }

  @Test func swapKeepsTheRightOneAndNoCancelsTheMerge() throws {
    let (a, b) = try twoCards()
    press(.char("D"), .enter, .char("s"))
    #expect(text.contains("Оставить #\(b) Romashka LLC ← влить #\(a) ООО «Ромашка»"))
    press(.char("m"), .char("n"))
    #expect(text.contains("Отменено."))
    #expect(try count("SELECT count(*) FROM merge_log") == 0)
    press(.char("m"), .char("y"))
    #expect(try clients.client(a)?.deletedAt != nil)
    #expect(try clients.client(b)?.deletedAt == nil)
    // The survivor's INN came from the merged one (it had none).
    #expect(try clients.client(b)?.inn == "5001999994")
  }

  @Test func uOnTheClientsListUndoesAMergeWhole() throws {
    let (a, b) = try twoCards()
    press(.char("D"), .char("m"), .char("y"), .char("q"))
    #expect(try clients.persons(of: a).count == 1)
    press(.char("u"))
    #expect(text.contains("Отменено: объединение ООО «Ромашка» / Romashka LLC."))
    #expect(try clients.persons(of: b).count == 1)
    #expect(try clients.client(b)?.deletedAt == nil)
    #expect(try count("SELECT count(*) FROM merge_log WHERE undone_at IS NOT NULL") == 1)
  }

  @Test func notADuplicateLeavesThePairOutAndUUndoesTheMark() throws {
    try twoCards()
    press(.char("D"), .char("n"))
    #expect(text.contains("Не дубли: ООО «Ромашка» / Romashka LLC; u — отмена."))
    #expect(text.contains("Похожих клиентов нет."))
    #expect(try count("SELECT count(*) FROM not_duplicate") == 1)
    press(.char("u"))
    #expect(text.contains("Пара снова в списке."))
    #expect(try count("SELECT count(*) FROM not_duplicate") == 0)
    #expect(text.contains("пар: 1"))
  }

  @Test func differentINNsNeedASecondConfirmationNamingBoth() throws {
    let a = try clients.add(Client(name: "Вектор", legalForm: "ООО", inn: "5001999994"))
    let b = try clients.add(
      Client(name: "Вектор", legalForm: "ООО", inn: "7707083893", phones: [Phone("+74951234567")]))
    _ = try clients.update(
      {
        var c = try #require(try clients.client(a))
        c.phones = [Phone("+74951234567")]
        return c
      }())
    press(.char("D"))
    #expect(!text.contains("#\(a)"))  // scored at most 50
    press(.char("-"), .char("-"), .char("-"))
    #expect(text.contains("оценка ≥ 40"))
    guard text.contains("#\(a)") else {
      Issue.record("the pair with different ИНН is not listed: \(text)")
      return
    }
    press(.char("m"), .char("y"))
    #expect(text.contains("Разные ИНН!"))
    #expect(text.contains("5001999994") && text.contains("7707083893"))
    press(.char("n"))
    #expect(try count("SELECT count(*) FROM merge_log") == 0)
    press(.char("m"), .char("y"), .char("y"))
    #expect(try count("SELECT count(*) FROM merge_log") == 1)
    #expect(try clients.client(b)?.deletedAt != nil)
  }

  @Test func personsAreComparedAndMergedToo() throws {
    let c = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    let p1 = try clients.addPerson(
      ContactPerson(clientId: c, name: "Пётр Сидоров", phones: [Phone("+7 903 111-22-33")]))
    let p2 = try clients.addPerson(
      ContactPerson(
        clientId: c, name: "Петр Сидоров", position: "директор",
        phones: [Phone("8 903 111 22 33")]))
    press(.char("D"), .char("p"))
    #expect(text.contains("Дубли: контактные лица"))
    guard text.contains("Сидоров") else {
      Issue.record("no person pair: \(text)")
      return
    }
    press(.enter)
    #expect(text.contains("Пётр Сидоров (ООО «Ромашка»)"))
    press(.char("m"), .char("y"))
    #expect(try clients.person(p1)?.position == "директор")
    #expect(try clients.person(p2)?.deletedAt != nil)
  }
}
