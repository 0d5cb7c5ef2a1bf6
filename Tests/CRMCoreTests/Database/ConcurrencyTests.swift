import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Two connections to one real file, as two people at two terminals.
private struct TwoEditors {
  let dir = TempDir()
  let first: CRMDatabase
  let second: CRMDatabase
  let anna: Int64
  let boris: Int64

  init(busyTimeout: TimeInterval = CRMDatabase.defaultBusyTimeout) throws {
    let path = dir.file("crm.sqlite")
    first = try CRMDatabase(path: path, busyTimeout: busyTimeout, clock: FixedClock(monday))
    anna = try #require(try first.user(login: "anna")).id
    boris = try #require(try first.user(login: "boris")).id
    second = try CRMDatabase(path: path, busyTimeout: busyTimeout, clock: FixedClock(monday))
  }

  var annas: ClientService { ClientService(db: first, userId: anna, language: .en) }
  var boriss: ClientService { ClientService(db: second, userId: boris, language: .en) }

  func version(_ table: String, _ id: Int64) throws -> Int64 {
    try first.read { try RowVersions.current($0, table: table, id: id) }
  }

  func changes() throws -> Int {
    try first.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM change_set") ?? 0 }
  }
}

private func conflict(_ body: () throws -> Void) -> Conflict? {
  do { try body() } catch let CRMError.conflict(c) { return c } catch { return nil }
  return nil
}

