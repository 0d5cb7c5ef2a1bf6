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
  let company = MoneySample.ours

  /// Our entity with every requisite the forms print (real check digits: ИНН and ОГРН of
  /// Sberbank's published examples, an account keyed to the БИК).
  static let ours = LegalEntity(
    kind: .organization, fullName: "Общество с ограниченной ответственностью «Наша компания»",
    shortName: "ООО «Наша компания»", inn: "7707083893", kpp: "770701001",
    ogrn: "1027700132195", legalAddress: "125009, г. Москва, ул. Тверская, д. 1",
    bankName: "ПАО Сбербанк", bik: "044525225", corrAccount: "30101810400000000225",
    account: "40702810938000012345", directorTitle: "Генеральный директор",
    directorName: "Иванов И. И.", accountantTitle: "Главный бухгалтер",
    accountantName: "Петрова А. А.", phone: "+7 495 123-45-67", email: "info@nasha.ru",
    site: "nasha.ru", isDefault: true)

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

  @Test func amountsInWordsInTheDocumentsCurrencyAndLanguage() {
    func words(_ minor: Int64, _ code: String, _ l: Language = .ru) -> String {
      AmountInWords.text(Money(minor: minor, currency: Currency.named(code)!), language: l)
    }
    #expect(words(1500_00, "USD") == "Одна тысяча пятьсот долларов США 00 центов")
    #expect(words(2_01, "USD") == "Два доллара США 01 цент")
    #expect(words(21_00, "EUR") == "Двадцать один евро 00 евроцентов")
    #expect(words(1_00, "CNY") == "Один юань 00 фэней")
    #expect(words(22_22, "KZT") == "Двадцать два тенге 22 тиына")
    #expect(words(2_00, "BYN") == "Два белорусских рубля 00 копеек")
    // Feminine nouns take «одна», «две».
    #expect(words(2_00, "TRY") == "Две турецкие лиры 00 курушей")
    #expect(words(1500, "JPY") == "Одна тысяча пятьсот иен")
    #expect(words(21, "JPY") == "Двадцать одна иена")
    #expect(words(120_000_00, "RUB") == "Сто двадцать тысяч рублей 00 копеек")
    #expect(
      words(1_234_567_89, "RUB", .en)
        == "One million two hundred thirty-four thousand five hundred sixty-seven roubles 89 kopecks"
    )
    #expect(words(1_01, "USD", .en) == "One US dollar 01 cent")
    #expect(words(0, "EUR", .en) == "Zero euros 00 cents")
    // A currency without names here prints in digits with its code.
    #expect(words(1500_00, "AED") == "1\u{00A0}500,00\u{00A0}AED")
    #expect(words(1500_00, "AED", .en) == "1,500.00\u{00A0}AED")
  }

  @Test func theInvoiceSaysWhoPaysWhomWhatAndBy() throws {
    let s = try MoneySample()
    let d = try s.invoice()
    let text = InvoiceDocument.text(d, from: s.company, language: .ru)
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
    #expect(
      lineWith(text, "Руководитель")
        == "Руководитель Генеральный директор ________________________ / Иванов И. И. /")
    #expect(
      lineWith(text, "Бухгалтер")
        == "Бухгалтер Главный бухгалтер ________________________ / Петрова А. А. /")
    #expect(text.contains("\nМ.П.\n"))
    #expect(!text.contains("ЧЕРНОВИК") && !text.contains("ОТМЕНЁН"))
    #expect(!text.contains(" \n"))
  }

  @Test func vatOnTopNoVATDraftsCurrenciesAndNotes() throws {
    let s = try MoneySample()
    let onTop = InvoiceDocument.text(
      try s.invoice(
        [OfferLineInput(item: "Монтаж", unit: "ч", quantity: "2", price: "1 000", vat: "22")],
        number: "1", vatOnTop: true), from: s.company, language: .ru)
    #expect(lineWith(onTop, "Итого без НДС:")?.hasSuffix("2\u{00A0}000,00\u{00A0}₽") == true)
    #expect(lineWith(onTop, "НДС 22\u{00A0}% сверху:")?.hasSuffix("440,00\u{00A0}₽") == true)
    #expect(lineWith(onTop, "Всего к оплате:")?.hasSuffix("2\u{00A0}440,00\u{00A0}₽") == true)
    #expect(onTop.contains("Две тысячи четыреста сорок рублей 00 копеек"))
    #expect(lineWith(onTop, "Монтаж")?.contains(" ч ") == true)

    let none = InvoiceDocument.text(
      try s.invoice([DocumentDraft.sumLine("500", item: "Консультация", vat: "none")], number: "2"),
      from: s.company, language: .ru)
    #expect(lineWith(none, "Без НДС:")?.hasSuffix("—") == true)
    #expect(!none.contains("В том числе"))

    let draft = InvoiceDocument.text(
      try s.invoice(number: "3", draft: true, notes: "Оплата двумя частями.\nСпасибо!"),
      from: s.company, language: .ru)
    #expect(draft.contains("ЧЕРНОВИК"))
    #expect(draft.contains("Примечание:\nОплата двумя частями.\nСпасибо!"))

    let dollars = InvoiceDocument.text(
      try s.invoice(
        [DocumentDraft.sumLine("1500")], number: "4", client: s.vector, currency: "USD"),
      from: s.company, language: .ru)
    #expect(dollars.contains("\nОдна тысяча пятьсот долларов США 00 центов\n"))
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
      let text = InvoiceDocument.text(d, from: s.company, language: l)
      #expect(textColumns(text) <= 80, "\(text)")
      #expect(!text.contains("\t"))
    }
    let text = InvoiceDocument.text(d, from: s.company, language: .ru)
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
    let text = InvoiceDocument.text(a, from: s.company, language: .ru)
    #expect(textColumns(text) <= 80, "\(text)")
    #expect(text.contains("Акт № 1 от 20 ноября 2026 г. выполненных работ (оказанных услуг)"))
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
    #expect(
      lineWith(text, "Исполнитель Генеральный")
        == "Исполнитель Генеральный директор ________________________ / Иванов И. И. /")
    #expect(lineWith(text, "Заказчик ___") == "Заказчик ________________________")

    // From the contract with a sum: the line names the subject and the period.
    let b = try s.act(lines: [DocumentDraft.sumLine("10000")])
    let second = InvoiceDocument.text(b, from: s.company, language: .ru)
    #expect(second.contains("Акт № 2 от 20 ноября 2026 г."))
    #expect(second.contains("Обслуживание за период с 01.11.2026 по"))
    #expect(second.contains("Десять тысяч рублей 00 копеек"))
    #expect(!second.contains("Счёт:"))
    try s.money.cancelAct(b.id)
    let cancelled = try #require(try s.money.act(b.id))
    #expect(InvoiceDocument.text(cancelled, from: s.company, language: .ru).contains("ОТМЕНЁН"))

    let en = InvoiceDocument.text(a, from: s.company, language: .en)
    #expect(
      en.contains("Act No. 1 of November 20, 2026 on work performed (services rendered)"))
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
    var company = MoneySample.ours
    company.shortName = "ООО \"Мы & <b>партнёры</b>\""
    let pages = [
      InvoiceDocument.html(d, from: company, language: .ru),
      InvoiceDocument.html(
        try s.act(
          invoice: try s.invoice(number: "10", client: evil).id), from: company, language: .ru),
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
