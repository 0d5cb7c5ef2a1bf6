import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

@MainActor
@Suite struct BulkScreenTests {
  /// An app over `n` clients named "Клиент 01"…, owned by anna; returns their ids in name order.
  func app(_ n: Int, lang: Language = .ru) throws -> (App, MemoryTerminal, CRMDatabase, [Int64]) {
    let (app, term, db) = try makeApp(lang: lang)
    let anna = try #require(try db.user(login: "anna"))
    let clients = ClientService(db: db, userId: anna.id, language: .ru)
    var ids: [Int64] = []
    for i in 1...n {
      ids.append(
        try clients.add(Client(name: String(format: "Клиент %02d", i), city: "Тверь")))
    }
    app.render()
    return (app, term, db, ids)
  }

  func screen(_ app: App) throws -> ClientsScreen {
    try #require(app.stack.first as? ClientsScreen)
  }

  @Test func spaceMarksIdsThatSurviveFiltersAndEscClearsThem() throws {
    let (app, term, _, ids) = try app(30)
    press(app, term, .char(" "))
    #expect(term.text.contains("отмечено 1 · клиентов: 30"))
    #expect(term.line(3).contains("● Клиент 01"))
    #expect(term.line(4).contains("  Клиент 02"))
    #expect(term.text.contains("B — изменить отмеченных"))
    press(app, term, .char(" "))  // the cursor moved down: marks 02
    let s = try screen(app)
    #expect(s.marked == [ids[0], ids[1]])
    // Paging and a search do not lose them.
    press(app, term, .pageDown, .pageDown)
    press(app, term, .char("/"))
    type(app, "клиент 1")
    press(app, term, .enter)
    #expect(term.text.contains("отмечено 2 · клиентов: 10"))
    press(app, term, .char(" "))  // the first match, Клиент 10
    #expect(s.marked == [ids[0], ids[1], ids[9]])
    press(app, term, .char("k"), .char(" "))  // and unmarked again
    #expect(s.marked == [ids[0], ids[1]])
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
    press(app, term, .escape)
    #expect(s.markCount == 0)
    #expect(term.text.contains("Отметки сняты"))
    #expect(s.query.search == "клиент 1")  // the first Esc only cleared the marks
    press(app, term, .escape)
    #expect(s.query.search == "")
  }

  @Test func bulkSegmentAsksWithTheCountAppliesAndClearsMarks() throws {
    let (app, term, db, ids) = try app(5)
    press(app, term, .char(" "), .char(" "))
    press(app, term, .char("B"))
    #expect(term.text.contains("Массовое изменение: отмечено 2"))
    #expect(term.text.contains("Клиентов: 2"))
    #expect(term.text.contains("задать сегмент"))
    press(app, term, .char("s"))
    type(app, "Опт")
    press(app, term, .enter)
    #expect(term.text.contains("Изменить 2 клиента?"))
    #expect(try db.segments().isEmpty)  // nothing before the answer
    press(app, term, .char("y"))
    #expect(term.text.contains("Клиентов 2: изменено 2, уже так 0; u — отменить"))
    #expect(try screen(app).markCount == 0)
    let q = ClientListQuery(segment: "Опт")
    #expect(try db.page(q, offset: 0, limit: 10).map(\.id) == [ids[0], ids[1]])
    // u undoes the bulk change as a whole.
    press(app, term, .char("u"))
    #expect(term.text.contains("Отменить последнее массовое изменение целиком?"))
    press(app, term, .char("y"))
    #expect(term.text.contains("Массовое изменение отменено: восстановлено 2"))
    #expect(try db.segments().isEmpty)
  }

