import CRMCore
import Foundation
import Testing

@testable import CRMExchange

private func csv(_ text: String, _ options: ClientCSVOptions = ClientCSVOptions(language: .en))
  throws -> (ClientCSVReader, [ImportItem])
{
  try bytes(Data(text.utf8), options)
}

private func bytes(
  _ data: Data, _ options: ClientCSVOptions = ClientCSVOptions(language: .en), chunk: Int = 7
) throws -> (ClientCSVReader, [ImportItem]) {
  let r = try ClientCSVReader(data: data, options: options, chunkSize: chunk)
  var items: [ImportItem] = []
  while let i = try r.next() { items.append(i) }
  return (r, items)
}

private func rows(_ items: [ImportItem]) -> [ImportRow] {
  items.compactMap { if case .row(let r) = $0 { return r } else { return nil } }
}

private func rejected(_ items: [ImportItem]) -> [ImportIssue] {
  items.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
}

private func fileError(_ body: () throws -> Void) -> ImportFileError? {
  do { try body() } catch let e as ImportFileError { return e } catch { return nil }
  return nil
}

@Suite struct ClientCSVTests {
  /// Found by fuzzing (writer → reader round trip): a quote followed by a combining mark is
  /// one Character that is not `"`, so CSV.field neither quoted the field nor doubled the quote
  /// and the name read back changed (`"Рога & Копыта"\u{301}Север>`).
  @Test func aQuoteWithACombiningMarkIsStillQuoted() throws {
    let name = "\"Рога & Копыта\"\u{301}Север>"
    #expect(CSV.field(name, delimiter: ";") == "\"\"\"Рога & Копыта\"\"\u{301}Север>\"")
    let c = Client(name: name, legalForm: "ООО", inn: "7707483893", kpp: "773601001")
    let file = ClientCSVWriter.begin() + ClientCSVWriter.row(c, persons: [], ownerLogin: "")
    let back = try #require(rows(try bytes(file).1).first)
    #expect(back.client.name == name)
  }

  /// Found by fuzzing (writer → reader round trip): a TAB between two e-mails became a space
  /// inside ONE e-mail, which the writer wrote as is and the reader then split in two.
  @Test func controlCharactersBetweenEmailsSeparateThem() throws {
    let (_, items) = try csv("Название;E-mail\nИП Семёнов;a@b.ru\tc@d.ru\u{1}e@f.ru\n")
    let row = try #require(rows(items).first)
    // The control character leaves no e-mail address: kept in the note instead.
    #expect(row.client.emails == ["a@b.ru"])
    #expect(row.client.notes == "E-mail: c@d.ru\u{FFFD}e@f.ru")
    let file =
      ClientCSVWriter.begin() + ClientCSVWriter.row(row.client, persons: [], ownerLogin: "")
    let back = try #require(rows(try bytes(file).1).first)
    #expect(back.client.emails == row.client.emails)
    #expect(back.client.notes == row.client.notes)
  }

  /// Found by the long fuzz run (csv target, input in Fuzz/findings): a row with only a contact
  /// person «ИП Семёнов» kept the form in the name, and the writer's file read back with it split.
  @Test func aPersonOnlyRowSplitsItsLegalFormLikeANameColumn() throws {
    let (_, items) = try csv("Контактное лицо;Телефон\nИП Семёнов;+7 495 123-45-67\n")
    let row = try #require(rows(items).first)
    #expect(row.client.legalForm == "ИП")
    #expect(row.client.name == "Семёнов")
    #expect(row.client.kind == .person)
    let file =
      ClientCSVWriter.begin() + ClientCSVWriter.row(row.client, persons: [], ownerLogin: "")
    let back = try #require(rows(try bytes(file).1).first)
    #expect(back.client == row.client)
  }

