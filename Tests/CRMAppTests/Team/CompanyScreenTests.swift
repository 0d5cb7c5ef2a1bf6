import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// anna (admin, «Анна Смирнова») and boris (manager); the activity screen (5) on top, from
/// which `c` opens our requisites.
@MainActor
struct CompanyScreenFixture {
  let db: CRMDatabase
  let app: App
  let term: MemoryTerminal

  init(as login: String = "anna", rows: Int = 24, entity: LegalEntity? = nil) throws {
    db = try CRMDatabase(memory: HandClock(paneNow))
    let anna = try #require(try db.user(login: "anna"))
    let boris = try #require(try db.user(login: "boris"))
    try db.write {
      try $0.execute(sql: "UPDATE app_user SET name = 'Анна Смирнова' WHERE login = 'anna'")
    }
    if let entity {
      try db.signIn(anna)
      _ = try CompanyService(db: db, userId: anna.id, language: .ru).add(entity)
    }
    let me = login == "anna" ? anna : boris
    try db.signIn(me)
    let context = AppContext(db: db, user: me, language: .ru, timeZone: utc)
    term = MemoryTerminal(rows: rows, cols: 80)
    app = App(term: term, context: context)
    app.render()
    press(.char("5"))
    press(.char("c"))
  }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  func type(_ text: String) {
    for ch in text { app.handle(.char(ch)) }
    app.render()
  }

  var text: String { term.text }

  func entities() throws -> Int {
    try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM legal_entity") ?? -1 }
  }
}

/// The entity the screens show: complete, with real check digits.
let screenEntity = LegalEntity(
  kind: .organization, fullName: "Общество с ограниченной ответственностью «Северный Ветер»",
  shortName: "ООО «Северный Ветер»", inn: "7707083893", kpp: "770701001",
  ogrn: "1027700132195", legalAddress: "125009, г. Москва, ул. Тверская, д. 1",
  bankName: "ПАО Сбербанк", bik: "044525225", corrAccount: "30101810400000000225",
  account: "40702810938000012345", directorTitle: "Генеральный директор",
  directorName: "Иванов И. И.")

@MainActor
@Suite struct CompanyScreenTests {
  @Test func anAdminAddsOurCompanyInTheFormAt80x24() throws {
    let f = try CompanyScreenFixture()
    #expect(f.text.contains("Наши реквизиты · 0"), "\(f.text)")
    #expect(f.text.contains("n — добавить нашу"), "\(f.text)")
    f.press(.char("n"))
    #expect(f.text.contains("Новое юрлицо"), "\(f.text)")
    #expect(f.text.contains("Вид") && f.text.contains("organization"), "\(f.text)")
    // Вид, полное, краткое, ИНН: a wrong check digit is refused, naming the field.
    f.press(.tab)
    f.type("Общество с ограниченной ответственностью «Северный Ветер»")
    f.press(.tab)
    f.type("ООО «Северный Ветер»")
    f.press(.tab)
    f.type("7707083894")
    f.press(.ctrl("s"))
    #expect(f.text.contains("не сходится контрольная цифра"), "\(f.text)")
    #expect(try f.entities() == 0)
    f.press(.ctrl("u"))
    f.type("7707083893")
    f.press(.ctrl("s"))
    #expect(try f.entities() == 1)
    #expect(f.text.contains("Наши реквизиты · 1"), "\(f.text)")
    #expect(f.text.contains("* ООО «Северный Ветер»"), "\(f.text)")
    #expect(f.text.contains("не хватает: КПП"), "\(f.text)")
    for line in f.text.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= 80) }
  }

  @Test func theRequisitesFitTwentyRowsAndEditingKeepsThem() throws {
    let f = try CompanyScreenFixture(rows: 20, entity: screenEntity)
    #expect(f.text.contains("* ООО «Северный Ветер»"), "\(f.text)")
    #expect(f.text.contains("счёт: готово"), "\(f.text)")
    #expect(f.text.contains("ИНН: 7707083893"), "\(f.text)")
    #expect(f.text.contains("БИК: 044525225"), "\(f.text)")
    f.press(.enter)
    #expect(f.text.contains("Реквизиты: ООО «Северный Ветер»"), "\(f.text)")
    f.press(.ctrl("s"))
    #expect(f.text.contains("Сохранено: ООО «Северный Ветер»"), "\(f.text)")
    let stored = try #require(try CompanyService(db: f.db, language: .ru).defaultEntity())
    #expect(stored.account == screenEntity.account && stored.kpp == screenEntity.kpp)
  }

  @Test func aManagerSeesTheRequisitesAndIsToldWhoTheAdminIs() throws {
    let f = try CompanyScreenFixture(as: "boris", entity: screenEntity)
    #expect(f.text.contains("Расчётный счёт: 40702810938000012345"), "\(f.text)")
    f.press(.char("e"))
    #expect(
      f.text.contains("Реквизиты меняет администратор: Анна Смирнова (anna)."), "\(f.text)")
    #expect(!f.text.contains("Реквизиты: ООО"))
    let empty = try CompanyScreenFixture(as: "boris")
    #expect(
      empty.text.contains("Реквизитов пока нет. Реквизиты меняет администратор: Анна"),
      "\(empty.text)")
  }
}
