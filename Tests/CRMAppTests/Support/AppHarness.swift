import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

@MainActor
func makeApp(
  rows: Int = 24, cols: Int = 80, lang: Language = .ru, demo: Int = 0,
  db existing: CRMDatabase? = nil
) throws -> (App, MemoryTerminal, CRMDatabase) {
  let db =
    try existing
    ?? CRMDatabase(memory: SteppingClock(start: Date(timeIntervalSince1970: 1_795_000_000)))
  if demo > 0 {
    var d = DemoData(seed: 3, now: Date(timeIntervalSince1970: 1_795_000_000))
    try d.populate(db, count: demo)
  }
  let user = try db.user(login: "anna")
  let context = AppContext(
    db: db, user: user, language: lang, timeZone: TimeZone(identifier: "UTC")!)
  let term = MemoryTerminal(rows: rows, cols: cols)
  let app = App(term: term, context: context)
  return (app, term, db)
}

@MainActor
func press(_ app: App, _ term: MemoryTerminal, _ keys: Key...) {
  term.send(keys.first!)
  for k in keys { app.handle(k) }
  app.render()
}

@MainActor
func type(_ app: App, _ text: String) {
  for ch in text { app.handle(.char(ch)) }
  app.render()
}
