import CRMCore
import CRMExchange
import Foundation
import TestSupport
import Testing

/// A database whose clock stands at `ContactData.now`, with user anna and one client.
struct ContactData {
  /// Monday 2026-11-23 09:00 UTC (12:00 in Moscow).
  static let now = Date(timeIntervalSince1970: 1_795_424_400)
  let db: CRMDatabase
  let anna: Int64
  let client: Int64
  let person: Int64
  let contacts: ContactService

  init() throws {
    db = try CRMDatabase(memory: SteppingClock(start: Self.now, step: 0))
    anna = try #require(try db.user(login: "anna")).id
    let clients = ClientService(db: db, userId: anna, language: .ru)
    client = try clients.add(Client(name: "Ромашка", legalForm: "ООО", segment: "VIP"))
    person = try clients.addPerson(ContactPerson(clientId: client, name: "Семёнов Пётр"))
    contacts = ContactService(
      db: db, userId: anna, language: .ru, timeZone: TimeZone(identifier: "Europe/Moscow")!)
  }

  func plan(
    _ hours: Double, kind: ContactKind = .call, subject: String = "", duration: Int = 0,
    repeats: String = ""
  ) throws -> ContactRow {
    let id = try contacts.plan(
      Contact(
        clientId: client, kind: kind, dueAt: Self.now.addingTimeInterval(hours * 3600),
        durationMinutes: duration, subject: subject, notes: "Перезвонить после обеда",
        userId: anna, recurrence: repeats, personId: person))
    return try #require(try contacts.contact(id))
  }
}

func jsonObject(_ value: Any) throws -> [String: Any] {
  let text = JSONText.text(value)
  return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct ContactJSONTests {
  @Test func contactHasStableSnakeCaseKeysAndUTCTimes() throws {
    let d = try ContactData()
    let row = try d.plan(2, subject: "Счёт")
    let text = JSONText.text(ContactJSON.object(row))
    #expect(text.contains("\"client\" : \"ООО «Ромашка»\""))
    #expect(text.contains("\"due\" : \"2026-11-23T11:00:00Z\""))
    #expect(text.contains("\"remind_at\" : \"2026-11-23T10:45:00Z\""))
    #expect(text.contains("\"done_at\" : null"))
    let o = try jsonObject(ContactJSON.object(row))
    #expect(
      Set(o.keys) == [
        "id", "version", "client_id", "client", "client_segment", "client_deleted", "kind",
        "status",
        "direction", "due", "done_at", "duration_min", "subject", "outcome", "notes", "user",
        "remind_at", "recurrence", "person_id", "person", "series_id", "attempt", "sequence",
        "created_at", "updated_at",
      ])
    #expect(o["kind"] as? String == "call")
    #expect(o["status"] as? String == "planned")
    #expect(o["person"] as? String == "Семёнов Пётр")
    #expect(o["user"] as? String == "anna")
    #expect(o["client_id"] as? Int == Int(d.client))
    // Keys come out sorted, so two outputs diff line by line.
    let keys = text.split(separator: "\n").map {
      String($0.drop { $0 != "\"" }.prefix { $0 != ":" })
    }
    .filter { !$0.isEmpty }
    #expect(keys == keys.sorted())
  }

  @Test func reminderAddsOverdueAndWholeLateMinutes() throws {
    let d = try ContactData()
    _ = try d.plan(-1.5, subject: "Просрочен")
    _ = try d.plan(0.5, subject: "Скоро")
    let list = try d.contacts.reminders(
      scope: .user(d.anna), horizon: ContactData.now.addingTimeInterval(3600),
      at: ContactData.now)
    #expect(list.count == 2)
    let late = try jsonObject(ContactJSON.object(list[0]))
    #expect(late["overdue"] as? Bool == true)
    #expect(late["late_minutes"] as? Int == 90)
    #expect(late["vip"] as? Bool == true)
    #expect(late["subject"] as? String == "Просрочен")
    #expect(late["due"] as? String == "2026-11-23T07:30:00Z")
    let soon = try jsonObject(ContactJSON.object(list[1]))
    #expect(soon["overdue"] as? Bool == false)
    #expect(soon["late_minutes"] as? Int == 0)
  }

  @Test func loggedHandoverAndSettingsShapes() throws {
    let d = try ContactData()
    let logged = try d.contacts.log(
      clientId: d.client, kind: .call, outcome: "Договорились",
      next: .init(at: ContactData.now.addingTimeInterval(3 * 86400)))
    let next = try d.contacts.contact(try #require(logged.nextId))
    let o = try jsonObject(ContactJSON.object(logged, next: next))
    #expect(o["closed_planned"] as? Bool == false)
    #expect(o["next_id"] as? Int == Int(logged.nextId!))
    #expect(o["next_due"] as? String == "2026-11-26T09:00:00Z")
    #expect(o["recurring_id"] is NSNull)
    let h = try jsonObject(
      ContactJSON.handover(
        from: "anna", to: "boris", clients: 2, contacts: 3, deals: 0, dryRun: true))
    #expect(
      h["clients"] as? Int == 2 && h["contacts"] as? Int == 3 && h["dry_run"] as? Bool == true)
    var s = Settings()
    try s.set("remind_before", "1h", language: .en)
    let so = try jsonObject(ContactJSON.object(s))
    #expect(Set(so.keys) == Set(Settings.keys))
    #expect(so["remind_before"] as? String == "60m")
  }
}

