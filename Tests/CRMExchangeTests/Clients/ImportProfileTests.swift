import CRMCore
import Foundation
import Testing

@testable import CRMExchange

/// The real exports kept under `Fixtures/real/csv` (sources in SOURCES.md there).
let realCSVFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/real/csv")

private func read(_ data: Data, _ options: ClientCSVOptions = ClientCSVOptions(language: .en))
  throws -> (ClientCSVReader, [ImportItem])
{
  let r = try ClientCSVReader(data: data, options: options, chunkSize: 13)
  var items: [ImportItem] = []
  while let i = try r.next() { items.append(i) }
  return (r, items)
}

private func text(_ s: String) throws -> (ClientCSVReader, [ImportItem]) {
  try read(Data(s.utf8))
}

private func real(_ name: String) throws -> (ClientCSVReader, [ImportItem]) {
  try read(try Data(contentsOf: realCSVFolder.appendingPathComponent(name)))
}

private func rows(_ items: [ImportItem]) -> [ImportRow] {
  items.compactMap { if case .row(let r) = $0 { return r } else { return nil } }
}

private func rejected(_ items: [ImportItem]) -> [ImportIssue] {
  items.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
}

/// Every value of a column that fills a field is somewhere in the row it became (a field, a
/// contact person or the note): nothing is lost silently.
private func expectNothingLost(
  _ reader: ClientCSVReader, _ data: Data, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let source = try CSVTableSource(
    total: Int64(data.count), read: ImportChunks.memory(data, chunkSize: 4096).read,
    options: ClientCSVOptions(language: .en))
  var records: [Int: [String]] = [:]
  while let r = try source.nextRecord() { records[r.line] = r.cells }
  for row in try rows(read(data).1) {
    let cells = try #require(records[row.line], sourceLocation: sourceLocation)
    let c = row.client
    let texts =
      [
        c.name, c.legalForm, c.website, c.city, c.legalAddress, c.actualAddress, c.postalAddress,
        c.segment, c.leadSource, c.notes, row.ownerLogin ?? "",
      ] + c.phones.map(\.raw) + c.emails + c.tags
      + row.persons.flatMap { [$0.name, $0.position] + $0.phones.map(\.raw) + $0.emails }
    let blob = TextFold.key(texts.joined(separator: " "))
    for (i, field) in reader.columns.enumerated() where i < cells.count {
      guard let field, field != .birthday, field != .kind, field != .legalForm else { continue }
      for piece in ClientRowBuilder.values(cells[i]) where !piece.hasPrefix("* ") {
        for part in piece.split(separator: ",") {
          let k = TextFold.key(TextFold.sanitizeLine(String(part)))
          #expect(
            k.isEmpty || blob.contains(k),
            "line \(row.line): \(reader.header[i]) «\(part)» is nowhere in the row",
            sourceLocation: sourceLocation)
        }
      }
    }
  }
}

@Suite struct ImportProfileTests {
  // MARK: Real files

  @Test func bitrix24CompanySampleKeepsEveryContactAndTheRequisites() throws {
    let (r, items) = try real("bitrix24-company-sample.csv")
    #expect(r.profile == .bitrix24)
    #expect(r.warnings.isEmpty)
    let row = try #require(rows(items).first)
    #expect(rows(items).count == 1)
    let c = row.client
    #expect(c.name == "Пример импортируемой компании")
    #expect(c.kind == .company)
    #expect(row.persons.isEmpty)
    #expect(c.phones.map(\.raw).prefix(2) == ["+7 (495) 4556677", "+7 (911) 4445566"])
    #expect(c.emails == ["info@example.com", "boss@example.com", "support@example.com"])
    #expect(c.website == "http://example.com")
    #expect(c.actualAddress == "Россия, Калининград")
    #expect(c.legalAddress == "Россия, Москва")
    #expect(c.segment == "Информационные технологии")
    #expect(c.notes.hasPrefix("Комментарии\n"))
    for kept in [
      "Банковские реквизиты: Крупный банк", "Номер факса: +7 (495) 4556677",
      "Тип компании: Партнер", "Контакт Skype: example",
    ] {
      #expect(c.notes.contains(kept), "note lacks «\(kept)»: \(c.notes)")
    }
    #expect(c.notes.contains("Website: http://cp.example.com"))
    // «060» is no phone number: kept in the note, with a warning naming the column.
    #expect(c.notes.contains("Другой телефон: 060"))
    #expect(row.warnings.contains { $0.field == "Другой телефон" && $0.line == 2 })
    try expectNothingLost(
      r, try Data(contentsOf: realCSVFolder.appendingPathComponent("bitrix24-company-sample.csv")))
  }

