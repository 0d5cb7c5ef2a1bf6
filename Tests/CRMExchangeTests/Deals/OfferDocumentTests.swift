import CRMCore
import CRMExchange
import Foundation
import Testing

/// Offers built in memory: the document needs no database.
struct OfferSample {
  var offer = Offer(
    id: 7, dealId: 3, number: "2026-0001", date: "2026-11-23", validUntil: "2026-12-07")
  var lines: [OfferLine] = []
  var deal = Deal(id: 3, clientId: 1, title: "Поставка крепежа на склад в Казани")
  var client = Client(id: 1, name: "Ромашка", legalForm: "ООО", inn: "7707083893")

  mutating func add(
    _ item: String, qty: Int64 = 1000, price: Int64, vat: Int? = 20, unit: String = "шт"
  ) {
    lines.append(
      OfferLine(
        position: lines.count + 1, item: item, unit: unit, quantityMilli: qty, price: price,
        vatRate: vat, sum: OfferService.lineSum(quantityMilli: qty, price: price)!))
  }

  var sender = LegalEntity(
    kind: .organization, fullName: "Общество с ограниченной ответственностью «Поставщик»",
    shortName: "ООО «Поставщик»", inn: "7707083893", kpp: "770701001",
    legalAddress: "125009, г. Москва, ул. Тверская, д. 1", phone: "+7 495 123-45-67",
    email: "sales@postavshik.ru", site: "postavshik.ru", isDefault: true)
  var manager: String? = "Анна Смирнова"

  func text(_ l: Language = .ru) -> String {
    OfferDocument.text(
      offer, lines: lines, client: client, from: sender, manager: manager, language: l)
  }

  func html(_ l: Language = .ru) -> String {
    var e = sender
    e.shortName = "Мы & <b>партнёры</b>"
    return OfferDocument.html(
      offer, lines: lines, client: client, from: e, manager: manager, language: l)
  }
}

/// Cyrillic, Latin, digits, ₽ and no-break spaces are one column each.
func widest(_ text: String) -> Int {
  text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
}

@Suite struct OfferDocumentTests {
  @Test func theTextFitsEightyColumnsWithLongCyrillicNames() throws {
    var s = OfferSample()
    let long = String(
      repeating: "Болт высокопрочный оцинкованный с шестигранной головкой М12×80 ГОСТ 7798-70 ",
      count: 3)
    s.add(long, qty: 3000, price: 333_33)
    s.add(
      "Саморезкровельныйсверлоконечныйсшайбойиуплотнителемоченьдлинноесловобезпробелов", qty: 1500,
      price: 1_000_50, vat: nil, unit: "упаковка большая")
    for i in 3...12 { s.add("Позиция \(i)", qty: 1_000_000, price: 12_345_67, vat: 10) }
    s.client.name = String(repeating: "Торговый дом Северо-Западный ", count: 4).trimmingSpaces()
    s.client.kpp = "770701001"
    s.offer.notes =
      "Доставка за счёт поставщика при заказе от 100 000 ₽.\n\n"
      + String(repeating: "Условия оплаты: предоплата 50 %, остаток по факту поставки. ", count: 3)
    for l in [Language.ru, .en] {
      let text = s.text(l)
      #expect(widest(text) <= 80, "\(text)")
      #expect(!text.contains("\t"))
    }
    let text = s.text()
    // Every word of the long name is there, in order, across the wrapped lines.
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    let item = long.split(separator: " ")
    var i = 0
    for w in words where i < item.count && w == item[i] { i += 1 }
    #expect(i == item.count)
    #expect(text.contains("Позиция 12"))
    #expect(text.contains("КПП") && text.contains("770701001"))
    #expect(text.contains("Примечание:"))
  }

  @Test func hugeAmountsStillFit() throws {
    var s = OfferSample()
    s.add("Очень дорогая позиция", qty: 999_999_000, price: 9_999_999_99, unit: "комплект")
    s.add("Вторая", qty: 1000, price: 999_999_999_999_99)
    let text = s.text()
    #expect(widest(text) <= 80, "\(text)")
    #expect(text.contains("Всего к оплате:"))
  }

