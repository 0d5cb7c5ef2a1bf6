import CRMCore
import Foundation
import Testing

/// The small read queries the deal screens use: a deal's contacts, contacts logged for a deal,
/// and the won / lost totals of a period.
@Suite struct DealReadQueryTests {
  @Test func aDealsContactsAreReadByTheDealAndLoggingTiesThemToIt() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    let id = try f.deal(client: c)
    let other = try f.deal("Другая", client: c)
    try f.deals.move(id, to: "offer")  // plans a call for the deal
    try f.base.contacts.log(clientId: c, kind: .meeting, outcome: "Без сделки")
    let logged = try f.base.contacts.log(
      clientId: c, kind: .email, outcome: "Отправили КП", dealId: id,
      next: .init(at: monday.addingTimeInterval(86400), kind: .call))
    let rows = try f.base.contacts.contacts(ofDeal: id)
    #expect(rows.count == 3)
    #expect(rows.allSatisfy { $0.contact.dealId == id })
    #expect(rows.first?.contact.status == .planned)
    #expect(rows.contains { $0.id == logged.id && $0.contact.outcome == "Отправили КП" })
    #expect(rows.contains { $0.id == logged.nextId })
    #expect(try f.base.contacts.contacts(ofDeal: other).isEmpty)
    #expect(try f.base.contacts.contacts(ofDeal: id, limit: 1).count == 1)
  }

  @Test func closedTotalsCountWonAndLostOfThePeriodPerCurrency() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    let a = try f.deal("A", client: c, amount: 100_000_00)
    let b = try f.deal("B", client: c, amount: 20_000_00)
    let usd = try f.deals.add(Deal(clientId: c, title: "C", amount: 500_00, currency: "USD"))
    let open = try f.deal("D", client: c)
    _ = open
    try f.deals.won(a)
    try f.deals.won(usd)
    try f.deals.lost(b, reason: "price")
    let p = try f.pipelines.pipeline()
    let day = monday.addingTimeInterval(-3600)
    let totals = try f.deals.closedTotals(
      pipelineId: p.id, from: day, to: day.addingTimeInterval(86400))
    #expect(totals[.won]?.map(\.count) == [1, 1])
    #expect(totals[.won]?.first { $0.currency.code == "RUB" }?.sum == 100_000_00)
    #expect(totals[.lost]?.first?.sum == 20_000_00)
    #expect(totals[.open] == nil)
    let borisOnly = try f.deals.closedTotals(
      pipelineId: p.id, filter: DealFilter(ownerId: f.base.boris), from: day,
      to: day.addingTimeInterval(86400))
    #expect(borisOnly.isEmpty)
    let before = try f.deals.closedTotals(
      pipelineId: p.id, from: day.addingTimeInterval(-86400), to: day)
    #expect(before.isEmpty)
  }
}
