import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A database with users anna (admin, acting) and boris, and a clock that stands still unless
/// moved, so due times and "now" are exact.
final class FixedClock: Clock, @unchecked Sendable {
  var current: Date
  init(_ d: Date) { current = d }
  func now() -> Date { current }
}

let moscow = TimeZone(identifier: "Europe/Moscow")!
/// Monday 2026-11-23 12:00 in Moscow.
let monday = Date(timeIntervalSince1970: 1_795_424_400)

struct ContactFixture {
  let db: CRMDatabase
  let clock: FixedClock
  let anna: Int64
  let boris: Int64
  let clients: ClientService
  let contacts: ContactService

  init() throws {
    clock = FixedClock(monday)
    db = try CRMDatabase(memory: clock)
    anna = try #require(try db.user(login: "anna")).id
    boris = try #require(try db.user(login: "boris")).id
    clients = ClientService(db: db, userId: anna, language: .en)
    contacts = ContactService(db: db, userId: anna, language: .en, timeZone: moscow)
  }

  func client(_ name: String, segment: String = "", owner: Int64? = nil) throws -> Int64 {
    try clients.add(Client(name: name, segment: segment, ownerId: owner ?? anna))
  }

  func hours(_ h: Double) -> Date { monday.addingTimeInterval(h * 3600) }
}

