import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMExchange

/// The real vCards beside these tests (see Fixtures/real/vcard/SOURCES.md).
let realVCards = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/real/vcard")

private func readAll(_ data: Data, region: String = "RU") throws -> (VCardReader, [ImportItem]) {
  let r = VCardReader(data: data, language: .en, region: region)
  var items: [ImportItem] = []
  while let i = try r.next() { items.append(i) }
  return (r, items)
}

private func readAll(_ text: String, region: String = "RU") throws -> (VCardReader, [ImportItem]) {
  try readAll(Data(text.utf8), region: region)
}

private func cards(_ items: [ImportItem]) -> [ImportRow] {
  items.compactMap { if case .row(let r) = $0 { return r } else { return nil } }
}

private func refused(_ items: [ImportItem]) -> [ImportIssue] {
  items.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
}

/// A fresh base, the file imported into it, and what it then holds.
struct ImportedBase {
  let db: CRMDatabase
  let clients: ClientService
  let report: ImportReport
  let warnings: [ImportIssue]

  /// An empty base and Anna's client service on it.
  static func empty() throws -> (CRMDatabase, ClientService) {
    let db = try CRMDatabase(
      memory: SteppingClock(start: Date(timeIntervalSince1970: 1_795_000_000)))
    let anna = try #require(try db.user(login: "anna")).id
    return (db, ClientService(db: db, userId: anna, language: .en))
  }

  init(_ data: Data, region: String = "RU") throws {
    (db, clients) = try Self.empty()
    let reader = VCardReader(data: data, language: .en, region: region)
    report = try ClientImportService(clients.context).run(
      options: ImportOptions(format: "vcard", fileName: "test.vcf"), next: { try reader.next() })
    warnings = reader.warnings
  }

  init(file: String, region: String = "RU") throws {
    try self.init(Data(contentsOf: realVCards.appendingPathComponent(file)), region: region)
  }

  /// The clients created, in file order, with their contact persons.
  func all() throws -> [(Client, [ContactPerson])] {
    try report.outcomes.filter { $0.action == .created }.map {
      let id = try #require($0.clientId)
      return (try #require(try clients.client(id)), try clients.persons(of: id))
    }
  }
}

@Suite struct VCardReaderTests {
  @Test func iPhoneLinesEndingInCRCRLFWithFoldingRead() throws {
    let text =
      "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Smith;Bob;;;\r\r\nFN:Bob Smith\r\r\nNOTE:first \r\r\n part\r\r\nEND:VCARD\r\r\n"
    let (r, items) = try readAll(text)
    let row = try #require(cards(items).first)
    #expect(row.client.name == "Bob Smith")
    #expect(row.client.notes == "first part")
    #expect(refused(items).isEmpty)
    #expect(r.warnings.isEmpty)
  }

  @Test func cardsNamedOnlyByNOrgEmailOrPhone() throws {
    let (_, items) = try readAll(
      "BEGIN:VCARD\nN:Петров;Иван;Сергеевич;;\nEND:VCARD\n"
        + "BEGIN:VCARD\nORG:ООО Ромашка\nTEL:+7 495 123-45-67\nEND:VCARD\n"
        + "BEGIN:VCARD\nEMAIL:ivan@example.com\nEND:VCARD\n"
        + "BEGIN:VCARD\nTEL:+7 916 555-01-02\nEND:VCARD\n"
        + "BEGIN:VCARD\nNOTE:ничего\nEND:VCARD\n")
    let rows = cards(items)
    #expect(
      rows.map(\.client.name) == [
        "Петров Иван Сергеевич", "Ромашка", "ivan@example.com", "+7 916 555-01-02",
      ])
    #expect(rows.map(\.client.kind) == [.person, .company, .person, .person])
    #expect(rows[1].client.legalForm == "ООО")
    #expect(rows[1].client.phones.map(\.e164) == ["+74951234567"])
    #expect(rows[2].client.emails == ["ivan@example.com"])
    #expect(refused(items).map(\.line) == [14])
    #expect(refused(items).first?.field == "FN")
  }

