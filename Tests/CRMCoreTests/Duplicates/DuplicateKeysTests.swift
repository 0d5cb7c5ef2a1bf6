import TestSupport
import Testing

@testable import CRMCore

@Suite struct DuplicateKeysTests {
  @Test func legalFormsQuotesAndCaseGo() {
    let k = DuplicateKeys.name("ООО «Ромашка»")
    #expect(k == DuplicateKeys.name("ромашка"))
    #expect(k == DuplicateKeys.name("Общество с ограниченной ответственностью \"РОМАШКА\""))
    #expect(k == DuplicateKeys.name("Romashka LLC"))
    #expect(k == DuplicateKeys.name("ZAO Romashka"))
    #expect(DuplicateKeys.name("ПАО «Газпром нефть»") == DuplicateKeys.name("Gazprom Neft PJSC"))
    #expect(DuplicateKeys.name("АО") == "")
  }

  @Test func yoAndShortIFold() {
    #expect(DuplicateKeys.name("Артём") == DuplicateKeys.name("Артем"))
    #expect(DuplicateKeys.name("Майский") == DuplicateKeys.name("Маиский"))
  }

  @Test func transliterationVariantsMeet() {
    #expect(DuplicateKeys.name("Яндекс") == DuplicateKeys.name("Yandex"))
    #expect(DuplicateKeys.name("Цветы Сибири") == DuplicateKeys.name("Tsvety Sibiri"))
    #expect(DuplicateKeys.name("Химпром") == DuplicateKeys.name("Khimprom"))
    #expect(DuplicateKeys.name("Мария Щукина") == DuplicateKeys.name("Mariya Shchukina"))
    #expect(DuplicateKeys.name("Юлия") == DuplicateKeys.name("Yulia"))
  }

  @Test func wordOrderDoesNotMatter() {
    #expect(DuplicateKeys.name("Иванов Иван") == DuplicateKeys.name("Иван Иванов"))
    #expect(DuplicateKeys.name("ИП Иванов Иван") == DuplicateKeys.name("Иван Иванов"))
  }

  @Test func differentNamesStayApart() {
    #expect(DuplicateKeys.name("Ромашка") != DuplicateKeys.name("Ромашка-2"))
    #expect(DuplicateKeys.name("Альфа") != DuplicateKeys.name("Бета"))
    #expect(DuplicateKeys.name("Клиент 11") != DuplicateKeys.name("Клиент 1"))
    #expect(DuplicateKeys.name("Склад 100") != DuplicateKeys.name("Склад 10"))
  }

  @Test func emails() {
    #expect(DuplicateKeys.email("  Anna@Example.RU ") == "anna@example.ru")
    #expect(DuplicateKeys.email("not an address") == "")
  }

  @Test func keysAreStoredOnWrite() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    let s = ClientService(db: db, userId: nil, language: .en)
    let id = try s.add(Client(name: "Ромашка", legalForm: "ООО"))
    _ = try s.addPerson(ContactPerson(clientId: id, name: "Щукина Мария"))
    let keys = try db.read { db in
      try String.fetchAll(
        db,
        sql: "SELECT match_key FROM client UNION ALL SELECT match_key FROM contact_person")
    }
    #expect(keys == ["romashka", DuplicateKeys.name("Mariya Shchukina")])
  }
}