  @Test func theHeaderAndTotalsWithVATIncluded() throws {
    var s = OfferSample()
    s.add("Болт М8", qty: 3000, price: 333_33)
    let text = s.text()
    #expect(text.contains("Коммерческое предложение № 2026-0001 от 23 ноября 2026 г."))
    #expect(text.contains("Предложение действительно до 7 декабря 2026 г."))
    #expect(text.contains("Кому: ООО «Ромашка», ИНН 7707083893"))
    #expect(text.contains("От кого: ООО «Поставщик», ИНН 7707083893, КПП 770701001"))
    // The letterhead: our full name, address and contacts; the manager who sends it.
    #expect(text.hasPrefix("Общество с ограниченной ответственностью «Поставщик»\n"))
    #expect(text.contains("тел. +7 495 123-45-67, e-mail sales@postavshik.ru, postavshik.ru"))
    #expect(
      text.contains(
        "Ваш менеджер: Анна Смирнова, тел. +7 495 123-45-67, e-mail sales@postavshik.ru"))
    #expect(text.contains("С уважением, менеджер ________________________ / Анна Смирнова /"))
    #expect(text.contains("Благодарим за интерес к нашей компании."))
    // No internal field: the deal's own title stays inside the CRM.
    #expect(!text.contains("Поставка крепежа") && !text.contains("Сделка"))
    for column in ["№", "Наименование", "Кол-во", "Ед.", "Цена", "НДС", "Сумма"] {
      #expect(text.contains(column))
    }
    let rows = text.split(separator: "\n").map(String.init)
    func row(_ label: String) -> String? { rows.first { $0.contains(label) } }
    #expect(row("Болт М8")?.hasSuffix("999,99\u{00A0}₽") == true)
    #expect(row("Итого:")?.hasSuffix("999,99\u{00A0}₽") == true)
    #expect(row("В том числе НДС 20\u{00A0}%:")?.hasSuffix("166,67\u{00A0}₽") == true)
    #expect(row("Всего к оплате:")?.hasSuffix("999,99\u{00A0}₽") == true)
    #expect(text.contains("Цены указаны с учётом НДС."))
    #expect(!text.contains("сверху"))
  }

  @Test func totalsWithVATOnTopAndWithoutVAT() throws {
    var s = OfferSample()
    s.offer.pricesIncludeVAT = false
    s.add("Болт М8", qty: 3000, price: 333_33)
    s.add("Гайка", qty: 1000, price: 100_00, vat: 10)
    let rows = s.text().split(separator: "\n").map(String.init)
    func row(_ label: String) -> String? { rows.first { $0.contains(label) } }
    #expect(row("Итого без НДС:")?.hasSuffix("1\u{00A0}099,99\u{00A0}₽") == true)
    #expect(row("НДС 10\u{00A0}% сверху:")?.hasSuffix("10,00\u{00A0}₽") == true)
    #expect(row("НДС 20\u{00A0}% сверху:")?.hasSuffix("200,00\u{00A0}₽") == true)
    #expect(row("Всего к оплате:")?.hasSuffix("1\u{00A0}309,99\u{00A0}₽") == true)

    var none = OfferSample()
    none.add("Консультация", qty: 2000, price: 5_000_00, vat: nil, unit: "ч")
    let text = none.text()
    #expect(text.contains("без НДС"))
    #expect(!text.contains("В том числе"))
    #expect(
      text.split(separator: "\n").first { $0.contains("Всего к оплате:") }?
        .hasSuffix("10\u{00A0}000,00\u{00A0}₽") == true)

    let en = s.text(.en)
    #expect(en.contains("Commercial offer No. 2026-0001 of November 23, 2026"))
    #expect(en.contains("Total excl. VAT:") && en.contains("Total to pay:"))
    #expect(en.contains("1,309.99\u{00A0}₽"))
  }

  @Test func theHTMLPageIsCompleteAndEscapesEveryText() throws {
    var s = OfferSample()
    s.client.name = "<script>alert('x')</script> & сыновья"
    s.deal.title = "Сделка \"A&B\""
    s.offer.number = "2026-<1>"
    s.offer.notes = "Строка 1 <i>\nСтрока 2 & всё"
    s.add("Болт <script>document.cookie</script> & гайка", qty: 3000, price: 333_33)
    let html = s.html()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ru\">"))
    #expect(html.contains("<meta charset=\"utf-8\">"))
    #expect(html.contains("@media print") && html.contains("@page"))
    #expect(html.hasSuffix("</body>\n</html>\n"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<i>") && !html.contains("<b>партнёры"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; сыновья"))
    #expect(html.contains("Болт &lt;script&gt;document.cookie&lt;/script&gt; &amp; гайка"))
    #expect(!html.contains("A&amp;B"))
    #expect(html.contains("Мы &amp; &lt;b&gt;партнёры&lt;/b&gt;"))
    #expect(
      html.contains("<title>Коммерческое предложение № 2026-&lt;1&gt; от 23 ноября 2026 г.</title>")
    )
    #expect(html.contains("Строка 1 &lt;i&gt;<br>\nСтрока 2 &amp; всё"))
    #expect(html.contains("166,67\u{00A0}₽") && html.contains("Всего к оплате:"))
    // Every `&` starts an entity.
    let ampersands = html.components(separatedBy: "&").dropFirst()
    #expect(
      ampersands.allSatisfy { part in
        ["amp;", "lt;", "gt;", "quot;", "#39;"].contains { part.hasPrefix($0) }
      })
    #expect(OfferDocument.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
  }
}
