import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Discount lines, copied lines, the outcome list and finding users by name.
@Suite struct OfferDiscountTests {
  @Test func aPercentDiscountFollowsTheLinesAboveItAtItsRate() throws {
    let f = try OfferFixture()
    let id = try f.offer()
    try f.line(id, "Станок", qty: "2", price: "50 000", vat: "22")
    let n = try f.offers.addDiscount(id, OfferDiscountInput(amount: "10 %"))
    #expect(n == 2)
    var d = try f.detail(id)
    #expect(d.lines[1].item == "Discount 10 %")
    #expect(d.lines[1].isDiscount && d.lines[1].percent == 1000 && d.lines[1].vatRate == 22)
    #expect(d.lines[1].sum == -10_000_00)
    #expect(d.totals.gross == 90_000_00)
    // VAT included: 100 000 has 18 032,79 of VAT, the discount takes 1 803,28 of it back.
    #expect(d.totals.vat == 18_032_79 - 1_803_28)
    // A line added above it grows the discount: the core recomputes it.
    try f.offers.addLine(
      id, OfferLineInput(item: "Монтаж", quantity: "1", price: "20 000", vat: "22"), at: 2)
    d = try f.detail(id)
    #expect(d.lines.map(\.item) == ["Станок", "Монтаж", "Discount 10 %"])
    #expect(d.lines[2].sum == -12_000_00)
    #expect(d.totals.gross == 108_000_00)
    // The percent changes the automatic name too.
    try f.offers.updateDiscount(id, number: 3, OfferDiscountInput(amount: "7,5%"))
    d = try f.detail(id)
    #expect(d.lines[2].item == "Discount 7.5 %" && d.lines[2].sum == -9_000_00)
    // Stored as the core says: price = sum < 0, quantity one.
    let stored = try f.db.read { db in
      try Row.fetchOne(
        db, sql: "SELECT price, sum, quantity_milli, percent FROM offer_line WHERE position = 3")
    }
    #expect(stored?["price"] == -900_000 as Int64 && stored?["percent"] == 750 as Int)
  }

  @Test func aFixedDiscountAndItsLimits() throws {
    let f = try OfferFixture()
    let id = try f.offer()
    #expect(
      f.problem { try f.offers.addDiscount(id, OfferDiscountInput(amount: "500")) }
        .contains("needs goods lines above it"))
    try f.line(id, "Болт", qty: "10", price: "100", vat: "20")
    try f.offers.addDiscount(id, OfferDiscountInput(item: "Постоянному клиенту", amount: "150"))
    var d = try f.detail(id)
    #expect(d.lines[1].item == "Постоянному клиенту" && d.lines[1].sum == -150_00)
    #expect(d.totals.gross == 850_00)
    // More than the goods at its rate is refused, nothing changes.
    #expect(
      f.problem { try f.offers.updateDiscount(id, number: 2, OfferDiscountInput(amount: "2 000")) }
        .contains("more than the lines above it"))
    #expect(try f.detail(id).totals.gross == 850_00)
    // A discount is not edited as goods; removing it restores the total.
    #expect(
      f.invalidField { try f.offers.updateLine(id, number: 2, OfferLineInput(price: "1")) }
        == "Line 2")
    try f.offers.removeLine(id, number: 2)
    d = try f.detail(id)
    #expect(d.totals.gross == 1_000_00)
    // Lines at two rates: the discount must say which.
    try f.line(id, "Услуга", qty: "1", price: "100", vat: "none")
    #expect(
      f.invalidField { try f.offers.addDiscount(id, OfferDiscountInput(amount: "5 %")) } == "VAT")
  }

  @Test func copyingALineAndAnOfferKeepsTheDiscount() throws {
    let f = try OfferFixture()
    let id = try f.offer()
    try f.line(id, "Болт", qty: "2", price: "100", vat: "20")
    try f.offers.addDiscount(id, OfferDiscountInput(amount: "10 %"))
    #expect(try f.offers.copyLine(id, number: 1) == 2)
    var d = try f.detail(id)
    #expect(d.lines.map(\.item) == ["Болт", "Болт", "Discount 10 %"])
    #expect(d.lines[2].sum == -40_00)
    let copy = try f.offers.copy(id)
    d = try f.detail(copy)
    #expect(d.offer.status == .draft && d.lines.count == 3 && d.lines[2].percent == 1000)
    #expect(d.totals.gross == 360_00)
    // A sent offer's lines do not change.
    try f.offers.markSent(id)
    #expect(f.problem { try f.offers.copyLine(id, number: 1) }.contains("cannot change"))
  }

  @Test func outcomesAreAListOfTheSalesProcess() throws {
    let f = try DealFixture()
    let outcomes = try f.pipelines.outcomes()
    #expect(outcomes.first?.name == "Договорились о встрече")
    #expect(outcomes.count == FunnelConfig.standardOutcomes.count)
    var config = try f.pipelines.current()
    config.outcomes.append(Choice(key: "tender", name: "Ждут тендера", nameEn: "Tender"))
    try f.pipelines.apply(config)
    #expect(try f.pipelines.outcomes().last?.name == "Ждут тендера")
    config.outcomes = [Choice(key: "x", name: "A"), Choice(key: "X", name: "B")]
    #expect(throws: CRMError.self) { try f.pipelines.apply(config) }
  }

  @Test func recentOutcomesAreTheUsersNewestDistinctOnes() throws {
    let f = try ContactFixture()
    let contacts = ContactService(db: f.db, userId: f.anna, language: .ru, timeZone: moscow)
    let client = try f.client("Ромашка")
    for text in ["Ждут КП", "Перезвонить в пятницу", "ждут кп", "Думают\nещё неделю"] {
      f.clock.current = f.clock.current.addingTimeInterval(60)
      try contacts.log(clientId: client, kind: .call, outcome: text)
    }
    #expect(try contacts.recentOutcomes() == ["Думают", "ждут кп", "Перезвонить в пятницу"])
    #expect(try contacts.recentOutcomes(limit: 1) == ["Думают"])
  }

  @Test func usersAreFoundByLoginOrName() throws {
    let db = try CRMDatabase(memory: FixedClock(monday))
    try db.signIn(login: "root")
    let users = UserAdmin(db: db, userId: db.viewer.user?.id, language: .ru)
    try users.add(login: "anna", role: .manager, name: "Анна Смирнова")
    try users.add(login: "petrova", role: .manager, name: "Анна Петрова")
    try users.add(login: "oleg", role: .manager, name: "Олег Ёлкин")
    func login(_ text: String) throws -> String? {
      if case .one(let u) = try db.findUser(loginOrName: text) { return u.login }
      return nil
    }
    #expect(try login("petrova") == "petrova")
    #expect(try login("Смирнова") == "anna")
    #expect(try login("анна пет") == "petrova")
    #expect(try login("елкин") == "oleg")
    #expect(try login("Olga") == nil)
    guard case .several(let both) = try db.findUser(loginOrName: "Анна") else {
      Issue.record("two Annas")
      return
    }
    #expect(Set(both.map(\.login)) == ["anna", "petrova"])
  }
}
