import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

// Security issue #19, item 3: writes, undos and logs bypassed visibility. Each test builds the
// team of `TeamFixture` (visibility own), lets anna (admin) do something that touches vera's
// clients, then signs boris (manager) in and checks he neither reads nor changes any of it.

/// A client as stored, read past every visibility filter.
private func stored(_ f: TeamFixture, _ id: Int64) throws -> Client? {
  try f.db.read { db in try ClientService.load(db, id) }
}

/// The message of a CRMError.
private func message(_ e: CRMError) -> String {
  switch e {
  case .invalid(let field, let problem): return "\(field): \(problem)"
  case .forbidden(let m): return m
  case .notFound(let what, let id): return "no \(what) \(id)"
  default: return "\(e)"
  }
}

@Suite struct VisibilityWriteTests {
  @Test func aManagerCannotUndoAnAdminsImportOfAnotherManagersClients() throws {
    let f = try TeamFixture()
    let imports = ClientImportService(db: f.db, userId: f.anna, language: .en)
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "leads.csv"),
      items: [
        .row(ImportRow(line: 2, client: Client(name: "Импорт Веры"), ownerLogin: "vera")),
        .row(ImportRow(line: 3, client: Client(name: "Импорт Бориса"), ownerLogin: "boris")),
      ])
    let batch = try #require(report.batchId)
    let veras = try #require(report.outcomes[0].clientId)
    let boriss = try #require(report.outcomes[1].clientId)
    // boris's own import: he sees it and may undo it.
    let own = try ClientImportService(db: f.db, userId: f.boris, language: .en).run(
      options: ImportOptions(format: "csv", fileName: "mine.csv"),
      items: [.row(ImportRow(line: 2, client: Client(name: "Свой"), ownerLogin: "boris"))])
    try f.signIn("boris")
    let mine = ClientImportService(db: f.db, userId: f.boris, language: .en)
    // The log shows only his own import; anna's (with vera's client) is not there.
    #expect(try mine.batches().map(\.id) == [try #require(own.batchId)])
    #expect(throws: CRMError.notFound(what: "import", id: batch)) { try mine.undo(batch) }
    // Nothing of anna's import was undone: vera's and his clients are there, the batch is not
    // marked undone.
    #expect(try stored(f, veras)?.deletedAt == nil)
    #expect(try stored(f, boriss)?.deletedAt == nil)
    #expect(
      try f.db.read { db in
        try Double.fetchOne(
          db, sql: "SELECT undone_at FROM import_batch WHERE id = ?", arguments: [batch])
      } == nil)
    #expect(try mine.undo(try #require(own.batchId)).deleted == 1)
  }

  @Test func aManagerCannotUndoTheirOwnImportOnceAClientWasHandedOver() throws {
    let f = try TeamFixture()
    let report = try ClientImportService(db: f.db, userId: f.boris, language: .en).run(
      options: ImportOptions(format: "csv", fileName: "mine.csv"),
      items: [
        .row(ImportRow(line: 2, client: Client(name: "Первый"), ownerLogin: "boris")),
        .row(ImportRow(line: 3, client: Client(name: "Второй"), ownerLogin: "boris")),
      ])
    let given = try #require(report.outcomes[1].clientId)
    try ContactService(db: f.db, userId: f.anna, language: .en).handover(
      from: f.boris, to: f.vera, clientIds: [given])
    try f.signIn("boris")
    let mine = ClientImportService(db: f.db, userId: f.boris, language: .en)
    let batch = try #require(report.batchId)
    #expect(try mine.batches().map(\.id) == [batch])
    let error = try #require(throws: CRMError.self) { try mine.undo(batch) }
    #expect(message(error).contains("other managers"), "\(error)")
    #expect(message(error).contains("Nothing was changed"), "\(error)")
    #expect(try stored(f, given)?.ownerId == f.vera)
    #expect(try stored(f, given)?.deletedAt == nil)
    #expect(try stored(f, try #require(report.outcomes[0].clientId)) != nil)
  }

  @Test func aManagerNeitherSeesNorUndoesAMergeOfAnotherManagersClients() throws {
    let f = try TeamFixture()
    let cs = ClientService(db: f.db, userId: f.anna, language: .en)
    let copy = try cs.add(Client(name: "Лютик", city: "Тверь", ownerId: f.vera))
    let merges = MergeService(db: f.db, userId: f.anna, language: .en)
    let merged = try #require(try merges.merge(keep: f.v1, other: copy).mergeId)
    try f.signIn("boris")
    let his = MergeService(db: f.db, userId: f.boris, language: .en)
    #expect(try his.log().isEmpty)
    #expect(throws: CRMError.notFound(what: "merge", id: merged)) { try his.undo(merged) }
    // Still merged: the copy in the trash, vera's survivor with the copy's city.
    #expect(try stored(f, copy)?.deletedAt != nil)
    #expect(try stored(f, f.v1)?.city == "Тверь")
  }

  @Test func aManagerCannotUndoAnotherUsersBulkChangeOfHiddenClients() throws {
    let f = try TeamFixture()
    let bulk = BulkUpdateService(db: f.db, userId: f.anna, language: .en)
    let op = try #require(try bulk.apply(.ids([f.v1, f.b2]), .setSegment("опт")).operation)
    try f.signIn("boris")
    let his = BulkUpdateService(db: f.db, userId: f.boris, language: .en)
    #expect(try his.undo(op) == nil)
    #expect(try stored(f, f.v1)?.segment == "опт")
    #expect(try stored(f, f.b2)?.segment == "опт")
  }

  @Test func aManagerCannotUndoTheirBulkChangeOfAClientGivenAway() throws {
    let f = try TeamFixture()
    let bulk = BulkUpdateService(db: f.db, userId: f.boris, language: .en)
    let op = try #require(try bulk.apply(.ids([f.b2]), .setSegment("опт")).operation)
    try ContactService(db: f.db, userId: f.anna, language: .en).handover(
      from: f.boris, to: f.vera, clientIds: [f.b2])
    try f.signIn("boris")
    let error = try #require(throws: CRMError.self) {
      try BulkUpdateService(db: f.db, userId: f.boris, language: .en).undo(op)
    }
    #expect(message(error).contains("Nothing was changed"), "\(error)")
    #expect(try stored(f, f.b2)?.segment == "опт")
  }

  @Test func aManagersUndoNeverChangesAClientHandedOverSince() throws {
    let f = try TeamFixture()
    let boris = ClientService(db: f.db, userId: f.boris, language: .en)
    let mark = try boris.changeMark()
    var c = try #require(try stored(f, f.b2))
    c.city = "Казань"
    try boris.update(c)
    let change = try #require(try boris.myChanges(client: f.b2, since: mark).first)
    try ContactService(db: f.db, userId: f.anna, language: .en).handover(
      from: f.boris, to: f.vera, clientIds: [f.b2])
    try f.signIn("boris")
    #expect(try boris.undoable(client: f.b2, since: mark) == nil)
    let error = try #require(throws: CRMError.self) { try boris.undo(change) }
    #expect(message(error).contains("no change"), "\(error)")
    #expect(try stored(f, f.b2)?.city == "Казань")
    #expect(try stored(f, f.b2)?.ownerId == f.vera)
  }

  @Test func aManagerDoesNotSeeExportsOfAnotherManagersActs() throws {
    let f = try TeamFixture()
    let money = MoneyService(db: f.db, userId: f.anna, language: .en, timeZone: moscow)
    let act = try money.addAct(
      DocumentDraft(clientId: f.v1, lines: [DocumentDraft.sumLine("1000")]))
    let ownAct = try money.addAct(
      DocumentDraft(clientId: f.b1, lines: [DocumentDraft.sumLine("500")]))
    let veras = try money.recordExport(
      acts: [try #require(try money.act(act))], format: "1c", file: "/home/anna/secret/vera.xml")
    let his = try money.recordExport(
      acts: [try #require(try money.act(ownAct))], format: "1c", file: "/home/anna/boris.xml")
    try f.signIn("boris")
    let seen = try MoneyService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
      .exports()
    #expect(seen.map(\.id) == [his])
    #expect(!seen.map(\.file).contains("/home/anna/secret/vera.xml"))
    #expect(veras != his)
  }

  @Test func abcTotalsCountOnlyVisibleClients() throws {
    let f = try TeamFixture()
    let classes = ClassificationService(db: f.db, userId: f.anna, language: .en)
    let whole = try classes.classify(day: "2026-06-30", applySegments: false).run
    #expect(whole.clients == 6 && whole.revenue == 600_000_00)
    try f.signIn("boris")
    let seen = try #require(try classes.run(nil))
    #expect(seen.clients == 2)
    #expect(seen.revenue == 100_000_00)
    #expect(try classes.runs().map(\.clients) == [2])
    #expect(try classes.runs().map(\.revenue) == [100_000_00])
  }

  @Test func aTakenInvoiceNumberOfAnotherManagerIsNotNamed() throws {
    let f = try TeamFixture()
    // The fixture's invoices: № 1 on anna's client, № 2 on boris's.
    let numbers = try f.db.read { db in
      try Row.fetchAll(db, sql: "SELECT id, client_id, number FROM invoice ORDER BY id")
    }
    let annas = try #require(numbers.first { $0["client_id"] == f.a1 })
    let boriss = try #require(numbers.first { $0["client_id"] == f.b1 })
    let annasNumber: String = annas["number"]
    let annasId: Int64 = annas["id"]
    try f.signIn("boris")
    let money = MoneyService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    let error = try #require(throws: CRMError.self) {
      try money.addInvoice(
        DocumentDraft(
          clientId: f.b1, number: annasNumber, lines: [DocumentDraft.sumLine("10")]))
    }
    #expect(message(error).contains("already exists"), "\(error)")
    #expect(!message(error).contains("id \(annasId)"), "\(error)")
    #expect(!message(error).contains("(id"), "\(error)")
    // His own invoice's number is named with its id, as before.
    let own = try #require(throws: CRMError.self) {
      try money.addInvoice(
        DocumentDraft(
          clientId: f.b1, number: boriss["number"], lines: [DocumentDraft.sumLine("10")]))
    }
    #expect(message(own).contains("(id \(boriss["id"] as Int64))"), "\(own)")
  }

  @Test func aTakenOfferNumberOfAnotherManagerIsNotNamed() throws {
    let f = try TeamFixture()
    let offers = OfferService(db: f.db, userId: f.anna, language: .en, timeZone: moscow)
    let annas = try offers.add(Offer(dealId: f.aDeal, number: "КП-77"))
    try f.signIn("boris")
    let his = OfferService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    let error = try #require(throws: CRMError.self) {
      try his.add(Offer(dealId: f.bDeal, number: "КП-77"))
    }
    #expect(message(error).contains("already taken"), "\(error)")
    #expect(!message(error).contains("№\(annas)"), "\(error)")
    #expect(!message(error).contains("\(f.aDeal)"), "\(error)")
  }

  @Test func anActivityReportOfMoreThanAThousandColumnsIsRefused() throws {
    let f = try TeamFixture()
    try f.signIn("boris")
    let activity = ActivityService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    let cal = activity.calendar
    let from = try #require(cal.date(from: DateComponents(year: 2020, month: 1, day: 1)))
    let threeYears = try #require(cal.date(from: DateComponents(year: 2023, month: 1, day: 1)))
    let error = try #require(throws: CRMError.self) {
      try activity.report(ActivityQuery(from: from, to: threeYears, grouping: .day))
    }
    #expect(message(error).contains("1000"), "\(error)")
    // The same period by month is 36 columns and works; 1,000 days exactly work too.
    #expect(
      try activity.report(ActivityQuery(from: from, to: threeYears, grouping: .month)).buckets
        .count == 36)
    let thousand = CalendarMath.addDays(from, 1000, cal)
    #expect(
      try activity.report(ActivityQuery(from: from, to: thousand, grouping: .day)).buckets.count
        == 1000)
  }
}