  @Test func bitrix24ContactAndLeadWithFieldCodesKeepTheSurname() throws {
    let (r, items) = try real("bitrix24-contact-sample.csv")
    #expect(r.profile == .bitrix24Codes)
    let c = try #require(rows(items).first).client
    #expect(c.name == "Petrov Ivan Ivanovich")
    #expect(c.kind == .person)
    #expect(c.emails == ["i.petrov@example.com"])
    #expect(c.website == "http://example.com")
    #expect(c.actualAddress == "company address")
    #expect(c.leadSource == "Call")
    #expect(c.notes.contains("comments"))
    #expect(c.notes.contains("Position: director"))
    #expect(c.notes.contains("IM_JABBER: test"))
    #expect(
      c.phones.map(\.raw) == ["+7 (495) 556677"] || c.notes.contains("PHONE_WORK: +7 (495) 556677"))

    let (lr, leads) = try real("bitrix24-lead-sample.csv")
    #expect(lr.profile == .bitrix24Codes)
    let lead = try #require(rows(leads).first).client
    // TITLE is the lead's title, not a company.
    #expect(lead.name == "Sumkin Fedor Ivanovich")
    #expect(lead.kind == .person)
    #expect(lead.notes.contains("TITLE: Lead"))
    #expect(lead.emails == ["f.sumkin@example.com"])
  }

  @Test func googleContactsNewFormatMakesCompaniesWithTheirPeople() throws {
    let name = "google-contacts-helix.csv"
    let (r, items) = try real(name)
    #expect(r.profile == .google)
    #expect(r.warnings.isEmpty)
    let all = rows(items)
    #expect(all.count == 10)
    #expect(rejected(items).isEmpty)
    let sarah = all[0]
    #expect(sarah.client.name == "Sandy Landscape Co")
    #expect(sarah.client.kind == .company)
    #expect(sarah.persons.map(\.name) == ["Sarah Mitchell"])
    #expect(sarah.persons[0].emails == ["sarah.mitchell83@gmail.com"])
    #expect(sarah.client.tags == ["Suppliers"])
    #expect(sarah.client.actualAddress == "2084 W 900 East, St. George, UT, 84195, United States")
    let james = all[1]
    #expect(james.persons.first?.phones.map(\.raw).first == "8015550163")
    #expect(james.client.notes.hasPrefix("Existing customer, renewing service"))
    #expect(james.client.notes.contains("Organization Department: Operations"))
    #expect(james.client.city == "Provo")
    // No organisation: the person is the client, the title kept in the note.
    let thomas = all[3]
    #expect(thomas.client.name == "Thomas Nguyen")
    #expect(thomas.client.kind == .person)
    #expect(thomas.persons.isEmpty)
    #expect(thomas.client.emails == ["tnguyen.roofing@gmail.com"])
    #expect(thomas.client.notes.contains("Position: Owner"))
    #expect(thomas.client.actualAddress == "1422 S Foothill Dr, Logan, UT, 84919")
    #expect(thomas.client.city == "Logan")
    let barbara = all[5]
    #expect(barbara.persons.first?.position == "Owner")
    let uses = r.columnUses
    #expect(uses.first { $0.header == "Phone 1 - Value" }?.field == .phone)
    #expect(uses.first { $0.header == "Phonetic First Name" }?.field == nil)
    #expect(uses.first { $0.header == "E-mail 1 - Value" }?.values == 10)
    try expectNothingLost(r, try Data(contentsOf: realCSVFolder.appendingPathComponent(name)))
  }

  @Test func thunderbirdExportsIncludingShortRowsAndQuotedOrganisations() throws {
    let (r, items) = try real("thunderbird-short-rows.csv")
    #expect(r.profile == .thunderbird)
    // 36 fields against a header of 37: read, the missing one empty.
    #expect(rows(items).map(\.client.name) == ["John Doe", "Jane Doe"])
    #expect(rows(items).map(\.client.emails) == [["john@doe.invalid"], ["jane@doe.invalid"]])
    #expect(rows(items).allSatisfy { $0.client.kind == .person })

    let (s, semi) = try real("thunderbird-semicolon.csv")
    #expect(s.profile == .thunderbird)
    #expect(s.delimiter == UInt8(ascii: ";"))
    #expect(rows(semi).map(\.client.name) == ["John Doe", "Jane Doe"])

    let (_, trailing) = try real("thunderbird-basic-trailing-comma.csv")
    #expect(rows(trailing).map(\.client.name) == ["John Doe"])

    let (_, org) = try real("thunderbird-quoted-organization.csv")
    let acer = try #require(rows(org).first)
    #expect(acer.client.name == "Acer America")
    #expect(acer.client.kind == .company)
    #expect(acer.persons.isEmpty)
    #expect(
      acer.client.phones.map(\.raw) == ["(800) 000-0000"]
        || acer.client.notes.contains("Work Phone: (800) 000-0000"))

    let (e, export) = try real("thunderbird-export.csv")
    #expect(e.profile == .thunderbird)
    let two = try #require(rows(export).last)
    #expect(two.client.name == "contact number two")
    #expect(two.client.notes.contains("here's some unicode text…"))
    #expect(two.client.notes.contains("Custom 1: custom, 1"))
    #expect(two.client.notes.contains("Position: \"worker\""))
    // «contact2@invalid» has no domain: kept in the note with a warning, the row still imported.
    #expect(
      two.client.emails == ["contact2@invalid"]
        || two.client.notes.contains("Primary Email: contact2@invalid"))
  }

  // MARK: Formats by their headers

  @Test func linkedInNotesBeforeTheHeaderAreSkipped() throws {
    let (r, items) = try text(
      #"""
      Notes:
      "When exporting your connection data, you may notice that some of the email addresses are missing."

      First Name,Last Name,URL,Email Address,Company,Position,Connected On
      Ada,Lovelace,https://www.linkedin.com/in/ada-example,,"Acme, Inc.",Engineering Manager,28 Sep 2026
      Grace,Hopper,https://www.linkedin.com/in/grace-example,grace@example.com,,,01 Oct 2026

      """#)
    #expect(r.profile == .linkedin)
    #expect(r.header.first == "First Name")
    #expect(r.warnings.map(\.line) == [1])
    let all = rows(items)
    #expect(all.map(\.line) == [5, 6])
    #expect(all[0].client.name == "Acme, Inc.")
    #expect(all[0].persons.map(\.name) == ["Ada Lovelace"])
    #expect(all[0].persons.first?.position == "Engineering Manager")
    #expect(all[0].client.notes.contains("URL: https://www.linkedin.com/in/ada-example"))
    #expect(all[1].client.name == "Grace Hopper")
    #expect(all[1].client.emails == ["grace@example.com"])
  }

  @Test func outlookEnglishAndRussianWithShortRowsAndAddresses() throws {
    let (r, items) = try text(
      #"""
      Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Business Phone,Home Phone,Mobile Phone,E-mail Address,E-mail Type,E-mail 2 Address,Notes
      Mr.,Adam,,Glacius,,Acme Inc.,Sales,Buyer,1 Main St,Springfield,IL,62701,USA,,,+1 217 555 0100,+1 217 555 0101,,adam@acme.example,SMTP,adam.g@home.example,met at expo
      Ms.,Eva,,Stone,,,,,,,,,

      """#)
    #expect(r.profile == .outlook)
    let all = rows(items)
    #expect(rejected(items).isEmpty)
    let adam = all[0]
    #expect(adam.client.name == "Acme Inc.")
    #expect(adam.persons.map(\.name) == ["Adam Glacius"])
    #expect(adam.persons[0].position == "Buyer")
    #expect(adam.persons[0].emails == ["adam@acme.example", "adam.g@home.example"])
    #expect(adam.client.actualAddress == "1 Main St, Springfield, IL, 62701, USA")
    #expect(adam.client.city == "Springfield")
    #expect(adam.client.notes.hasPrefix("met at expo"))
    #expect(all[1].client.name == "Eva Stone")

    let (ru, ruItems) = try text(
      #"""
      "Обращение","Имя","Отчество","Фамилия","Организация","Отдел","Должность","Улица (раб. адрес)","Город (раб. адрес)","Индекс (раб. адрес)","Рабочий телефон","Мобильный телефон","Адрес эл. почты","Тип эл. почты","Краткое имя эл. почты","Адрес 2 эл. почты","Заметки"
      "","Иван","Петрович","Сидоров","ООО ""Ромашка""","Закупки","Директор","ул. Ленина, 1","Москва","101000","+7 495 123-45-67","+7 916 123-45-67","ivan@romashka.example","SMTP","Иван","sidorov@home.example","звонить после 10"

      """#)
    #expect(ru.profile == .outlookRU)
    let ivan = try #require(rows(ruItems).first)
    #expect(ivan.client.name == "Ромашка")
    #expect(ivan.client.legalForm == "ООО")
    #expect(ivan.persons.map(\.name) == ["Иван Петрович Сидоров"])
    #expect(ivan.persons[0].position == "Директор")
    #expect(ivan.persons[0].phones.map(\.raw) == ["+7 495 123-45-67", "+7 916 123-45-67"])
    #expect(ivan.persons[0].emails == ["ivan@romashka.example", "sidorov@home.example"])
    #expect(ivan.client.actualAddress == "ул. Ленина, 1, Москва, 101000")
    #expect(ivan.client.notes.hasPrefix("звонить после 10"))
  }

  @Test func googleOldFormatAndMultiValueCells() throws {
    let (r, items) = try text(
      #"""
      Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - Formatted,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title
      Manu,Manu,,,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts,,,Mobile,+91 90000 11111 ::: +91 98000 22222,,,,,,,
      Manu,Manu,,,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts ::: Friends,* Other,manu@example.com,Mobile,+91 97000 33333,,,Home,"12 Bridge St
      London",,Harbor Energy,Engineer

      """#)
    #expect(r.profile == .googleOld)
    let all = rows(items)
    #expect(all.count == 2)
    #expect(all[0].client.kind == .person)
    #expect(all[0].client.name == "Manu")
    let phones = all[0].client.phones.map(\.raw) + [all[0].client.notes]
    #expect(phones.contains { $0.contains("+91 90000 11111") })
    #expect(phones.contains { $0.contains("+91 98000 22222") })
    #expect(all[0].client.phones.count + all[0].warnings.count == 2)
    #expect(all[0].client.tags.isEmpty)
    #expect(all[1].client.name == "Harbor Energy")
    #expect(all[1].persons.map(\.name) == ["Manu"])
    #expect(all[1].persons[0].position == "Engineer")
    #expect(all[1].persons[0].emails == ["manu@example.com"])
    #expect(all[1].client.tags == ["Friends"])
    #expect(all[1].client.actualAddress == "12 Bridge St, London")
  }

  @Test func amoCRMContactsWithRussianHeaders() throws {
    let (r, items) = try text(
      #"""
      ID;Полное имя контакта;Компания;Ответственный;Теги;Рабочий телефон;Мобильный телефон;Рабочий email;Личный email;Должность;Примечание 1;Примечание 2
      101;Петров Пётр;ООО «Вектор»;boris;опт, vip;+7 812 555-12-12;+7 921 555-12-12;p.petrov@vector.example;petr@mail.example;снабженец;первый звонок;перезвонить в пятницу

      """#)
    #expect(r.profile == .amocrm)
    let row = try #require(rows(items).first)
    #expect(row.client.name == "Вектор")
    #expect(row.client.legalForm == "ООО")
    #expect(row.ownerLogin == "boris")
    #expect(row.client.tags == ["опт", "vip"])
    #expect(row.persons.map(\.name) == ["Петров Пётр"])
    #expect(row.persons[0].position == "снабженец")
    #expect(row.persons[0].phones.map(\.raw) == ["+7 812 555-12-12", "+7 921 555-12-12"])
    #expect(row.persons[0].emails == ["p.petrov@vector.example", "petr@mail.example"])
    #expect(row.client.notes == "первый звонок\nперезвонить в пятницу")
    #expect(r.columnUses.first { $0.header == "ID" }?.field == nil)
  }

  @Test func ourOwnExportIsRecognised() throws {
    let c = Client(name: "Ромашка", legalForm: "ООО", inn: "7707083893")
    let file =
      ClientCSVWriter.begin()
      + ClientCSVWriter.row(
        c, persons: [ContactPerson(clientId: 0, name: "Иван", position: "директор")],
        ownerLogin: "")
    let (r, items) = try read(file)
    #expect(r.profile == .termcrm)
    #expect(rows(items).first?.persons.first?.position == "директор")
  }

  // MARK: Never lose a field; reject only what names nobody

  @Test func unreadableValuesGoToTheNoteAndOnlyAnonymousRowsAreRejected() throws {
    let (r, items) = try text(
      #"""
      Название;Телефон;E-mail;День рождения;Колонка X
      Ромашка;555-0123;not-an-email;31.02.1990;что-то
      ;+7 495 123-45-67;;;
      ;;a@b.example;;
      ;;;;только это
      Лютик;1;2;3;4;5;6

      """#)
    #expect(r.warnings.map(\.field) == ["Колонка X"])
    let all = rows(items)
    #expect(all.count == 4)
    let romashka = all[0]
    #expect(romashka.client.phones.isEmpty || romashka.client.phones.map(\.raw) == ["555-0123"])
    #expect(romashka.client.emails.isEmpty)
    #expect(romashka.client.notes.contains("E-mail: not-an-email"))
    #expect(romashka.warnings.contains { $0.field == "E-mail" && $0.line == 2 })
    // Identified by a phone or an e-mail alone: a person named by it.
    #expect(all[1].client.name == "+7 495 123-45-67")
    #expect(all[2].client.name == "a@b.example")
    let bad = rejected(items)
    #expect(bad.map(\.line) == [5])
    #expect(bad.first?.reason.contains("nothing identifies the client") == true)
    // A longer row: its extra values are kept and warned about.
    let long = all[3]
    #expect(long.client.name == "Лютик")
    #expect(long.client.notes.contains("Extra value: 5"))
    #expect(long.warnings.contains { $0.line == 6 })
    let uses = r.columnUses
    #expect(uses.first { $0.header == "Колонка X" }?.values == 3)
    #expect(uses.first { $0.header == "Колонка X" }?.suggestion == .extra)
  }

  @Test func mapExtraKeepsAnUnknownColumnInTheNote() throws {
    let options = ClientCSVOptions(
      map: try ClientCSVOptions.parseMap("Колонка X=extra"), language: .en)
    let (_, items) = try read(Data("Название;Колонка X\nРомашка;важно\n".utf8), options)
    #expect(rows(items).first?.client.notes == "Колонка X: важно")
  }

  // MARK: Malformed headers

  @Test func malformedHeadersFailWithTheLine() throws {
    func fileError(_ s: String) -> ImportFileError? {
      do { _ = try text(s) } catch let e as ImportFileError { return e } catch { return nil }
      return nil
    }
    // Nothing that names a client.
    #expect(fileError("ИНН;Город\n7707083893;Москва\n")?.line == 1)
    // Only blank records.
    #expect(fileError(";;;\n\n;\n")?.en == "the file has no header")
    // A preamble with no header after it: the first record is taken and found wanting.
    let e = fileError("Notes:\nsomething\nmore\n")
    #expect(e?.line == 1)
    // Empty and repeated header names are read; the row still imports.
    let (r, items) = try text("Name,,Name,Phone,Phone\nAcme,x,Acme Two,+7 495 123-45-67,\n")
    #expect(r.columns.count == 5)
    #expect(rows(items).first?.client.name == "Acme")
    #expect(rows(items).first?.client.notes.contains("Name: Acme Two") == true)
  }

  @Test func profilesAreToldApartByTheirMarks() {
    func id(_ header: String) -> String {
      ImportProfile.recognise(header.split(separator: ",").map(String.init)).id
    }
    #expect(
      id("First Name,Last Name,Company,Job Title,Business Phone,Mobile Phone,E-mail Address")
        == "outlook")
    #expect(id("First Name,Last Name,Display Name,Primary Email,Work Phone") == "thunderbird")
    #expect(
      id("First Name,Last Name,URL,Email Address,Company,Position,Connected On") == "linkedin")
    #expect(id("Name,Given Name,Additional Name,Family Name,E-mail 1 - Value") == "google_old")
    #expect(
      id("First Name,Last Name,Organization Name,Phone 1 - Label,Phone 1 - Value") == "google")
    #expect(id("NAME,LAST_NAME,PHONE_WORK,EMAIL_WORK") == "bitrix24_codes")
    #expect(id("Название компании,Рабочий телефон,Рабочий e-mail,Частный e-mail") == "bitrix24")
    #expect(id("Полное имя контакта,Компания,Рабочий телефон,Личный email") == "amocrm")
    #expect(id("Name,Phone") == "generic")
  }
}