  @Test func mapsRussianAndEnglishHeadersBySynonym() throws {
    let (r, items) = try csv(
      """
      Наименование;ИНН;Тел.;Телефон 2;Эл. почта;Город;Ответственный;Контактное лицо;Должность;Метки;Примечание
      ООО «Ромашка»;7707083893;+7 495 123-45-67;8 (812) 555-12-12;info@romashka.ru;Москва;boris;Иван Петров;директор;vip, опт;звонить утром

      """)
    #expect(r.delimiter == UInt8(ascii: ";"))
    #expect(r.warnings == [])
    let row = try #require(rows(items).first)
    #expect(row.line == 2)
    #expect(row.client.name == "Ромашка")
    #expect(row.client.legalForm == "ООО")
    #expect(row.client.kind == .company)
    #expect(row.client.phones.map(\.raw) == ["+7 495 123-45-67", "8 (812) 555-12-12"])
    #expect(row.client.emails == ["info@romashka.ru"])
    #expect(row.client.tags == ["vip", "опт"])
    #expect(row.client.notes == "звонить утром")
    #expect(row.ownerLogin == "boris")
    #expect(row.persons.map(\.name) == ["Иван Петров"])
    #expect(row.persons.first?.position == "директор")

    let (e, english) = try csv(
      "Company,INN,Phone,Email,City,Owner,Unknown\r\nAcme,,+1 212 555 0100,a@acme.com,NYC,anna,x\r\n"
    )
    #expect(e.delimiter == UInt8(ascii: ","))
    #expect(e.warnings.map(\.field) == ["Unknown"])
    #expect(rows(english).first?.client.city == "NYC")
  }

  @Test func explicitMapOverridesAndNamesUnknownColumns() throws {
    let options = ClientCSVOptions(
      map: try ClientCSVOptions.parseMap("Фирма=name, Мусор=skip"), language: .en)
    let (r, items) = try csv("Фирма\tМусор\nЛютик\tx\n", options)
    #expect(r.delimiter == 0x09)
    #expect(r.warnings == [])
    #expect(rows(items).first?.client.name == "Лютик")
    #expect(fileError { _ = try ClientCSVOptions.parseMap("Фирма=nonsense") } != nil)
    let missing = fileError {
      _ = try csv("Название\nА\n", ClientCSVOptions(map: ["Нет такой": "name"], language: .en))
    }
    #expect(missing?.line == 1)
    let noName = fileError { _ = try csv("ИНН;Город\n7707083893;Москва\n") }
    #expect(noName?.line == 1)
    #expect(noName?.en.contains("ИНН, Город") == true)
  }

