import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Search shows the best match first: exact ИНН/phone/e-mail, then the client's own name (whole
/// words above prefixes), then a contact person's name, then anything else; within a tier the
/// user's own clients, then the most recent contact.
@Suite struct SearchRankingTests {
  /// A demo base of `count` clients plus the ones a test names.
  struct Base {
    let db: CRMDatabase
    let s: ClientService
    var ids: [String: Int64] = [:]

    init(count: Int) throws {
      db = try memoryDB()
      var demo = DemoData(seed: 5, now: testStart)
      try demo.populate(db, count: count)
      s = try service(db)
      let s = self.s
      ids["alena"] = try s.add(
        Client(kind: .person, name: "Алёна Фёдорова", phones: [Phone("+7 916 700-00-01")]))
      let horizon = try s.add(Client(name: "Зенит-Горизонт", legalForm: "ООО", city: "Тверь"))
      try s.addPerson(ContactPerson(clientId: horizon, name: "Фёдоров Илья Павлович"))
      ids["horizon"] = horizon
      ids["lighthouse"] = try s.add(
        Client(name: "Маяк-Юг", legalForm: "ПАО", notes: "Звонил Фёдоров из снабжения"))
      ids["inn"] = try s.add(Client(name: "Вектор", legalForm: "АО", inn: "7707083893"))
      ids["innInNotes"] = try s.add(Client(name: "Сигма", legalForm: "ООО", notes: "7707083893"))
      ids["phone"] = try s.add(
        Client(name: "Телеком", legalForm: "ООО", phones: [Phone("8 (495) 765-43-21")]))
      ids["mail"] = try s.add(
        Client(name: "Почтовик", legalForm: "ООО", emails: ["fedorov@pochta.example"]))
    }

    func all(_ text: String) throws -> [ClientRow] {
      let q = ClientListQuery(search: text)
      return try db.page(q, offset: 0, limit: try db.count(q) + 5)
    }
  }

  /// The tier of a row as the ranking defines it, for checking the order.
  static func tier(_ m: SearchMatch) -> Int {
    switch m {
    case .inn, .phone, .email: return 0
    case .name: return 1
    case .person: return 3
    case .fields(let f): return f == [.persons] ? 3 : 5
    }
  }

  @Test func aClientNamedAsTypedComesFirstAmongThousands() throws {
    let base = try Base(count: 3000)
    let rows = try base.all("федоров")
    #expect(rows.count > 100, "the demo base gives many matches: \(rows.count)")
    // Named exactly as typed (any word order, ё or е, any case): first.
    for typed in ["алена федорова", "Фёдорова Алёна", "АЛЕНА ФЕДОРОВА"] {
      let first = try base.db.page(ClientListQuery(search: typed), offset: 0, limit: 19)
      #expect(first.first?.id == base.ids["alena"], "\(typed): \(first.prefix(3).map(\.name))")
      #expect(try base.db.count(ClientListQuery(search: typed)) > 1)
    }
    // A surname typed alone: her whole-word surname (either gender) is above the patronymics
    // «Фёдорович/Фёдоровна» and the «Федоровский» that only start with it.
    let herTier = try #require(rows.firstIndex { $0.id == base.ids["alena"] })
    let patronymics = rows.enumerated().filter { _, r in
      TextFold.words(r.name).contains { $0.hasPrefix("федоровн") || $0.hasPrefix("федорович") }
        && !TextFold.words(r.name).contains { $0 == "федоров" || $0 == "федорова" }
    }
    #expect(!patronymics.isEmpty)
    #expect(patronymics.allSatisfy { $0.offset > herTier })
  }

