import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Offers on a deal of «Ромашка», acting as anna; the clock stands at Monday 2026-11-23 noon in
/// Moscow (see `DealFixture`).
struct OfferFixture {
  let base: DealFixture
  let offers: OfferService
  let dealId: Int64

  init(currency: String = "RUB") throws {
    base = try DealFixture()
    offers = OfferService(db: base.db, userId: base.base.anna, language: .en, timeZone: moscow)
    let client = try base.base.client("Ромашка")
    dealId = try base.deals.add(Deal(clientId: client, title: "Поставка", currency: currency))
  }

  var db: CRMDatabase { base.db }
  var clientId: Int64 { get throws { try #require(try base.deals.deal(dealId)).deal.clientId } }

  func offer(_ number: String = "", date: String = "", pricesIncludeVAT: Bool = true) throws
    -> Int64
  {
    try offers.add(
      Offer(dealId: dealId, number: number, date: date, pricesIncludeVAT: pricesIncludeVAT))
  }

  func line(
    _ offer: Int64, _ item: String = "Болт", qty: String = "1", price: String = "100",
    vat: String? = "20"
  ) throws {
    try offers.addLine(
      offer, OfferLineInput(item: item, unit: "шт", quantity: qty, price: price, vat: vat))
  }

  func detail(_ id: Int64) throws -> OfferDetail { try #require(try offers.offer(id)) }

  /// The field an `.invalid` error names, or nil for any other outcome.
  func invalidField(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let CRMError.invalid(field, _) {
      return field
    } catch {
      return nil
    }
  }

  func problem(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch let e as CRMError {
      return e.message(.en)
    } catch {
      return "\(error)"
    }
  }
}

@Suite struct OfferServiceTests {
  @Test func numbersRunPerYearAndAClashIsRefused() throws {
    let f = try OfferFixture()
    let a = try f.offer()
    let b = try f.offer()
    #expect(try f.detail(a).offer.number == "2026-0001")
    #expect(try f.detail(a).offer.date == "2026-11-23")
    #expect(try f.detail(b).offer.number == "2026-0002")
    // The year of the offer's date picks the series.
    let old = try f.offer(date: "30.12.2025")
    #expect(try f.detail(old).offer.number == "2025-0001")
    #expect(try f.detail(old).offer.date == "2025-12-30")
    // A number typed by hand is kept, and the series continues after it.
    let typed = try f.offer("2026-0010")
    #expect(try f.detail(typed).offer.number == "2026-0010")
    #expect(try f.detail(try f.offer()).offer.number == "2026-0011")
    // The entry action's draft takes the next number too.
    let moved = try f.base.deals.move(f.dealId, to: "offer")
    let drafted = try #require(moved.events.compactMap(\.offerId).first)
    #expect(try f.detail(drafted).offer.number == "2026-0012")
    // A clash names the number field and the offer holding it.
    let message = f.problem { _ = try f.offer("2026-0002") }
    #expect(message.hasPrefix("Number: «2026-0002» is already taken by offer №\(b)"))
    #expect(
      f.invalidField { try f.offers.update(Offer(id: a, dealId: f.dealId, number: "2026-0002")) }
        == "Number")
    // Renumbering to a free number works; the old number is then free.
    var o = try f.detail(a).offer
    o.number = "КП-1"
    try f.offers.update(o)
    #expect(try f.detail(a).offer.number == "КП-1")
    #expect(try f.detail(try f.offer("2026-0001")).offer.number == "2026-0001")
  }

  @Test func anUnknownDealOrOfferIsNotFound() throws {
    let f = try OfferFixture()
    #expect(throws: CRMError.notFound(what: "deal", id: 999)) {
      try f.offers.add(Offer(dealId: 999))
    }
    #expect(throws: CRMError.notFound(what: "deal", id: 999)) { try f.offers.offers(ofDeal: 999) }
    #expect(throws: CRMError.notFound(what: "offer", id: 999)) {
      try f.offers.addLine(999, OfferLineInput(item: "x", quantity: "1", price: "1"))
    }
    #expect(try f.offers.offer(999) == nil)
  }

