import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// anna opens «Альфа» in the edit form; boris saves a change to it at 14:03 before she does.
@MainActor
struct ConflictFixture {
  let clock = HandClock(paneNow)
  let db: CRMDatabase
  let anna: User
  let boris: User
  let alpha: Int64
  let app: App
  let term: MemoryTerminal
  let borisClients: ClientService

  init() throws {
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna"))
    boris = try #require(try db.user(login: "boris"))
    alpha = try ClientService(db: db, userId: anna.id, language: .ru).add(
      Client(name: "Альфа", city: "Москва", ownerId: anna.id, notes: "старая заметка"))
    borisClients = ClientService(db: db, userId: boris.id, language: .ru)
    try db.signIn(anna)
    let context = AppContext(db: db, user: anna, language: .ru, timeZone: utc)
    term = MemoryTerminal(rows: 24, cols: 80)
    app = App(term: term, context: context)
    let loaded = try #require(try context.clients.client(alpha))
    app.push(ClientFormScreen.edit(context: context, client: loaded, list: nil))
    app.render()
  }

  /// boris's save at 14:03 (UTC) of the given changes.
  func borisSaves(_ change: (inout Client) -> Void) throws {
    clock.current = paneNow.addingTimeInterval(2 * 3600 + 180)
    var c = try #require(try borisClients.client(alpha))
    change(&c)
    try borisClients.update(c)
    clock.current = paneNow.addingTimeInterval(2 * 3600 + 600)
  }

  /// Types `text` into the form field `key` (replacing it) and saves with ^S.
  func edit(_ key: String, _ text: String) throws {
    let form = try #require(app.current as? ClientFormScreen)
    let index = try #require(form.form.fields.firstIndex { $0.key == key })
    while form.form.focus < index { app.handle(.down) }
    app.handle(.ctrl("u"))
    for ch in text { app.handle(.char(ch)) }
    app.handle(.ctrl("s"))
    app.render()
  }

  var text: String { term.text }
  var stored: Client { get throws { try #require(try borisClients.client(alpha)) } }
}

@MainActor
@Suite struct ConflictScreenTests {
  @Test func bothVersionsSideBySideAt80x24InRussian() throws {
    let f = try ConflictFixture()
    try f.borisSaves { $0.city = "Тверь" }
    try f.edit("city", "Омск")
    let screen = try #require(f.app.current as? ConflictScreen)
    #expect(screen.conflict.fields == ["city"])
    let t = f.text
    #expect(t.contains("Конфликт: клиент №\(f.alpha) Альфа"))
    #expect(t.contains("boris"))
    #expect(t.contains("Ваша версия"))
    #expect(t.contains("Сохранено: boris, 14:03"))
    #expect(t.contains("Омск") && t.contains("Тверь"))
    #expect(t.contains("m моё") && t.contains("t их") && t.contains("e/Esc в форму"))
    #expect(t.contains("anna"))  // the owner by login
    // The conflicting field comes first, marked; the unchanged ones follow.
    let cityRow = try #require((0..<24).map { f.term.line($0) }.first { $0.contains("Омск") })
    #expect(cityRow.contains("▸") && cityRow.contains("Тверь"))
    #expect(t.contains("старая заметка"))
    // Nothing was saved yet.
    #expect(try f.stored.city == "Тверь")
    // The help lists the screen's keys.
    f.app.handle(.char("?"))
    f.app.render()
    #expect(f.text.contains("оставить моё: сохранить мою версию поверх сохранённой"))
  }

  @Test func keepMineSavesOverTheirs() throws {
    let f = try ConflictFixture()
    try f.borisSaves { $0.city = "Тверь" }
    try f.edit("city", "Омск")
    #expect(f.app.current is ConflictScreen)
    f.app.handle(.char("m"))
    f.app.render()
    #expect(try f.stored.city == "Омск")
    #expect(!(f.app.current is ConflictScreen) && !(f.app.current is ClientFormScreen))
    #expect(f.text.contains("Сохранено поверх их изменений"))
  }

  /// boris changed the city and the notes, anna the city: keeping hers saves her city and
  /// leaves his notes; "Ваша версия" shows his notes, not her stale copy, and only the city is
  /// marked.
  @Test func keepMineKeepsTheFieldsOnlyTheyChanged() throws {
    let f = try ConflictFixture()
    try f.borisSaves {
      $0.city = "Тверь"
      $0.notes = "новая заметка"
    }
    try f.edit("city", "Омск")
    let screen = try #require(f.app.current as? ConflictScreen)
    #expect(screen.conflict.fields == ["city"])
    let notesRow = try #require(
      (0..<24).map { f.term.line($0) }.first { $0.contains("новая заметка") })
    #expect(!notesRow.contains("старая заметка"))
    #expect(!notesRow.contains("▸"))
    f.app.handle(.char("m"))
    f.app.render()
    #expect(try f.stored.city == "Омск")
    #expect(try f.stored.notes == "новая заметка")
  }

  @Test func takeTheirsDropsMyChanges() throws {
    let f = try ConflictFixture()
    try f.borisSaves { $0.city = "Тверь" }
    let version = try f.stored.version
    try f.edit("city", "Омск")
    f.app.handle(.char("t"))
    f.app.render()
    #expect(try f.stored.city == "Тверь")
    #expect(try f.stored.version == version)
    #expect(!(f.app.current is ConflictScreen) && !(f.app.current is ClientFormScreen))
    #expect(f.text.contains("Ваши правки отменены"))
  }

  @Test func backToTheFormShowsTheirsWithMyChangesOnTop() throws {
    let f = try ConflictFixture()
    try f.borisSaves {
      $0.city = "Тверь"
      $0.website = "alfa.ru"
    }
    // anna changes the city and the notes; boris's website is not hers to lose.
    let form = try #require(f.app.current as? ClientFormScreen)
    let notes = try #require(form.form.fields.firstIndex { $0.key == "notes" })
    while form.form.focus < notes { f.app.handle(.down) }
    f.app.handle(.ctrl("u"))
    for ch in "новая заметка" { f.app.handle(.char(ch)) }
    form.form.focus = 0
    try f.edit("city", "Омск")
    #expect(f.app.current is ConflictScreen)
    f.app.handle(.char("e"))
    f.app.render()
    let again = try #require(f.app.current as? ClientFormScreen)
    #expect(again.form.value("city") == "Омск")
    #expect(again.form.value("notes") == "новая заметка")
    #expect(again.form.value("website") == "alfa.ru")
    #expect(again.client.version == (try f.stored.version))
    #expect(f.text.contains("сохранённая версия с вашими правками"))
    f.app.handle(.ctrl("s"))
    f.app.render()
    let saved = try f.stored
    #expect(saved.city == "Омск" && saved.notes == "новая заметка" && saved.website == "alfa.ru")
    #expect(!(f.app.current is ClientFormScreen))
  }

  @Test func aChangeToOtherFieldsIsMergedWithoutAsking() throws {
    let f = try ConflictFixture()
    try f.borisSaves { $0.website = "alfa.ru" }
    try f.edit("city", "Омск")
    #expect(!(f.app.current is ConflictScreen))
    let saved = try f.stored
    #expect(saved.city == "Омск" && saved.website == "alfa.ru")
  }
}
