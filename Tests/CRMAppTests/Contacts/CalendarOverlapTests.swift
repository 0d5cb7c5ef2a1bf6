import CRMCore
import Foundation
import Testing

@testable import CRMApp
@testable import TerminalUI

/// Overlaps in the calendar are real ones, counted exactly (#20, item 11).
@MainActor @Suite struct CalendarOverlapTests {
  @Test func theWeekHeaderShowsTheExactCountAt80Columns() throws {
    let (app, term, db, _, contacts, me) = try contactApp()
    let clients = ClientService(db: db, userId: me, language: .ru)
    let a = try clients.add(Client(name: "Альфа"))
    let b = try clients.add(Client(name: "Бета"))
    // Wednesday 10:00: seventeen calls at once, 17 × 16 / 2 = 136 overlapping pairs.
    let wed10 = noon.addingTimeInterval(2 * 86400 - 2 * 3600)
    for _ in 0..<17 {
      try contacts.plan(Contact(clientId: a, kind: .call, dueAt: wed10, userId: me))
    }
    // Thursday: back to back (10:00–10:15, then 10:15) is no overlap.
    let thu10 = wed10.addingTimeInterval(86400)
    try contacts.plan(Contact(clientId: b, kind: .call, dueAt: thu10, userId: me))
    try contacts.plan(
      Contact(clientId: b, kind: .call, dueAt: thu10.addingTimeInterval(900), userId: me))
    press(app, term, .char("2"))
    let cal = try #require(app.current as? CalendarScreen)
    #expect(cal.overlapPairs == 136)
    #expect(cal.overlapping.count == 17)
    let header = term.line(1)
    #expect(header.contains("136"))
    #expect(header.contains("19"))
    #expect(TextWidth.of(header) <= 80)
    #expect(term.text.contains("10:00 Бета"))
    #expect(term.text.contains("10:15 Бета"))
    #expect(term.text.contains("10:00!Аль"))
  }

  @Test func onlyContactsOfOneUserThatMeetInTimeOverlap() {
    let t = Date(timeIntervalSince1970: 1_795_000_000)
    func row(_ id: Int64, user: Int64, at minutes: Double, length: Int = 0) -> ContactRow {
      ContactRow(
        contact: Contact(
          id: id, clientId: 1, kind: .call, dueAt: t.addingTimeInterval(minutes * 60),
          durationMinutes: length, userId: user),
        clientName: "x", clientShortName: "x", userLogin: "u\(user)")
    }
    let (ids, pairs) = CalendarScreen.overlaps([
      row(1, user: 1, at: 0, length: 60),  // 10:00–11:00
      row(2, user: 1, at: 10),  // inside 1
      row(3, user: 1, at: 40),  // inside 1, after 2
      row(4, user: 1, at: 60),  // starts as 1 ends
      row(5, user: 2, at: 0),  // another user
      row(6, user: 1, at: 120),  // alone
    ])
    #expect(ids == [1, 2, 3])
    #expect(pairs == 2)
  }
}