  @Test func detectsCP1251AndUTF8WithBOM() throws {
    let text = "Название;Город\r\nРомашка;Москва\r\n"
    let cp = CodePage.encode(text, .cp1251)
    let (r1, i1) = try bytes(Data(cp))
    #expect(r1.encoding == .cp1251)
    #expect(rows(i1).first?.client.city == "Москва")
    let (r2, i2) = try bytes(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
    #expect(r2.encoding == .utf8)
    #expect(r2.header == ["Название", "Город"])
    #expect(rows(i2).first?.client.name == "Ромашка")
    // An ASCII first chunk: the first Cyrillic field decides.
    let late = Data("Name;City\n".utf8) + Data(CodePage.encode("Ромашка;Москва\n", .cp1251))
    let (r3, i3) = try bytes(late, chunk: 10_000)
    #expect(r3.encoding == .cp1251)
    #expect(rows(i3).first?.client.city == "Москва")
  }

  /// Short rows are read with the missing fields empty (Outlook writes them); a longer row
  /// keeps its extra values in the note and warns. Neither is rejected (issue 21).
  @Test func quotesNewlinesMixedLineEndingsAndRaggedRows() throws {
    let (_, items) = try csv(
      "Название;Комментарий;Город\r\n\"Рога; и копыта\";\"строка 1\r\nстрока \"\"2\"\"\";Тула\n"
        + "Короткая;1\rДлинная;1;2;3\r\nХвост;;Омск;;\n\n\"Имя\u{7}с\u{1B}[31mзвонком\";;\n")
    let r = rows(items)
    #expect(r.map(\.line) == [2, 4, 5, 6, 8])
    #expect(r[0].client.name == "Рога; и копыта")
    #expect(r[0].client.notes == "строка 1\nстрока \"2\"")
    #expect(r[1].client.name == "Короткая")
    #expect(r[1].client.notes == "1")
    #expect(r[2].client.city == "2")
    #expect(r[2].client.notes == "1\nExtra value: 3")
    #expect(r[2].warnings.map(\.line) == [5])
    #expect(r[3].client.city == "Омск")
    // Control characters never reach a name.
    #expect(r[4].client.name == "Имя\u{FFFD}с\u{FFFD}[31mзвонком")
    #expect(rejected(items).isEmpty)
  }

  @Test func unclosedQuoteNamesTheLineWhereTheFieldBegan() throws {
    let e = fileError {
      _ = try csv("Название;Город\nА;Б\n\"Ромашка;Москва\nЛютик;Тула\n")
    }
    #expect(e?.line == 3)
    #expect(try csv("Название\n").1.isEmpty)
    #expect(fileError { _ = try csv("") }?.en == "the file is empty")
  }

  @Test func kindRules() throws {
    let (_, items) = try csv(
      "Название;ИНН;Тип;ФИО\nИП Сидоров;;;\nКто-то;500100732259;;\n;;;Пётр Иванов\nА;;робот;\nБ;;физлицо;\n"
    )
    let r = rows(items)
    #expect(r.map(\.client.kind) == [.person, .person, .person, .person])
    #expect(r[2].client.name == "Пётр Иванов")
    #expect(r[2].persons.isEmpty)
    #expect(rejected(items).first?.field == "Тип")
  }

  @Test func streamsFiftyMegabytesWithBoundedMemory() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("clients-50mb-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: url) }
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let out = try FileHandle(forWritingTo: url)
    try out.write(contentsOf: Data("Название;Телефон;Город;Комментарий\r\n".utf8))
    var block = Data()
    for i in 0..<1000 {
      block += Data(
        "\"Компания №\(i)\";+7 495 123-\(i % 90 + 10)-00;Москва;\"длинный комментарий \(i) \(String(repeating: "ж", count: 80))\"\r\n"
          .utf8)
    }
    var written = 0
    var blocks = 0
    while written < 50_000_000 {
      try out.write(contentsOf: block)
      written += block.count
      blocks += 1
    }
    try out.close()
    let before = resident()
    let reader = try ClientCSVReader(url: url, options: ClientCSVOptions(language: .en))
    var count = 0
    while let item = try reader.next() {
      if case .row = item { count += 1 }
    }
    let after = resident()
    #expect(count == blocks * 1000)
    if let before, let after { #expect(after - before < 30_000_000) }
  }
}

private func resident() -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return nil
  }
  let fields = text.split(separator: " ")
  guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

@Suite struct VCardTests {
  private func read(_ text: String) throws -> (VCardReader, [ImportItem]) {
    let r = VCardReader(data: Data(text.utf8), language: .en)
    var items: [ImportItem] = []
    while let i = try r.next() { items.append(i) }
    return (r, items)
  }

  @Test func readsVersion3WithFoldingEscapesAndSeveralPhones() throws {
    let (_, items) = try read(
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nN:Петров;Иван;;;\r\nORG:ООО «Ромашка»;Отдел продаж\r\n"
        + "TITLE:Директор\r\nTEL;TYPE=work,voice:+7 495 123-45-67\r\nTEL;TYPE=cell:+7 916 000-00-0\r\n 1\r\n"
        + "EMAIL;TYPE=INTERNET:ivan@romashka.ru\r\nEMAIL:boss@romashka.ru\r\n"
        + "ADR;TYPE=work:;;ул. Ленина\\, 1;Москва;;101000;Россия\r\nURL:https://romashka.ru\r\n"
        + "NOTE:первая\\nвторая\\; третья\r\nCATEGORIES:vip,опт\r\nEND:VCARD\r\n")
    let r = try #require(rows(items).first)
    #expect(r.line == 1)
    #expect(r.client.name == "Ромашка")
    #expect(r.client.legalForm == "ООО")
    #expect(r.client.city == "Москва")
    #expect(r.client.legalAddress == "ул. Ленина, 1, 101000, Россия")
    #expect(r.client.tags == ["vip", "опт"])
    let p = try #require(r.persons.first)
    // The card is the person's: its NOTE and the department are the person's notes.
    #expect(p.notes == "первая\nвторая; третья\nDepartment: Отдел продаж")
    #expect(p.name == "Иван Петров")
    #expect(p.position == "Директор")
    #expect(p.phones.map(\.raw) == ["+7 495 123-45-67", "+7 916 000-00-01"])
    #expect(p.emails == ["ivan@romashka.ru", "boss@romashka.ru"])
  }

