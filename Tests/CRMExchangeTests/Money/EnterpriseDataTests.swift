import CRMCore
import Foundation
import Testing

@testable import CRMExchange

#if canImport(FoundationXML)
  import FoundationXML
#endif

private let seller = ActParty(name: "ООО «ТермСофт»", inn: "7701234567", kpp: "770101001")

/// Three acts that between them cover the cases: several lines, a contract and a period, names
/// full of XML specials; an individual entrepreneur without a contract and without VAT; a
/// euro act settled at a rate.
func sampleActs() -> [ActExport] {
  [
    ActExport(
      id: 42, number: "А-117", date: "2026-11-30", periodFrom: "2026-11-01",
      periodTo: "2026-11-30", organization: seller,
      counterparty: ActParty(
        name: "ООО \"Рога & Копыта\" <Север>", inn: "7707083893", kpp: "773601001"),
      counterpartyID: 7,
      contract: ActContractRef(number: "7/25", date: "2026-01-15"), currencyCode: "RUB",
      sumIncludesVAT: true, total: 156_000_00, vat: 26_000_00,
      lines: [
        ActLine(
          name: "Сопровождение 1С: «Бухгалтерия» & отчётность", quantityThousandths: 1000,
          price: 120_000_00, sum: 120_000_00, vatRate: "20", vat: 20_000_00),
        ActLine(
          name: "Консультации O'Brien's team", quantityThousandths: 2500, price: 14_400_00,
          sum: 36_000_00, vatRate: "20", vat: 6_000_00),
      ],
      comment: "Счёт № 12 от 01.11.2026\nОплата до 15.12"),
    ActExport(
      id: 43, number: "А-118", date: "2026-11-30", organization: seller,
      counterparty: ActParty(
        name: "ИП Семёнов Пётр Ильич", inn: "500100732259", kpp: "", isPerson: true),
      counterpartyID: 8, currencyCode: "RUB", sumIncludesVAT: true, total: 5_000_00, vat: 0,
      lines: [
        ActLine(
          name: "Настройка; обучение", quantityThousandths: 2000, price: 2_500_00,
          sum: 5_000_00, vatRate: "none", vat: 0)
      ]),
    ActExport(
      id: 44, number: "E-9", date: "2026-12-01", organization: seller,
      counterparty: ActParty(name: "Müller GmbH", inn: "9909012345", kpp: "774751001"),
      counterpartyID: 9,
      contract: ActContractRef(
        number: "EU-3", date: "2026-02-01", currencyCode: "EUR", rate: Decimal(string: "101.25"),
        conventionalUnits: false),
      currencyCode: "EUR", sumIncludesVAT: false, total: 1_220_00, vat: 220_00,
      lines: [
        ActLine(
          name: "Licence", quantityThousandths: 1000, price: 1_000_00, sum: 1_000_00,
          vatRate: "22", vat: 220_00)
      ]),
  ]
}

private let createdAt = "2026-12-02T10:15:00"

/// 1.8, the enumerated-rate version most tests here look at.
private let v18 = EnterpriseDataVersion.named("1.8")!

/// The sample acts as 1.8 can carry them: the 22 % licence at 20 %.
func sampleActs18() -> [ActExport] {
  var acts = sampleActs()
  acts[2].lines[0].vatRate = "20"
  return acts
}

private func message(_ version: EnterpriseDataVersion = v18, acts: [ActExport]? = nil)
  -> Data
{
  EnterpriseDataWriter.write(
    acts: acts ?? sampleActs(), version: version, messageNo: 5, createdAt: createdAt,
    from: "CRM", to: "БП")
}

/// An element of a parsed document: local name as written (with its prefix), attributes, text,
/// children.
private final class Node {
  let name: String
  let attributes: [String: String]
  var text = ""
  var children: [Node] = []

  init(_ name: String, _ attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  func all(_ name: String) -> [Node] { children.filter { $0.name == name } }
  func first(_ name: String) -> Node? { children.first { $0.name == name } }
  /// The text at a path of child names.
  func at(_ path: String...) -> String? {
    var n: Node? = self
    for p in path { n = n?.first(p) }
    return n?.text
  }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
  var root: Node?
  private var stack: [Node] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    let n = Node(elementName, attributeDict)
    stack.last?.children.append(n)
    if root == nil { root = n }
    stack.append(n)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    let n = stack.removeLast()
    if !n.children.isEmpty { n.text = "" }
  }
}

