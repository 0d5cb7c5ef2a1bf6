import CRMCore
import CRMExchange
import Foundation
import Testing

// The samples in Golden/ are the same statement in UTF-8 (LF) and Windows-1251 (CRLF): line 21
// opens document № 417, line 24 is its Сумма.

private func golden(_ name: String) throws -> Data {
  let url = goldenFolder.appendingPathComponent(name)
  return try Data(contentsOf: url)
}

private func utf8Sample() throws -> String {
  String(decoding: try golden("bank-statement-utf8.txt"), as: UTF8.self)
}

/// The UTF-8 sample with the text `old` (which must occur once) replaced by `new`.
private func edited(_ old: String, _ new: String) throws -> String {
  let text = try utf8Sample()
  precondition(text.components(separatedBy: old).count == 2, "«\(old)» must occur once")
  return text.replacingOccurrences(of: old, with: new)
}

private func crlf(_ text: String) -> String {
  text.replacingOccurrences(of: "\n", with: "\r\n")
}

private func failure(_ data: Data) -> BankStatementError? {
  do {
    _ = try BankStatementReader.parse(data)
    return nil
  } catch {
    return error
  }
}

private func failure(_ text: String) -> BankStatementError? { failure(Data(text.utf8)) }

private let ours = "40702810938000012345"
private let day = BankDate(year: 2025, month: 6, day: 15)!

/// Document № 417 of the samples, as every reading of them must give it.
private func checkSampleDocument(_ d: BankDocument) {
  #expect(d.line == 21)
  #expect(d.kind == "Платежное поручение")
  #expect(d.number == "417")
  #expect(d.date == day)
  #expect(d.amount == 12_000_000)
  #expect(d.payerAccount == "40702810001230000777")
  #expect(d.payerName == "ООО \"Вектор\"")
  #expect(d.payerINN == "5001999994")
  #expect(d.payerKPP == "500101001")
  #expect(d.payerBIC == "044525593")
  #expect(d.payerBank == "АО \"АЛЬФА-БАНК\" г. Москва")
  #expect(d.payeeAccount == ours)
  #expect(d.payeeName == "ООО \"Ромашка\"")
  #expect(d.payeeINN == "7701234560")
  #expect(d.payeeKPP == "770101001")
  #expect(d.payeeBIC == "044525225")
  #expect(d.payeeBank == "ПАО Сбербанк г. Москва")
  #expect(d.dateReceived == day)
  #expect(d.dateWritten == nil)
  #expect(
    d.purpose
      == "Оплата по счету № 12 от 10.06.2025 по договору № 7/25, в т.ч. НДС 20% 20000.00 руб.")
  #expect(d.fields.count == 27)
  #expect(d.fields.first == BankField(key: "Номер", value: "417", line: 22))
  #expect(d.value("ПлательщикКорсчет") == "30101810200000000593")
  #expect(d.value("Очередность") == "5")
  #expect(d.value("НетТакого") == nil)
  #expect(d.isIncoming(ours: [ours]))
  #expect(!d.isOutgoing(ours: [ours]))
  #expect(!d.isIncoming(ours: ["40702810000000000001"]))
}

private func checkSample(_ s: BankStatement, encoding: BankEncoding) {
  #expect(s.encoding == encoding)
  #expect(s.header.formatVersion == "1.03")
  #expect(s.header.encodingName == "Windows")
  #expect(s.header.sender == "СберБизнес")
  #expect(s.header.receiver == "1С:Бухгалтерия предприятия")
  #expect(s.header.created == BankDate(year: 2025, month: 6, day: 16))
  #expect(s.header.createdTime == "09:15:02")
  #expect(s.header.from == day)
  #expect(s.header.to == day)
  #expect(s.header.accounts == [ours])
  #expect(s.header.documentKinds == ["Платежное поручение"])
  #expect(s.header.fields.count == 10)
  #expect(
    s.sections == [
      BankAccountSection(
        account: ours, from: day, to: day, opening: 10_000_000, received: 12_000_000,
        written: 0, closing: 22_000_000, line: 12)
    ])
  #expect(s.documents.count == 1)
  if let d = s.documents.first { checkSampleDocument(d) }
  #expect(s.warnings == [])
  #expect(s.ourAccounts == [ours])
}

