import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

private func person(_ line: Int, _ name: String, phone: String = "", email: String = "")
  -> ImportItem
{
  var c = Client(kind: .person, name: name)
  if !phone.isEmpty { c.phones = [Phone(phone)] }
  if !email.isEmpty { c.emails = [email] }
  return .row(ImportRow(line: line, client: c))
}

private func company(_ line: Int, _ name: String, form: String, phone: String = "") -> ImportItem {
  var c = Client(name: name, legalForm: form)
  if !phone.isEmpty { c.phones = [Phone(phone)] }
  return .row(ImportRow(line: line, client: c))
}

@Suite struct ImportDuplicateRuleTests {
  func importer() throws -> (CRMDatabase, ClientImportService) {
    let db = try memoryDB()
    let anna = try db.user(login: "anna")
    return (db, ClientImportService(db: db, userId: anna?.id, language: .en))
  }

  /// The Google export of the issue: «Manu», «RAJEEV», «SALEEM» with different phones were
  /// skipped as duplicates of each other on their first names alone.
  @Test func aNameAloneNeverMakesTwoPeopleOne() throws {
    let (_, imports) = try importer()
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "google.csv"),
      items: [
        person(2, "Manu", phone: "+7 916 111-11-11"),
        person(3, "Manu", phone: "+7 916 222-22-22"),
        person(4, "Manu"),
        person(5, "RAJEEV", email: "r@example.com"),
        person(6, "Rajeev", email: "R@example.com"),
        person(7, "Manu", phone: "8 916 111 11 11"),
      ])
    #expect(report.created == 4)
    let d = report.outcomes.filter { $0.action == .duplicate }
    #expect(d.map(\.line) == [6, 7])
    #expect(d.map(\.matchReason) == ["email", "phone"])
  }

  @Test func theLegalFormTellsCompaniesApart() throws {
    let (_, imports) = try importer()
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [
        company(2, "Harbor Energy", form: "GmbH"),
        company(3, "Harbor Energy", form: "Inc"),
        company(4, "Harbor Energy", form: "GmbH"),
        company(5, "Ромашка", form: "ООО"),
        company(6, "Ромашка", form: "АО"),
        company(7, "Romashka", form: "LLC"),
      ])
    #expect(
      report.outcomes.map(\.action) == [
        .created, .created, .duplicate, .created, .created, .duplicate,
      ])
    #expect(report.outcomes[2].matchId == report.outcomes[0].clientId)
    #expect(report.outcomes[5].matchId == report.outcomes[3].clientId)
  }

  /// A snapshot of a base (our own export): rows never match earlier rows of the file, only
  /// clients that were there before.
  @Test func aSnapshotMatchesOnlyWhatWasThereBefore() throws {
    let (db, imports) = try importer()
    let clients = ClientService(db: db, userId: try db.user(login: "anna")?.id, language: .en)
    _ = try clients.add(Client(name: "Лютик", phones: [Phone("+7 495 000-00-01")]))
    let report = try imports.run(
      options: ImportOptions(format: "json", fileName: "export.json"),
      items: [
        company(2, "Ромашка", form: "ООО", phone: "+7 495 123-45-67"),
        company(3, "Ромашка", form: "ООО", phone: "+7 495 123-45-67"),
        company(4, "Лютик", form: "", phone: "+7 495 000-00-01"),
      ])
    #expect(report.outcomes.map(\.action) == [.created, .created, .duplicate])
    // The same rows as a foreign CSV: the second is the first again.
    let again = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv", dryRun: true),
      items: [
        company(2, "Астра", form: "ООО", phone: "+7 495 765-43-21"),
        company(3, "Астра", form: "ООО", phone: "+7 495 765-43-21"),
      ])
    #expect(again.outcomes.map(\.action) == [.created, .duplicate])
  }

  /// A Google export lists each person with their company: the second person of a company
  /// joins it as a contact person instead of being skipped with the row.
  @Test func anotherPersonOfAKnownCompanyJoinsIt() throws {
    let (db, imports) = try importer()
    func at(_ line: Int, _ person: String) -> ImportItem {
      .row(
        ImportRow(
          line: line, client: Client(name: "Harbor Energy", legalForm: "GmbH"),
          persons: [
            ContactPerson(clientId: 0, name: person, phones: [Phone("+7 916 555-00-0\(line)")])
          ]))
    }
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "google.csv"),
      items: [at(2, "Manu"), at(3, "Rajeev"), at(4, "Rajeev")])
    #expect(report.outcomes.map(\.action) == [.created, .updated, .duplicate])
    let id = try #require(report.outcomes[0].clientId)
    let names = try db.read {
      try String.fetchAll(
        $0, sql: "SELECT name FROM contact_person WHERE client_id = ? ORDER BY id", arguments: [id])
    }
    #expect(names == ["Manu", "Rajeev"])
  }

  @Test func aRowsWarningsReachTheReport() throws {
    let (_, imports) = try importer()
    let issue = ImportIssue(line: 2, field: "Phone", reason: "kept in the note")
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv"),
      items: [
        .row(
          ImportRow(
            line: 2, client: Client(name: "Ромашка", notes: "Phone: 555"), warnings: [issue]))
      ])
    #expect(report.created == 1)
    #expect(report.warnings == [issue])
  }
}