@Suite struct ContactServiceTests {
  @Test func planningSetsTheDefaultReminderAndAudits() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    let id = try f.contacts.plan(
      Contact(
        clientId: c, kind: .call, dueAt: f.hours(2), subject: "Спросить о решении", userId: f.anna))
    let row = try #require(try f.contacts.contact(id))
    #expect(row.contact.status == .planned)
    #expect(row.contact.remindAt == f.hours(2).addingTimeInterval(-15 * 60))
    #expect(row.contact.authorId == f.anna)
    #expect(row.clientName == "Ромашка")
    let history = try f.clients.history(of: c)
    #expect(history.contains { $0.entity == "contact" && $0.field == "due" })
  }

  @Test func loggingWithANextContactWritesBothInOneStep() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    let r = try f.contacts.log(
      clientId: c, kind: .call, outcome: "Просят КП",
      next: .init(at: f.hours(72), kind: .call, subject: "Ответ по КП"))
    #expect(!r.closedPlanned)
    let done = try #require(try f.contacts.contact(r.id)).contact
    #expect(done.status == .done && done.doneAt == monday && done.outcome == "Просят КП")
    let nextId = try #require(r.nextId)
    let next = try #require(try f.contacts.contact(nextId)).contact
    #expect(next.status == .planned && next.dueAt == f.hours(72) && next.subject == "Ответ по КП")
    #expect(try f.clients.client(c)?.lastContactAt == monday)
  }

  @Test func loggingClosesTheOverduePlannedContactOfTheSameKind() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    let planned = try f.contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: f.hours(-30), userId: f.anna))
    let meeting = try f.contacts.plan(
      Contact(clientId: c, kind: .meeting, dueAt: f.hours(-1), userId: f.anna))
    let r = try f.contacts.log(clientId: c, kind: .call, outcome: "Дозвонился")
    #expect(r.closedPlanned && r.id == planned)
    #expect(try f.contacts.contact(planned)?.contact.status == .done)
    #expect(try f.contacts.contact(meeting)?.contact.status == .planned)
    #expect(try f.contacts.overdueCount(scope: .user(f.anna)) == 1)
  }

  @Test func completingARecurringContactPlansTheNextOccurrenceFromTheAnchor() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    // Monthly on 31 January 2027 10:00 Moscow: next 28 February, then 31 March.
    let jan31 = Date(timeIntervalSince1970: 1_801_378_800)
    let id = try f.contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: jan31, userId: f.anna, recurrence: "1m"))
    f.clock.current = jan31
    let r1 = try f.contacts.complete(id, outcome: "ok")
    let secondId = try #require(r1.recurringId)
    let second = try #require(try f.contacts.contact(secondId)).contact
    #expect(second.dueAt == Date(timeIntervalSince1970: 1_803_798_000))  // 2027-02-28 10:00 MSK
    #expect(second.seriesId == id && second.recurrence == "1m")
    f.clock.current = second.dueAt!
    let r2 = try f.contacts.complete(second.id!)
    let thirdId = try #require(r2.recurringId)
    let third = try #require(try f.contacts.contact(thirdId)).contact
    #expect(third.dueAt == Date(timeIntervalSince1970: 1_806_476_400))  // 2027-03-31 10:00 MSK
  }

  @Test func noAnswerReschedulesByTheRuleAndKeepsEveryAttempt() throws {
    let f = try ContactFixture()
    try f.db.setSetting("no_answer_rule", "2h,1d", language: .en)
    let c = try f.client("Ромашка")
    let first = try f.contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: f.hours(-1), userId: f.anna))
    let second = try f.contacts.noAnswer(first)
    let s = try #require(try f.contacts.contact(second)).contact
    #expect(s.dueAt == f.hours(2) && s.attempt == 1 && s.seriesId == first)
    let third = try f.contacts.noAnswer(second)
    #expect(try f.contacts.contact(third)?.contact.dueAt == f.hours(24))
    let fourth = try f.contacts.noAnswer(third)
    #expect(try f.contacts.contact(fourth)?.contact.dueAt == f.hours(24))  // last step repeats
    let missed = try f.contacts.list(scope: .user(f.anna), clientId: c, status: .missed)
    #expect(missed.count == 3)
    #expect(missed.allSatisfy { $0.contact.outcome == "no answer" })
  }

  @Test func postponeMovesTheReminderAndBumpsTheSequence() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    let id = try f.contacts.plan(
      Contact(clientId: c, kind: .meeting, dueAt: f.hours(1), userId: f.anna, remindAt: f.hours(0)))
    try f.contacts.postpone(id, to: f.hours(25))
    let p = try #require(try f.contacts.contact(id)).contact
    #expect(p.dueAt == f.hours(25) && p.remindAt == f.hours(24) && p.sequence == 1)
    try f.contacts.cancel(id)
    #expect(try f.contacts.contact(id)?.contact.status == .cancelled)
    #expect(throws: CRMError.self) { try f.contacts.postpone(id, to: f.hours(30)) }
  }

  @Test func badReferencesAreRefusedWithClearMessages() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    try f.clients.delete(c)
    do {
      try f.contacts.plan(Contact(clientId: c, kind: .call, dueAt: f.hours(1), userId: f.anna))
      Issue.record("a contact on a client in the trash was planned")
    } catch {
      #expect(error.message(.en).contains("in the trash"))
    }
    let live = try f.client("Лютик")
    #expect(throws: CRMError.notFound(what: "client", id: 999)) {
      try f.contacts.plan(Contact(clientId: 999, kind: .call, dueAt: f.hours(1), userId: f.anna))
    }
    try f.db.write { try $0.execute(sql: "UPDATE app_user SET active = 0 WHERE login = 'boris'") }
    do {
      try f.contacts.plan(Contact(clientId: live, kind: .call, dueAt: f.hours(1), userId: f.boris))
      Issue.record("planned for an inactive user")
    } catch {
      #expect(error.message(.en).contains("boris: is deactivated"))
    }
    #expect(try f.contacts.list(scope: .everyone).isEmpty)
  }

  @Test func remindersRankOverdueFirstThenVIPThenDaysLate() throws {
    let f = try ContactFixture()
    let regular = try f.client("Обычный")
    let vip = try f.client("Важный", segment: "VIP")
    let plan = { (client: Int64, h: Double) in
      try f.contacts.plan(Contact(clientId: client, kind: .call, dueAt: f.hours(h), userId: f.anna))
    }
    let lateRegular = try plan(regular, -50)  // two days late
    let slightlyLateRegular = try plan(regular, -1)
    let lateVIP = try plan(vip, -2)
    let soon = try plan(regular, 3)
    _ = try plan(regular, 48)  // beyond today
    _ = try f.contacts.plan(
      Contact(clientId: regular, kind: .call, dueAt: f.hours(-5), userId: f.boris))
    let list = try f.contacts.reminders(
      scope: .user(f.anna), horizon: f.contacts.endOfDay(monday))
    #expect(list.map(\.row.id) == [lateVIP, lateRegular, slightlyLateRegular, soon])
    #expect(list.map(\.overdue) == [true, true, true, false])
    #expect(list[1].lateBy == 50 * 3600)
    #expect(try f.contacts.overdueCount(scope: .user(f.anna)) == 3)
    #expect(try f.contacts.overdueCount(scope: .everyone) == 4)
    // A client in the trash takes its contacts out of the reminders.
    try f.clients.delete(vip)
    #expect(try f.contacts.overdueCount(scope: .user(f.anna)) == 2)
  }

  @Test func cadenceFindsClientsLosingTouch() throws {
    let f = try ContactFixture()
    // Clients are created "now"; move the clock 20 days on.
    let vip = try f.client("Важный", segment: "VIP")
    let regular = try f.client("Постоянный клиент", segment: "постоянный")
    let planned = try f.client("Запланированный", segment: "VIP")
    _ = try f.client("Без сегмента")
    try f.contacts.plan(
      Contact(clientId: planned, kind: .call, dueAt: f.hours(600), userId: f.anna))
    f.clock.current = monday.addingTimeInterval(20 * 86400)
    var r = try f.contacts.losingTouch(scope: .user(f.anna))
    #expect(r.items.map(\.clientId) == [vip] && r.total == 1)
    #expect(r.items[0].daysOver == 6 && r.items[0].cadenceDays == 14)
    try f.contacts.log(clientId: vip, kind: .call)
    f.clock.current = monday.addingTimeInterval(31 * 86400)
    r = try f.contacts.losingTouch(scope: .user(f.anna))
    #expect(r.items.map(\.clientId) == [regular])
    try f.db.setSetting("cadence", "", language: .en)
    #expect(try f.contacts.losingTouch(scope: .everyone).total == 0)
  }

  @Test func handoverMovesClientsAndTheirPlannedContactsAndLosesNothing() throws {
    let f = try ContactFixture()
    let carol = try #require(try f.db.user(login: "carol")).id
    let a1 = try f.client("Первый")
    let a2 = try f.client("Второй")
    let other = try f.client("Чужой", owner: f.boris)
    let p1 = try f.contacts.plan(
      Contact(clientId: a1, kind: .call, dueAt: f.hours(5), userId: f.anna))
    let p2 = try f.contacts.plan(
      Contact(clientId: a2, kind: .meeting, dueAt: f.hours(-5), userId: f.anna))
    let byCarol = try f.contacts.plan(
      Contact(clientId: a2, kind: .call, dueAt: f.hours(6), userId: carol))
    let done = try f.contacts.log(clientId: a1, kind: .letter).id
    let before = try f.contacts.list(scope: .everyone, limit: 100).count
    let r = try f.contacts.handover(from: f.anna, to: f.boris)
    #expect(r == HandoverResult(clients: 2, contacts: 2, deals: 0))
    #expect(try f.clients.client(a1)?.ownerId == f.boris)
    #expect(try f.clients.client(a2)?.ownerId == f.boris)
    #expect(try f.contacts.contact(p1)?.contact.userId == f.boris)
    #expect(try f.contacts.contact(p2)?.contact.userId == f.boris)
    #expect(try f.contacts.contact(byCarol)?.contact.userId == carol)
    // Done contacts stay with their author: history is not rewritten.
    #expect(try f.contacts.contact(done)?.contact.userId == f.anna)
    #expect(try f.contacts.list(scope: .everyone, limit: 100).count == before)
    #expect(try f.contacts.overdueCount(scope: .user(f.boris)) == 1)
    #expect(try f.clients.client(other)?.ownerId == f.boris)
    let history = try f.clients.history(of: a1)
    #expect(history.contains { $0.action == "handover" && $0.field == "owner" })
    #expect(history.contains { $0.action == "handover" && $0.field == "user" })
  }

  @Test func handoverOfChosenClientsChecksOwnershipAndTheTargetUser() throws {
    let f = try ContactFixture()
    let a1 = try f.client("Первый")
    let b1 = try f.client("Борисов", owner: f.boris)
    do {
      try f.contacts.handover(from: f.anna, to: f.boris, clientIds: [a1, b1])
      Issue.record("handed over a client of somebody else")
    } catch {
      #expect(error.message(.en).contains("client №\(b1): does not belong to anna"))
    }
    #expect(try f.clients.client(a1)?.ownerId == f.anna)  // all or nothing
    try f.db.write { try $0.execute(sql: "UPDATE app_user SET active = 0 WHERE login = 'boris'") }
    #expect(throws: CRMError.self) { try f.contacts.handover(from: f.anna, to: f.boris) }
    #expect(try f.clients.client(a1)?.ownerId == f.anna)
    let moved = try f.contacts.handover(
      from: f.anna, to: try #require(try f.db.user(login: "dina")).id, clientIds: [a1])
    #expect(moved.clients == 1)
  }

  @Test func undoTakesBackTheLoggedContactFirstThenTheClientEdit() throws {
    let f = try ContactFixture()
    let c = try f.client("Ромашка")
    var client = try #require(try f.clients.client(c))
    client.city = "Казань"
    try f.clients.update(client)
    try f.contacts.log(clientId: c, kind: .call)
    #expect(try f.clients.client(c)?.lastContactAt != nil)
    let logged = try #require(try f.clients.undoLatest(on: c))
    #expect((logged.entity, logged.action) == ("contact", "insert"))
    #expect(try f.contacts.contacts(ofClient: c).isEmpty)
    #expect(try f.clients.client(c)?.lastContactAt == nil)
    let edit = try #require(try f.clients.undoLatest(on: c))
    #expect(edit.action == "update")
    #expect(try f.clients.client(c)?.city == "")
  }

  @Test func settingsAreCheckedAndStored() throws {
    let f = try ContactFixture()
    #expect(try f.db.setSetting("remind_before", "1h", language: .en) == "60m")
    #expect(try f.db.settings().remindBeforeMinutes == 60)
    do {
      try f.db.setSetting("cadence", "VIP=две недели", language: .ru)
      Issue.record("bad cadence stored")
    } catch {
      #expect(error.message(.ru).contains("СЕГМЕНТ=ДНИ"))
    }
    #expect(throws: CRMError.self) { try f.db.setSetting("colour", "red", language: .en) }
    #expect(try f.db.settings().cadenceDays(segment: "vip") == 14)
  }

  @Test func migratingAVersion1DatabaseKeepsItsChangeLog() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("v1.sqlite")
    do {
      let q = try DatabaseQueue(path: path)
      try Schema.migrator.migrate(q, upTo: "v1-clients")
      try q.write { db in
        try db.execute(
          sql: """
            INSERT INTO app_user (login, created_at) VALUES ('anna', 0);
            INSERT INTO client (kind, name, name_key, created_at, updated_at)
              VALUES ('company', 'Old', 'old', 0, 0);
            INSERT INTO client_fts (rowid, name) VALUES (1, 'old');
            INSERT INTO change_set (at, user_id, client_id, entity, entity_id, action)
              VALUES (0, 1, 1, 'client', 1, 'insert');
            INSERT INTO audit (change_id, at, user_id, client_id, entity, entity_id, action, field, new)
              VALUES (1, 0, 1, 1, 'client', 1, 'insert', 'name', 'Old');
            """)
      }
      try q.close()
    }
    let db = try CRMDatabase(path: path)
    #expect(try db.check().problems.isEmpty)
    #expect(try db.check().schemaVersion == Schema.version)
    let s = ClientService(db: db, userId: 1, language: .en)
    #expect(try s.history(of: 1).count == 1)
    let undone = try #require(try s.undoLatest(on: 1))
    #expect(undone.action == "insert")
  }
}
