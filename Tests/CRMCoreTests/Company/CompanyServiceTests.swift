import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A complete ООО whose numbers pass every check: ИНН and ОГРН of a published example, a
/// Sberbank БИК with its корр. счёт, and a расчётный счёт keyed to the БИК.
let northWind = LegalEntity(
  kind: .organization, fullName: "Общество с ограниченной ответственностью «Северный Ветер»",
  shortName: "ООО «Северный Ветер»", inn: "7707083893", kpp: "770701001",
  ogrn: "1027700132195", legalAddress: "125009, г. Москва, ул. Тверская, д. 1",
  bankName: "ПАО Сбербанк", bik: "044525225", corrAccount: "30101810400000000225",
  account: "40702810938000012345", directorTitle: "Генеральный директор",
  directorName: "Иванов И. И.", phone: "+7 495 123-45-67", email: "info@veter.ru")

/// A 1×1 PNG (signature, IHDR) with `tag` bytes appended so images differ.
func tinyPNG(_ tag: UInt8 = 0) -> Data {
  Data([
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, tag,
  ])
}

private func count(_ db: CRMDatabase, _ sql: String) throws -> Int {
  try db.read { try Int.fetchOne($0, sql: sql) ?? -1 }
}

@Suite struct CompanyServiceTests {
  /// anna (admin, «Анна Смирнова») and boris (manager), anna signed in.
  func fixture() throws -> (CRMDatabase, CompanyService) {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "anna")
    try db.signIn(login: "boris")
    try db.write {
      try $0.execute(sql: "UPDATE app_user SET name = 'Анна Смирнова' WHERE login = 'anna'")
    }
    try db.signIn(login: "anna")
    return (db, CompanyService(db: db, language: .ru))
  }

  @Test func checkDigitsNameTheField() throws {
    let v = LegalEntityValidator(language: .ru)
    func problem(_ change: (inout LegalEntity) -> Void) -> String {
      var e = northWind
      change(&e)
      do {
        _ = try v.validate(e)
        return "accepted"
      } catch { return error.message(.ru) }
    }
    #expect(problem { _ in } == "accepted")
    #expect(problem { $0.inn = "7707083894" } == "ИНН: не сходится контрольная цифра")
    #expect(problem { $0.inn = "500100732259" }.hasPrefix("ИНН: должен состоять из 10 цифр"))
    #expect(problem { $0.kpp = "77070100" }.hasPrefix("КПП: должен состоять из 9 знаков"))
    #expect(problem { $0.ogrn = "1027700132196" } == "ОГРН: не сходится контрольная цифра")
    #expect(problem { $0.bik = "04452522" } == "БИК: должен состоять из 9 цифр, а не из 8")
    #expect(
      problem { $0.account = "40702810938000012346" }
        == "Расчётный счёт: ключ счёта не сходится с БИК 044525225")
    #expect(
      problem { $0.corrAccount = "40101810400000000225" }
        == "Корр. счёт: должен начинаться с 301")
    #expect(
      problem { $0.corrAccount = "30101810400000000226" }
        == "Корр. счёт: ключ счёта не сходится с БИК 044525225")
    #expect(problem { $0.bik = "" }.hasPrefix("Корр. счёт: сначала укажите БИК"))
    #expect(problem { $0.email = "info@" } == "E-mail: «info@» — не адрес e-mail")
    // An ИП: 12-digit ИНН, no КПП, a 15-digit ОГРНИП.
    var ip = LegalEntity(
      kind: .entrepreneur, shortName: "ИП Петров П. П.", inn: "500100732259",
      ogrn: Requisites.completeOGRN([3, 0, 4, 5, 0, 0, 1, 1, 6, 0, 0, 0, 1, 5]))
    #expect(throws: Never.self) { try v.validate(ip) }
    ip.kpp = "770701001"
    #expect(throws: CRMError.invalid(field: "КПП", problem: "у ИП нет КПП; оставьте поле пустым")) {
      try v.validate(ip)
    }
    ip.kpp = ""
    ip.ogrn = "1027700132195"
    #expect(
      throws: CRMError.invalid(field: "ОГРНИП", problem: "должен состоять из 15 цифр, а не из 13")
    ) { try v.validate(ip) }
    // Spaces typed in numbers are dropped.
    var spaced = northWind
    spaced.account = "40702 810 9 3800 0012345"
    #expect(try v.validate(spaced).account == "40702810938000012345")
  }

  @Test func onlyAdminsChangeRequisitesAndEveryChangeIsAudited() throws {
    let (db, companies) = try fixture()
    let first = try companies.add(northWind)
    #expect(first.isDefault)
    #expect(try companies.defaultEntity()?.inn == "7707083893")
    let audits = try count(db, "SELECT count(*) FROM audit WHERE field LIKE 'company.%'")
    #expect(audits > 5)
    try companies.set("bik", "044525225")
    try companies.set("director_name", "Сидоров С. С.")
    #expect(
      try count(
        db,
        "SELECT count(*) FROM audit WHERE field = 'company.director_name' AND new = 'Сидоров С. С.' AND old = 'Иванов И. И.'"
      ) == 1)

    try db.signIn(login: "boris")
    let before = try count(db, "SELECT count(*) FROM audit")
    for attempt in [
      { _ = try companies.add(northWind) }, { _ = try companies.set("inn", "5001999994") },
      { try companies.setDefault(first.id!) }, { try companies.remove(first.id!) },
      { _ = try companies.setImage(.logo, png: tinyPNG()) },
    ] as [() throws -> Void] {
      #expect(throws: CRMError.self) { try attempt() }
    }
    #expect(try count(db, "SELECT count(*) FROM audit") == before)
    #expect(try companies.entity(first.id!)?.directorName == "Сидоров С. С.")
    // Reading is for everyone: the forms need it.
    #expect(try companies.list().count == 1)
  }

  @Test func aManagerIsToldWhichFieldIsMissingAndWhoTheAdminIs() throws {
    let (db, companies) = try fixture()
    try db.signIn(login: "boris")
    do {
      try companies.requireReady(nil, for: .invoice)
      Issue.record("printed without requisites")
    } catch {
      let text = error.message(.ru)
      #expect(text.contains("Наша организация: реквизиты не заданы"))
      #expect(text.contains("Анна Смирнова (anna)"))
      #expect(!text.contains("crm settings set"))
    }
    try db.signIn(login: "anna")
    var partial = northWind
    partial.bankName = ""
    let e = try companies.add(partial)
    try db.signIn(login: "boris")
    do {
      try companies.requireReady(e, for: .invoice)
      Issue.record("printed without a bank")
    } catch {
      #expect(
        error.message(.ru)
          == "Банк: не указан в реквизитах ООО «Северный Ветер» (№ 1); ничего не записано. Задать может администратор: Анна Смирнова (anna)."
      )
    }
    // The act shows no bank: it is ready; the offer needs only the name.
    try companies.requireReady(e, for: .act)
    try companies.requireReady(e, for: .offer)
    // An invalid value stored before the checks (the migrated settings) is refused too.
    try db.write { try $0.execute(sql: "UPDATE legal_entity SET inn = '7707083894'") }
    #expect(throws: CRMError.self) {
      try companies.requireReady(try companies.entity(1), for: .act)
    }
  }

  @Test func documentsComeFromTheirEntityTheirContractsOrTheDefault() throws {
    let (db, companies) = try fixture()
    let main = try companies.add(northWind)
    var ip = LegalEntity(kind: .entrepreneur, shortName: "ИП Петров П. П.", inn: "500100732259")
    ip = try companies.add(ip)
    #expect(try companies.defaultEntity()?.id == main.id)
    let anna = try #require(db.viewer.user?.id)
    let client = try ClientService(db: db, userId: anna, language: .ru).add(
      Client(name: "Вектор", legalForm: "ООО", inn: "5001999994"))
    let money = MoneyService(db: db, userId: anna, language: .ru)
    let contract = try money.addContract(
      Contract(clientId: client, number: "1", date: "2026-06-01", subject: "Работы"))
    let invoice = try money.addInvoice(
      DocumentDraft(contractId: contract, lines: [DocumentDraft.sumLine("100")]))
    #expect(try companies.entity(for: .invoice, id: invoice)?.id == main.id)
    try companies.assign(.contract, id: contract, entity: ip.id)
    #expect(try companies.entity(for: .invoice, id: invoice)?.id == ip.id)
    try companies.assign(.invoice, id: invoice, entity: main.id)
    #expect(try companies.entity(for: .invoice, id: invoice)?.id == main.id)
    #expect(
      try count(
        db,
        "SELECT count(*) FROM audit WHERE entity = 'invoice' AND field = 'legal_entity_id' AND new = '\(main.id!)'"
      ) == 1)
    // A document nobody may see (or none at all) is not found; nothing changes.
    #expect(throws: CRMError.self) { try companies.assign(.act, id: 999, entity: main.id) }
    // Under «own» visibility a manager cannot touch another's invoice.
    _ = try db.setSetting("visibility", "own", language: .ru)
    try db.signIn(login: "boris")
    #expect(throws: CRMError.self) { try companies.assign(.invoice, id: invoice, entity: ip.id) }
    try db.signIn(login: "anna")
    #expect(try companies.entity(for: .invoice, id: invoice)?.id == main.id)

    // Removal is refused while documents name it, and leaves everything as it was.
    #expect(throws: CRMError.self) { try companies.remove(ip.id!) }
    #expect(try companies.list().count == 2)
    try companies.assign(.contract, id: contract, entity: nil)
    try companies.remove(ip.id!)
    #expect(try companies.list().map(\.id) == [main.id])
    // The only (default) entity stays while documents rely on the default.
    try companies.assign(.invoice, id: invoice, entity: nil)
    #expect(throws: CRMError.self) { try companies.remove(main.id!) }
  }

  @Test func imagesArePNGsKeptOnceInTheBlobTable() throws {
    let (db, companies) = try fixture()
    _ = try companies.add(northWind)
    #expect(throws: CRMError.self) {
      try companies.setImage(.logo, png: Data("GIF89a, not a png at all....".utf8))
    }
    #expect(throws: CRMError.self) {
      var big = tinyPNG()
      big.append(Data(count: CompanyService.maxImageBytes))
      try companies.setImage(.stamp, png: big)
    }
    var e = try companies.setImage(.logo, png: tinyPNG(1))
    e = try companies.setImage(.stamp, png: tinyPNG(1))
    #expect(e.logoPNG == tinyPNG(1) && e.stampPNG == tinyPNG(1))
    #expect(try count(db, "SELECT count(*) FROM blob") == 1)
    #expect(
      try db.read { try String.fetchOne($0, sql: "SELECT sha256 FROM blob") }
        == AttachmentSHA256.hex(tinyPNG(1)))
    e = try companies.setImage(.logo, png: tinyPNG(2))
    #expect(try count(db, "SELECT count(*) FROM blob") == 2)
    e = try companies.setImage(.stamp, png: nil)
    #expect(e.stampPNG == nil)
    // The first image is no longer used by anything: it is gone.
    #expect(try count(db, "SELECT count(*) FROM blob") == 1)
  }

  @Test func sha256MatchesTheStandardVectors() {
    #expect(
      AttachmentSHA256.hex(Data())
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      AttachmentSHA256.hex(Data("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      AttachmentSHA256.hex(
        Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func theCompanySettingsBecomeTheFirstEntity() throws {
    let dir = NSTemporaryDirectory() + "company-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/old.sqlite"
    let q = try DatabaseQueue(path: file)
    let before = Schema.identifiers[Schema.identifiers.firstIndex(of: "v11-legal-entities")! - 1]
    try Schema.migrator.migrate(q, upTo: before)
    try q.write { d in
      for (k, v) in [
        ("company_name", "ООО «Северный Ветер»"), ("company_inn", "7707083893"),
        ("company_kpp", "770701001"),
      ] {
        try d.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [k, v])
      }
    }
    try q.close()
    let db = try CRMDatabase(path: file, clock: FixedClock(monday))
    let e = try #require(try CompanyService(db: db, language: .ru).defaultEntity())
    #expect(e.shortName == "ООО «Северный Ветер»" && e.fullName == e.shortName)
    #expect(e.inn == "7707083893" && e.kpp == "770701001" && e.kind == .organization)
    #expect(e.isDefault)
    // Without the settings, no entity is made up.
    let empty = try CRMDatabase(memory: FixedClock(monday))
    #expect(try CompanyService(db: empty, language: .ru).list().isEmpty)
  }
}
