import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Fills the database of `contactApp` with `overdue` overdue calls of one client (the oldest
/// first, one minute apart, subjects «Звонок 1»…), `today` calls due later today and `invoices`
/// overdue invoices of 1 000 ₽; straight into SQL, as an import of an old base would.
@MainActor
func fillReminders(
  _ db: CRMDatabase, me: Int64, overdue: Int, today: Int = 0, invoices: Int = 0
) throws -> Int64 {
  let clients = ClientService(db: db, userId: me, language: .ru)
  let client = try clients.add(Client(name: "Ромашка", legalForm: "ООО"))
  let t = noon.timeIntervalSince1970
  try db.write { d in
    let insert = try d.makeStatement(
      sql: """
        INSERT INTO contact (client_id, kind, direction, status, due_at, duration_min,
          subject, outcome, notes, user_id, author_id, remind_at, recurrence, attempt,
          sequence, created_at, updated_at)
        VALUES (?, 'call', 'out', 'planned', ?, 0, ?, '', '', ?, ?, NULL, '', 0, 0, ?, ?)
        """)
    for i in 0..<overdue {
      // 10 days ago, a minute apart: all overdue by the same whole days, oldest first.
      try insert.execute(arguments: [
        client, t - 10 * 86400 + Double(i) * 60, "Звонок \(i + 1)", me, me, t, t,
      ])
    }
    for i in 0..<today {
      try insert.execute(arguments: [
        client, t + 3600 + Double(i) * 60, "Сегодня \(i + 1)", me, me, t, t,
      ])
    }
    let invoice = try d.makeStatement(
      sql: """
        INSERT INTO invoice (client_id, number, number_key, date, due_date, total, created_at,
          updated_at)
        VALUES (?, ?, ?, '2026-10-01', '2026-11-01', 100000, ?, ?)
        """)
    for i in 0..<invoices {
      try invoice.execute(arguments: [client, "С-\(i + 1)", "с-\(i + 1)", t, t])
    }
  }
  return client
}

@MainActor
@Suite struct RemindersPagingTests {
  @Test func theHeaderCountsEveryRowAndTheListScrollsToItsEnd() throws {
    let (app, term, db, _, _, me) = try contactApp()
    _ = try fillReminders(db, me: me, overdue: 1135, today: 3, invoices: 345)
    press(app, term, .char("3"))
    let header = term.line(1)
    #expect(header.contains("просрочено: 1\u{00A0}135"))
    #expect(header.contains("сегодня: 3"))
    #expect(header.contains("счета: 345"))
    // The status bar says the same.
    #expect(term.text.contains("1\u{00A0}135"))
    // End goes to the very last row: past the 500 of one page, past the reminders, to the last
    // overdue invoice.
    press(app, term, .end)
    let screen = try #require(app.current as? RemindersScreen)
    #expect(screen.list.count == 1135 + 3 + 345)
    #expect(screen.list.selected == 1135 + 3 + 345 - 1)
    #expect(term.text.contains("№ С-345"))
    // Up to the reminders' last rows: the 1 135th overdue call and the calls due today.
    for _ in 0..<345 { app.handle(.up) }
    app.render()
    #expect(term.text.contains("Сегодня 3"))
    // Page up through the overdue ones reaches the 700th, read from SQL on the way.
    for _ in 0..<30 { app.handle(.pageUp) }
    app.render()
    let row = try #require(screen.selectedReminder)
    #expect(row.row.contact.subject.hasPrefix("Звонок "))
    let n = Int(row.row.contact.subject.dropFirst("Звонок ".count))!
    #expect(n > 500 && n < 1135)
    #expect(term.text.contains(row.row.contact.subject))
    // «No answer» on a row past the first page marks that very contact.
    press(app, term, .char("n"))
    #expect(
      try db.read { d in
        try String.fetchOne(
          d, sql: "SELECT status FROM contact WHERE id = ?", arguments: [row.row.id])
      } == "missed")
  }

  @Test func theInvoiceLineOwesTheSumOfEveryOverdueInvoice() throws {
    let (app, term, db, _, _, me) = try contactApp()
    _ = try fillReminders(db, me: me, overdue: 0, invoices: 250)
    press(app, term, .char("3"))
    #expect(term.line(1).contains("счета: 250"))
    #expect(term.text.contains("Просроченные счета (250) — долг 250\u{00A0}000\u{00A0}₽"))
    let screen = try #require(app.current as? RemindersScreen)
    let line = try OverdueInvoices.read(screen.context.money, scope: .user(me)).line(.ru)
    #expect(line == "Просроченные счета: 250 · долг 250\u{00A0}000\u{00A0}₽")
  }
}
