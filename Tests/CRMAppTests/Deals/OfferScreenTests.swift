import CRMCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// `1 000 ₽` as the screens write it: no-break spaces in the number and before the sign.
func rubles(_ s: String) -> String {
  s.replacingOccurrences(of: " ", with: "\u{00A0}") + "\u{00A0}₽"
}

@MainActor
@Suite struct OfferScreenTests {
  /// The funnel's deal card of a fresh deal, then `o`: the deal's offers.
  func offersOfADeal(_ f: FunnelFixture) throws -> Int64 {
    let id = try f.deal()
    f.press(.char("4"), .enter)
    #expect(f.app.current is DealCardScreen)
    f.press(.char("o"))
    #expect(f.app.current is OffersScreen)
    return id
  }

  @Test func aDraftGetsLinesADiscountACopiedLineAndRecomputedTotals() throws {
    let f = try FunnelFixture()
    let dealId = try offersOfADeal(f)
    #expect(f.term.text.contains("КП по сделке: Поставка"))
    #expect(f.term.text.contains("По сделке ещё нет КП. a — создать черновик."))
    f.press(.char("a"))
    let screen = try #require(f.app.current as? OfferScreen)
    #expect(f.term.text.contains("КП № 2026-0001 от 23.11.2026 · ООО «Ромашка»"))
    #expect(f.term.text.contains("черновик · цены с НДС"))
    #expect(f.term.text.contains("Строк пока нет. a — добавить товар или услугу, % — скидку."))
    // a: a line of goods.
    f.press(.char("a"))
    #expect(f.term.text.contains("Новая строка: КП № 2026-0001"))
    f.type("Станок ЧПУ")
    f.press(.tab)
    f.type("шт")
    f.press(.tab, .ctrl("u"))
    f.type("2")
    f.press(.tab)
    f.type("50 000")
    f.press(.ctrl("s"))
    #expect(f.app.current === screen)
    #expect(f.term.text.contains("Строка 1 добавлена."))
    let first = try #require(f.term.row(containing: "Станок ЧПУ"))
    #expect(f.term.line(first).contains("2 шт"))
    #expect(f.term.line(first).contains(rubles("100 000")))
    #expect(f.term.text.contains("Всего " + rubles("100 000")))
    // %: a discount of 10 % of the lines above.
    f.press(.char("%"))
    #expect(f.term.text.contains("Скидка: КП № 2026-0001"))
    f.type("10 %")
    f.press(.ctrl("s"))
    let discount = try #require(f.term.row(containing: "Скидка 10 %"))
    #expect(f.term.line(discount).contains("-" + rubles("10 000")))
    #expect(f.term.style(of: "Скидка 10 %")?.color == .green)
    #expect(f.term.text.contains("Всего " + rubles("90 000")))
    #expect(f.term.text.contains("Скидки -" + rubles("10 000")))
    // c on the goods line: a copy below it; the discount grows with it.
    f.press(.char("k"), .char("c"))
    #expect(f.term.text.contains("Строка скопирована: 2."))
    #expect(f.term.text.contains("Всего " + rubles("180 000")))
    // e on the copy: one instead of two.
    f.press(.char("e"))
    #expect(f.term.text.contains("Строка 2: КП № 2026-0001"))
    f.press(.tab, .tab, .ctrl("u"))
    f.type("1")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("Всего " + rubles("135 000")))
    // d removes the copy after asking.
    f.press(.char("d"))
    #expect(f.term.text.contains("Удалить строку 2 «Станок ЧПУ»?"))
    f.press(.char("y"))
    #expect(f.term.text.contains("Строка удалена."))
    #expect(f.term.text.contains("Всего " + rubles("90 000")))
    // What the core stored.
    let offer = try #require(
      try f.db.queue.read { db in
        try Int64.fetchOne(db, sql: "SELECT id FROM offer WHERE deal_id = ?", arguments: [dealId])
      })
    let lines = try f.db.queue.read { db in
      try Row.fetchAll(
        db, sql: "SELECT item, sum, percent FROM offer_line WHERE offer_id = ? ORDER BY position",
        arguments: [offer])
    }
    #expect(lines.map { $0["item"] as String } == ["Станок ЧПУ", "Скидка 10 %"])
    #expect(lines.map { $0["sum"] as Int64 } == [100_000_00, -10_000_00])
    #expect(lines[1]["percent"] as Int? == 1000)
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
    // h: the header. VAT on top: the same lines now cost 22 % more.
    f.press(.char("h"))
    #expect(f.term.text.contains("Цены с НДС"))
    f.press(.tab, .tab, .tab, .ctrl("u"))
    f.type("нет")
    f.press(.ctrl("s"))
    #expect(f.term.text.contains("НДС сверху"))
    #expect(f.term.text.contains("Всего " + rubles("109 800")))
    #expect(try f.app.context.core.offers.offer(offer)?.offer.pricesIncludeVAT == false)
  }

  @Test func aSentOfferIsReadOnlyAndOffersACopy() throws {
    let f = try FunnelFixture()
    let dealId = try offersOfADeal(f)
    let offers = f.app.context.core.offers
    let id = try offers.add(Offer(dealId: dealId))
    try offers.addLine(
      id, OfferLineInput(item: "Монтаж", quantity: "1", price: "20 000", vat: "22"))
    f.app.idle()
    f.press(.char("r"))
    #expect(f.term.text.contains("2026-0001"))
    f.press(.enter)
    #expect(f.app.current is OfferScreen)
    // s marks it sent after asking; it turns read-only.
    f.press(.char("s"))
    #expect(f.term.text.contains("Отметить № 2026-0001"))
    f.press(.char("y"))
    #expect(f.term.text.contains("№ 2026-0001 отмечено отправленным."))
    #expect(f.term.text.contains("отправлено 23.11.2026"))
    #expect(try offers.offer(id)?.offer.status == .sent)
    // A change asks to copy it instead; no: nothing changes.
    f.press(.char("a"))
    #expect(f.term.text.contains("№ 2026-0001 отправлено 23.11.2026 и не меняется"))
    f.press(.char("n"))
    #expect(try offers.offer(id)?.lines.count == 1)
    // yes: a new draft with the same line, shown in its place.
    f.press(.char("d"), .char("y"))
    #expect(f.term.text.contains("Скопировано в новый черновик № 2026-0002."))
    #expect(f.term.text.contains("КП № 2026-0002"))
    #expect(f.term.text.contains("черновик"))
    #expect(f.term.text.contains("Монтаж"))
    // Back in the list: both offers, the sent one dimmed.
    f.press(.char("q"))
    #expect(f.app.current is OffersScreen)
    let sent = try #require(f.term.row(containing: "2026-0001"))
    #expect(f.term.line(sent).contains("отправлено 23.11.2026"))
    #expect(f.term.row(containing: "2026-0002") == sent + 1)
    #expect(try offers.offers(ofDeal: dealId).count == 2)
    // C in the list copies the selected one too.
    f.press(.char("C"))
    #expect(f.term.text.contains("КП № 2026-0003"))
    #expect(try offers.offers(ofDeal: dealId).count == 3)
    // The deal card lists them.
    f.press(.char("q"), .char("q"))
    #expect(f.app.current is DealCardScreen)
    f.press(.char("G"))
    #expect(f.term.text.contains("КП (o) (3)"))
    let first = try #require(f.term.row(containing: "№ 2026-0001  23.11.2026"))
    #expect(f.term.line(first).contains("отправлено 23.11.2026"))
    #expect(f.term.line(first).contains(rubles("20 000")))
  }

  @Test func theKeysAreInTheHelpAndTheDealCardsHints() throws {
    let f = try FunnelFixture()
    _ = try offersOfADeal(f)
    f.press(.char("a"), .char("?"))
    for text in ["добавить скидку ниже", "скопировать строку ниже неё", "отметить отправленным"] {
      #expect(f.term.text.contains(text))
    }
    let md = KeyTables.markdown()
    #expect(md.contains("### КП по сделке") && md.contains("### Offer"))
  }
}
