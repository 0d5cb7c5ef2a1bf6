import CRMCore
import Foundation
import Testing

@testable import CRMExchange

/// Statements and payment-order files written by other programs (Fixtures/real/bank/SOURCES.md).
private let realBank = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/real/bank")

private func real(_ name: String) throws -> Data {
  try Data(contentsOf: realBank.appendingPathComponent(name))
}

private func cp1251(_ text: String) -> Data {
  Data(CodePage.encode(text, .cp1251))
}

@Suite struct BankStatementRealTests {
  /// kilylabs/client-bank-exchange-php's one_day.txt (Windows-1251): bank orders and payment
  /// orders, 13 documents, three of them incoming to our account.
  @Test func kilylabsOneDayStatement() throws {
    let s = try BankStatementReader.parse(real("kilylabs-one_day.txt"))
    #expect(s.encoding == .cp1251)
    #expect(s.header.sender == "Банк Клиент Онлайн")
    #expect(s.ourAccounts == ["40702810200000000001"])
    #expect(s.sections.count == 1)
    #expect(s.sections.first?.opening == 45329_91)
    #expect(s.sections.first?.closing == 44145_91)
    #expect(s.documents.count == 13)
    #expect(s.documents.filter { $0.kind == "Банковский ордер" }.count == 6)
    let incoming = s.documents.filter { $0.isIncoming(ours: s.ourAccounts) }
    #expect(incoming.map(\.number) == ["5", "6", "1"])
    #expect(incoming.map(\.amount) == [6000_00, 14000_00, 20000_00])
    #expect(incoming.first?.payerKPP == "123123123")
    #expect(incoming.first?.payerBank == "ПАО АКБ \"МЕТАЛЛИНВЕСТБАНК\" Г МОСКВА")
    #expect(s.warnings == [])
    // Two documents numbered 1 (one out, one in) are different documents.
    let ones = BankImport.records(s).filter { $0.number == "1" }
    #expect(ones.count == 2 && Set(ones.map(\.key)).count == 2)
  }

  /// dronm/clbnk's kl_to_1c.txt (Windows-1251, CRLF): one account section, a bank order and two
  /// payment orders, none of them to our account.
  @Test func dronmStatement() throws {
    let s = try BankStatementReader.parse(real("dronm-kl_to_1c.txt"))
    #expect(s.encoding == .cp1251)
    #expect(s.header.from?.iso == "2024-01-01" && s.header.to?.iso == "2024-04-11")
    #expect(s.sections.map(\.account) == ["40702810000000074935"])
    #expect(s.sections.first?.received == 616050_00)
    #expect(
      s.documents.map(\.kind) == ["Банковский ордер", "Платежное поручение", "Платежное поручение"])
    #expect(s.documents.map(\.number) == ["69147", "1", "2"])
    #expect(s.documents.map(\.amount) == [6936_00, 13056_00, 150000_00])
    #expect(s.documents.map(\.line) == [20, 86, 152])
    #expect(s.documents[1].payerINN == "7123456789")
    #expect(s.warnings == [])
  }

  /// dronm/clbnk's to_bank.txt: 1C's payment orders for the bank, with bare `СекцияДокумент`
  /// lines. Refused for what it is, in both languages, naming the first document.
  @Test func aPaymentOrderFileIsRefusedForWhatItIs() throws {
    #expect {
      try BankStatementReader.parse(real("dronm-to_bank.txt"))
    } throws: { e in
      guard let e = e as? BankStatementError else { return false }
      return e.line == 10 && e.key == "СекцияДокумент"
        && e.message(.en).hasPrefix(
          "line 10 (СекцияДокумент): this is a payment-order file (from 1C to the bank), not a statement"
        )
        && e.message(.ru).hasPrefix(
          "строка 10 (СекцияДокумент): это файл платёжных поручений (из 1С в банк), а не выписка")
    }
    // The streaming reader (what `crm payment import` uses) refuses it too.
    let url = realBank.appendingPathComponent("dronm-to_bank.txt")
    #expect(throws: BankStatementError.self) {
      _ = try BankStatementReader.stream(contentsOf: url, header: { _ in }, document: { _ in })
    }
  }

  /// The shape of Xini1/client-bank-exchange's samples 2–5 (an ERP's payment orders):
  /// `СекцияДокумент=Платежное поручение`, no account section, no bank dates.
  @Test func paymentOrdersWithKindsAreRefusedToo() throws {
    let text = """
      1CClientBankExchange\r
      ВерсияФормата=1.03\r
      Кодировка=Windows\r
      Отправитель=OEBS R12\r
      Получатель=ДБО BS-Client v.3 BSS\r
      РасчСчет=40702810942020002415\r
      Документ=Платежное поручение\r
      СекцияДокумент=Платежное поручение\r
      Номер=288\r
      Дата=20.08.2021\r
      Сумма=0.01\r
      ПлательщикСчет=40702810942020002415\r
      ПолучательСчет=40702810938120061991\r
      КонецДокумента\r
      \r
      КонецФайла\r

      """
    #expect {
      try BankStatementReader.parse(cp1251(text))
    } throws: { e in
      (e as? BankStatementError)?.line == 8
    }
    // The same document with the bank's date of debit is a statement.
    let statement = text.replacingOccurrences(
      of: "ПолучательСчет=40702810938120061991\r\n",
      with: "ПолучательСчет=40702810938120061991\r\nДатаСписано=20.08.2021\r\n")
    #expect(try BankStatementReader.parse(cp1251(statement)).documents.count == 1)
  }

  /// A broken header date (seen in a real file: `ДатаКонца=23.08.201819202122`) is a warning
  /// naming the line and field; the documents are read.
  @Test func aBadHeaderFieldWarnsAndTheDocumentsAreRead() throws {
    var text = try #require(String(data: try real("kilylabs-one_day_utf8.txt"), encoding: .utf8))
    text = text.replacingOccurrences(
      of: "ДатаКонца=11.01.2016\r\nРасчСчет=40702810200000000001\r\nСекцияРасчСчет",
      with: "ДатаКонца=23.08.201819202122\r\nРасчСчет=40702810200000000001\r\nСекцияРасчСчет")
    text = text.replacingOccurrences(of: "ВсегоПоступило=40000.00", with: "ВсегоПоступило=сорок")
    let s = try BankStatementReader.parse(Data(text.utf8))
    #expect(s.documents.count == 13)
    #expect(s.header.to == nil && s.header.from?.iso == "2016-01-11")
    #expect(s.sections.first?.received == nil && s.sections.first?.opening == 45329_91)
    #expect(s.warnings.map(\.line) == [9, 16])
    #expect(
      s.warnings.first?.message(.ru)
        == "строка 9: ДатаКонца: «23.08.201819202122» — не дата; в формате даты пишутся дд.ММ.гггг, например 15.06.2025; поле пропущено"
    )
    #expect(
      s.warnings.first?.message(.en).hasPrefix(
        "line 9: ДатаКонца: «23.08.201819202122» is not a date") == true)
    // The period falls back to the documents' days.
    #expect(BankImport.period(s).map { [$0.from, $0.to] } == ["2016-01-11", "2016-01-11"])
  }
}