/// A small statement with one document whose lines are given (after `СекцияДокумент=`). When
/// the lines give no bank date, `ДатаПоступило` closes the document: without an account section
/// or such a date, a file of documents is 1C's payment orders for the bank, not a statement.
private func statement(kind: String = "Платежное поручение", _ lines: [String]) -> String {
  let dated = lines.contains {
    ($0.hasPrefix("ДатаСписано=") || $0.hasPrefix("ДатаПоступило=")) && !$0.hasSuffix("=")
  }
  return
    (["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "РасчСчет=\(ours)"]
    + ["СекцияДокумент=\(kind)"] + lines + (dated ? [] : ["ДатаПоступило=15.06.2025"])
    + ["КонецДокумента", "КонецФайла"])
    .joined(separator: "\r\n") + "\r\n"
}

private let minimal = ["Номер=1", "Дата=15.06.2025", "Сумма=10.00"]

private func draft(_ i: Int) -> BankStatementWriter.Draft {
  BankStatementWriter.Draft(
    number: String(i), date: day, amount: Int64(100_000 + i * 137),
    payerAccount: "40702810001230000777", payerName: "ООО \"Вектор\" № \(i)",
    payerINN: "5001999994", payerKPP: "500101001", payerBIC: "044525593",
    payerBank: "АО \"АЛЬФА-БАНК\" г. Москва", payeeAccount: ours, payeeName: "ООО \"Ромашка\"",
    payeeINN: "7701234560", payeeKPP: "770101001", payeeBIC: "044525225",
    payeeBank: "ПАО Сбербанк", dateReceived: day,
    purpose: "Оплата по счету № \(i) от 10.06.2025, в т.ч. НДС 20%")
}

@Suite struct BankStatementTests {
  // MARK: the samples

  @Test func windows1251SampleReads() throws {
    let data = try golden("bank-statement-cp1251.txt")
    checkSample(try BankStatementReader.parse(data), encoding: .cp1251)
  }

  @Test func utf8SampleWhoseHeaderSaysWindowsReadsAsUTF8WithoutWarning() throws {
    let data = try golden("bank-statement-utf8.txt")
    checkSample(try BankStatementReader.parse(data), encoding: .utf8)
  }

  @Test func readFromFileAndStreamGiveTheSameAsParse() throws {
    let dir = goldenFolder
    for name in ["bank-statement-cp1251.txt", "bank-statement-utf8.txt"] {
      let url = dir.appendingPathComponent(name)
      let parsed = try BankStatementReader.read(contentsOf: url)
      var headers: [BankStatementHeader] = []
      var documents: [BankDocument] = []
      let summary = try BankStatementReader.stream(
        contentsOf: url, header: { headers.append($0) }, document: { documents.append($0) })
      #expect(headers == [parsed.header])
      #expect(documents == parsed.documents)
      #expect(summary.documentCount == 1)
      #expect(summary.sections == parsed.sections)
      #expect(summary.encoding == parsed.encoding)
      #expect(summary.warnings == parsed.warnings)
      #expect(summary.ourAccounts == [ours])
    }
  }

  @Test func missingFileIsAnErrorOnLineZero() {
    let url = URL(fileURLWithPath: "/nonexistent/kl_to_1c.txt")
    #expect(throws: BankStatementError.self) { try BankStatementReader.read(contentsOf: url) }
    do {
      _ = try BankStatementReader.read(contentsOf: url)
    } catch {
      #expect(error.line == 0)
      #expect(error.message(.en).hasPrefix("cannot read /nonexistent/kl_to_1c.txt"))
    }
  }

  // MARK: encodings

  @Test func windows1251FileWhoseHeaderSaysDOSIsReadAsWindowsWithAWarning() throws {
    let text = crlf(try edited("Кодировка=Windows", "Кодировка=DOS"))
    let s = try BankStatementReader.parse(BankEncoding.cp1251.encode(text))
    #expect(s.encoding == .cp1251)
    #expect(s.header.encodingName == "DOS")
    checkSampleDocument(s.documents[0])
    #expect(s.warnings.count == 1)
    #expect(s.warnings.first?.line == 3)
    #expect(
      s.warnings.first?.message(.en)
        == "line 3: the header says DOS (CP866), the file is Windows-1251; read as Windows-1251")
    #expect(
      s.warnings.first?.message(.ru)
        == "строка 3: в заголовке указано DOS (CP866), а файл в кодировке Windows-1251; прочитан как Windows-1251"
    )
  }

  @Test func cp866FileReads() throws {
    let text = crlf(try edited("Кодировка=Windows", "Кодировка=DOS"))
    let s = try BankStatementReader.parse(BankEncoding.cp866.encode(text))
    #expect(s.encoding == .cp866)
    #expect(s.warnings == [])
    checkSampleDocument(s.documents[0])
  }

  @Test func cp866FileWhoseHeaderSaysWindowsIsReadAsDOSWithAWarning() throws {
    let s = try BankStatementReader.parse(BankEncoding.cp866.encode(try utf8Sample()))
    #expect(s.encoding == .cp866)
    checkSampleDocument(s.documents[0])
    #expect(s.warnings.map(\.line) == [3])
    #expect(s.warnings.first?.en.contains("the file is DOS (CP866)") == true)
  }

  @Test func codePageTablesMatchKnownBytes() {
    let text = "ВерсияФормата=1.03 Ёё№"
    #expect(
      [UInt8](BankEncoding.cp866.encode(text))
        == [
          130, 165, 224, 225, 168, 239, 148, 174, 224, 172, 160, 226, 160, 61, 49, 46, 48, 51, 32,
          240, 241, 252,
        ])
    #expect(
      [UInt8](BankEncoding.cp1251.encode(text))
        == [
          194, 229, 240, 241, 232, 255, 212, 238, 240, 236, 224, 242, 224, 61, 49, 46, 48, 51, 32,
          168, 184, 185,
        ])
    // What the code page lacks becomes a question mark.
    #expect(BankEncoding.cp866.encode("«€»") == Data("???".utf8))
  }

  @Test func byteOrderMarkMeansUTF8() throws {
    let data = Data([0xEF, 0xBB, 0xBF]) + (try golden("bank-statement-utf8.txt"))
    checkSample(try BankStatementReader.parse(data), encoding: .utf8)
  }

  @Test(
    arguments: [
      [0xC2],  // a lead byte without its continuation, at the end of the line
      [0xC2, 0x41],  // … followed by ASCII
      [0x80],  // a lone continuation byte
      [0xC0, 0x80],  // an overlong NUL
      [0xE0, 0x80, 0x80],  // an overlong 3-byte form
      [0xED, 0xA0, 0x80],  // a surrogate
      [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      [0xF8, 0x88, 0x80, 0x80, 0x80],  // a 5-byte form
      [0xEE],  // Windows-1251 «о»
    ] as [[UInt8]])
  func invalidUTF8AfterTheChoiceIsAnErrorOnItsLine(bytes: [UInt8]) throws {
    // Line 26 (Плательщик) gets the bytes in a UTF-8 file.
    let text = try edited("ООО \"Вектор\"\nПлательщикИНН", "ООО X\nПлательщикИНН")
    var data = Data(text.utf8)
    let x = data.firstIndex(of: UInt8(ascii: "X"))!
    data.replaceSubrange(x...x, with: bytes)
    let error = try #require(failure(data))
    #expect(error.line == 26)
    #expect(error.message(.en).contains("not valid UTF-8"))
  }

  @Test func validUTF8OfEveryLengthReads() throws {
    let name = "ООО «Ёлка» é € 𝄞 \u{10FFFF}"
    let s = try BankStatementReader.parse(
      Data(try edited("Плательщик1=ООО \"Вектор\"", "Плательщик1=\(name)").utf8))
    #expect(s.documents[0].payerName == name)
  }

  // MARK: line ends and syntax

  @Test func lfCRLFAndMixedLineEndsReadTheSame() throws {
    let lines = try utf8Sample().split(separator: "\n", omittingEmptySubsequences: false)
    let ends = ["\r\n", "\n", "\r"]
    var mixed = ""
    for (i, line) in lines.enumerated() where i < lines.count - 1 {
      mixed += line + ends[i % 3]
    }
    for text in [lines.joined(separator: "\n"), crlf(lines.joined(separator: "\n")), mixed] {
      checkSample(try BankStatementReader.parse(Data(text.utf8)), encoding: .utf8)
    }
  }

  @Test func lastLineWithoutLineBreakAndBlankLinesAreFine() throws {
    var text = try utf8Sample()
    text = text.replacingOccurrences(of: "КонецРасчСчет\n", with: "КонецРасчСчет\n\n  \n")
    text = String(text.dropLast())  // no line break after КонецФайла
    let s = try BankStatementReader.parse(Data(text.utf8))
    #expect(s.documents.count == 1)
    #expect(s.documents[0].line == 23)
  }

  @Test func spacesAroundKeysAndValuesAreTrimmedAndValuesMayBeEmptyOrHoldEquals() throws {
    let s = try BankStatementReader.parse(
      Data(
        statement([
          "  Номер = 7 ", "Дата=15.06.2025", "Сумма=1.5", "ДатаСписано=", "Код=a=b",
          "ПлательщикКПП=",
        ]).utf8))
    let d = s.documents[0]
    #expect(d.number == "7")
    #expect(d.amount == 150)
    #expect(d.dateWritten == nil)
    #expect(d.value("Код") == "a=b")
    #expect(d.value("ПлательщикКПП") == "")
    #expect(d.fields[0] == BankField(key: "Номер", value: "7", line: 6))
  }

  @Test func formatVersion102Reads() throws {
    let text = try edited("ВерсияФормата=1.03", "ВерсияФормата=1.02")
    let s = try BankStatementReader.parse(BankEncoding.cp1251.encode(text))
    #expect(s.header.formatVersion == "1.02")
    checkSampleDocument(s.documents[0])
  }

  @Test func everyDocumentKindIsAccepted() throws {
    let text = """
      1CClientBankExchange
      ВерсияФормата=1.02
      Кодировка=Windows
      РасчСчет=\(ours)
      Документ=Банковский ордер
      Документ=Платежное требование
      СекцияДокумент=Банковский ордер
      Номер=5
      Дата=14.06.2025
      Сумма=300.00
      ПлательщикСчет=\(ours)
      ДатаСписано=14.06.2025
      ПолучательСчет=70601810000000000001
      КонецДокумента
      СекцияДокумент=Платежное требование
      Номер=6
      Дата=15.06.2025
      Сумма=40
      ПлательщикРасчСчет=40702810001230000777
      Плательщик=ИНН 5001999994 ООО Вектор
      ПолучательРасчСчет=\(ours)
      Получатель=ООО Ромашка
      НазначениеПлатежа=
      НазначениеПлатежа1=Оплата
      НазначениеПлатежа2=
      НазначениеПлатежа3=по счету № 3
      КонецДокумента
      СекцияДокумент=Аккредитив
      Номер=7
      Дата=15.06.2025
      Сумма=1
      КонецДокумента
      КонецФайла

      """
    let s = try BankStatementReader.parse(BankEncoding.cp1251.encode(text))
    #expect(s.header.documentKinds == ["Банковский ордер", "Платежное требование"])
    #expect(s.documents.map(\.kind) == ["Банковский ордер", "Платежное требование", "Аккредитив"])
    let (order, claim) = (s.documents[0], s.documents[1])
    #expect(order.amount == 30_000)
    #expect(order.isOutgoing(ours: s.ourAccounts))
    #expect(!order.isIncoming(ours: s.ourAccounts))
    #expect(claim.amount == 4000)
    #expect(claim.payerAccount == "40702810001230000777")
    #expect(claim.payerName == "ООО Вектор")
    #expect(claim.payeeName == "ООО Ромашка")
    #expect(claim.purpose == "Оплата по счету № 3")
    // Neither date set: the payee account decides.
    #expect(claim.isIncoming(ours: s.ourAccounts))
    #expect(!claim.isOutgoing(ours: s.ourAccounts))
    #expect(!s.documents[2].isIncoming(ours: s.ourAccounts))
  }

  @Test func unknownKeysAreKeptInOrder() throws {
    let s = try BankStatementReader.parse(
      Data(statement(["НовыйКлюч=x"] + minimal + ["ИдентификаторПлатежа=abc-1"]).utf8))
    let d = s.documents[0]
    #expect(
      d.fields.map(\.key) == [
        "НовыйКлюч", "Номер", "Дата", "Сумма", "ИдентификаторПлатежа", "ДатаПоступило",
      ])
    #expect(d.value("ИдентификаторПлатежа") == "abc-1")
    #expect(s.warnings == [])
  }

  @Test func repeatedKeyLastWinsWithAWarning() throws {
    let s = try BankStatementReader.parse(Data(statement(minimal + ["Сумма=20.00"]).utf8))
    #expect(s.documents[0].amount == 2000)
    #expect(s.documents[0].fields.count == 5)
    #expect(s.warnings.map(\.line) == [9])
    #expect(s.warnings[0].message(.en) == "line 9: Сумма repeats line 8; the last value is used")
  }

  @Test func strayLinesAndTextAfterTheEndAreWarnings() throws {
    var text = statement(["просто текст"] + minimal)
    text += "\r\nмусор\r\nещё мусор\r\n"
    let s = try BankStatementReader.parse(BankEncoding.cp1251.encode(text))
    #expect(s.documents.count == 1)
    #expect(s.warnings.map(\.line) == [6, 14])
    #expect(s.warnings[0].en.contains("«просто текст» is neither key=value nor a section marker"))
    #expect(s.warnings[1].ru == "текст после КонецФайла пропущен")
  }

  @Test func keysBetweenSectionsAndStrayAccountEndsAreWarnings() throws {
    let text = try edited("КонецДокумента\n", "КонецДокумента\nОстаток=1\nКонецРасчСчет\n")
    let s = try BankStatementReader.parse(Data(text.utf8))
    #expect(s.documents.count == 1)
    #expect(s.warnings.map(\.line) == [50, 51])
    #expect(s.warnings[0].en == "Остаток= outside any section is ignored")
  }

  // MARK: structure errors

  @Test func documentWithoutItsEndIsAnErrorOnItsFirstLine() throws {
    // Another document starts.
    let next = try edited("КонецДокумента\n", "СекцияДокумент=Платежное поручение\n")
    var error = try #require(failure(next))
    #expect(error.line == 21)
    #expect(error.key == "СекцияДокумент")
    #expect(
      error.message(.en)
        == "line 21 (СекцияДокумент): the document started on line 21 has no КонецДокумента; line 49 starts another document"
    )
    // КонецФайла comes.
    error = try #require(failure(try edited("КонецДокумента\n", "")))
    #expect(error.line == 21)
    #expect(
      error.message(.ru).hasPrefix("строка 21 (СекцияДокумент): документ, начатый в строке 21"))
    // The file ends.
    error = try #require(failure(try edited("КонецДокумента\nКонецФайла\n", "")))
    #expect(error.line == 21)
    #expect(error.en.hasSuffix("the file ends on line 48"))
  }

  @Test func accountSectionWithoutItsEndIsAnError() throws {
    let error = try #require(failure(try edited("КонецРасчСчет\n", "")))
    #expect(error.line == 12)
    #expect(error.key == "СекцияРасчСчет")
    #expect(error.en.contains("has no КонецРасчСчет; line 20 starts another document"))
  }

  @Test func strayDocumentEndIsAnError() throws {
    let error = try #require(failure(try edited("СекцияДокумент=Платежное поручение\n", "")))
    #expect(error.line == 48)
    #expect(error.key == "КонецДокумента")
  }

  @Test func fileWithoutItsEndIsAnErrorOnTheLastLine() throws {
    let error = try #require(failure(try edited("КонецФайла\n", "")))
    #expect(error.line == 49)
    #expect(error.message(.en) == "line 49: the file ends without КонецФайла (is it cut short?)")
  }

  @Test func wrongFirstLineIsAnErrorOnLineOne() throws {
    for text in [
      "1CClientBankExchang\r\nВерсияФормата=1.03\r\n", "\r\n1CClientBankExchange\r\n", "{}",
    ] {
      let error = try #require(failure(text))
      #expect(error.line == 1)
      #expect(
        error.message(.en)
          == "line 1: not a 1C bank statement: the first line must be 1CClientBankExchange")
    }
    // Spaces around the signature are fine.
    let s = try BankStatementReader.parse(
      Data(("  1CClientBankExchange \r\n" + statement(minimal).dropFirst(22)).utf8))
    #expect(s.documents.count == 1)
  }

  @Test func emptyFileIsAnErrorOnLineZero() throws {
    for data in [Data(), Data("\r\n\r\n  \n".utf8), Data([0xEF, 0xBB, 0xBF])] {
      let error = try #require(failure(data))
      #expect(error.line == 0)
      #expect(error.message(.en) == "the file is empty")
      #expect(error.message(.ru) == "файл пуст")
    }
  }

  // MARK: values

  @Test(arguments: ["12a", "-5", "0", "1.234", "", "0.00", "12.3.4"])
  func badAmountIsAnErrorNamingLineAndKey(amount: String) throws {
    let text = try edited("Сумма=120000.00", "Сумма=\(amount)")
    let error = try #require(failure(text))
    #expect(error.line == 24)
    #expect(error.key == "Сумма")
    #expect(error.message(.en).hasPrefix("line 24 (Сумма): "))
    #expect(error.message(.ru).hasPrefix("строка 24 (Сумма): "))
    if !amount.isEmpty {
      #expect(error.en.contains("«\(amount)»"))
      #expect(error.ru.contains("«\(amount)»"))
    }
  }

  @Test(arguments: ["120 000,00", "120000,00", "120\u{00A0}000.00", "120000", "120000.0"])
  func amountWithCommaOrSpacesIsAccepted(amount: String) throws {
    let text = try edited("Сумма=120000.00", "Сумма=\(amount)")
    for data in [Data(text.utf8), BankEncoding.cp1251.encode(text)] {
      let s = try BankStatementReader.parse(data)
      #expect(s.documents[0].amount == 12_000_000)
    }
  }

  @Test(arguments: [
    ("Дата=15.06.2025", "Дата=31.02.2025", 23),
    ("Дата=15.06.2025", "Дата=00.01.2025", 23),
    ("Дата=15.06.2025", "Дата=2025-06-15", 23),
    ("Дата=15.06.2025", "Дата=", 23),
    ("ДатаПоступило=15.06.2025", "ДатаПоступило=32.06.2025", 36),
  ])
  func badDateIsAnErrorNamingLineAndKey(old: String, new: String, line: Int) throws {
    let error = try #require(failure(try edited(old, new)))
    #expect(error.line == line)
    #expect(error.key == String(new.prefix { $0 != "=" }))
  }

  /// Header and account-section dates and balances only describe the file: one that does not
  /// read is a warning naming its line and key, the field is left out, the documents are read.
  @Test(arguments: [
    ("ДатаСоздания=16.06.2025", "ДатаСоздания=29.02.2025", 6),
    (
      "ДатаКонца=15.06.2025\nРасчСчет=40702810938000012345\nДок",
      "ДатаКонца=15.13.2025\nРасчСчет=40702810938000012345\nДок", 9
    ),
    (
      "ДатаКонца=15.06.2025\nРасчСчет=40702810938000012345\nНач",
      "ДатаКонца=1.6.2025\nРасчСчет=40702810938000012345\nНач", 14
    ),
    ("ВсегоСписано=0.00\nКон", "ВсегоСписано=x\nКон", 18),
  ])
  func badHeaderOrBalanceFieldIsAWarningNamingLineAndKey(old: String, new: String, line: Int)
    throws
  {
    let s = try BankStatementReader.parse(Data(try edited(old, new).utf8))
    #expect(s.documents.count == 1)
    let key = String(new.prefix { $0 != "=" })
    #expect(s.warnings.map(\.line) == [line])
    #expect(s.warnings.first?.en.hasPrefix(key + ": ") == true)
    let value = String(new.dropFirst(key.count + 1).prefix { $0 != "\n" })
    #expect(s.warnings.first?.en.contains(value) == true)
    #expect(s.warnings.first?.ru.hasSuffix("; поле пропущено") == true)
  }

  @Test func impossibleDayMessageDiffersFromWrongForm() throws {
    var error = try #require(failure(try edited("Дата=15.06.2025", "Дата=31.02.2025")))
    #expect(error.message(.en) == "line 23 (Дата): «31.02.2025»: there is no such day")
    error = try #require(failure(try edited("Дата=15.06.2025", "Дата=15/06/2025")))
    #expect(error.message(.ru).hasPrefix("строка 23 (Дата): «15/06/2025» — не дата"))
  }

  @Test func missingOrEmptyNumberIsAnError() throws {
    var error = try #require(failure(try edited("Номер=417\n", "")))
    #expect(error.line == 21)
    #expect(error.key == "Номер")
    #expect(error.message(.en) == "line 21 (Номер): the document has no Номер")
    error = try #require(failure(try edited("Номер=417\n", "Номер= \n")))
    #expect(error.line == 22)
    #expect(error.key == "Номер")
    error = try #require(failure(try edited("Сумма=120000.00\n", "")))
    #expect(error.line == 21)
    #expect(error.key == "Сумма")
  }

  @Test func accountSectionNeedsAnAccountAndAllowsNegativeBalances() throws {
    var text = try edited("КонечныйОстаток=220000.00", "КонечныйОстаток=-1 500,50")
    #expect(try BankStatementReader.parse(Data(text.utf8)).sections[0].closing == -150_050)
    text = try edited("КонечныйОстаток=220000.00", "КонечныйОстаток=")
    #expect(try BankStatementReader.parse(Data(text.utf8)).sections[0].closing == nil)
    let s = try BankStatementReader.parse(
      Data(try edited("ВсегоСписано=0.00\nКон", "ВсегоСписано=x\nКон").utf8))
    #expect(s.sections[0].written == nil)
    #expect(s.warnings.map(\.line) == [18])
    let noAccount = try #require(
      failure(
        try edited("ДатаКонца=15.06.2025\nРасчСчет=\(ours)\nНач", "ДатаКонца=15.06.2025\nНач")))
    #expect(noAccount.line == 12)
    #expect(noAccount.key == "РасчСчет")
  }

  @Test func bankDateChecksTheCalendar() {
    #expect(BankDate(year: 2024, month: 2, day: 29) != nil)
    #expect(BankDate(year: 2025, month: 2, day: 29) == nil)
    #expect(BankDate(year: 1900, month: 2, day: 29) == nil)
    #expect(BankDate(year: 2000, month: 2, day: 29) != nil)
    #expect(BankDate(year: 2025, month: 4, day: 31) == nil)
    #expect(BankDate(year: 2025, month: 13, day: 1) == nil)
    #expect(BankDate(year: 1899, month: 12, day: 31) == nil)
    #expect(BankDate(year: 2201, month: 1, day: 1) == nil)
    #expect(BankDate(russian: "15.06.2025") == day)
    #expect(BankDate(russian: "5.06.2025") == nil)
    #expect(BankDate(russian: "15.06.2025 ") == nil)
    #expect(BankDate(russian: "15-06-2025") == nil)
    #expect(day.iso == "2025-06-15")
    #expect(day.russian == "15.06.2025")
    #expect(BankDate(year: 2025, month: 1, day: 2)!.russian == "02.01.2025")
    #expect(BankDate(year: 2024, month: 12, day: 31)! < BankDate(year: 2025, month: 1, day: 1)!)
    #expect(BankDate(year: 2025, month: 6, day: 14)! < day)
  }

  // MARK: writer

  @Test(arguments: [BankEncoding.cp1251, .utf8, .cp866])
  func writerOutputReadsBackToTheDrafts(encoding: BankEncoding) throws {
    var drafts = (1...3).map(draft)
    drafts[1].kind = "Банковский ордер"
    drafts[1].payerAccount = ours
    drafts[1].payeeAccount = "40702810000000000099"
    drafts[1].dateWritten = day
    drafts[1].dateReceived = nil
    drafts[2].extra = [(key: "КодНазПлатежа", value: "1"), (key: "СвояМетка", value: "х=у")]
    let from = BankDate(year: 2025, month: 6, day: 1)!
    let data = BankStatementWriter.write(
      sender: "Банк \"Тест\"", accounts: [ours], from: from, to: day, documents: drafts,
      encoding: encoding, version: "1.02")
    #expect(data.count > 2 && data.suffix(2) == Data([0x0D, 0x0A]))
    let s = try BankStatementReader.parse(data)
    #expect(s.encoding == encoding)
    #expect(s.warnings == [])
    #expect(s.header.encodingName == (encoding == .cp866 ? "DOS" : "Windows"))
    #expect(s.header.formatVersion == "1.02")
    #expect(s.header.sender == "Банк \"Тест\"")
    #expect(s.header.from == from)
    #expect(s.header.documentKinds == ["Платежное поручение", "Банковский ордер"])
    let received = drafts[0].amount + drafts[2].amount
    #expect(
      s.sections == [
        BankAccountSection(
          account: ours, from: from, to: day, opening: 0, received: received,
          written: drafts[1].amount, closing: received - drafts[1].amount, line: 13)
      ])
    #expect(s.documents.count == 3)
    for (d, w) in zip(s.documents, drafts) {
      #expect(d.kind == w.kind)
      #expect(d.number == w.number)
      #expect(d.date == w.date)
      #expect(d.amount == w.amount)
      #expect(d.payerAccount == w.payerAccount)
      #expect(d.payerName == w.payerName)
      #expect(d.payerINN == w.payerINN)
      #expect(d.payerKPP == w.payerKPP)
      #expect(d.payerBIC == w.payerBIC)
      #expect(d.payerBank == w.payerBank)
      #expect(d.payeeAccount == w.payeeAccount)
      #expect(d.payeeName == w.payeeName)
      #expect(d.payeeINN == w.payeeINN)
      #expect(d.payeeKPP == w.payeeKPP)
      #expect(d.payeeBIC == w.payeeBIC)
      #expect(d.payeeBank == w.payeeBank)
      #expect(d.dateWritten == w.dateWritten)
      #expect(d.dateReceived == w.dateReceived)
      #expect(d.purpose == w.purpose)
    }
    #expect(s.documents[0].isIncoming(ours: s.ourAccounts))
    #expect(s.documents[1].isOutgoing(ours: s.ourAccounts))
    #expect(s.documents[2].value("СвояМетка") == "х=у")
  }

  // MARK: streaming

  @Test func callbackErrorStopsTheStreamAndIsRethrownAsIs() throws {
    struct Stop: Error, Equatable {}
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bank-callback-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    try BankStatementWriter.write(
      sender: "Банк", accounts: [ours], from: day, to: day, documents: (1...5).map(draft)
    ).write(to: url)
    var seen = 0
    #expect(throws: Stop()) {
      _ = try BankStatementReader.stream(
        contentsOf: url, header: { _ in },
        document: {
          seen += 1
          if $0.number == "3" { throw Stop() }
        })
    }
    #expect(seen == 3)
  }

  /// A statement of 75 documents (about 90 KB), lines ending in `ends`; the last document has a bad amount,
  /// so the line of the error tells how lines were counted.
  private func seventyFiveDocuments(ends: String) -> String {
    var t = String(
      decoding: BankStatementWriter.write(
        sender: "Банк", accounts: [ours], from: day, to: day, documents: (0..<75).map(draft),
        encoding: .utf8),
      as: UTF8.self)
    let last = t.range(of: "Сумма=", options: .backwards)!
    t.replaceSubrange(last.upperBound..<last.upperBound, with: "12a")
    return t.replacingOccurrences(of: "\r\n", with: ends)
  }

  @Test(arguments: ["\r\n", "\n", "\r"])
  func streamReadsLinesCutByTheChunkBoundary(ends: String) throws {
    let plain = Data(seventyFiveDocuments(ends: ends).utf8)
    // The last «Плательщик1=ООО "Вектор" № 41» line starting well before the end of the first
    // 64 KiB chunk; padding the sender (trailing spaces are trimmed) moves it so that the chunk
    // ends `cut` bytes into it: inside its two-byte letters, between CR and LF, after its end.
    let key = Data("Плательщик1=".utf8)
    var from = plain.startIndex
    var target = 0
    while let r = plain.range(of: key, in: from..<plain.endIndex),
      r.lowerBound < BankStatementReader.chunkSize - 100
    {
      target = r.lowerBound
      from = r.upperBound
    }
    try #require(target > 0 && plain.count > BankStatementReader.chunkSize + 4096)
    let sender = plain.range(of: Data("Отправитель=Банк".utf8))!.upperBound
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bank-chunk-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    for cut in 0...60 {
      var data = plain
      let pad = BankStatementReader.chunkSize - cut - target
      data.insert(contentsOf: Data(repeating: 0x20, count: pad), at: sender)
      try data.write(to: url)
      let expected = try #require(failure(data))
      var documents: [BankDocument] = []
      var streamed: BankStatementError?
      do {
        _ = try BankStatementReader.stream(
          contentsOf: url, header: { _ in }, document: { documents.append($0) })
      } catch let e as BankStatementError {
        streamed = e
      }
      #expect(streamed == expected, "cut \(cut)")
      #expect(expected.key == "Сумма")
      #expect(documents.map(\.number) == (0..<74).map(String.init))
    }
  }

  @Test func overlongLineIsRefused() throws {
    let long =
      Data("1CClientBankExchange\r\nВерсияФормата=1.03\r\n".utf8)
      + Data(repeating: UInt8(ascii: "a"), count: BankStatementReader.maxLineLength + 1)
    let error = try #require(failure(long))
    #expect(error.line == 3)
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bank-long-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    try long.write(to: url)
    #expect(throws: error) {
      try BankStatementReader.stream(contentsOf: url, header: { _ in }, document: { _ in })
    }
  }

  @Test func warningsStopAtTheLimitAndCountTheRest() throws {
    let stray = Array(repeating: "строка без знака равенства", count: 1100)
    let s = try BankStatementReader.parse(Data(statement(stray + minimal).utf8))
    #expect(s.warnings.count == BankStatementReader.maxWarnings + 1)
    #expect(s.warnings.last?.en == "100 more warnings are not shown")
  }

  @Test func streamingFiftyMegabytesKeepsMemoryBounded() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bank-50mb-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    // Write the file in pieces: a hundred distinct documents, repeated.
    let blocks = (0..<100).map { BankStatementWriter.document(draft($0)) }
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let out = try FileHandle(forWritingTo: url)
    try out.write(
      contentsOf: BankStatementWriter.head(
        sender: "Банк", accounts: [ours], from: day, to: day, documents: []))
    var written = 0
    var count = 0
    var buffer = Data()
    while written < 50_000_000 {
      let block = blocks[count % blocks.count]
      buffer.append(block)
      written += block.count
      count += 1
      if buffer.count > 1 << 20 {
        try out.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    buffer.append(BankStatementWriter.end())
    try out.write(contentsOf: buffer)
    try out.close()
    buffer = Data()

    let before = residentBytes()
    var seen = 0
    var amounts: Int64 = 0
    var headers = 0
    let summary = try BankStatementReader.stream(
      contentsOf: url, header: { _ in headers += 1 },
      document: {
        seen += 1
        amounts += $0.amount
      })
    let after = residentBytes()
    #expect(count > 50_000)
    #expect(summary.documentCount == count)
    #expect(seen == count)
    #expect(headers == 1)
    #expect(summary.warnings == [])
    #expect(amounts > 0)
    if let before, let after {
      #expect(after - before < 40 << 20, "resident memory grew by \((after - before) >> 20) MiB")
    }
  }
}

/// The resident set size from /proc/self/statm; nil where there is no /proc.
private func residentBytes() -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return nil
  }
  let fields = text.split(separator: " ")
  guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

extension BankStatementTests {
  /// Found by fuzzing: a document without a payer name but with an ИНН was written as
  /// `Плательщик=ИНН 7707ик ` and read back with the name «ИНН 7707ик».
  @Test func writerKeepsAnEmptyNameEmpty() throws {
    let date = try #require(BankDate(year: 2026, month: 11, day: 23))
    let d = BankStatementWriter.Draft(
      number: "17", date: date, amount: 1_250_050, payerINN: "7707ик",
      payeeAccount: "40702810500000000002", payeeName: "ИП Лютик", payeeINN: "5001=0732259",
      dateReceived: date)
    let file = BankStatementWriter.write(
      sender: "", accounts: [], from: date, to: date, documents: [d], encoding: .utf8)
    let back = try #require(try BankStatementReader.parse(file).documents.first)
    #expect(back.payerName == "")
    #expect(back.payerINN == "7707ик")
    #expect(back.payeeName == "ИП Лютик")
  }
}