/// The document tree, or nil when XMLParser finds the data malformed.
private func tree(_ data: Data) -> Node? {
  let parser = XMLParser(data: data)
  let builder = TreeBuilder()
  parser.delegate = builder
  return parser.parse() ? builder.root : nil
}

private func checkGolden(_ name: String, _ actual: Data) throws {
  let url = goldenFolder.appendingPathComponent(name)
  let expected = try? Data(contentsOf: url)
  if actual != expected {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("actual-" + name)
    try actual.write(to: out)
    Issue.record("\(name) differs from the golden file; actual output written to \(out.path)")
  }
}

private func readError(_ data: Data) -> EnterpriseDataError? {
  do {
    _ = try EnterpriseDataReader.read(data)
    return nil
  } catch {
    return error
  }
}

@Suite struct EnterpriseDataTests {
  // MARK: Structure

  @Test func theMessageHasTheHeaderAndOneDocumentPerAct() throws {
    let data = message()
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message "))
    let root = try #require(tree(data))
    #expect(root.name == "Message")
    #expect(root.attributes["xmlns:msg"] == "http://www.1c.ru/SSL/Exchange/Message")
    let header = try #require(root.first("msg:Header"))
    #expect(header.at("msg:Format") == "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.8")
    #expect(header.at("msg:CreationDate") == createdAt)
    #expect(
      header.at("msg:Confirmation", "msg:ExchangePlan")
        == "СинхронизацияДанныхЧерезУниверсальныйФормат")
    #expect(header.at("msg:Confirmation", "msg:To") == "БП")
    #expect(header.at("msg:Confirmation", "msg:From") == "CRM")
    #expect(header.at("msg:Confirmation", "msg:MessageNo") == "5")
    #expect(header.at("msg:Confirmation", "msg:ReceivedNo") == "0")
    #expect(header.all("msg:AvailableVersion").map(\.text) == ["1.6", "1.8", "1.11", "1.17"])

    let body = try #require(root.first("Body"))
    #expect(body.attributes["xmlns"] == "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.8")
    let docs = body.all("Документ.РеализацияТоваровУслуг")
    #expect(docs.count == 3)
    #expect(body.children.count == 3, "no catalogue objects besides the documents")

