import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// One identity rule for bank documents, shared by the import and reconciliation.
@Suite struct BankIdentityTests {
  /// A Платежное поручение and a Платежное требование with the same number, date, sum and payer
  /// (as in a real statement): two documents. Both are imported, a second import adds nothing,
  /// and reconciliation pairs both instead of listing one as "only in accounting" forever.
  @Test func aPaymentOrderAndAPaymentRequestWithTheSameNumberAreTwoDocuments() throws {
    let f = try MoneyFixture()
    var order = f.record(line: 10, number: "1", date: "2026-11-02", amount: 10_10)
    order.kind = "Платежное поручение"
    var request = f.record(line: 40, number: "1", date: "2026-11-02", amount: 10_10)
    request.kind = "Платежное требование"
    #expect(order.key != request.key)
    let first = try f.money.importBank([order, request], file: "f", encoding: "utf8")
    #expect(first.skipped == 0)
    #expect(try f.count("payment") == 2)
    let again = try f.money.importBank([order, request], file: "f", encoding: "utf8")
    #expect(again.skipped == 2)
    #expect(try f.count("payment") == 2)
    let r = try f.money.reconcile(
      bank: [AccountingPayment(order), AccountingPayment(request)], from: "2026-11-01",
      to: "2026-11-30")
    #expect(r.rows.filter { $0.document == .payment }.map(\.kind) == [.matched, .matched])
    #expect(r.agrees)
  }

  /// The same document spelt a little differently by the bank on a later statement (case, ё,
  /// spaces) is still the same document.
  @Test func theKindIsComparedWithoutCaseYoAndSpaces() {
    var a = BankPaymentRecord(
      line: 1, kind: "Платёжное  поручение", number: "7", date: "2026-11-02", amount: 1)
    let b = BankPaymentRecord(
      line: 1, kind: "платежное поручение", number: "7", date: "2026-11-02", amount: 1)
    #expect(a.key == b.key)
    a.kind = ""
    #expect(a.key.hasSuffix("|-"))
  }

  /// Payments imported before the kind joined the identity (their bank_key lacks it) are still
  /// the same documents: a re-import skips them and updates their key, and reconciliation pairs
  /// them by key.
  @Test func keysStoredBeforeTheKindJoinedStillMatch() throws {
    let f = try MoneyFixture()
    let rec = f.record(line: 10, number: "5", date: "2026-11-03", amount: 500_00)
    _ = try f.money.importBank([rec], file: "f", encoding: "utf8")
    try f.db.write { db in
      try db.execute(sql: "UPDATE payment SET bank_key = ?", arguments: [rec.legacyKey])
    }
    let r = try f.money.reconcile(
      bank: [AccountingPayment(rec)], from: "2026-11-01", to: "2026-11-30")
    #expect(r.rows.filter { $0.document == .payment }.map(\.kind) == [.matched])
    let again = try f.money.importBank([rec], file: "f", encoding: "utf8")
    #expect(again.skipped == 1)
    #expect(try f.count("payment") == 1)
    let key = try f.db.read { db in try String.fetchOne(db, sql: "SELECT bank_key FROM payment") }
    #expect(key == rec.key)
  }
}
