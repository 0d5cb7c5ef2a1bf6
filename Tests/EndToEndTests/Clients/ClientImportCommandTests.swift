import CRMCore
import CRMExchange
import Foundation
import Testing

@Suite(.serialized) struct ClientImportCommandTests {
  func write(_ s: Scratch, _ name: String, _ data: Data) -> String {
    let path = s.dir + "/" + name
    FileManager.default.createFile(atPath: path, contents: data)
    return path
  }

  func snapshot(_ s: Scratch) throws -> String {
    try sqlite(
      s,
      "SELECT count(*) FROM client; SELECT group_concat(name, '|') FROM (SELECT name FROM client ORDER BY id); SELECT count(*) FROM phone; SELECT count(*) FROM contact_person;"
    )
  }

  @Test func csvDryRunImportListAndUndo() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    let text =
      "Название;ИНН;Телефон;Город;Контактное лицо\r\nООО Ромашка;;+7 495 000-00-01;Москва;\r\n"
      + "Лютик;7707083893;+7 495 000-00-02;Тула;Иван Петров\r\nБитый;7707083890;;;\r\n"
    let file = write(s, "clients.csv", Data(CodePage1251.encode(text)))
    let before = try snapshot(s)
    let dry = try jsonObject(s, ["import", "csv", file, "--dry-run"])
    #expect(dry["dry_run"] as? Bool == true)
    #expect(dry["created"] as? Int == 2)
    #expect(dry["duplicates"] as? Int == 1)
    #expect(dry["rejected"] as? Int == 0)
    #expect(dry["profile"] as? String == "generic")
    let columns = try #require(dry["columns"] as? [[String: Any]])
    #expect(columns.map { $0["field"] as? String } == ["name", "inn", "phone", "city", "contact"])
    let outcomes = try #require(dry["outcomes"] as? [[String: Any]])
    #expect(outcomes.map { $0["line"] as? Int } == [2, 3, 4])
    #expect(outcomes[0]["match_reason"] as? String == "name")
    let warnings = try #require(dry["warnings"] as? [[String: Any]])
    #expect(warnings.first?["line"] as? Int == 4)
    #expect(warnings.first?["field"] as? String == "ИНН")
    #expect(try snapshot(s) == before)

    let run = try crm(s, ["import", "csv", file])
    #expect(run.status == 0)
    #expect(run.out.contains("Импорт 1"))
    #expect(run.out.contains("Распознано: колонки по названиям"))
    #expect(run.out.contains("  Телефон → phone (значений: 2)"))
    #expect(run.err.contains("строка 4: ИНН: неверная контрольная цифра — сохранено в примечании"))
    let count = try sqlite(s, "SELECT count(*) FROM client").trimmingCharacters(in: .newlines)
    #expect(count == "3", "\(run.out)")
    let list = try ok(s, ["import", "list"])
    #expect(list.contains("clients.csv"))
    _ = try ok(s, ["import", "undo", "1"])
    #expect(try snapshot(s) == before)
    let again = try crm(s, ["import", "undo", "1"])
    #expect(again.status == 1)
    #expect(again.err.contains("уже отменён"))
  }

  @Test func fileErrorsNameLineAndChangeNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    let before = try snapshot(s)
    let unclosed = write(s, "bad.csv", Data("Название;Город\nА;Б\n\"В;Г\nД;Е\n".utf8))
    let r = try crm(s, ["import", "csv", unclosed], lang: "en")
    #expect(r.status == 1)
    #expect(r.err.contains("bad.csv: line 3"))
    #expect(r.err.contains("nothing was imported"))
    let noName = write(s, "noname.csv", Data("ИНН;Город\n7707083893;Тула\n".utf8))
    let n = try crm(s, ["import", "csv", noName], lang: "en")
    #expect(n.status == 1)
    #expect(n.err.contains("line 1: no column names a client"))
    let map = try crm(s, ["import", "csv", noName, "--map", "Город=name"], lang: "en")
    #expect(map.status == 0, "\(map.err)")
    _ = try ok(s, ["import", "undo", "1"])
    #expect(try snapshot(s) == before)
    let vcf = write(
      s, "broken.vcf", Data("BEGIN:VCARD\nFN:Первый\nEND:VCARD\nBEGIN:VCARD\nFN:Второй\n".utf8))
    let v = try jsonObject(s, ["import", "vcard", vcf])
    #expect(v["created"] as? Int == 1)
    #expect((v["outcomes"] as? [[String: Any]])?.last?["line"] as? Int == 4)
  }

  @Test func exportImportRoundTripIsByteEqual() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try ok(
      s,
      [
        "client", "add", "--name", "Ромашка", "--legal-form", "ООО", "--inn", "7707083893",
        "--phone", "+7 495 123-45-67", "--email", "info@romashka.ru", "--city", "Москва",
        "--tag", "vip", "--notes", "строка 1\nстрока 2",
      ])
    _ = try ok(s, ["client", "add", "--name", "Иванов Иван", "--kind", "person"])
    // Persons come in through an import (update of the first client) and a new company.
    let persons = write(
      s, "p.csv",
      Data(
        ("ИНН;Название;Контактное лицо;Должность;Телефон контакта;Email контакта\n"
          + "7707083893;Ромашка;Пётр Сидоров;директор;+7 916 000-00-01;petr@romashka.ru\n"
          + ";Лютик;Анна Белова;бухгалтер;;\n").utf8))
    let updated = try jsonObject(s, ["import", "csv", persons, "--on-duplicate", "update"])
    #expect(updated["updated"] as? Int == 1, "\(updated)")
    let first = s.dir + "/a.json"
    _ = try ok(s, ["export", "json", "--out", first])
    let t = Scratch()
    defer { t.remove() }
    let imported = try jsonObject(t, ["import", "json", first])
    #expect(imported["created"] as? Int == 3, "\(imported)")
    let second = s.dir + "/b.json"
    _ = try ok(t, ["export", "json", "--out", second])
    let a = try Data(contentsOf: URL(fileURLWithPath: first))
    let b = try Data(contentsOf: URL(fileURLWithPath: second))
    #expect(a == b)
    // Field by field too.
    let c1 = try jsonObject(s, ["client", "show", "1"])
    let c2 = try jsonObject(t, ["client", "show", "1"])
    for key in ["name", "legal_form", "inn", "phones", "emails", "city", "tags", "notes", "kind"] {
      #expect((c1[key] as? NSObject) == (c2[key] as? NSObject), "\(key)")
    }
    // CSV and vCard exports import back the same clients.
    let csvFile = s.dir + "/a.csv"
    _ = try ok(s, ["export", "csv", "--out", csvFile])
    let u = Scratch()
    defer { u.remove() }
    let fromCSV = try jsonObject(u, ["import", "csv", csvFile])
    #expect(fromCSV["created"] as? Int == 3, "\(fromCSV)")
    let vcf = s.dir + "/a.vcf"
    _ = try ok(s, ["export", "vcard", "--out", vcf, "--tag", "vip"])
    let fromVCard = try jsonObject(u, ["import", "vcard", vcf])
    #expect(fromVCard["duplicates"] as? Int == 1)
  }
}

enum CodePage1251 {
  static func encode(_ s: String) -> [UInt8] {
    s.unicodeScalars.map { u -> UInt8 in
      if u.value < 0x80 { return UInt8(u.value) }
      if (0x410...0x44F).contains(u.value) { return UInt8(u.value - 0x410 + 0xC0) }
      if u.value == 0x401 { return 0xA8 }
      if u.value == 0x451 { return 0xB8 }
      return 0x3F
    }
  }
}
