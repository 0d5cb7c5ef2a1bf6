import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Names typed with their legal form and quotes (#20, item 10), and the repair of stored ones.
@Suite struct ClientNameTests {
  func split(_ name: String, _ form: String = "") -> [String] {
    let n = ClientName.normalize(name: name, legalForm: form)
    return [n.legalForm, n.name]
  }

  @Test func aTypedFormAndQuotesAreSplitOff() {
    #expect(split("ООО \"Технопарк Северный\"") == ["ООО", "Технопарк Северный"])
    #expect(split("ООО «Технопарк Северный»") == ["ООО", "Технопарк Северный"])
    #expect(split("ооо Ромашка") == ["ООО", "Ромашка"])
    #expect(split("АО\"Вектор\"") == ["АО", "Вектор"])
    #expect(split("Общество с ограниченной ответственностью «Лютик»") == ["ООО", "Лютик"])
    #expect(split("ИП Иванов Иван Иванович") == ["ИП", "Иванов Иван Иванович"])
    // Quotes around the name, however many, whatever kind.
    #expect(split("««Акваинвест Плюс»»", "ООО") == ["ООО", "Акваинвест Плюс"])
    #expect(split("\"Вектор\"", "АО") == ["АО", "Вектор"])
    #expect(split("“Вектор”") == ["", "Вектор"])
    // The same form in both places is taken once.
    #expect(split("ООО «Ромашка»", "ООО") == ["ООО", "Ромашка"])
  }

  @Test func namesThatOnlyLookLikeAFormOrQuotesStay() {
    #expect(split("Аорта") == ["", "Аорта"])
    #expect(split("Ип Ман") == ["", "Ип Ман"])
    #expect(split("«Лютик» и «Ромашка»") == ["", "«Лютик» и «Ромашка»"])
    #expect(split("\"А\" и \"Б\"") == ["", "\"А\" и \"Б\""])
    #expect(split("Фирма \"Лютик\"", "ООО") == ["ООО", "Фирма \"Лютик\""])
    #expect(split("\"Фирма \"Лютик\"\"", "ООО") == ["ООО", "Фирма \"Лютик\""])
    // Another form already in the form field: the name is not touched.
    #expect(split("ООО Ромашка", "АО") == ["АО", "ООО Ромашка"])
    #expect(split("ООО") == ["", "ООО"])
  }

  @Test func displayAddsGuillemetsOnceEverywhere() {
    #expect(
      Client.displayName(name: "Акваинвест Плюс", legalForm: "ООО") == "ООО «Акваинвест Плюс»")
    // A name stored with its quotes before the repair is not doubled.
    #expect(
      Client.displayName(name: "«Акваинвест Плюс»", legalForm: "ООО") == "ООО «Акваинвест Плюс»")
    #expect(Client.displayName(name: "«Иванов Иван»", legalForm: "") == "Иванов Иван")
    #expect(Client.displayName(name: "Иванов Иван", legalForm: "ИП") == "ИП Иванов Иван")
  }

  @Test func savingSplitsTheTypedNameAndSortsItByTheName() throws {
    let db = try memoryDB()
    let s = try service(db)
    let id = try s.add(Client(name: "ООО \"Технопарк Северный\""))
    let c = try #require(try s.client(id))
    #expect(c.name == "Технопарк Северный")
    #expect(c.legalForm == "ООО")
    #expect(c.displayName == "ООО «Технопарк Северный»")
    _ = try s.add(Client(name: "Альфа", legalForm: "АО"))
    _ = try s.add(Client(name: "«Бета»", legalForm: "ООО"))
    let names = try db.page(ClientListQuery(), offset: 0, limit: 10).map(\.name)
    #expect(names == ["АО «Альфа»", "ООО «Бета»", "ООО «Технопарк Северный»"])
    // Found by its words, not by the quotes.
    #expect(
      try db.page(ClientListQuery(search: "технопарк"), offset: 0, limit: 5).map(\.id) == [id])
  }

  /// A database written before v8: doubled quotes and a form typed in the name are repaired by
  /// the migration, with their sort, duplicate and search keys.
  @Test func theMigrationRepairsStoredNames() throws {
    let q = try DatabaseQueue()
    try Schema.migrator.migrate(q, upTo: "v7-versions")
    try q.write { d in
      try d.execute(
        sql:
          "INSERT INTO app_user (login, name, role, created_at) VALUES ('anna', 'Анна', 'manager', 0)"
      )
      for (name, form) in [
        ("«Акваинвест Плюс»", "ООО"), ("ООО \"Технопарк Северный\"", ""), ("Альфа", "АО"),
      ] {
        try d.execute(
          sql: """
            INSERT INTO client (kind, name, name_key, legal_form, owner_id, created_at, updated_at,
              match_key)
            VALUES ('company', ?, ?, ?, 1, 0, 0, ?)
            """, arguments: [name, TextFold.sortKey(name), form, DuplicateKeys.name(name)])
        try SearchIndex.update(d, clientId: d.lastInsertedRowID)
      }
    }
    try Schema.migrator.migrate(q)
    let rows = try q.read { d in
      try Row.fetchAll(
        d, sql: "SELECT name, legal_form, name_key, match_rkey, created_by FROM client ORDER BY id")
    }
    #expect(
      rows.map { $0["name"] as String } == ["Акваинвест Плюс", "Технопарк Северный", "Альфа"])
    #expect(rows.map { $0["legal_form"] as String } == ["ООО", "ООО", "АО"])
    #expect(rows[0]["name_key"] as String == TextFold.sortKey("Акваинвест Плюс"))
    #expect(
      rows[1]["match_rkey"] as String
        == DuplicateKeys.reversed(DuplicateKeys.name("Технопарк Северный")))
    // No insert in the log: the owner is the best guess of who registered them.
    #expect(rows.allSatisfy { $0["created_by"] as Int64? == 1 })
    let found = try q.read { d in
      try Int64.fetchAll(d, sql: "SELECT rowid FROM client_fts WHERE client_fts MATCH 'акваинвест'")
    }
    #expect(found == [1])
  }

  @Test func demoNamesAreNeverDoubleQuoted() throws {
    let db = try memoryDB()
    var demo = DemoData(seed: 7, now: testStart)
    try demo.populate(db, count: 3000)
    let bad = try db.read { d in
      try Int.fetchOne(
        d,
        sql: """
          SELECT count(*) FROM client
          WHERE name GLOB '[«\"“„]*' OR (legal_form = '' AND (name GLOB 'ООО *' OR name GLOB 'АО *'))
          """)
    }
    #expect(bad == 0)
  }

  @Test func aRussianBirthdayIsAcceptedAndStoredAsADay() throws {
    let db = try memoryDB()
    let s = try service(db, lang: .ru)
    let client = try s.add(Client(name: "Альфа"))
    let id = try s.addPerson(
      ContactPerson(clientId: client, name: "Иванов", birthday: "08.03.1985"))
    #expect(try s.persons(of: client).first { $0.id == id }?.birthday == "1985-03-08")
    _ = try s.addPerson(ContactPerson(clientId: client, name: "Петров", birthday: "1985-03-09"))
    do {
      _ = try s.addPerson(ContactPerson(clientId: client, name: "Сидоров", birthday: "31.02.1985"))
      Issue.record("31.02 accepted")
    } catch {
      #expect(error.message(.ru).contains("ДД.ММ.ГГГГ"))
      #expect(!error.message(.ru).contains("ГГГГ-ММ-ДД"))
    }
    let f = Formats(language: .ru)
    #expect(f.day("1985-03-08") == "08.03.1985")
    #expect(Formats(language: .en).day("1985-03-08") == "1985-03-08")
    #expect(Formats.parseDay("08.03.1985") == "1985-03-08")
  }
}
