import CRMCore
import CRMExchange
import Foundation
import TerminalUI
import TestSupport
import Testing

/// A database at 2026-11-23 with our client «Вектор» (ИНН and КПП), contract № 7/25 of
/// 2026-06-01 paid in 10 days, and a money service in Russian, Moscow time.
struct MoneySample {
  let db: CRMDatabase
  let money: MoneyService
  let clients: ClientService
  let vector: Int64
  let contract: Int64
  let company = CompanyRequisites(
    name: "ООО «Наша компания»", inn: "7707083893", kpp: "770701001")

  init() throws {
    db = try CRMDatabase(memory: SteppingClock(start: ContactData.now, step: 0))
    let anna = try #require(try db.user(login: "anna")).id
    clients = ClientService(db: db, userId: anna, language: .ru)
    vector = try clients.add(
      Client(name: "Вектор", legalForm: "ООО", inn: "5001999994", kpp: "500101001"))
    money = MoneyService(
      db: db, userId: anna, language: .ru, timeZone: TimeZone(identifier: "Europe/Moscow")!)
    contract = try money.addContract(
      Contract(
        clientId: vector, number: "7/25", date: "2026-06-01", subject: "Обслуживание",
        paymentDays: 10))
  }

  func invoice(
    _ lines: [OfferLineInput] = [DocumentDraft.sumLine("120 000,00")], number: String = "12",
    client: Int64? = nil, currency: String? = nil, vatOnTop: Bool = false, draft: Bool = false,
    notes: String = ""
  ) throws -> InvoiceDetail {
    let id = try money.addInvoice(
      DocumentDraft(
        clientId: client, contractId: client == nil ? contract : nil, number: number,
        date: "2026-06-10", currency: currency, pricesIncludeVAT: !vatOnTop, draft: draft,
        lines: lines, notes: notes))
    return try #require(try money.invoice(id))
  }

  func act(invoice: Int64? = nil, lines: [OfferLineInput] = []) throws -> ActDetail {
    let id = try money.addAct(
      DocumentDraft(
        contractId: invoice == nil ? contract : nil, invoiceId: invoice, date: "2026-11-20",
        periodFrom: "2026-11-01",
        periodTo: "2026-11-30", lines: lines))
    return try #require(try money.act(id))
  }
}

/// Terminal columns of the widest line.
func textColumns(_ text: String) -> Int {
  text.split(separator: "\n", omittingEmptySubsequences: false).map { TextWidth.of(String($0)) }
    .max() ?? 0
}

/// The line holding `label`.
func lineWith(_ text: String, _ label: String) -> String? {
  text.split(separator: "\n").map(String.init).first { $0.contains(label) }
}

@Suite struct InvoiceDocumentTests {
  @Test func roublesInWordsAgreeInGenderAndNumber() {
    let cases: [(Int64, String)] = [
      (0, "Ноль рублей 00 копеек"),
      (1_00, "Один рубль 00 копеек"),
      (2_00, "Два рубля 00 копеек"),
      (5_00, "Пять рублей 00 копеек"),
      (11_00, "Одиннадцать рублей 00 копеек"),
      (21_00, "Двадцать один рубль 00 копеек"),
      (1001_00, "Одна тысяча один рубль 00 копеек"),
      (1_000_000_00, "Один миллион рублей 00 копеек"),
      (2_500_001_01, "Два миллиона пятьсот тысяч один рубль 01 копейка"),
      (120_000_00, "Сто двадцать тысяч рублей 00 копеек"),
      (2, "Ноль рублей 02 копейки"),
      (11, "Ноль рублей 11 копеек"),
      (21, "Ноль рублей 21 копейка"),
      (14_00, "Четырнадцать рублей 00 копеек"),
      (112_00, "Сто двенадцать рублей 00 копеек"),
      (2000_00, "Две тысячи рублей 00 копеек"),
      (5000_00, "Пять тысяч рублей 00 копеек"),
      (11_000_00, "Одиннадцать тысяч рублей 00 копеек"),
      (21_000_00, "Двадцать одна тысяча рублей 00 копеек"),
      (22_000_00, "Двадцать две тысячи рублей 00 копеек"),
      (1_014_00, "Одна тысяча четырнадцать рублей 00 копеек"),
      (1_000_000_000_00, "Один миллиард рублей 00 копеек"),
      (
        9_999_999_999_999_99,
        "Девять триллионов девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек"
      ),
      (-5_00, "Минус пять рублей 00 копеек"),
    ]
    for (minor, words) in cases {
      #expect(AmountInWords.roubles(minor) == words, "\(minor)")
    }
    #expect(AmountInWords.number(21, feminine: true) == "двадцать одна")
    #expect(AmountInWords.number(302_000) == "триста две тысячи")
    #expect(AmountInWords.plural(111, "рубль", "рубля", "рублей") == "рублей")
    #expect(AmountInWords.plural(1_000_001, "рубль", "рубля", "рублей") == "рубль")
  }