  @Test func everyAddressUrlNicknameBirthdayMessengerAndNoteIsKept() throws {
    let (_, items) = try readAll(
      """
      BEGIN:VCARD
      VERSION:3.0
      FN:Анна Смирнова
      NICKNAME:Аня,Annie
      BDAY:1985-07-14
      ADR;TYPE=home:;;ул. Тверская\\, 1;Москва;;125009;Россия
      ADR;TYPE=work:;;Невский пр.\\, 2;Санкт-Петербург;;191186;Россия
      ADR;TYPE=postal:;;а/я 15;Тула;;300000;Россия
      ADR:;;ул. Мира\\, 3;Казань;;420000;
      ADR;TYPE=home:;;дача;Истра;;;
      URL:https://anna.example
      URL;TYPE=work:https://work.example
      IMPP:xmpp:anna@jabber.example
      X-SKYPE:anna.s
      TEL;TYPE=cell:8 916 555-01-02
      TEL:+7 495 123-45-67 доб. 12
      EMAIL:anna@example.com
      EMAIL:anna@work.example
      NOTE:Любит звонки утром
      END:VCARD

      """)
    let c = try #require(cards(items).first).client
    #expect(c.kind == .person)
    #expect(c.name == "Анна Смирнова")
    #expect(c.city == "Санкт-Петербург")
    #expect(c.legalAddress == "Невский пр., 2, 191186, Россия")
    #expect(c.postalAddress == "а/я 15, Тула, 300000, Россия")
    #expect(c.website == "https://anna.example")
    #expect(c.emails == ["anna@example.com", "anna@work.example"])
    #expect(c.phones.map(\.raw) == ["8 916 555-01-02", "+7 495 123-45-67 доб. 12"])
    #expect(c.phones.map(\.e164) == ["+79165550102", "+74951234567"])
    #expect(
      c.notes.split(separator: "\n").map(String.init) == [
        "Любит звонки утром", "Birthday: 14.07.1985", "Nickname: Аня, Annie",
        "Messenger: xmpp:anna@jabber.example", "Messenger: skype: anna.s",
        "Address (home): ул. Тверская, 1, Москва, 125009, Россия",
        "Address: ул. Мира, 3, Казань, 420000", "Address (home): дача, Истра",
        "Website: https://work.example",
      ])
  }

  @Test func quotedParametersCommentsAndBackslashContinuations() throws {
    let (r, items) = try readAll(
      "BEGIN:VCARD\n# exported by hand\nFN:Иван\nTEL;X-LABEL=\"work: main; 2nd\";TYPE=\"work,voice\":+7 495 123-45-67\n"
        + "ADR;TYPE=work:;;ул. Ленина 1\\\nкорпус 2;Москва;;;\nEND:VCARD\n")
    let c = try #require(cards(items).first).client
    #expect(c.phones.map(\.e164) == ["+74951234567"])
    #expect(c.city == "Москва")
    #expect(c.legalAddress == "ул. Ленина 1\nкорпус 2")
    #expect(refused(items).isEmpty)
    #expect(r.warnings.isEmpty)
  }

  @Test(arguments: [
    ("WINDOWS-1251", "Сидоров Пётр"), ("KOI8-R", "Сидоров Пётр"), ("ISO-8859-1", "Über Müller"),
    ("SHIFT_JIS", "安藤ロイド"),
  ])
  func charsets(_ charset: String, _ name: String) throws {
    let encodings: [String: String.Encoding] = [
      "WINDOWS-1251": .windowsCP1251, "ISO-8859-1": .isoLatin1, "SHIFT_JIS": .shiftJIS,
    ]
    var bytes: [UInt8]
    if charset == "KOI8-R" {
      // KOI8-R by its table (Foundation has no encoder for it on Linux).
      let koi: [Character: UInt8] = [
        "С": 0xF3, "и": 0xC9, "д": 0xC4, "о": 0xCF, "р": 0xD2, "в": 0xD7, " ": 0x20, "П": 0xF0,
        "ё": 0xA3, "т": 0xD4,
      ]
      bytes = name.map { koi[$0]! }
    } else {
      bytes = Array(try #require(name.data(using: encodings[charset]!)))
    }
    let qp = bytes.map { String(format: "=%02X", $0) }.joined()
    var data = Data("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=\(charset):".utf8)
    data += bytes
    data += Data(
      "\r\nNOTE;CHARSET=\(charset);ENCODING=QUOTED-PRINTABLE:\(qp.prefix(12))=\r\n\(qp.dropFirst(12))\r\nEND:VCARD\r\n"
        .utf8)
    let (r, items) = try readAll(data)
    let c = try #require(cards(items).first).client
    #expect(c.name == name)
    #expect(c.notes == name)
    #expect(r.warnings.isEmpty)
  }

  /// A bad byte in one value skips that value with a warning naming its line, not the card.
  @Test func aBadValueSkipsTheValueNotTheCard() throws {
    var data = Data("BEGIN:VCARD\nFN:Иван Петров\nORG;CHARSET=UTF-8:Ром".utf8)
    data += [0xFF, 0xFE]
    data += Data("\nTEL:позвонить секретарю\nTEL:555-0123\nEMAIL:ivan(at)mail\nEND:VCARD\n".utf8)
    let (r, items) = try readAll(data)
    let c = try #require(cards(items).first).client
    #expect(c.name == "Иван Петров")
    #expect(c.kind == .person)
    #expect(c.phones.map(\.raw) == ["555-0123"])
    #expect(c.phones.map(\.e164) == [nil])
    #expect(c.notes == "Phone: позвонить секретарю\nE-mail: ivan(at)mail")
    #expect(r.warnings.map(\.line) == [3, 4, 5, 6])
    #expect(r.warnings.map(\.field) == ["ORG", "TEL", "TEL", "EMAIL"])
  }

  @Test func aForeignNumberIsReadInTheImportsRegion() throws {
    let text = "BEGIN:VCARD\nFN:Bob\nTEL:905-555-1234\nTEL:017623384942\nEND:VCARD\n"
    let us = try #require(cards(try readAll(text, region: "US").1).first).client
    #expect(us.phones.map(\.e164) == ["+19055551234", nil])
    let de = try #require(cards(try readAll(text, region: "DE").1).first).client
    #expect(de.phones.map(\.e164) == [nil, "+4917623384942"])
  }

  @Test func aFileWithNoCardIsAnErrorNamingIt() throws {
    for text in ["", "Name;Phone\nИван;+7 495 123-45-67\n", "END:VCARD\n"] {
      #expect(throws: ImportFileError.self) { try readAll(text) }
    }
    let error = try #require(
      { () -> ImportFileError? in
        do { _ = try readAll("hello\n") } catch let e as ImportFileError { return e } catch {}
        return nil
      }())
    #expect(error.message(.en).contains("BEGIN:VCARD"))
  }

  /// A line that is no property inside a card (a writer that did not fold) continues the value
  /// before it, with a warning; the card is kept.
  @Test func anUnfoldedLineContinuesTheValueBeforeIt() throws {
    let (r, items) = try readAll(
      "BEGIN:VCARD\nFN:Омега\nNOTE:первая строка\nвторая строка\nEND:VCARD\n")
    let c = try #require(cards(items).first).client
    #expect(c.notes == "первая строка\nвторая строка")
    #expect(r.warnings.map(\.line) == [4])
  }

  /// A company exported with two contact persons and imported into an empty base keeps them.
  @Test func exportedContactPersonsComeBackWithTheirCompany() throws {
    let (_, clients) = try ImportedBase.empty()
    let id = try clients.add(
      Client(
        name: "Ромашка", legalForm: "ООО", inn: "7707083893", kpp: "770701001",
        phones: [Phone("+7 495 123-45-67")], emails: ["info@romashka.ru"], city: "Москва",
        legalAddress: "ул. Ленина, 1", actualAddress: "Москва, ул. Мира, 5",
        postalAddress: "а/я 7, Москва", leadSource: "выставка", segment: "A", tags: ["опт"],
        notes: "Основной поставщик"))
    _ = try clients.addPerson(
      ContactPerson(
        clientId: id, name: "Иванов Иван Иванович", position: "Директор",
        phones: [Phone("8 916 555-01-02"), Phone("+1-418-656-9254;ext=102")],
        emails: ["ivanov@romashka.ru"], birthday: "1980-03-08", notes: "Звонить после 10"))
    _ = try clients.addPerson(
      ContactPerson(
        clientId: id, name: "Петрова Анна", position: "Бухгалтер",
        phones: [Phone("017623384942", region: "DE")], emails: ["buh@romashka.ru"]))
    _ = try clients.add(
      Client(kind: .person, name: "Сидоров Пётр", phones: [Phone("+79035550000")]))
    let service = ClientImportService(clients.context)
    let exported = try service.exported(try service.exportIDs(ClientListQuery()))
    var file = Data()
    for e in exported { file += VCardWriter.card(e) }
    let back = try ImportedBase(file)
    #expect(back.report.rejected == 0)
    let all = try back.all()
    #expect(all.count == 2)
    let (company, persons) = try #require(all.first)
    let original = try #require(try clients.client(id))
    #expect(company.name == original.name)
    #expect(company.legalForm == original.legalForm)
    #expect(company.inn == original.inn)
    #expect(company.kpp == original.kpp)
    #expect(company.phones == original.phones)
    #expect(company.emails == original.emails)
    #expect(company.city == original.city)
    #expect(company.legalAddress == original.legalAddress)
    #expect(company.actualAddress == original.actualAddress)
    #expect(company.postalAddress == original.postalAddress)
    #expect(company.segment == original.segment)
    #expect(company.leadSource == original.leadSource)
    #expect(company.tags == original.tags)
    #expect(company.notes == original.notes)
    let before = try clients.persons(of: id).sorted { $0.name < $1.name }
    let after = persons.sorted { $0.name < $1.name }
    #expect(after.map(\.name) == before.map(\.name))
    #expect(after.map(\.position) == before.map(\.position))
    #expect(after.map(\.phones) == before.map(\.phones))
    #expect(after.last?.phones.first?.e164 == "+4917623384942")
    #expect(after.map(\.emails) == before.map(\.emails))
    #expect(after.map(\.birthday) == before.map(\.birthday))
    #expect(after.map(\.notes) == before.map(\.notes))
    #expect(all[1].0.name == "Сидоров Пётр")
    #expect(all[1].0.kind == .person)
  }

  /// Our export read by a reader nobody here wrote: Debian's python3-vobject.
  @Test func vobjectReadsTheExportWithItsPersons() throws {
    let (_, clients) = try ImportedBase.empty()
    let id = try clients.add(
      Client(
        name: "Ромашка", legalForm: "ООО", phones: [Phone("+7 495 123-45-67")],
        city: "Москва", legalAddress: "ул. Ленина, 1", notes: "строка 1\nстрока 2; и ещё"))
    _ = try clients.addPerson(
      ContactPerson(
        clientId: id, name: "Иванов Иван", position: "Директор", phones: [Phone("8 916 555-01-02")],
        emails: ["ivanov@romashka.ru"], birthday: "1980-03-08"))
    let service = ClientImportService(clients.context)
    var file = Data()
    for e in try service.exported(try service.exportIDs(ClientListQuery())) {
      file += VCardWriter.card(e)
    }
    let path = NSTemporaryDirectory() + "termcrm-vobject-\(UUID().uuidString).vcf"
    try file.write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let script = """
      import sys, vobject
      for c in vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()):
          org = ";".join(c.org.value) if hasattr(c, "org") else ""
          tels = ",".join(t.value for t in c.contents.get("tel", []))
          rel = c.related.value if hasattr(c, "related") else ""
          uid = c.uid.value if hasattr(c, "uid") else ""
          note = c.note.value.replace("\\n", "|") if hasattr(c, "note") else ""
          print("\\t".join([c.fn.value, org, tels, uid, rel, note]))
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = ["-c", script, path]
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(problem)")
    let lines = text.split(separator: "\n").map {
      $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
    #expect(lines.count == 2)
    let company = try #require(lines.first)
    let person = try #require(lines.last)
    #expect(company[0] == "ООО «Ромашка»")
    #expect(company[1] == "ООО «Ромашка»")
    #expect(company[2] == "+7 495 123-45-67")
    #expect(company[5] == "строка 1|строка 2; и ещё")
    #expect(person[0] == "Иванов Иван")
    #expect(person[1] == "ООО «Ромашка»")
    #expect(person[2] == "8 916 555-01-02")
    #expect(!company[3].isEmpty && person[4] == company[3])
  }
}
