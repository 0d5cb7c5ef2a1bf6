import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A wall-clock time in Moscow.
private func msk(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = moscow
  return calendar.date(
    from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

/// Monday 7 December 2026, 22:40 in Moscow: the evening of the examples.
private let lateMonday = msk(2026, 12, 7, 22, 40)
private let hours = WorkingHours(dayStart: 10, dayEnd: 18, timeZone: moscow)

private func followUp(_ text: String, at now: Date = lateMonday, postpone: Bool = false)
  throws -> Date
{
  try When.parse(
    text, in: TimeContext(now: now, timeZone: moscow), language: .ru, field: "--next",
    hours: hours, elapsedToo: postpone)
}

@Suite struct WorkingHoursTests {
  @Test func daysKeepAWorkingTimeOfDayAndOtherwiseLandAtDayStart() {
    // 22:40 + 3 days: Thursday 10.12 at 10:00, not 22:40.
    #expect(hours.after(days: 3, from: lateMonday) == msk(2026, 12, 10, 10))
    // 14:30 + 1 day: Tuesday 14:30, the same time.
    #expect(hours.after(days: 1, from: msk(2026, 12, 7, 14, 30)) == msk(2026, 12, 8, 14, 30))
    // 22:50 + 5 days is Saturday: Monday 14.12 at 10:00.
    #expect(hours.after(days: 5, from: msk(2026, 12, 7, 22, 50)) == msk(2026, 12, 14, 10))
    // 14:30 + 5 days is Saturday 14:30: Monday 14:30.
    #expect(hours.after(days: 5, from: msk(2026, 12, 7, 14, 30)) == msk(2026, 12, 14, 14, 30))
    // Before the day starts: 08:15 + 1 day → 10:00 the next day.
    #expect(hours.after(days: 1, from: msk(2026, 12, 7, 8, 15)) == msk(2026, 12, 8, 10))
    // 18:00 is already after hours (day_end is exclusive).
    #expect(hours.after(days: 1, from: msk(2026, 12, 7, 18)) == msk(2026, 12, 8, 10))
  }

  @Test func hoursStayWithinWorkingHours() {
    // 22:41 + 2 h = 00:41 → Tuesday 10:00.
    #expect(hours.after(seconds: 7200, from: msk(2026, 12, 7, 22, 41)) == msk(2026, 12, 8, 10))
    // Friday 17:00 + 2 h → Monday 10:00.
    #expect(hours.after(seconds: 7200, from: msk(2026, 12, 11, 17)) == msk(2026, 12, 14, 10))
    // 07:00 + 2 h = 09:00 → the same morning at 10:00.
    #expect(hours.after(seconds: 7200, from: msk(2026, 12, 8, 7)) == msk(2026, 12, 8, 10))
    // Noon + 2 h stays 14:00.
    #expect(hours.after(seconds: 7200, from: msk(2026, 12, 8, 12)) == msk(2026, 12, 8, 14))
    // A step of whole days goes by the day rule, others by the hour rule.
    #expect(hours.after(step: 86400, from: msk(2026, 12, 7, 22, 41)) == msk(2026, 12, 8, 10))
    #expect(hours.after(step: 86400, from: msk(2026, 12, 8, 12)) == msk(2026, 12, 9, 12))
    #expect(hours.nextWorkingDayStart(after: msk(2026, 12, 11, 12)) == msk(2026, 12, 14, 10))
  }

  @Test func anotherWorkingDayAndZone() {
    let early = WorkingHours(dayStart: 8, dayEnd: 20, timeZone: TimeZone(identifier: "UTC")!)
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    let at = utc.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 19, minute: 30))!
    #expect(early.contains(at))
    #expect(
      early.after(seconds: 3600, from: at)
        == utc.date(
          from: DateComponents(year: 2026, month: 12, day: 8, hour: 8)))
  }

  @Test func relativeFollowUpsTypedByPeopleLandInWorkingHours() throws {
    #expect(try followUp("через 3 дня") == msk(2026, 12, 10, 10))
    #expect(try followUp("+5d") == msk(2026, 12, 14, 10))
    #expect(try followUp("+1d") == msk(2026, 12, 8, 10))
    // Hours move only for a postpone: a contact planned «in 30 minutes» is meant then.
    #expect(try followUp("+2h", postpone: true) == msk(2026, 12, 8, 10))
    #expect(try followUp("+2h") == msk(2026, 12, 8, 0, 40))
    #expect(
      try followUp("через 2 часа", at: msk(2026, 12, 8, 12), postpone: true)
        == msk(2026, 12, 8, 14))
    #expect(try followUp("+1w", at: msk(2026, 12, 8, 12)) == msk(2026, 12, 15, 12))
    // What people type as a time stays as typed.
    #expect(try followUp("завтра в 20:00") == msk(2026, 12, 8, 20))
    #expect(try followUp("+3d 19:30") == msk(2026, 12, 10, 19, 30))
    #expect(try followUp("в субботу") == msk(2026, 12, 12, 10))
    #expect(try followUp("-2h") == msk(2026, 12, 7, 20, 40))
    // Without working hours (filters, deal dates) nothing moves.
    let plain = try When.parse(
      "через 3 дня", in: TimeContext(now: lateMonday, timeZone: moscow), language: .ru,
      field: "--to")
    #expect(plain == msk(2026, 12, 10, 22, 40))
  }

  @Test func theWorkingDayComesFromTheSettings() throws {
    let db = try memoryDB()
    _ = try db.user(login: "anna")
    try db.setSetting("day_start", "9", language: .en)
    try db.setSetting("day_end", "17", language: .en)
    let s = try db.settings()
    #expect(s.dayStartHour == 9 && s.dayEndHour == 17 && s.value("day_end") == "17")
    let h = WorkingHours(s, timeZone: moscow)
    #expect(h.after(days: 1, from: msk(2026, 12, 7, 17, 30)) == msk(2026, 12, 8, 9))
    #expect(throws: CRMError.self) { try db.setSetting("day_end", "8", language: .en) }
    #expect(throws: CRMError.self) { try db.setSetting("day_end", "25", language: .en) }
    #expect(try db.settings().dayEndHour == 17)
  }

  @Test func noAnswerAndPostponeLandInWorkingHours() throws {
    let f = try ContactFixture()
    f.clock.current = msk(2026, 12, 7, 22, 41)
    let c = try f.client("Ромашка")
    let first = try f.contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: msk(2026, 12, 7, 22), userId: f.anna))
    // The default rule's first step is 2 h: 00:41 would be the night, so Tuesday 10:00.
    let retry = try f.contacts.noAnswer(first)
    #expect(try f.contacts.contact(retry)?.contact.dueAt == msk(2026, 12, 8, 10))
    // The second step, a day: Tuesday 22:41 is after hours, so Tuesday 10:00 as well.
    let again = try f.contacts.noAnswer(retry)
    #expect(try f.contacts.contact(again)?.contact.dueAt == msk(2026, 12, 8, 10))
    // Friday evening: the third step (3 days) from Friday 19:00 lands on Monday 10:00.
    f.clock.current = msk(2026, 12, 11, 19)
    let third = try f.contacts.noAnswer(again)
    #expect(try f.contacts.contact(third)?.contact.dueAt == msk(2026, 12, 14, 10))
    // The postpone times the screens and the CLI compute come from the same rule.
    let working = try f.contacts.workingHours()
    #expect(working.after(days: 1, from: msk(2026, 12, 7, 22, 41)) == msk(2026, 12, 8, 10))
  }

  @Test func theDemoPlansCallsInWorkingHoursOnWorkingDays() throws {
    let db = try memoryDB()
    let h = WorkingHours(dayStart: 10, dayEnd: 18, timeZone: moscow)
    var demo = DemoData(seed: 5, now: lateMonday, hours: h)
    _ = try demo.populate(db, count: 400)
    let dues = try db.read { d in
      try Double.fetchAll(d, sql: "SELECT due_at FROM contact WHERE status = 'planned'")
    }.map { Date(timeIntervalSince1970: $0) }
    #expect(dues.count > 50)
    #expect(dues.allSatisfy { h.contains($0) })
  }
}
