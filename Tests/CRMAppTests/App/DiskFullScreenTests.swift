import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// A full disk in the middle of a save: the screen stays up, the whole message is readable at
/// 80×24 (it grows over the list instead of being cut), nothing is half-written, and the next
/// key goes on as usual.
@MainActor
@Suite struct DiskFullScreenTests {
  @Test func aBulkChangeOnAFullDiskShowsTheWholeMessageAndChangesNothing() throws {
    let (app, term, db) = try makeApp()
    let anna = try #require(try db.user(login: "anna"))
    let clients = ClientService(db: db, userId: anna.id, language: .ru)
    for i in 1...300 {
      _ = try clients.add(Client(name: String(format: "Клиент %03d", i), city: "Тверь"))
    }
    app.render()
    press(app, term, .char("/"))
    type(app, "Клиент")
    press(app, term, .enter, .char("B"), .char("t"))
    type(app, "акция")
    press(app, term, .ctrl("s"))
    #expect(term.text.contains("Изменить 300 клиентов?"))
    try db.queue.inDatabase { d in
      let pages = try Int.fetchOne(d, sql: "PRAGMA page_count") ?? 0
      _ = try Int.fetchOne(d, sql: "PRAGMA max_page_count = \(pages + 1)")
    }
    press(app, term, .char("y"))
    #expect(app.running)
    // The message, wrapped over the rows above the status line, ends with its advice.
    let bottom = (18..<23).map { term.line($0).trimmingCharacters(in: .whitespaces) }
      .joined(separator: " ")
    #expect(bottom.contains("заполнен; ничего не изменено. Освободите место и повторите."))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) == 80) }
    let tagged = try db.read { d in
      try Int.fetchOne(d, sql: "SELECT count(*) FROM client_tag WHERE tag = 'акция'") ?? 0
    }
    #expect(tagged == 0)
    #expect(try db.check().problems.isEmpty)
    // The next key clears the message; the list is whole again and still filtered.
    press(app, term, .char("j"))
    #expect(!term.text.contains("заполнен"))
    #expect(term.text.contains("Клиент 003"))
    #expect(term.text.contains("клиентов: 300"))
  }

  @Test func aShortMessageStaysOnTheStatusLine() throws {
    let (app, term, _) = try makeApp()
    app.flash("Сохранено.")
    app.render()
    #expect(term.line(22).contains("Сохранено."))
    #expect(!term.line(21).contains("Сохранено."))
  }
}
