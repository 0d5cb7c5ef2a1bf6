import CRMCore
import CRMExchange
import Foundation
import Testing

/// The MIME parser on messages written out by hand (bytes from Python's codecs where a charset
/// is involved), the malformed ones included.
@Suite struct MIMEParserTests {
  func parse(_ text: String, cap: Int = 64 * 1024) throws -> ParsedMail {
    try MIMEParser.parse(
      Array(text.utf8), options: MIMEParser.Options(textCap: cap), language: .en)
  }

  func failure(_ text: String, language: Language = .en) -> String? {
    do {
      _ = try MIMEParser.parse(Array(text.utf8), language: language)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func foldedHeadersAndEncodedWordsSplitAcrossLines() throws {
    let m = try parse(
      "Subject: =?utf-8?b?0J7Rh9C10L3RjCDQtNC70LjQvdC90LDRjyDRgtC10LzQsCDQv9C40YHRjNC80LAg?=\r\n"
        + " =?utf-8?b?0L/RgNC+INC60L7QvNC80LXRgNGH0LXRgdC60L7QtSDQv9GA0LXQtNC70L7QttC1?=\r\n"
        + " =?utf-8?b?0L3QuNC1INC90LAg0L/QvtGB0YLQsNCy0LrRgw==?=\r\n"
        + "From: =?koi8-r?q?=E9=D7=C1=CE?= =?koi8-r?q?_=F0=C5=D4=D2=CF=D7?= <Ivan@Romashka.RU>\r\n"
        + "To: a@b.ru,\r\n  \"Smith, John\" <john@x.org>\r\n"
        + "Message-ID: <abc@host>\r\nDate: Tue, 8 Dec 2026 10:00:00 +0300\r\n\r\nbody\r\n")
    #expect(m.subject == "Очень длинная тема письма про коммерческое предложение на поставку")
    #expect(m.from == [MailAddress(name: "Иван Петров", address: "Ivan@Romashka.RU")])
    #expect(m.from[0].key == "ivan@romashka.ru")
    #expect(m.to.map(\.address) == ["a@b.ru", "john@x.org"])
    #expect(m.to[1].name == "Smith, John")
    #expect(m.messageId == "abc@host")
    #expect(m.date == Date(timeIntervalSince1970: 1_796_713_200))
    #expect(m.text == "body")
  }

  @Test func encodedWordsKeepTheSpaceBetweenPlainWords() throws {
    let m = try parse(
      "Subject: Re: =?utf-8?q?=D0=A1=D1=87=D1=91=D1=82?= for =?iso-8859-1?q?caf=E9?=\n\nx")
    #expect(m.subject == "Re: Счёт for café")
  }

  @Test func charsetsOfTheBody() throws {
    let koi = try parse(
      "From: a@b.ru\nContent-Type: text/plain; charset=KOI8-R\nContent-Transfer-Encoding: base64\n\n"
        + "8NLJ18XULCDNydI=\n")
    #expect(koi.text == "Привет, мир")
    let cp = try parse(
      "From: a@b.ru\nContent-Type: text/plain; charset=\"windows-1251\"\n"
        + "Content-Transfer-Encoding: quoted-printable\n\n"
        + "=D1=F7=B8=F2 =EE=EF=EB=E0=F7=E5=ED. =D1=EF=E0=F1=E8=E1=EE!=\n\n")
    #expect(cp.text == "Счёт оплачен. Спасибо!")
    var bytes = Array("From: a@b.ru\nContent-Type: text/plain; charset=iso-8859-5\n\n".utf8)
    bytes += [0xC2, 0xD5, 0xE1, 0xE2]
    #expect(try MIMEParser.parse(bytes, language: .en).text == "Тест")
    var latin = Array("From: a@b.ru\nContent-Type: text/plain; charset=iso-8859-1\n\n".utf8)
    latin += [0x63, 0x61, 0x66, 0xE9]
    #expect(try MIMEParser.parse(latin, language: .en).text == "café")
  }

  @Test func anUnknownCharsetIsReadWithAWarning() throws {
    let m = try parse("From: a@b.ru\nContent-Type: text/plain; charset=x-martian\n\nhello ✓\n")
    #expect(m.text == "hello ✓")
    #expect(m.warnings.contains { $0.contains("x-martian") })
  }

  @Test func plainIsPreferredOverHTMLAndAttachmentsAreNamed() throws {
    let m = try parse(
      """
      From: a@b.ru
      Content-Type: multipart/mixed; boundary="outer"

      preamble
      --outer
      Content-Type: multipart/alternative; boundary=inner

      --inner
      Content-Type: text/html; charset=utf-8

      <p>HTML версия</p>
      --inner
      Content-Type: text/plain; charset=utf-8

      Текстовая версия
      --inner--
      --outer
      Content-Type: application/pdf
      Content-Disposition: attachment;
        filename*0*=utf-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20;
        filename*1*=%D0%BF%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B8.pdf
      Content-Transfer-Encoding: base64

      JVBERi0xLjQK
      --outer
      Content-Type: image/png; name="=?utf-8?b?0YTQvtGC0L4ucG5n?="
      Content-Transfer-Encoding: base64

      iVBORw0KGgo=
      --outer--
      epilogue
      """)
    #expect(m.text == "Текстовая версия")
    #expect(!m.textFromHTML)
    #expect(m.files.map(\.name) == ["Договор поставки.pdf", "фото.png"])
    #expect(m.files.map(\.part) == ["2", "3"])
    #expect(m.files[0].size == 9)
    #expect(m.warnings.isEmpty)
  }

  @Test func htmlOnlyIsStrippedNeverRun() throws {
    let m = try parse(
      """
      From: a@b.ru
      Content-Type: text/html; charset=utf-8

      <html><head><title>t</title><style>p{color:red}</style></head>
      <body><script>alert('x')</script><p>Добрый&nbsp;день,<br>счёт &laquo;15&raquo; &#8470;&#x31;</p>
      <img src="http://tracker.example/p.gif"><!-- <p>hidden</p> --><div>Итого: 5&nbsp;000 &amp; ещё</div></body></html>
      """)
    #expect(m.text == "Добрый день,\nсчёт «15» №1\n\nИтого: 5 000 & ещё")
    #expect(m.textFromHTML)
  }

  @Test func escapeSequencesNeverReachTheText() throws {
    let m = try parse(
      "From: a@b.ru\nSubject: \u{1B}[2Jhi\u{07}\n\nline\u{1B}]0;title\u{07} one\r\nline two\r\n")
    #expect(m.subject == "[2Jhi")
    #expect(!m.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    #expect(m.text.hasSuffix("line two"))
  }

  @Test func longTextIsCutWithANote() throws {
    let body = String(repeating: "Ж", count: 3000)  // 6000 bytes
    let m = try parse("From: a@b.ru\nContent-Type: text/plain; charset=utf-8\n\n" + body, cap: 1024)
    #expect(m.textCut)
    #expect(m.text.hasPrefix(String(repeating: "Ж", count: 512)))
    #expect(m.text.contains("the text is cut"))
    #expect(m.text.utf8.count < 1200)
  }

  @Test func addressListsWithGroupsAndComments() {
    var unknown = Set<String>()
    let list = MailHeader.addresses(
      "undisclosed-recipients:;, team: a@b.ru, \"Пётр\" <p@x.ru>;, c@d.ru (Сергей),"
        + " =?utf-8?b?0JDQvdC90LA=?= <anna@x.ru>, <@route:bare@x.ru>", unknown: &unknown)
    #expect(list.map(\.address) == ["a@b.ru", "p@x.ru", "c@d.ru", "anna@x.ru", "bare@x.ru"])
    #expect(list.map(\.name) == ["", "Пётр", "Сергей", "Анна", ""])
  }

  @Test func datesInOldForms() {
    #expect(MailHeader.date("8 Dec 26 10:00 GMT") == Date(timeIntervalSince1970: 1_796_724_000))
    #expect(
      MailHeader.date("Tue, 08 Dec 2026 10:00:00 +0000 (UTC)")
        == Date(timeIntervalSince1970: 1_796_724_000))
    #expect(
      MailHeader.date("Tue, 8 Dec 2026 05:00:00 EST") == Date(timeIntervalSince1970: 1_796_724_000)
    )
    #expect(MailHeader.date("yesterday") == nil)
    #expect(MailHeader.date("32 Dec 2026 10:00 +0000") == nil)
  }