  @Test func starMarksTheFilterAndTagsEveryMatch() throws {
    let (app, term, db, _) = try app(25)
    press(app, term, .char("/"))
    type(app, "тверь")
    press(app, term, .enter)
    press(app, term, .char("*"))
    let s = try screen(app)
    #expect(s.markedFilter?.search == "тверь")
    #expect(s.marked.isEmpty)
    #expect(term.text.contains("отмечено 25"))
    #expect(term.line(3).contains("● Клиент 01"))
    press(app, term, .char("B"), .char("t"))
    type(app, "выставка")
    press(app, term, .enter)
    #expect(term.text.contains("Изменить 25 клиентов?"))
    press(app, term, .char("y"))
    #expect(try db.count(ClientListQuery(tag: "Выставка")) == 25)
    #expect(term.text.contains("изменено 25"))
  }

  @Test func noMarksMeansTheSelectedClientAndEscapeChangesNothing() throws {
    let (app, term, db, ids) = try app(3, lang: .en)
    press(app, term, .char("j"), .char("B"))
    #expect(term.text.contains("Bulk change: «Клиент 02»"))
    press(app, term, .escape)
    #expect(term.text.contains("Nothing changed."))
    press(app, term, .char("B"), .char("o"))
    type(app, "nobody")
    press(app, term, .enter)
    #expect(term.text.contains("no user «nobody»"))
    press(app, term, .escape)
    // What was typed is not dropped without a question.
    #expect(term.text.contains("Close the form"))
    press(app, term, .char("y"))
    let boris = try #require(try db.user(login: "boris"))
    press(app, term, .char("B"), .char("o"))
    type(app, "boris")
    press(app, term, .enter)
    #expect(term.text.contains("Change 1 client?"))
    press(app, term, .char("n"))
    #expect(try db.page(ClientListQuery(ownerId: boris.id), offset: 0, limit: 5).isEmpty)
    press(app, term, .char("B"), .char("o"))
    type(app, "boris")
    press(app, term, .enter, .char("y"))
    #expect(
      try db.page(ClientListQuery(ownerId: boris.id), offset: 0, limit: 5).map(\.id) == [ids[1]])
  }

  @Test func planAContactForEachMarkedFitsAt80x24() throws {
    let (app, term, db, ids) = try app(4)
    press(app, term, .char(" "), .char(" "), .char(" "))
    press(app, term, .char("B"), .char("p"))
    #expect(term.text.contains("Запланировать контакт каждому — отмечено 3"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
    press(app, term, .tab)  // kind stays "звонок"
    press(app, term, .ctrl("u"))
    type(app, "завтра 11:00")
    press(app, term, .tab)
    type(app, "Новый прайс")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Изменить 3 клиента?"))
    press(app, term, .char("y"))
    let contacts = ContactService(db: db, userId: nil, language: .ru)
    for id in ids.prefix(3) {
      let c = try #require(try contacts.contacts(ofClient: id).first?.contact)
      #expect(c.kind == .call && c.subject == "Новый прайс" && c.status == .planned)
    }
    #expect(try contacts.contacts(ofClient: ids[3]).isEmpty)
  }

  @Test func historyShowsTheBulkChangeWithOwnerNames() throws {
    let (app, term, db, _) = try app(2)
    _ = try db.user(login: "boris")
    press(app, term, .char("B"), .char("o"))
    type(app, "boris")
    press(app, term, .enter, .char("y"))
    press(app, term, .enter, .tab, .tab, .tab)
    #expect(term.text.contains("anna  массово: Ответственный: anna → boris"))
  }

  @Test func questionUsesRussianPluralsAndGroupedNumbers() {
    #expect(BulkUpdateService.question(1, .ru) == "Изменить 1 клиента?")
    #expect(BulkUpdateService.question(3, .ru) == "Изменить 3 клиента?")
    #expect(BulkUpdateService.question(5, .ru) == "Изменить 5 клиентов?")
    #expect(BulkUpdateService.question(11, .ru) == "Изменить 11 клиентов?")
    #expect(BulkUpdateService.question(21, .ru) == "Изменить 21 клиента?")
    #expect(BulkUpdateService.question(1234, .ru) == "Изменить 1\u{00A0}234 клиента?")
    #expect(BulkUpdateService.question(1234, .en) == "Change 1,234 clients?")
    #expect(BulkUpdateService.question(1, .en) == "Change 1 client?")
  }
}