  @Test func vatIncludedIsExtractedAndVATOnTopIsAddedPerLineToTheKopeck() throws {
    let f = try OfferFixture()
    let incl = try f.offer()
    try f.line(incl, qty: "3", price: "333.33", vat: "20")
    var t = try f.detail(incl).totals
    let line = try f.detail(incl).lines[0]
    #expect(line.quantityMilli == 3000 && line.price == 333_33 && line.sum == 999_99)
    // 999.99 × 20 / 120 = 166.665 → 166.67
    #expect(t.gross == 999_99 && t.vat == 166_67 && t.net == 833_32)
    #expect(t.vatByRate == [OfferTotals.VATPart(rate: 20, vat: 166_67)])

    let top = try f.offer(pricesIncludeVAT: false)
    try f.line(top, qty: "3", price: "333,33", vat: "20 %")
    t = try f.detail(top).totals
    // 999.99 × 20 / 100 = 199.998 → 200.00
    #expect(t.net == 999_99 && t.vat == 200_00 && t.gross == 1199_99)

    // Switching the mode of the same lines recomputes: now extracted.
    var o = try f.detail(top).offer
    o.pricesIncludeVAT = true
    try f.offers.update(o)
    #expect(try f.detail(top).totals.vat == 166_67)

    // Per-line rounding, mixed rates and a line without VAT.
    let mixed = try f.offer(pricesIncludeVAT: false)
    try f.line(mixed, "Гайка", qty: "1,5", price: "0,01", vat: "10")  // 1.5 kopecks → 2
    try f.line(mixed, "Шайба", qty: "0.333", price: "10", vat: "22")  // 3.33; VAT 0.7326 → 0.73
    try f.line(mixed, "Доставка", qty: "1", price: "500", vat: "none")
    try f.line(mixed, "Экспорт", qty: "2", price: "50", vat: "0")
    let d = try f.detail(mixed)
    #expect(d.lines.map(\.sum) == [2, 3_33, 500_00, 100_00])
    #expect(d.lines.map(\.vatRate) == [10, 22, nil, 0])
    #expect(
      d.totals.vatByRate == [
        OfferTotals.VATPart(rate: 0, vat: 0), OfferTotals.VATPart(rate: 10, vat: 0),
        OfferTotals.VATPart(rate: 22, vat: 73),
      ])
    #expect(d.totals.net == 603_35 && d.totals.vat == 73 && d.totals.gross == 604_08)
    #expect(!d.totals.withoutVAT)
  }

  @Test func theDefaultRateIsTheStandardOneOfTheOffersDate() throws {
    let f = try OfferFixture()
    let now = try f.offer()
    try f.line(now, vat: nil)
    #expect(try f.detail(now).lines[0].vatRate == 22)
    let old = try f.offer(date: "2025-12-31")
    try f.line(old, vat: nil)
    #expect(try f.detail(old).lines[0].vatRate == 20)
  }

  @Test func inputIsReadAndBadInputNamesTheField() throws {
    #expect(try OfferService.parseQuantity("1,5", language: .en, field: "q") == 1500)
    #expect(try OfferService.parseQuantity("2", language: .en, field: "q") == 2000)
    #expect(try OfferService.parseQuantity("0.125", language: .en, field: "q") == 125)
    #expect(try OfferService.parseQuantity("1 000", language: .en, field: "q") == 1_000_000)
    #expect(OfferService.formatQuantity(1500, .ru) == "1,5")
    #expect(OfferService.formatQuantity(125, .en) == "0.125")
    #expect(OfferService.formatQuantity(1_000_000, .ru) == "1\u{00A0}000")
    #expect(try OfferService.parseVAT("none", language: .en, field: "v") == nil)
    #expect(try OfferService.parseVAT("без НДС", language: .en, field: "v") == nil)
    #expect(try OfferService.parseVAT("20 %", language: .en, field: "v") == 20)
    #expect(try OfferService.parseVAT("0", language: .en, field: "v") == 0)

    let f = try OfferFixture()
    let o = try f.offer()
    func add(qty: String = "1", price: String = "1", vat: String? = nil, item: String = "x")
      -> String?
    {
      f.invalidField { try f.line(o, item, qty: qty, price: price, vat: vat) }
    }
    #expect(add(qty: "-1") == "Quantity")
    #expect(add(qty: "0") == "Quantity")
    #expect(add(qty: "1,2345") == "Quantity")
    #expect(add(qty: "два") == "Quantity")
    #expect(add(price: "-5") == "Price")
    #expect(add(price: "abc") == "Price")
    #expect(add(price: "1.001") == "Price")
    #expect(add(vat: "18") == "VAT")
    #expect(add(vat: "twenty") == "VAT")
    #expect(add(item: "  ") == "Item")
    #expect(add(qty: "999999999", price: "9999999999999") == "Price")
    #expect(f.invalidField { try f.offers.removeLine(o, number: 1) } == "Line")
    #expect(try f.detail(o).lines.isEmpty)
    #expect(
      f.invalidField {
        try f.offers.update(
          Offer(id: o, dealId: f.dealId, number: "2026-0001", validUntil: "2026-11-01"))
      } == "Valid until")
  }

  @Test func linesAreEditedRemovedAndReorderedAsOneNumberedList() throws {
    let f = try OfferFixture()
    let o = try f.offer()
    try f.line(o, "A")
    try f.line(o, "B")
    try f.line(o, "C")
    try f.offers.addLine(o, OfferLineInput(item: "Первая", quantity: "1", price: "1"), at: 1)
    #expect(try f.detail(o).lines.map(\.item) == ["Первая", "A", "B", "C"])
    try f.offers.moveLine(o, from: 4, to: 2)
    #expect(try f.detail(o).lines.map(\.item) == ["Первая", "C", "A", "B"])
    try f.offers.removeLine(o, number: 1)
    let d = try f.detail(o)
    #expect(d.lines.map(\.item) == ["C", "A", "B"])
    #expect(d.lines.map(\.position) == [1, 2, 3])
    try f.offers.updateLine(o, number: 2, OfferLineInput(quantity: "2,5", vat: "none"))
    let a = try f.detail(o).lines[1]
    #expect(a.item == "A" && a.quantityMilli == 2500 && a.price == 100_00 && a.vatRate == nil)
    #expect(a.sum == 250_00 && a.unit == "шт")
  }

  @Test func markingSentLogsExactlyOneEmailContactAndIsRefusedTwiceOrWithoutLines() throws {
    let f = try OfferFixture()
    let o = try f.offer()
    let empty = f.problem { try f.offers.markSent(o) }
    #expect(empty.contains("has no lines"))
    try f.line(o, qty: "3", price: "333.33")
    let contactId = try f.offers.markSent(o)
    let d = try f.detail(o)
    #expect(d.offer.status == .sent)
    #expect(d.offer.sentAt == monday)
    #expect(d.offer.contactId == contactId)
    let client = try f.clientId
    let emails = try f.base.base.contacts.contacts(ofClient: client).filter {
      $0.contact.kind == .email
    }
    #expect(emails.count == 1)
    let c = try #require(emails.first).contact
    #expect(c.id == contactId)
    #expect(c.status == .done && c.direction == .outgoing && c.doneAt == monday)
    #expect(c.dealId == f.dealId && c.userId == f.base.base.anna)
    #expect(c.subject == "Offer No. 2026-0001 sent")
    let row = try #require(try f.base.base.clients.client(client))
    #expect(row.lastContactAt == monday)
    // Russian subject in a Russian service.
    let ru = OfferService(db: f.db, userId: f.base.base.anna, language: .ru, timeZone: moscow)
    let second = try f.offer()
    try f.line(second)
    let ruContact = try ru.markSent(second)
    #expect(
      try f.base.base.contacts.contact(ruContact)?.contact.subject == "КП № 2026-0002 отправлено")
    // Twice is refused, and no second contact appears.
    let again = f.problem { try f.offers.markSent(o) }
    #expect(again.contains("was sent on") && again.contains("crm offer copy \(o)"))
    #expect(
      try f.base.base.contacts.contacts(ofClient: client).filter { $0.contact.kind == .email }
        .count == 2)
  }

  @Test func aSentOfferIsFrozenAndCopiedToANewDraft() throws {
    let f = try OfferFixture()
    let o = try f.offer()
    try f.line(o, "A", qty: "2", price: "10")
    try f.line(o, "B")
    try f.offers.markSent(o)
    let sent = try f.detail(o)
    let attempts: [() throws -> Void] = [
      { try f.line(o) },
      { try f.offers.updateLine(o, number: 1, OfferLineInput(price: "1")) },
      { try f.offers.removeLine(o, number: 1) },
      { try f.offers.moveLine(o, from: 1, to: 2) },
      { try f.offers.update(sent.offer) },
      { try f.offers.delete(o) },
    ]
    for attempt in attempts {
      #expect(f.invalidField(attempt) == "offer No. 2026-0001")
      #expect(f.problem(attempt).contains("copy it to a new draft"))
    }
    #expect(try f.detail(o) == sent)
    let copy = try f.offers.copy(o)
    let c = try f.detail(copy)
    #expect(c.offer.status == .draft && c.offer.number == "2026-0002")
    #expect(c.offer.contactId == nil && c.offer.sentAt == nil)
    func withoutIds(_ lines: [OfferLine]) -> [OfferLine] {
      lines.map { line in
        var copy = line
        copy.id = nil
        return copy
      }
    }
    #expect(withoutIds(c.lines) == withoutIds(sent.lines))
    try f.offers.removeLine(copy, number: 2)
    #expect(try f.detail(copy).lines.count == 1)
    #expect(try f.offers.offers(ofDeal: f.dealId).map(\.id) == [o, copy])
  }

  @Test func everyChangeIsAuditedInTheClientsHistory() throws {
    let f = try OfferFixture()
    let o = try f.offer()
    try f.line(o, "Болт", qty: "3", price: "333.33")
    try f.offers.updateLine(o, number: 1, OfferLineInput(price: "300"))
    try f.offers.markSent(o)
    let draft = try f.offer()
    try f.offers.delete(draft)
    let actions = try f.db.read { db in
      try Row.fetchAll(
        db, sql: "SELECT action, entity_id FROM change_set WHERE entity = 'offer' ORDER BY id"
      ).map { "\($0["action"] as String) \($0["entity_id"] as Int64)" }
    }
    #expect(
      actions == [
        "insert \(o)", "update \(o)", "update \(o)", "sent \(o)", "insert \(draft)",
        "delete \(draft)",
      ])
    let history = try f.base.base.clients.history(of: try f.clientId).filter {
      $0.entity == "offer"
    }
    #expect(
      history.contains { $0.action == "insert" && $0.field == "number" && $0.new == "2026-0001" })
    #expect(
      history.contains {
        $0.action == "update" && $0.field == "line 1" && $0.old == nil
          && $0.new == "Болт | 3 шт × 333.33 | VAT 20 | 999.99"
      })
    #expect(
      history.contains {
        $0.action == "update" && $0.field == "line 1" && $0.new?.hasSuffix("900.00") == true
      })
    #expect(history.contains { $0.action == "sent" && $0.field == "status" && $0.new == "sent" })
    #expect(history.contains { $0.action == "delete" && $0.field == "number" && $0.new == nil })
    // The e-mail contact is audited as a contact insert, by anna.
    let contact = try f.base.base.clients.history(of: try f.clientId).filter {
      $0.entity == "contact" && $0.field == "kind" && $0.new == "email"
    }
    #expect(contact.count == 1 && contact.first?.user == "anna")
  }

  @Test func anOfferTakesTheDealsCurrency() throws {
    let f = try OfferFixture(currency: "USD")
    let o = try f.offer()
    try f.line(o, qty: "1", price: "12.50 $")
    let d = try f.detail(o)
    #expect(d.offer.currency == "USD")
    #expect(d.lines[0].price == 12_50)
    #expect(d.totals.currency.code == "USD")
  }
}