  @Test func quotedPrintableAndCharset() throws {
    let cp = CodePage.encode("Сидоров", .cp1251).map { String(format: "=%02X", $0) }.joined()
    let (_, items) = try read(
      "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:\(cp);=D0=9F=D1=91=\ntr\nTEL;CELL:89160000001\nEND:VCARD\n"
        .replacingOccurrences(of: "=D0=9F=D1=91=\ntr", with: "\(cp)=" + "\n" + "\(cp)"))
    let r = try #require(rows(items).first)
    #expect(r.client.kind == .person)
    #expect(r.client.name == "Сидоров СидоровСидоров")
    #expect(r.client.phones.map(\.raw) == ["89160000001"])
  }

  @Test func brokenCardsAreRejectedWithTheirLinesAndTheRestImports() throws {
    let (_, items) = try read(
      "BEGIN:VCARD\nFN:Первый\nEND:VCARD\nBEGIN:VCARD\nFN:Сломанный\nэто не свойство\nEND:VCARD\n"
        + "BEGIN:VCARD\nFN:Без конца\nBEGIN:VCARD\nFN:Последний\nEND:VCARD\nBEGIN:VCARD\nFN:Обрезанный\n"
    )
    // A line that is no property continues the value before it (a writer that did not fold).
    #expect(rows(items).map(\.client.name) == ["Первый", "Сломанный это не свойство", "Последний"])
    #expect(rejected(items).map(\.line) == [8, 13])
  }

  /// Found by fuzzing: an empty parameter or a lone `=` (`VERS;;=:…`) trapped with "Index out
  /// of range" in VCardBuilder.add. The fuzzer's exact input, then the smallest form.
  @Test func emptyParametersAreNotACrash() throws {
    let exact = try #require(
      Data(
        base64Encoded:
          "QkVHSU46VkNBUkQKVkVSUzs7PTo9RDA9OUY9ROXl5eXl5eXl5TtFTkNPRElORz1RVU9URUQtUFJJTlRBQkxFOj1EMD05Rj1EMT05MT0KPUQxPeXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5QEAAAAAAAAARDE9ODI9RDE9ODA7Ozs7ClRFTDtDRUxMOjg5MTYwMDGzxcc5MTAwMDEKRU5EOlZDODI9RDE9ODA7Ozs2RU1BSUw6MDAwMEJFR0lOOqpDQVJERU1BSUwNClZFUlM7ClQ="
      ))
    let r = VCardReader(data: exact, language: .en)
    var items: [ImportItem] = []
    while let i = try r.next() { items.append(i) }
    #expect(!items.isEmpty)
    let (_, small) = try read("BEGIN:VCARD\nFN;;=:Иван\nTEL;=;:123\nEND:VCARD\n")
    #expect(rows(small).map(\.client.name) == ["Иван"])
  }

  /// Found by fuzzing: X-INN, X-KPP and X-OGRN were written unescaped, so a value with a line
  /// break (read from another vCard as `\n`) broke the card: it read back as a rejected line.
  @Test func requisitesAreEscapedSoTheCardReadsBack() throws {
    let c = Client(
      kind: .person, name: "РоADR:шка", legalForm: "ООО", inn: "77070( 83893",
      kpp: "77070·Р\nРґРѕ; Р,", ogrn: "1\\2")
    let data = VCardWriter.card(ExportedClient(client: c, persons: [], ownerLogin: ""))
    let items = try read(String(decoding: data, as: UTF8.self)).1
    let back = try #require(rows(items).first, "\(items)")
    #expect(items.count == 1)
    #expect(back.client.inn == c.inn)
    #expect(back.client.kpp == c.kpp)
    #expect(back.client.ogrn == c.ogrn)
  }

