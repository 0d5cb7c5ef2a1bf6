import Foundation
import Testing

@testable import CRMCore

@Suite struct MoneyQueueTests {
  @Test func unassignPutsABankPaymentBackInTheQueueWithoutItsAllocations() throws {
    let f = try MoneyFixture()
    let inv = try f.invoice(f.vector, sum: "500", number: "31", date: "2026-11-10")
    let report = try f.money.importBank(
      [f.record(line: 1, number: "7", amount: 500_00, inn: "7702070139", kpp: "")],
      file: "f", encoding: "utf8")
    #expect(report.queued == 1)
    let queued = try #require(try f.money.payments(state: .queued).first)
    try f.money.assign(queued.id, to: f.vector, invoiceId: inv)
    #expect(try f.money.invoice(inv)?.invoice.paid == 500_00)
    #expect(try f.money.queueCount() == 0)

    try f.money.unassign(queued.id)
    let back = try #require(try f.money.payment(queued.id)).payment
    #expect(back.state == .queued)
    #expect(back.clientId == nil)
    #expect(back.allocated == 0)
    // The reason it was queued stays for the next manager.
    #expect(back.note.contains("7702070139"))
    #expect(try f.money.invoice(inv)?.invoice.paid == 0)
    #expect(try f.money.queueCount() == 1)
    // The client's history says what happened; a second call changes nothing.
    let history = try f.base.clients.history(of: f.vector)
    #expect(
      history.contains {
        $0.entity == "payment" && $0.field == "state" && $0.old == "assigned" && $0.new == "queued"
      })
    try f.money.unassign(queued.id)
    #expect(try f.money.queueCount() == 1)
    // Cash has no queue to return to.
    let cash = try f.money.addPayment(Payment(clientId: f.vector, source: .cash, amount: 1_00))
    #expect(throws: CRMError.self) { try f.money.unassign(cash) }
  }
}
