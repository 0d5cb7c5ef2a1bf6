import CRMCore
import Foundation
import Testing

@testable import CRMExchange

/// What an export must carry across: a client with its names, phones, e-mails and persons.
private struct Kept: Hashable, CustomStringConvertible {
  var kind: ClientKind
  var name: String
  var legalForm: String
  var phones: [String]
  var emails: [String]
  var persons: [String]

  var description: String { "\(kind) \(legalForm) \(name) \(phones) \(emails) \(persons)" }
}

private let start = Date(timeIntervalSince1970: 1_795_000_000)

/// A demo base of `count` clients, with more twins (near-duplicates) than usual.
private func demoBase(_ count: Int) throws -> CRMDatabase {
  let db = try CRMDatabase(memory: SteppingClock(start: start, step: 0))
  var demo = DemoData(seed: 21, now: start)
  demo.twinShare = 0.15
  demo.contacts = false
  _ = try demo.populate(db, count: count)
  return db
}

private func kept(_ db: CRMDatabase, personsLimit: Int = .max) throws -> [Kept] {
  let service = ClientImportService(db: db, userId: nil, language: .en)
  return try service.exported(try service.exportIDs(ClientListQuery())).map { e in
    Kept(
      kind: e.client.kind, name: e.client.name, legalForm: e.client.legalForm,
      phones: e.client.phones.map(\.raw), emails: e.client.emails,
      persons: e.persons.prefix(personsLimit).map {
        "\($0.name)|\($0.position)|\($0.phones.map(\.raw))|\($0.emails)"
      })
  }
}

private func importInto(_ items: () throws -> ImportItem?, format: String, matchWithinFile: Bool?)
  throws -> (CRMDatabase, ImportReport)
{
  let db = try CRMDatabase(memory: SteppingClock(start: start, step: 0))
  let service = ClientImportService(db: db, userId: nil, language: .en)
  let report = try service.run(
    options: ImportOptions(format: format, fileName: "x", matchWithinFile: matchWithinFile),
    next: items)
  return (db, report)
}

@Suite struct ImportRoundTripTests {
  /// `crm export json` of a demo base imported into an empty base with the default options
  /// gives the same clients: the issue saw 4,379 of 5,005 (twins and same names with another
  /// legal form skipped as duplicates).
  @Test func jsonExportIntoAnEmptyBaseIsLossless() throws {
    let source = try demoBase(700)
    let service = ClientImportService(db: source, userId: nil, language: .en)
    let file = ClientJSON.file(try service.exported(try service.exportIDs(ClientListQuery())))
    let reader = try ClientJSONReader(data: file, language: .en)
    let (copy, report) = try importInto({ try reader.next() }, format: "json", matchWithinFile: nil)
    #expect(report.rejected == 0)
    #expect(report.duplicates == 0)
    let before = try kept(source)
    let after = try kept(copy)
    #expect(after.count == before.count)
    #expect(Set(after) == Set(before))
    #expect(
      after == before,
      "first difference: \(zip(before, after).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "")")
  }

  /// The CSV round trip keeps what CSV carries: names, forms, kinds, phones, e-mails and the
  /// first contact person.
  @Test func csvExportIntoAnEmptyBaseKeepsWhatCSVCarries() throws {
    let source = try demoBase(400)
    let service = ClientImportService(db: source, userId: nil, language: .en)
    var file = ClientCSVWriter.begin()
    for e in try service.exported(try service.exportIDs(ClientListQuery())) {
      file += ClientCSVWriter.row(e.client, persons: e.persons, ownerLogin: e.ownerLogin)
    }
    let reader = try ClientCSVReader(data: file, options: ClientCSVOptions(language: .en))
    #expect(reader.profile == .termcrm)
    // What `crm import csv` does for our own export.
    let (copy, report) = try importInto(
      { try reader.next() }, format: "csv", matchWithinFile: reader.profile != .termcrm)
    #expect(report.rejected == 0)
    #expect(report.duplicates == 0)
    let before = try kept(source, personsLimit: 1)
    let after = try kept(copy, personsLimit: 1)
    #expect(after.count == before.count)
    #expect(
      after == before,
      "first difference: \(zip(before, after).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "")")
  }
}
