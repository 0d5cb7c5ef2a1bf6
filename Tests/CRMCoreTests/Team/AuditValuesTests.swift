import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// History shows names and words, never the stored codes (#20, item 7).
@Suite struct AuditValuesTests {
  @Test func storedCodesReadAsWordsAndNames() throws {
    let f = try AuditFixture()
    let users = try f.db.users()
    let ru = f.log(.ru)
    func v(_ entity: String, _ field: String, _ value: String?) -> String {
      ru.valueText(entity: entity, field: field, value, users: users)
    }
    let borisName = try #require(users.first { $0.id == f.boris.id }).name
    #expect(v("contact", "user", String(f.boris.id)) == borisName)
    #expect(v("client", "owner", String(f.boris.id)) == borisName)
    #expect(v("client", "owner", nil) == "—")
    #expect(v("contact", "status", "done") == "выполнен")
    #expect(v("contact", "kind", "call") == "звонок")
    #expect(v("contact", "direction", "out") == "исходящий")
    #expect(v("contact", "direction", "in") == "входящий")
    #expect(v("deal", "status", "won") == "выиграна")
    #expect(v("client", "kind", "company") == "организация")
    #expect(v("invoice", "status", "issued") == "выставлен")
    #expect(v("contact", "due", "2026-12-07 10:30") == "07.12.2026 10:30")
    #expect(v("deal", "expected_close", "2026-12-31") == "31.12.2026")
    #expect(v("client", "deleted", "yes") == "да")
    #expect(v("client", "city", "Тверь") == "Тверь")
    #expect(
      f.log(.en).valueText(entity: "contact", field: "due", "2026-12-07 10:30", users: users)
        == "2026-12-07 10:30")
    // Field names: lines of an invoice, abbreviations kept in the lower-case list.
    #expect(ru.fieldName(entity: "invoice", "line 1") == "Строка 1")
    #expect(f.log(.en).fieldName(entity: "offer", "line 2") == "Line 2")
    #expect(AuditLog.lowercasedName("ИНН") == "ИНН")
    #expect(AuditLog.lowercasedName("ОПФ") == "ОПФ")
    #expect(AuditLog.lowercasedName("Телефоны") == "телефоны")
    #expect(AuditLog.lowercasedName("Юр. адрес") == "юр. адрес")
  }
}