  @Test func personMatchesRankBelowTheNameAndNotesBelowPersons() throws {
    let base = try Base(count: 3000)
    let rows = try base.all("федоров")
    let tiers = rows.map { Self.tier($0.match) }
    #expect(tiers == tiers.sorted(), "tiers must not go back: \(tiers)")
    let horizon = try #require(rows.firstIndex { $0.id == base.ids["horizon"] })
    let lighthouse = try #require(rows.firstIndex { $0.id == base.ids["lighthouse"] })
    let lastNameMatch = try #require(rows.lastIndex { $0.match == .name })
    #expect(lastNameMatch < horizon && horizon < lighthouse)
    #expect(rows[horizon].match == .person("Фёдоров Илья Павлович"))
    #expect(rows[horizon].match.text(.ru) == "контакт: Фёдоров Илья Павлович")
    #expect(rows[lighthouse].match == .fields([.notes]))
    #expect(rows[lighthouse].match.text(.ru) == "заметка")
    let mail = try #require(try base.all("fedorov").first { $0.id == base.ids["mail"] })
    #expect(mail.match == .fields([.emails]))
    #expect(mail.match.text(.ru) == "e-mail")
  }

  @Test func exactINNPhoneAndEmailComeFirst() throws {
    let base = try Base(count: 300)
    let inn = try base.all("7707083893")
    #expect(inn.first?.id == base.ids["inn"])
    #expect(inn.first?.match == .inn)
    #expect(inn.contains { $0.id == base.ids["innInNotes"] && $0.match == .fields([.notes]) })
    for spelling in ["8 495 765-43-21", "+7 (495) 765 43 21", "84957654321"] {
      let phone = try base.all(spelling)
      #expect(phone.first?.id == base.ids["phone"], "\(spelling)")
      #expect(phone.first?.match == .phone)
    }
    let mail = try base.all("fedorov@pochta.example")
    #expect(mail.first?.id == base.ids["mail"])
    #expect(mail.first?.match == .email)
  }

  @Test func pagingContinuesInRankOrder() throws {
    let base = try Base(count: 2000)
    for text in ["федоров", "о", "ооо", "иван", "+7 9", "7707083893"] {
      let q = ClientListQuery(search: text)
      let whole = try base.all(text).map(\.id)
      #expect(whole.count == (try base.db.count(q)), "\(text): every match once")
      #expect(Set(whole).count == whole.count, "\(text): no row twice")
      var paged: [Int64] = []
      var offset = 0
      while offset < min(whole.count, 60) {
        paged += try base.db.page(q, offset: offset, limit: 7).map(\.id)
        offset += 7
      }
      #expect(paged == Array(whole.prefix(paged.count)), "\(text)")
    }
  }

  @Test func withinATierOwnClientsFirstThenTheMostRecentContact() throws {
    let db = try memoryDB()
    let anna = try #require(try db.user(login: "anna")).id
    let boris = try UserAdmin(db: db, userId: anna, language: .en).add(
      login: "boris", role: .manager
    ).id
    let s = ClientService(db: db, userId: anna, language: .en)
    let old = try s.add(Client(name: "Север Старый", legalForm: "ООО"))
    let recent = try s.add(Client(name: "Север Свежий", legalForm: "ООО"))
    let never = try s.add(Client(name: "Север Новый", legalForm: "ООО"))
    let boriss = try s.add(Client(name: "Север Борисов", legalForm: "ООО", ownerId: boris))
    try db.write { d in
      try d.execute(
        sql: "UPDATE client SET last_contact_at = ? WHERE id = ?",
        arguments: [testStart.timeIntervalSince1970 - 86400 * 30, old])
      try d.execute(
        sql: "UPDATE client SET last_contact_at = ? WHERE id IN (?, ?)",
        arguments: [testStart.timeIntervalSince1970, recent, boriss])
    }
    try db.signIn(login: "anna")
    let q = ClientListQuery(search: "север")
    #expect(try db.page(q, offset: 0, limit: 10).map(\.id) == [recent, old, never, boriss])
    try db.signIn(login: "boris")
    // boris may see every client (visibility all by default): his own first.
    #expect(try db.page(q, offset: 0, limit: 10).first?.id == boriss)
  }

  @Test func aSurnameStandsForBothGenders() throws {
    #expect(SearchRanking.wordForms("федоров") == ["федоров", "федорова"])
    #expect(SearchRanking.wordForms("федорова") == ["федорова", "федоров"])
    #expect(SearchRanking.wordForms("вишневская") == ["вишневская", "вишневский"])
    #expect(SearchRanking.wordForms("ромашка") == ["ромашка"])
  }
}