  @Test func brokenMessagesNameThePart() {
    #expect(failure("") == "not an e-mail message: no header lines (Name: value) at the start")
    #expect(failure("just some text\nwithout headers\n")?.hasPrefix("not an e-mail") == true)
    #expect(
      failure(
        "From: a@b.ru\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b\n"
          + "Content-Type: multipart/mixed; boundary=c\n\n--c\n"
          + "Content-Transfer-Encoding: base64\n\nAAA%AAA\n--c--\n--b--\n")
        == "part 2.1: base64 is broken (byte 4 of the part's body)")
    #expect(
      failure("From: a@b.ru\nContent-Type: multipart/mixed\n\nx\n")
        == "part 1: multipart/mixed without a boundary parameter")
    #expect(
      failure(
        "From: a@b.ru\nContent-Type: multipart/mixed; boundary=zz\n\nno parts\n", language: .ru)
        == "часть 1: граница частей «zz» не встречается")
    #expect(
      failure("From: a@b.ru\nContent-Transfer-Encoding: base64\n\nQUJD\nQ\n")
        == "part 1: base64 is broken (it ends in the middle of a byte)")
  }

  @Test func anUnclosedMultipartKeepsItsPartsWithAWarning() throws {
    let m = try parse(
      "From: a@b.ru\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nпервая\n--b\n\nвторая")
    #expect(m.text == "первая\n\nвторая")
    #expect(m.warnings == ["part 1: the multipart is not closed (the message may be cut)"])
  }

  @Test func deepNestingIsRefused() {
    var text = "From: a@b.ru\n"
    for i in 0..<40 { text += "Content-Type: multipart/mixed; boundary=b\(i)\n\n--b\(i)\n" }
    text += "\nx\n"
    #expect(failure(text)?.contains("nested deeper than 32") == true)
  }

  @Test func aMissingMessageIdGetsAStableOne() throws {
    let text = "From: a@b.ru\nTo: c@d.ru\nSubject: s\nDate: 8 Dec 2026 10:00 +0000\n\nhello\n"
    let a = MailLog.record(try parse(text), direction: .incoming, fallbackDate: .distantPast)
    let b = MailLog.record(try parse(text), direction: .incoming, fallbackDate: .distantPast)
    let c = MailLog.record(
      try parse(text.replacingOccurrences(of: "hello", with: "bye")), direction: .incoming,
      fallbackDate: .distantPast)
    #expect(a.messageId == b.messageId)
    #expect(a.messageId != c.messageId)
    #expect(a.messageId.hasSuffix("@termcrm"))
  }

  @Test func headersOnlyReadsNoBody() throws {
    let m = try MIMEParser.headers(
      Array("From: a@b.ru\nContent-Type: multipart/mixed; boundary=b\n\n--b\nbroken".utf8),
      language: .en)
    #expect(m.from.map(\.address) == ["a@b.ru"])
    #expect(m.text.isEmpty)
  }
}