@Suite("Concurrency: row versions and conflicts")
struct ConcurrencyTests {
  @Test func aSaveWithAStaleVersionIsRefusedAndStoresNothing() throws {
    let e = try TwoEditors()
    defer { e.dir.cleanup() }
    let id = try e.annas.add(Client(name: "Ромашка", city: "Москва", notes: "старое"))
    #expect(try e.version("client", id) == 1)
    var mine = try #require(try e.annas.client(id))
    let base = mine
    #expect(mine.version == 1)
    var theirs = try #require(try e.boriss.client(id))
    theirs.city = "Тверь"
    try e.boriss.update(theirs)
    #expect(try e.version("client", id) == 2)

    let before = try e.changes()
    mine.city = "Омск"
    for b in [base, nil] {
      let c = try #require(conflict { try e.annas.update(mine, base: b) })
      #expect(c.entity == "client")
      #expect(c.id == id)
      #expect(c.fields == ["city"])
      #expect(c.yourVersion == 1 && c.currentVersion == 2)
      #expect(c.mine["city"] == "Омск" && c.theirs["city"] == "Тверь")
      #expect(c.changedBy == "boris")
      #expect(c.changedAt == monday)
      #expect(c.differing == ["city"])
      let text = CRMError.conflict(c).message(.ru)
      #expect(
        text.contains("boris") && text.contains("city") && text.contains("Ничего не сохранено"))
      #expect(CRMError.conflict(c).exitCode == 1)
    }
    let stored = try #require(try e.annas.client(id))
    #expect(stored.city == "Тверь")
    #expect(stored.version == 2)
    #expect(try e.changes() == before)
    // Saved over theirs on purpose: with the current version.
    mine.version = 2
    try e.annas.update(mine)
    #expect(try e.annas.client(id)?.city == "Омск")
    #expect(try e.version("client", id) == 3)
  }

  @Test func disjointFieldsMergeSilentlyAndTheSameFieldConflicts() throws {
    let e = try TwoEditors()
    defer { e.dir.cleanup() }
    let id = try e.annas.add(Client(name: "Ромашка", city: "Москва", notes: "старое"))
    let base = try #require(try e.annas.client(id))
    var theirs = try #require(try e.boriss.client(id))
    theirs.city = "Тверь"
    theirs.tags = ["опт"]
    try e.boriss.update(theirs)
    var mine = base
    mine.notes = "новое"
    mine.website = "romashka.ru"
    try e.annas.update(mine, base: base)
    let merged = try #require(try e.annas.client(id))
    #expect(merged.city == "Тверь" && merged.tags == ["опт"])
    #expect(merged.notes == "новое" && merged.website == "romashka.ru")
    #expect(merged.version == 3)
    // Both changed the notes, differently: a conflict naming only that field.
    var again = merged
    again.notes = "моё"
    again.segment = "A"
    var other = merged
    other.notes = "их"
    try e.boriss.update(other)
    let c = try #require(conflict { try e.annas.update(again, base: merged) })
    #expect(c.fields == ["notes"])
    #expect(try e.annas.client(id)?.segment == "")
    // The same value on both sides is no conflict.
    var same = try #require(try e.annas.client(id))
    let sameBase = same
    same.city = "Казань"
    var sameOther = same
    sameOther.version = same.version
    try e.boriss.update(sameOther)
    try e.annas.update(same, base: sameBase)
    #expect(try e.annas.client(id)?.city == "Казань")
  }

  @Test func personsDealsAndContactsCarryVersionsToo() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    let clients = f.base.clients
    let pid = try clients.addPerson(ContactPerson(clientId: c, name: "Анна", position: "директор"))
    var p = try #require(try clients.person(pid))
    let pBase = p
    #expect(p.version == 1)
    var p2 = p
    p2.position = "бухгалтер"
    try clients.updatePerson(p2)
    p.position = "юрист"
    #expect(conflict { try clients.updatePerson(p) }?.fields == ["position"])
    p.position = "директор"
    p.notes = "звонить утром"
    try clients.updatePerson(p, base: pBase)
    #expect(try clients.person(pid)?.position == "бухгалтер")
    #expect(try clients.person(pid)?.notes == "звонить утром")

    let did = try f.deal(client: c)
    var d = try #require(try f.deals.deal(did)).deal
    #expect(d.version == 1)
    var d2 = d
    d2.title = "Поставка-2"
    try f.deals.update(d2)
    let base = d
    d.amount = 5
    try f.deals.update(d, base: base)
    let stored = try #require(try f.deals.deal(did)).deal
    #expect(stored.title == "Поставка-2" && stored.amount == 5)
    d.title = "Другое"
    #expect(conflict { try f.deals.update(d, base: base) }?.fields == ["title"])

    let contacts = f.base.contacts
    let kid = try contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: f.base.hours(2), subject: "A", userId: f.base.anna))
    var k = try #require(try contacts.contact(kid)).contact
    let kBase = k
    var k2 = k
    k2.subject = "B"
    try contacts.update(k2)
    k.subject = "C"
    let kc = try #require(conflict { try contacts.update(k, base: kBase) })
    #expect(kc.entity == "contact" && kc.fields == ["subject"])
    k.subject = "A"
    k.notes = "n"
    try contacts.update(k, base: kBase)
    let kStored = try #require(try contacts.contact(kid)).contact
    #expect(kStored.subject == "B" && kStored.notes == "n" && kStored.version == 3)
    // Times survive the merge's JSON round trip exactly (no new iCalendar sequence).
    #expect(kStored.dueAt == f.base.hours(2) && kStored.sequence == 0)
  }

  @Test func bulkHandoverMergeImportAndUndoBumpVersions() throws {
    let f = try ContactFixture()
    let a = try f.client("Альфа")
    let b = try f.client("Бета")
    let version = { (id: Int64) in
      try f.db.read { try RowVersions.current($0, table: "client", id: id) }
    }
    #expect(try version(a) == 1)
    _ = try BulkUpdateService(db: f.db, userId: f.anna, language: .en).apply(
      .ids([a]), .setSegment("VIP"))
    #expect(try version(a) == 2)
    _ = try f.contacts.handover(from: f.anna, to: f.boris, clientIds: [a])
    #expect(try version(a) == 3)
    let imports = ClientImportService(db: f.db, userId: f.anna, language: .en)
    _ = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv", onDuplicate: .update),
      items: [.row(ImportRow(line: 2, client: Client(name: "Бета", city: "Тула"), persons: []))])
    #expect(try f.clients.client(b)?.city == "Тула")
    #expect(try version(b) > 1)
    let beforeMerge = try version(a)
    var dup = Client(name: "Альфа")
    dup.ownerId = f.anna
    dup.website = "alfa.ru"
    let other = try f.clients.add(dup)
    _ = try MergeService(db: f.db, userId: f.anna, language: .en).merge(keep: a, other: other)
    #expect(try version(a) > beforeMerge)
    // A plain SQL update (no service) bumps it too; one that sets the version keeps that one.
    let v = try version(b)
    try f.db.write {
      try $0.execute(sql: "UPDATE client SET notes = 'x' WHERE id = ?", arguments: [b])
    }
    #expect(try version(b) == v + 1)
    try f.db.write {
      try $0.execute(sql: "UPDATE client SET version = 100 WHERE id = ?", arguments: [b])
    }
    #expect(try version(b) == 100)
  }

  @Test func aWriteWaitsOutABriefLockThenRetriesAndAnEndlessOneIsReported() throws {
    let e = try TwoEditors(busyTimeout: 0.05)
    defer { e.dir.cleanup() }
    let id = try e.annas.add(Client(name: "Ромашка"))
    // The second connection holds the write lock for 0.3 s: longer than the busy timeout, so
    // only the retry of the whole transaction gets the first connection's save through.
    let held = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    let second = e.second
    DispatchQueue.global().async {
      try? second.queue.write { db in
        try db.execute(sql: "UPDATE client SET notes = 'held' WHERE id = ?", arguments: [id])
        held.signal()
        usleep(300_000)
      }
      done.signal()
    }
    held.wait()
    var c = try #require(try e.annas.client(id))
    c.version = nil
    c.city = "Москва"
    try e.annas.update(c)
    done.wait()
    #expect(e.first.retriedTransactions > 0)
    #expect(try e.annas.client(id)?.city == "Москва")

    // A lock held for longer than every retry: `locked`, nothing saved.
    let held2 = DispatchSemaphore(value: 0)
    let done2 = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      try? second.queue.write { db in
        try db.execute(sql: "UPDATE client SET notes = 'long' WHERE id = ?", arguments: [id])
        held2.signal()
        usleep(1_500_000)
      }
      done2.signal()
    }
    held2.wait()
    c.city = "Тверь"
    var locked = false
    do { try e.annas.update(c) } catch CRMError.locked { locked = true }
    done2.wait()
    #expect(locked)
    #expect(try e.annas.client(id)?.city == "Москва")
  }

  @Test func readersDoNotBlockAWriter() throws {
    let e = try TwoEditors(busyTimeout: 0.05)
    defer { e.dir.cleanup() }
    let id = try e.annas.add(Client(name: "Ромашка"))
    // A long read transaction on the second connection (WAL): the first still writes at once.
    let reading = DispatchSemaphore(value: 0)
    let finish = DispatchSemaphore(value: 0)
    let second = e.second
    DispatchQueue.global().async {
      try? second.queue.read { db in
        _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM client")
        reading.signal()
        finish.wait()
      }
    }
    reading.wait()
    // Blocked, the write would wait out the 50 ms busy timeout and fail or be retried; no clock
    // is read here, so a loaded machine cannot make this test fail.
    var c = try #require(try e.annas.client(id))
    c.city = "Москва"
    try e.annas.update(c)
    #expect(try e.annas.client(id)?.city == "Москва")
    #expect(e.first.retriedTransactions == 0)
    finish.signal()
  }

  @Test func migrationGivesExistingRowsVersionOne() throws {
    let db = try memoryDB()
    let names = try db.read { db in
      try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%versioned'")
    }
    #expect(
      Set(names) == ["client_versioned", "person_versioned", "deal_versioned", "contact_versioned"])
    #expect(Schema.identifiers.contains("v7-versions"))
    #expect(RowVersions.fieldName("legalForm") == "legal_form")
    #expect(RowVersions.fieldName("ownerId") == "owner")
    #expect(RowVersions.fieldName("dueAt") == "due")
    // A merge goes through JSON: fractional times come back bit for bit.
    let due = Date(timeIntervalSince1970: 1_795_435_200.123456789)
    let base = Contact(clientId: 1, kind: .call, dueAt: due, userId: 1)
    var mine = base
    mine.notes = "mine"
    var theirs = base
    theirs.subject = "theirs"
    theirs.remindAt = due.addingTimeInterval(-900.000001)
    let merged = Conflict.rebase(mine: mine, base: base, theirs: theirs, keys: Contact.editableKeys)
    #expect(merged.dueAt == due && merged.remindAt == theirs.remindAt)
    #expect(merged.notes == "mine" && merged.subject == "theirs")
  }
}