@Suite struct ContactCalendarTests {
  @Test func eventCarriesUIDSummaryDescriptionAlarmAndEnd() throws {
    let d = try ContactData()
    let row = try d.plan(26, kind: .meeting, subject: "Договор", duration: 45, repeats: "2w")
    let e = try #require(ContactCalendar.event(row, token: "abc123", language: .ru))
    #expect(e.uid == "contact-\(row.id)@abc123")
    #expect(e.summary == "Встреча: ООО «Ромашка»")
    let lines = [
      "Тема: Договор", "Контактное лицо: Семёнов Пётр", "Ответственный: anna",
      "Перезвонить после обеда",
    ]
    #expect(e.description == lines.joined(separator: "\n"))
    #expect(e.start == ContactData.now.addingTimeInterval(26 * 3600))
    #expect(e.end == e.start.addingTimeInterval(45 * 60))
    #expect(e.alarm == e.start.addingTimeInterval(-15 * 60))
    #expect(e.rrule == "FREQ=WEEKLY;INTERVAL=2")
    let en = try #require(ContactCalendar.event(try d.plan(3), token: "t", language: .en))
    #expect(en.summary == "Call: ООО «Ромашка»")
    #expect(en.end == en.start.addingTimeInterval(15 * 60))
    #expect(en.rrule == nil)
  }

  @Test func recurrenceBecomesRRule() {
    #expect(ContactCalendar.rrule("1d") == "FREQ=DAILY;INTERVAL=1")
    #expect(ContactCalendar.rrule("2w") == "FREQ=WEEKLY;INTERVAL=2")
    #expect(ContactCalendar.rrule("1m") == "FREQ=MONTHLY;INTERVAL=1")
    #expect(ContactCalendar.rrule("") == nil)
    #expect(ContactCalendar.rrule("2x") == nil)
  }

  @Test func exportedCalendarParsesBack() throws {
    let d = try ContactData()
    let row = try d.plan(5, subject: "Строка с ; и , и \\")
    let e = try #require(ContactCalendar.event(row, token: "tok", language: .ru))
    let text = ICalendar.write(
      [e], calendarName: "TermCRM", timeZone: TimeZone(identifier: "Europe/Moscow")!,
      stamp: ContactData.now)
    let cal = try ICalendar.parse(text)
    let event = try #require(cal.all("VEVENT").first)
    #expect(event.first("UID")?.value == "contact-\(row.id)@tok")
    #expect(event.first("DTSTART")?.value == "20261123T170000")
    #expect(event.first("SUMMARY")?.value == "Звонок: ООО «Ромашка»")
  }
}
