import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

private func fixture() throws -> (CRMDatabase, ClientImportService, ClientService) {
  let db = try memoryDB()
  let anna = try db.user(login: "anna")
  _ = try db.user(login: "boris")
  return (
    db, ClientImportService(db: db, userId: anna?.id, language: .en),
    ClientService(db: db, userId: anna?.id, language: .en)
  )
}

private func row(
  _ line: Int, _ name: String, inn: String = "", phone: String = "", email: String = "",
  owner: String? = nil, persons: [ContactPerson] = []
) -> ImportItem {
  var c = Client(name: name, inn: inn)
  if !phone.isEmpty { c.phones = [Phone(phone)] }
  if !email.isEmpty { c.emails = [email] }
  return .row(ImportRow(line: line, client: c, persons: persons, ownerLogin: owner))
}

private func count(_ db: CRMDatabase, _ sql: String) throws -> Int {
  try db.read { try Int.fetchOne($0, sql: sql) ?? -1 }
}

@Suite struct ClientImportTests {
  @Test func importsValidatesAndRejectsWithLineAndField() throws {
    let (db, imports, clients) = try fixture()
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [
        row(2, "Ромашка", inn: "7707083893", phone: "+7 495 123-45-67"),
        row(3, "Лютик", inn: "7707083890"),
        row(4, "Василёк", email: "not-an-email"),
        .rejected(ImportIssue(line: 5, field: "", reason: "3 fields, the header has 4")),
        row(6, "Астра", owner: "boris", persons: [ContactPerson(clientId: 0, name: "Иван Петров")]),
      ])
    // A wrong check digit or a bad e-mail no longer costs the row: the value is kept in the
    // note with a warning naming the line and the field (issue 21).
    #expect(report.created == 4)
    #expect(report.rejected == 1)
    #expect(report.rows == 5)
    let rejected = report.outcomes.filter { $0.action == .rejected }
    #expect(rejected.map(\.line) == [5])
    #expect(report.warnings.map(\.line) == [3, 4])
    #expect(report.warnings.map(\.field) == ["INN", "E-mails"])
    #expect(report.warnings[0].reason == "wrong check digit — kept in the note")
    let lutik = try #require(report.outcomes.first { $0.line == 3 }?.clientId)
    #expect(try clients.client(lutik)?.notes == "INN: 7707083890")
    #expect(try clients.client(lutik)?.inn == "")
    let id = try #require(report.outcomes.first { $0.line == 6 }?.clientId)
    let astra = try #require(try clients.client(id))
    #expect(astra.ownerId == (try db.user(login: "boris"))?.id)
    #expect(try clients.persons(of: id).map(\.name) == ["Иван Петров"])
    // Indexed, keyed and counted like ClientService.add.
    #expect(try db.check().problems == [])
    #expect(try count(db, "SELECT count(*) FROM client_fts WHERE client_fts MATCH 'петров*'") == 1)
    #expect(try count(db, "SELECT count(*) FROM client WHERE match_key = 'romashka'") == 1)
    // History says where the client came from.
    let history = try clients.history(of: id)
    #expect(history.contains { $0.field == "import" && $0.new == String(report.batchId!) })
  }

  @Test func duplicatesAgainstTheBaseAndEarlierRows() throws {
    let (db, imports, clients) = try fixture()
    let existing = try clients.add(
      Client(name: "Ромашка", legalForm: "ООО", inn: "7707083893", phones: [Phone("+74951234567")]))
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [
        row(2, "Romashka LLC"),  // name key
        row(3, "Другое", phone: "8 (495) 123-45-67"),  // phone
        row(4, "Лютик", email: "a@lutik.ru"),
        row(5, "Лютик-2", email: "A@Lutik.ru"),  // earlier row of the same file
        row(6, "ООО Ромашка", inn: "7736207543"),  // different valid INN: not a duplicate
      ])
    #expect(report.created == 2)
    #expect(report.duplicates == 3)
    let d = report.outcomes.filter { $0.action == .duplicate }
    #expect(d.map(\.matchReason) == ["name", "phone", "email"])
    #expect(d[0].matchId == existing)
    #expect(d[2].matchId == report.outcomes.first { $0.line == 4 }?.clientId)
    #expect(try count(db, "SELECT count(*) FROM client") == 3)
  }

  @Test func updateFillsAndMergesAndUndoRestores() throws {
    let (db, imports, clients) = try fixture()
    let id = try clients.add(
      Client(name: "Ромашка", inn: "7707083893", city: "Москва", tags: ["опт"]))
    var c = Client(name: "Ромашка", inn: "7707083893", city: "Казань", tags: ["VIP"])
    c.emails = ["info@romashka.ru"]
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv", onDuplicate: .update),
      items: [
        .row(
          ImportRow(
            line: 2, client: c, persons: [ContactPerson(clientId: 0, name: "Анна Смирнова")]))
      ])
    #expect(report.updated == 1)
    let after = try #require(try clients.client(id))
    #expect(after.city == "Казань")
    #expect(after.tags == ["опт", "VIP"])
    #expect(after.emails == ["info@romashka.ru"])
    #expect(try clients.persons(of: id).count == 1)
    // Someone edits another field afterwards: undo keeps that edit.
    var edited = after
    edited.segment = "A"
    try clients.update(edited)
    let undo = try imports.undo(try #require(report.batchId))
    #expect(undo.restored == 1)
    #expect(undo.persons == 1)
    let back = try #require(try clients.client(id))
    #expect(back.city == "Москва")
    #expect(back.tags == ["опт"])
    #expect(back.emails == [])
    #expect(back.segment == "A")
    #expect(try clients.persons(of: id).isEmpty)
    #expect(try db.check().problems == [])
    // Twice is refused.
    #expect(throws: CRMError.self) { try imports.undo(report.batchId!) }
  }

  @Test func undoDeletesCreatedClientsOrTrashesUsedOnes() throws {
    let (db, imports, clients) = try fixture()
    let before = try count(db, "SELECT count(*) FROM client")
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [row(2, "Ромашка"), row(3, "Лютик"), row(4, "Астра")])
    let ids = report.outcomes.compactMap(\.clientId)
    // Somebody works with one of them.
    var lutik = try #require(try clients.client(ids[1]))
    lutik.notes = "звонили"
    try clients.update(lutik)
    let undo = try imports.undo(report.batchId!)
    #expect(undo.deleted == 2)
    #expect(undo.trashed == 1)
    #expect(try count(db, "SELECT count(*) FROM client") == before + 1)
    #expect(try clients.client(ids[1])?.deletedAt != nil)
    #expect(try db.check().problems == [])
    #expect(try imports.batches().first?.undoneAt != nil)
    // The card's undo never takes the import's batch record: on Лютик it finds the trash by
    // the import's undo, then the notes edit.
    #expect(try clients.undoLatest(on: ids[1])?.action == "delete")
    #expect(try clients.undoLatest(on: ids[1])?.action == "update")
  }

  @Test func dryRunAndCancelChangeNothing() throws {
    let (db, imports, _) = try fixture()
    let items = (0..<1200).map { row($0 + 2, "Клиент \($0)") }
    let dry = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv", dryRun: true, onDuplicate: .create),
      items: items)
    #expect(dry.created == 1200)
    #expect(dry.batchId == nil)
    #expect(try count(db, "SELECT count(*) FROM client") == 0)
    #expect(try count(db, "SELECT count(*) FROM import_batch") == 0)
    var it = items.makeIterator()
    #expect(throws: ImportCancelled.self) {
      try imports.run(
        options: ImportOptions(format: "csv", fileName: "a.csv"), next: { it.next() },
        progress: { $0 < 1000 })
    }
    #expect(try count(db, "SELECT count(*) FROM client") == 0)
    // A file error midway rolls back the rows before it.
    var n = 0
    #expect(throws: ImportFileError.self) {
      try imports.run(
        options: ImportOptions(format: "csv", fileName: "a.csv"),
        next: {
          n += 1
          if n == 50 { throw ImportFileError(line: 51, en: "unclosed quote", ru: "кавычка") }
          return row(n + 1, "Клиент \(n)")
        })
    }
    #expect(try count(db, "SELECT count(*) FROM client") == 0)
    #expect(try db.check().problems == [])
  }

  @Test func unknownOwnerIsAWarningAndTheImporterOwns() throws {
    let (db, imports, clients) = try fixture()
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [row(2, "Ромашка", owner: "Пётр"), row(3, "Лютик", owner: "Пётр")])
    #expect(report.created == 2)
    #expect(report.warnings.count == 1)
    #expect(report.warnings[0].line == 2)
    let id = try #require(report.outcomes[0].clientId)
    #expect(try clients.client(id)?.ownerId == (try db.user(login: "anna"))?.id)
  }
}