    let first = docs[0]
    #expect(first.at("КлючевыеСвойства", "Ссылка") == EnterpriseDataRef.act(42))
    #expect(first.at("КлючевыеСвойства", "Дата") == "2026-11-30T00:00:00")
    #expect(first.at("КлючевыеСвойства", "Номер") == "А-117")
    #expect(first.at("КлючевыеСвойства", "Организация", "ИНН") == "7701234567")
    #expect(first.at("КлючевыеСвойства", "Организация", "КПП") == "770101001")
    #expect(
      first.at("КлючевыеСвойства", "Организация", "ЮридическоеФизическоеЛицо") == "ЮридическоеЛицо")
    #expect(first.at("ВидОперации") == "РеализацияКлиенту")
    #expect(first.at("Валюта", "ДанныеКлассификатора", "Код") == "643")
    #expect(first.at("Сумма") == "156000.00")
    #expect(first.at("СуммаВключаетНДС") == "true")
    #expect(first.at("Контрагент", "Ссылка") == EnterpriseDataRef.counterparty(7))
    #expect(first.at("Контрагент", "ИНН") == "7707083893")
    #expect(first.at("Контрагент", "КПП") == "773601001")
    #expect(first.at("Налогообложение") == "ПродажаОблагаетсяНДС")

    let contract = try #require(first.first("ДанныеВзаиморасчетов")?.first("Договор"))
    #expect(contract.at("ВидДоговора") == "СПокупателем")
    #expect(contract.at("Номер") == "7/25")
    #expect(contract.at("Дата") == "2026-01-15")
    #expect(contract.at("Наименование") == "№ 7/25 от 15.01.2026")
    #expect(contract.at("Контрагент", "ИНН") == "7707083893")
    #expect(contract.at("ВалютаВзаиморасчетов", "ДанныеКлассификатора", "Код") == "643")
    #expect(first.at("ДанныеВзаиморасчетов", "КурсВзаиморасчетов") == "1")
    #expect(first.at("ДанныеВзаиморасчетов", "КратностьВзаиморасчетов") == "1")

    let lines = try #require(first.first("Услуги")).all("Строка")
    #expect(lines.count == 2)
    #expect(first.first("Товары") == nil)
    #expect(
      lines[0].children.map(\.name) == [
        "Номенклатура", "Количество", "Сумма", "Цена", "СтавкаНДС", "СуммаНДС", "Содержание",
      ])
    #expect(lines[0].at("Количество") == "1")
    #expect(lines[0].at("Сумма") == "120000.00")
    #expect(lines[0].at("Цена") == "120000.00")
    #expect(lines[0].at("СтавкаНДС") == "НДС20")
    #expect(lines[0].at("СуммаНДС") == "20000.00")
    #expect(lines[1].at("Количество") == "2.5")
    #expect(lines[1].at("Номенклатура", "Наименование") == "Консультации O'Brien's team")
    #expect(
      lines[1].at("Содержание")
        == "Консультации O'Brien's team за период с 01.11.2026 по 30.11.2026")
    // 1.8 keeps the comment in the document's own Комментарий, before Налогообложение.
    #expect(first.first("ОбщиеСвойстваОбъектовФормата") == nil)
    #expect(first.at("Комментарий") == "Счёт № 12 от 01.11.2026\nОплата до 15.12")
    let names = first.children.map(\.name)
    #expect(names.firstIndex(of: "Комментарий")! + 1 == names.firstIndex(of: "Налогообложение")!)
  }

  @Test func aPersonWithoutContractOrVAT() throws {
    let root = try #require(tree(message()))
    let doc = try #require(root.first("Body")?.all("Документ.РеализацияТоваровУслуг")[1])
    let party = try #require(doc.first("Контрагент"))
    #expect(party.at("ИНН") == "500100732259")
    #expect(party.first("КПП") == nil)
    #expect(party.at("ЮридическоеФизическоеЛицо") == "ФизическоеЛицо")
    let settlement = try #require(doc.first("ДанныеВзаиморасчетов"))
    #expect(settlement.first("Договор") == nil)
    #expect(settlement.at("ВалютаВзаиморасчетов", "ДанныеКлассификатора", "Код") == "643")
    #expect(doc.at("Налогообложение") == "ПродажаНеОблагаетсяНДС")
    let line = try #require(doc.first("Услуги")?.first("Строка"))
    #expect(line.at("СтавкаНДС") == "БезНДС")
    #expect(line.at("Содержание") == "Настройка; обучение")
  }

  @Test func aForeignCurrencyActCarriesTheNumericCodeAndTheRate() throws {
    let root = try #require(tree(message()))
    let doc = try #require(root.first("Body")?.all("Документ.РеализацияТоваровУслуг")[2])
    #expect(doc.at("Валюта", "ДанныеКлассификатора", "Код") == "978")
    #expect(doc.at("Валюта", "ДанныеКлассификатора", "Наименование") == "EUR")
    #expect(doc.at("Сумма") == "1220.00")
    #expect(doc.at("СуммаВключаетНДС") == "false")
    #expect(
      doc.at("ДанныеВзаиморасчетов", "ВалютаВзаиморасчетов", "ДанныеКлассификатора", "Код") == "978"
    )
    #expect(doc.at("ДанныеВзаиморасчетов", "КурсВзаиморасчетов") == "101.25")
    // 1.8's rates end at 20 %: the 22 % act is refused before a file is written, naming it.
    #expect(throws: CRMError.self) {
      try EnterpriseDataWriter.check(acts: sampleActs(), version: v18, language: .en)
    }
    do {
      try EnterpriseDataWriter.check(acts: sampleActs(), version: v18, language: .ru)
    } catch {
      #expect(
        error
          == .invalid(
            field: "format_version",
            problem:
              "EnterpriseData 1.8 не передаёт НДС 22 % (акт № E-9 от 2026-12-01, «Licence»): в списке ставок этой версии её нет; выгрузите с --format-version 1.11, 1.17"
          ))
    }
    try EnterpriseDataWriter.check(acts: sampleActs18(), version: v18, language: .en)
    for v in EnterpriseDataVersion.supported where v.version != "1.6" && v.version != "1.8" {
      try EnterpriseDataWriter.check(acts: sampleActs(), version: v, language: .en)
    }
  }

  @Test func version117WritesStructuredRatesClassifierCurrencyAndTheComment() throws {
    let v = try #require(EnterpriseDataVersion.named("1.17"))
    let root = try #require(tree(message(v)))
    let docs = try #require(root.first("Body")).all("Документ.РеализацияТоваровУслуг")
    #expect(docs[0].at("Валюта", "ДанныеКлассификатора", "Код") == "643")
    #expect(docs[0].at("Валюта", "ДанныеКлассификатора", "Наименование") == "руб.")
    let rate = try #require(docs[0].first("Услуги")?.first("Строка")?.first("СтавкаНДС"))
    #expect(
      rate.children.map(\.name) == ["Ставка", "РасчетнаяСтавка", "НеОблагается", "ВидСтавки"])
    #expect(rate.at("Ставка") == "20")
    #expect(rate.at("НеОблагается") == "false")
    #expect(rate.at("ВидСтавки") == "Общая")
    let none = try #require(docs[1].first("Услуги")?.first("Строка")?.first("СтавкаНДС"))
    #expect(none.first("Ставка") == nil)
    #expect(none.at("НеОблагается") == "true")
    #expect(none.at("ВидСтавки") == "БезНДС")
    #expect(
      docs[0].at("ОбщиеСвойстваОбъектовФормата", "Комментарий")
        == "Счёт № 12 от 01.11.2026\nОплата до 15.12")
    #expect(docs[1].first("ОбщиеСвойстваОбъектовФормата") == nil, "no comment, no element")
  }

  @Test func everySupportedVersionWritesAWellFormedMessageInItsNamespace() throws {
    #expect(EnterpriseDataVersion.supported.map(\.version) == ["1.6", "1.8", "1.11", "1.17"])
    #expect(EnterpriseDataVersion.supported.contains(EnterpriseDataVersion.defaultVersion))
    for v in EnterpriseDataVersion.supported {
      let data = message(v)
      let root = try #require(tree(data), "version \(v.version) is malformed")
      let ns = "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/\(v.version)"
      #expect(root.at("msg:Header", "msg:Format") == ns)
      #expect(root.first("Body")?.attributes["xmlns"] == ns)
      let read = try EnterpriseDataReader.read(data)
      #expect(read.map(\.total) == [156_000_00, 5_000_00, 1_220_00], "version \(v.version)")
      #expect(read.map(\.vat) == [26_000_00, 0, 220_00])
      #expect(read.map(\.currencyCode) == ["RUB", "RUB", "EUR"])
    }
  }

  @Test func versionsAreFoundByNumber() {
    // The default carries 2026's 22 % (its rate is a number).
    #expect(EnterpriseDataVersion.defaultVersion.version == "1.17")
    #expect(EnterpriseDataVersion.defaultVersion.carries(rate: "22"))
    #expect(!v18.carries(rate: "22") && !v18.carries(rate: "5") && v18.carries(rate: "none"))
    #expect(EnterpriseDataVersion.named(" 1.11 ")?.version == "1.11")
    #expect(EnterpriseDataVersion.named("1.2") == nil)
    #expect(
      EnterpriseDataVersion.named("1.17")?.namespace
        == "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.17")
  }

  // MARK: Text

  @Test func namesWithXMLSpecialsRoundTripExactly() throws {
    var acts = sampleActs()
    acts[0].counterparty.name = "ООО \"Рога & Копыта\" <Север> d'Artagnan's > &amp;"
    let data = message(acts: acts)
    let text = String(decoding: data, as: UTF8.self)
    #expect(
      text.contains(
        "<Наименование>ООО &quot;Рога &amp; Копыта&quot; &lt;Север&gt; d&apos;Artagnan&apos;s"
          + " &gt; &amp;amp;</Наименование>"))
    let read = try EnterpriseDataReader.read(data)
    #expect(read[0].counterpartyName == acts[0].counterparty.name)
    #expect(read[0].counterpartyINN == "7707083893")
    #expect(read[0].counterpartyKPP == "773601001")
    #expect(read[0].contractNumber == "7/25")
    #expect(read[0].number == "А-117")
    #expect(read[0].date == "2026-11-30")
    #expect(read[1].counterpartyKPP == "")
    #expect(read[1].contractNumber == nil)
  }

  @Test func controlCharactersAreDroppedAndLineBreaksInNamesBecomeSpaces() throws {
    var acts = sampleActs()
    acts[0].counterparty.name = "ООО\u{07} «Ромашка»\u{1B}\u{7F}\u{85}\u{FFFF}"
    acts[0].lines[0].name = "Первая строка\r\nвторая\tстрока"
    let data = message(acts: acts)
    let root = try #require(tree(data))
    let doc = try #require(root.first("Body")?.first("Документ.РеализацияТоваровУслуг"))
    #expect(doc.at("Контрагент", "Наименование") == "ООО «Ромашка»")
    #expect(
      doc.first("Услуги")?.first("Строка")?.at("Номенклатура", "Наименование")
        == "Первая строка  вторая строка")
    #expect(try EnterpriseDataReader.read(data)[0].counterpartyName == "ООО «Ромашка»")
  }

  @Test func theSameInputGivesTheSameBytes() {
    #expect(message() == message())
    let v = EnterpriseDataVersion.named("1.17")!
    #expect(message(v) == message(v))
    #expect(ActsCSV.write(acts: sampleActs()) == ActsCSV.write(acts: sampleActs()))
  }

  @Test func refsAreNameBasedUUIDsThatNeverChange() {
    // uuid.uuid5(uuid.NAMESPACE_URL, name) in Python.
    #expect(EnterpriseDataRef.act(1) == "581f5ad8-bdef-5d5e-ac71-6092da75f5d1")
    #expect(EnterpriseDataRef.act(42) == "f74a76a7-04e1-5612-bf2a-44be4772ab0b")
    #expect(EnterpriseDataRef.counterparty(7) == "84a6f681-0ed5-5dc2-a4bd-29130205423c")
    #expect(EnterpriseDataRef.act(42) != EnterpriseDataRef.act(43))
  }

  @Test func everyKnownCurrencyHasANumericCode() {
    for c in Currency.known {
      let numeric = ISOCurrencyNumbers.numeric[c.code]
      #expect(numeric?.count == 3, "\(c.code)")
      #expect(ISOCurrencyNumbers.letters(numeric ?? "") == c.code)
    }
    #expect(ISOCurrencyNumbers.letters("810") == "RUB")
  }

  @Test func zeroDigitCurrenciesAndOddQuantities() throws {
    var act = sampleActs()[1]
    act.currencyCode = "JPY"
    act.total = 15_000
    act.lines = [
      ActLine(
        name: "Работа", quantityThousandths: 125, price: 120_000, sum: 15_000, vatRate: "10",
        vat: 1_364)
    ]
    let root = try #require(tree(message(acts: [act])))
    let doc = try #require(root.first("Body")?.first("Документ.РеализацияТоваровУслуг"))
    #expect(doc.at("Сумма") == "15000")
    #expect(doc.at("Валюта", "ДанныеКлассификатора", "Код") == "392")
    let line = try #require(doc.first("Услуги")?.first("Строка"))
    #expect(line.at("Количество") == "0.125")
    #expect(line.at("СуммаНДС") == "1364")
    #expect(line.at("СтавкаНДС") == "НДС10")
    let read = try EnterpriseDataReader.read(message(acts: [act]))
    #expect(read[0].total == 15_000)
    #expect(read[0].currencyCode == "JPY")
  }

  // MARK: Golden files

  @Test func version18MatchesGoldenFile() throws {
    try checkGolden("acts-1.8.xml", message(v18, acts: sampleActs18()))
  }

  @Test func version117MatchesGoldenFile() throws {
    try checkGolden("acts-1.17.xml", message(EnterpriseDataVersion.named("1.17")!))
  }

  @Test func csvMatchesGoldenFile() throws {
    try checkGolden("acts.csv", ActsCSV.write(acts: sampleActs()))
  }

  // MARK: Reading

  @Test func theReaderReadsA1CExportWithGoodsAndServices() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message">
      \t<msg:Header>
      \t\t<msg:Format>http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.17</msg:Format>
      \t</msg:Header>
      \t<Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.17">
      \t\t<Справочник.Контрагенты><КлючевыеСвойства><ИНН>1111111111</ИНН></КлючевыеСвойства></Справочник.Контрагенты>
      \t\t<Документ.РеализацияТоваровУслуг>
      \t\t\t<КлючевыеСвойства>
      \t\t\t\t<Ссылка>0d1c2b3a-0000-11ef-8000-000000000001</Ссылка>
      \t\t\t\t<Дата>2026-10-31T12:00:00</Дата>
      \t\t\t\t<Номер>БП-000123</Номер>
      \t\t\t\t<Организация><Наименование>ТермСофт</Наименование><ИНН>7701234567</ИНН></Организация>
      \t\t\t</КлючевыеСвойства>
      \t\t\t<ВидОперации>РеализацияКлиенту</ВидОперации>
      \t\t\t<Валюта><Ссылка>x</Ссылка><ДанныеКлассификатора><Код>643</Код></ДанныеКлассификатора></Валюта>
      \t\t\t<СуммаВключаетНДС>false</СуммаВключаетНДС>
      \t\t\t<Контрагент>
      \t\t\t\t<Наименование><![CDATA[АО "Вектор"]]></Наименование>
      \t\t\t\t<ИНН>7702000001</ИНН>
      \t\t\t\t<КПП>770201001</КПП>
      \t\t\t</Контрагент>
      \t\t\t<ДанныеВзаиморасчетов>
      \t\t\t\t<Договор><ВидДоговора>СПокупателем</ВидДоговора><Контрагент><ИНН>9</ИНН></Контрагент><Номер>Д-5</Номер></Договор>
      \t\t\t</ДанныеВзаиморасчетов>
      \t\t\t<Товары><Строка><Количество>1</Количество><Сумма>100.00</Сумма><СуммаНДС>20.00</СуммаНДС></Строка></Товары>
      \t\t\t<Услуги><Строка><Количество>1</Количество><Сумма>50,5</Сумма><СуммаНДС>10.1</СуммаНДС></Строка></Услуги>
      \t\t</Документ.РеализацияТоваровУслуг>
      \t</Body>
      </Message>
      """
    let read = try EnterpriseDataReader.read(Data(xml.utf8))
    #expect(
      read == [
        EnterpriseDataReader.ReadAct(
          number: "БП-000123", date: "2026-10-31", counterpartyINN: "7702000001",
          counterpartyKPP: "770201001", counterpartyName: "АО \"Вектор\"",
          contractNumber: "Д-5", total: 180_60, vat: 30_10, currencyCode: "RUB")
      ])
  }

  @Test func malformedXMLIsReportedWithItsLine() throws {
    var lines = String(decoding: message(), as: UTF8.self).components(separatedBy: "\n")
    let i = try #require(lines.firstIndex { $0.contains("<Номер>А-118</Номер>") })
    lines[i] = lines[i].replacingOccurrences(of: "</Номер>", with: "</Нмер>")
    let error = try #require(readError(Data(lines.joined(separator: "\n").utf8)))
    #expect(error.line == i + 1)
    #expect(error.message(.en).hasPrefix("line \(i + 1): "))
    #expect(error.message(.ru).hasPrefix("строка \(i + 1): "))

    let bare =
      "<?xml version=\"1.0\"?>\n<Message>\n<Body>\n<Документ.РеализацияТоваровУслуг>"
      + "<Контрагент><Наименование>A & B</Наименование></Контрагент>"
      + "</Документ.РеализацияТоваровУслуг></Body></Message>"
    #expect(readError(Data(bare.utf8))?.line == 4)
  }

  @Test func theReaderRejectsFilesThatAreNotMessagesAndBadAmounts() throws {
    let notMessage = readError(Data("<?xml version=\"1.0\"?>\n<root/>\n".utf8))
    #expect(notMessage?.en.contains("no Body") == true)
    #expect(readError(Data()) != nil)

    let badSum = """
      <Message><Body>
      <Документ.РеализацияТоваровУслуг>
      <Сумма>12x</Сумма>
      </Документ.РеализацияТоваровУслуг>
      </Body></Message>
      """
    let e = try #require(readError(Data(badSum.utf8)))
    #expect(e.line == 3)
    #expect(e.ru.contains("«12x»"))
  }

  // MARK: CSV

  @Test func csvHasBOMCRLFSemicolonsAndRussianHeader() throws {
    let data = ActsCSV.write(acts: sampleActs())
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: data.dropFirst(3), as: UTF8.self)
    let records = text.components(separatedBy: "\r\n")
    #expect(records.last == "", "every record ends in CRLF")
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    #expect(
      records[0]
        == "Номер;Дата;Контрагент;ИНН;КПП;Договор;ДатаДоговора;Период с;Период по;Услуга;"
        + "Количество;Цена;Сумма;СтавкаНДС;СуммаНДС;Валюта;ВсегоПоАкту")
    #expect(records.count == 1 + 4 + 1, "two lines of the first act, one each of the others")
    #expect(
      records[1]
        == "А-117;30.11.2026;\"ООО \"\"Рога & Копыта\"\" <Север>\";7707083893;773601001;7/25;"
        + "15.01.2026;01.11.2026;30.11.2026;Сопровождение 1С: «Бухгалтерия» & отчётность;1;"
        + "120000.00;120000.00;20%;20000.00;RUB;156000.00")
    #expect(records[2].contains(";Консультации O'Brien's team;2.5;14400.00;36000.00;20%;"))
    #expect(
      records[3]
        == "А-118;30.11.2026;ИП Семёнов Пётр Ильич;500100732259;;;;;;\"Настройка; обучение\";2;"
        + "2500.00;5000.00;Без НДС;0.00;RUB;5000.00")
    #expect(records[4].hasSuffix(";22%;220.00;EUR;1220.00"))
  }

  @Test func csvKeepsAnActWithoutLines() {
    var act = sampleActs()[1]
    act.lines = []
    let text = String(decoding: ActsCSV.write(acts: [act]).dropFirst(3), as: UTF8.self)
    #expect(
      text.components(separatedBy: "\r\n")[1]
        == "А-118;30.11.2026;ИП Семёнов Пётр Ильич;500100732259;;;;;;;;;;;;RUB;5000.00")
  }

  /// Found by fuzzing: `<\xFF\xFF\0\0` trapped inside XMLParser (swift-corelibs-foundation
  /// cannot decode the element name it is given); bytes that are not UTF-8 are an error now.
  @Test func bytesThatAreNotUTF8AreAnErrorNotACrash() throws {
    for (data, line) in [
      (Data([0x3C, 0xFF, 0xFF, 0x00, 0x00]), 1),
      (Data("<?xml version=\"1.0\"?>\n<Message>\n<\u{0}".utf8) + Data([0xD0]), 3),
    ] {
      #expect(throws: EnterpriseDataError.self) { try EnterpriseDataReader.read(data) }
      do {
        _ = try EnterpriseDataReader.read(data)
      } catch {
        #expect(error.line == line, "\(error)")
        #expect(error.en.contains("not UTF-8"))
      }
    }
  }

  /// Found by fuzzing (xml target): `<?x?>` crashed inside swift-corelibs-foundation (strlen of
  /// the instruction's missing data). Now an error naming its line.
  @Test func aProcessingInstructionWithoutDataIsAnErrorNotACrash() throws {
    for (text, line) in [
      ("<?x?>\n<Mes0c/s=\"f", 1),
      ("<?xml version=\"1.0\"?>\n<Message>\n<?target?>\n</Message>", 3),
    ] {
      do {
        _ = try EnterpriseDataReader.read(Data(text.utf8))
        Issue.record("«\(text)» must be refused")
      } catch {
        #expect(error.line == line, "\(error)")
        #expect(error.en.contains("processing instruction without data"))
        #expect(error.ru.contains("инструкция обработки без данных"))
      }
    }
    // With data (or the XML declaration) it goes on to the usual checks.
    #expect(
      EnterpriseDataReader.emptyProcessingInstructionLine(
        Data("<?xml version=\"1.0\"?><?pi data?><?a ?>".utf8)) == nil)
  }
}