  @Test func otherCurrenciesAndEnglishGiveDigitsWithTheCode() {
    let usd = Currency.named("USD")!
    #expect(
      AmountInWords.text(Money(minor: 1500_00, currency: usd), language: .ru)
        == "1\u{00A0}500,00\u{00A0}USD")
    #expect(
      AmountInWords.text(Money(minor: 1500_00), language: .en) == "1,500.00\u{00A0}RUB")
    #expect(
      AmountInWords.text(Money(minor: 120_000_00), language: .ru)
        == "Сто двадцать тысяч рублей 00 копеек")
    let yen = Currency.named("JPY")!
    #expect(
      AmountInWords.text(Money(minor: 1500, currency: yen), language: .ru)
        == "1\u{00A0}500\u{00A0}JPY")
  }

  @Test func theInvoiceSaysWhoPaysWhomWhatAndBy() throws {
    let s = try MoneySample()
    let d = try s.invoice()
    let text = InvoiceDocument.text(d, company: s.company, language: .ru)
    #expect(textColumns(text) <= 80, "\(text)")
    #expect(text.contains("Счёт на оплату № 12 от 10 июня 2026 г."))
    #expect(text.contains("Поставщик: ООО «Наша компания», ИНН 7707083893, КПП 770701001"))
    #expect(text.contains("Покупатель: ООО «Вектор», ИНН 5001999994, КПП 500101001"))
    #expect(text.contains("Основание: договор № 7/25 от 01.06.2026"))
    let header = try #require(lineWith(text, "Товары (работы, услуги)"))
    for column in ["№", "Кол-во", "Ед.", "Цена", "Сумма"] { #expect(header.contains(column)) }
    #expect(
      lineWith(text, "Оплата по договору № 7/25 от 01.06.2026")?.hasSuffix(
        "120\u{00A0}000,00\u{00A0}₽") == true)
    #expect(lineWith(text, "Итого:")?.hasSuffix("120\u{00A0}000,00\u{00A0}₽") == true)
    #expect(
      lineWith(text, "В том числе НДС 22\u{00A0}%:")?.hasSuffix("21\u{00A0}639,34\u{00A0}₽") == true
    )
    #expect(lineWith(text, "Всего к оплате:")?.hasSuffix("120\u{00A0}000,00\u{00A0}₽") == true)
    #expect(text.contains("Всего наименований 1, на сумму 120\u{00A0}000,00\u{00A0}₽"))
    #expect(text.contains("\nСто двадцать тысяч рублей 00 копеек\n"))
    // Due from the contract's terms: 10 days after the invoice.
    #expect(text.contains("Оплатить до 20 июня 2026 г."))
    let signatures = try #require(lineWith(text, "Руководитель"))
    #expect(signatures.contains("Бухгалтер") && signatures.contains("____"))
    #expect(!text.contains("ЧЕРНОВИК") && !text.contains("ОТМЕНЁН"))
    #expect(!text.contains(" \n"))
  }

  @Test func anUnsetCompanySaysHowToSetIt() throws {
    let s = try MoneySample()
    let text = InvoiceDocument.text(
      try s.invoice(), company: CompanyRequisites(name: ""), language: .ru)
    #expect(
      text.contains(
        "Поставщик: не указан: задайте реквизиты командой crm settings set company_name"))
    #expect(textColumns(text) <= 80)
    let en = InvoiceDocument.text(
      try s.invoice(number: "13"), company: CompanyRequisites(name: " "), language: .en)
    #expect(en.contains("Supplier: not set: set it with crm settings set company_name"))
  }

  @Test func vatOnTopNoVATDraftsCurrenciesAndNotes() throws {
    let s = try MoneySample()
    let onTop = InvoiceDocument.text(
      try s.invoice(
        [OfferLineInput(item: "Монтаж", unit: "ч", quantity: "2", price: "1 000", vat: "22")],
        number: "1", vatOnTop: true), company: s.company, language: .ru)
    #expect(lineWith(onTop, "Итого без НДС:")?.hasSuffix("2\u{00A0}000,00\u{00A0}₽") == true)
    #expect(lineWith(onTop, "НДС 22\u{00A0}% сверху:")?.hasSuffix("440,00\u{00A0}₽") == true)
    #expect(lineWith(onTop, "Всего к оплате:")?.hasSuffix("2\u{00A0}440,00\u{00A0}₽") == true)
    #expect(onTop.contains("Две тысячи четыреста сорок рублей 00 копеек"))
    #expect(lineWith(onTop, "Монтаж")?.contains(" ч ") == true)

    let none = InvoiceDocument.text(
      try s.invoice([DocumentDraft.sumLine("500", item: "Консультация", vat: "none")], number: "2"),
      company: s.company, language: .ru)
    #expect(lineWith(none, "Без НДС:")?.hasSuffix("—") == true)
    #expect(!none.contains("В том числе"))

    let draft = InvoiceDocument.text(
      try s.invoice(number: "3", draft: true, notes: "Оплата двумя частями.\nСпасибо!"),
      company: s.company, language: .ru)
    #expect(draft.contains("ЧЕРНОВИК"))
    #expect(draft.contains("Примечание:\nОплата двумя частями.\nСпасибо!"))

    let dollars = InvoiceDocument.text(
      try s.invoice(
        [DocumentDraft.sumLine("1500")], number: "4", client: s.vector, currency: "USD"),
      company: s.company, language: .ru)
    #expect(dollars.contains("\n1\u{00A0}500,00\u{00A0}USD\n"))
    #expect(!dollars.contains("Основание"))
  }

  @Test func longNamesAndHugeAmountsStayWithinEightyColumns() throws {
    let s = try MoneySample()
    let long = String(
      repeating: "Техническое обслуживание котельного оборудования по регламенту ", count: 3)
    let d = try s.invoice(
      [
        OfferLineInput(item: long, unit: "услуга", quantity: "1000000", price: "9 999 999,99"),
        OfferLineInput(
          item: "Оченьдлинноесловобезпробеловкотороенепоместитсявстолбецнаименования",
          unit: "комплект большой", quantity: "1,5", price: "1"),
      ], number: "7")
    for l in [Language.ru, .en] {
      let text = InvoiceDocument.text(d, company: s.company, language: l)
      #expect(textColumns(text) <= 80, "\(text)")
      #expect(!text.contains("\t"))
    }
    let text = InvoiceDocument.text(d, company: s.company, language: .ru)
    #expect(text.contains("триллион"))
    #expect(text.contains("регламенту"))
  }

  @Test func theActStatesTheServicesWereRendered() throws {
    let s = try MoneySample()
    let inv = try s.invoice(
      [
        OfferLineInput(item: "Монтаж", unit: "шт", quantity: "2", price: "1500", vat: "22"),
        OfferLineInput(item: "Выезд", quantity: "1", price: "500", vat: "none"),
      ], number: "5")
    let a = try s.act(invoice: inv.id)
    let text = InvoiceDocument.text(a, company: s.company, language: .ru)
    #expect(textColumns(text) <= 80, "\(text)")
    #expect(text.contains("Акт № 1 от 20 ноября 2026 г. об оказании услуг"))
    #expect(text.contains("за период с 01.11.2026 по 30.11.2026"))
    #expect(text.contains("Исполнитель: ООО «Наша компания», ИНН 7707083893, КПП 770701001"))
    #expect(text.contains("Заказчик: ООО «Вектор», ИНН 5001999994, КПП 500101001"))
    #expect(text.contains("Основание: договор № 7/25 от 01.06.2026"))
    #expect(text.contains("Счёт: № 5"))
    #expect(lineWith(text, "Наименование работ, услуг") != nil)
    #expect(lineWith(text, "Монтаж")?.hasSuffix("3\u{00A0}000,00\u{00A0}₽") == true)
    #expect(lineWith(text, "В том числе НДС 22\u{00A0}%:")?.hasSuffix("540,98\u{00A0}₽") == true)
    #expect(text.contains("Всего оказано услуг 2, на сумму 3\u{00A0}500,00\u{00A0}₽"))
    #expect(text.contains("Три тысячи пятьсот рублей 00 копеек"))
    #expect(text.contains("Вышеперечисленные услуги выполнены полностью и в срок."))
    let signatures = try #require(lineWith(text, "Исполнитель ___"))
    #expect(signatures.contains("Заказчик ___"))

    // From the contract with a sum: the line names the subject and the period.
    let b = try s.act(lines: [DocumentDraft.sumLine("10000")])
    let second = InvoiceDocument.text(b, company: s.company, language: .ru)
    #expect(second.contains("Акт № 2 от 20 ноября 2026 г."))
    #expect(second.contains("Обслуживание за период с 01.11.2026 по"))
    #expect(second.contains("Десять тысяч рублей 00 копеек"))
    #expect(!second.contains("Счёт:"))
    try s.money.cancelAct(b.id)
    let cancelled = try #require(try s.money.act(b.id))
    #expect(InvoiceDocument.text(cancelled, company: s.company, language: .ru).contains("ОТМЕНЁН"))

    let en = InvoiceDocument.text(a, company: s.company, language: .en)
    #expect(en.contains("Act No. 1 of November 20, 2026 on services rendered"))
    #expect(en.contains("Contractor:") && en.contains("Customer:"))
    #expect(textColumns(en) <= 80, "\(en)")
  }

  @Test func theHTMLPagesAreCompleteAndEscapeEveryText() throws {
    let s = try MoneySample()
    let evil = try s.clients.add(
      Client(name: "Рога & Копыта <\"Север\">", legalForm: "ООО", inn: "7707083893"))
    let d = try s.invoice(
      [DocumentDraft.sumLine("100", item: "Болт <script>alert(1)</script> & \"гайка\"")],
      number: "<9>", client: evil, notes: "Строка <i>\nи & ещё")
    let company = CompanyRequisites(name: "ООО \"Мы & <b>партнёры</b>\"", inn: "5001999994")
    let pages = [
      InvoiceDocument.html(d, company: company, language: .ru),
      InvoiceDocument.html(
        try s.act(
          invoice: try s.invoice(number: "10", client: evil).id), company: company, language: .ru),
    ]
    for html in pages {
      #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ru\">"))
      #expect(html.contains("<meta charset=\"utf-8\">"))
      #expect(html.contains("@media print") && html.contains("@page"))
      #expect(html.hasSuffix("</body>\n</html>\n"))
      #expect(!html.contains("<script") && !html.contains("<b>партнёры") && !html.contains("<i>"))
      #expect(html.contains("ООО «Рога &amp; Копыта &lt;&quot;Север&quot;&gt;»"))
      #expect(html.contains("ООО &quot;Мы &amp; &lt;b&gt;партнёры&lt;/b&gt;&quot;"))
      let ampersands = html.components(separatedBy: "&").dropFirst()
      #expect(
        ampersands.allSatisfy { part in
          ["amp;", "lt;", "gt;", "quot;", "#39;"].contains { part.hasPrefix($0) }
        })
    }
    let invoice = pages[0]
    #expect(invoice.contains("<title>Счёт на оплату № &lt;9&gt; от 10 июня 2026 г.</title>"))
    #expect(invoice.contains("Болт &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;гайка&quot;"))
    #expect(invoice.contains("Строка &lt;i&gt;<br>\nи &amp; ещё"))
    #expect(invoice.contains("<p class=\"words\">Сто рублей 00 копеек</p>"))
    #expect(invoice.contains("Руководитель") && invoice.contains("Бухгалтер"))
    #expect(pages[1].contains("Вышеперечисленные услуги выполнены полностью и в срок."))
  }
}