  /// Found by the 1M-input fuzz run (vcard target): a tag starting with a combining mark made
  /// one Character of the comma before it, so the reader kept two tags as one. Separators and
  /// escapes now work on Unicode scalars.
  @Test func aTagStartingWithACombiningMarkStaysItsOwnTag() throws {
    let c = Client(
      name: "РћРћa<", tags: ["опт", "\u{0301}TLvip", "a\\\u{0301}b", "x;\u{0301}y"])
    let data = VCardWriter.card(ExportedClient(client: c, persons: [], ownerLogin: ""))
    let back = try #require(rows(try read(String(decoding: data, as: UTF8.self)).1).first)
    #expect(back.client.tags == c.tags)
  }

  @Test func writerFoldsAt75OctetsOnCharacterBoundariesAndRoundTrips() throws {
    var c = Client(
      name: String(repeating: "Ромашка", count: 10), legalForm: "ООО", inn: "7707083893",
      phones: [Phone("+7 495 123-45-67")], emails: ["a@b.ru"], city: "Москва",
      legalAddress: "ул. Ленина, 1; офис 2", tags: ["vip", "опт, розница"], notes: "раз\nдва")
    c.website = "https://romashka.ru"
    let data = VCardWriter.card(ExportedClient(client: c, persons: [], ownerLogin: ""))
    for line in data.split(separator: 0x0A) {
      #expect(line.count <= 76)  // 75 octets + CR
      #expect(String(data: Data(line), encoding: .utf8) != nil)
    }
    let (_, items) = try read(String(decoding: data, as: UTF8.self))
    let r = try #require(rows(items).first)
    #expect(r.client.name == c.name)
    #expect(r.client.legalForm == "ООО")
    #expect(r.client.inn == c.inn)
    #expect(r.client.tags == c.tags)
    #expect(r.client.notes == c.notes)
    #expect(r.client.legalAddress == c.legalAddress)
    #expect(r.client.city == "Москва")
    #expect(r.client.website == c.website)
    #expect(r.client.phones == c.phones)
  }
}

@Suite struct ClientJSONFileTests {
  @Test func readsItsOwnLayoutAndReformattedJSON() throws {
    var c = Client(name: "Ромашка", legalForm: "ООО", inn: "7707083893", tags: ["vip"])
    c.createdAt = Date(timeIntervalSince1970: 1_700_000_000)
    let e = ExportedClient(
      client: c,
      persons: [ContactPerson(clientId: 1, name: "Иван", position: "CEO", birthday: "1980-03-08")],
      ownerLogin: "boris")
    let file = ClientJSON.file([e, e])
    let reader = try ClientJSONReader(data: file, language: .en)
    var items: [ImportItem] = []
    while let i = try reader.next() { items.append(i) }
    let r = rows(items)
    #expect(r.map(\.line) == [2, 3])
    #expect(r[0].client.createdAt == c.createdAt)
    #expect(r[0].ownerLogin == "boris")
    #expect(r[0].persons.first?.birthday == "1980-03-08")
    let pretty = JSONText.text(try JSONSerialization.jsonObject(with: file))
    let other = try ClientJSONReader(data: Data(pretty.utf8), language: .en)
    #expect(try other.next() != nil)
  }

  @Test func malformedJSON() throws {
    #expect(fileError { _ = try ClientJSONReader(data: Data("{".utf8), language: .en) } != nil)
    #expect(
      fileError { _ = try ClientJSONReader(data: Data("{\"clients\":[]}".utf8), language: .en) }
        != nil)
    let cut = Data((ClientJSON.firstLine + "\n{\"name\":\"А\"},\n{\"name\":").utf8)
    let reader = try ClientJSONReader(data: cut, language: .en)
    _ = try reader.next()
    #expect(fileError { _ = try reader.next() }?.line == 3)
    let typed = try ClientJSONReader(
      data: Data((ClientJSON.firstLine + "\n{\"name\":5}\n]}\n").utf8), language: .en)
    #expect(rejected([try #require(try typed.next())]).first?.field == "name")
  }
}
