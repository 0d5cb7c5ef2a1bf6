import Foundation
import GRDB

extension MoneyService {
  /// Puts a bank payment back in the queue: its allocations removed, no client and no contract
  /// (undoes `assign`, e.g. a payment given to the wrong client). Cash payments were typed by
  /// someone for a client and have no queue to go back to: refused.
  public func unassign(_ paymentId: Int64) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      let p = try loadPayment(db, paymentId)
      guard p.source == .bank else {
        throw fail(
          fieldName("payment"),
          "payment \(paymentId) is cash; only bank payments wait in the queue",
          "платёж \(paymentId) наличный; в очереди бывают только банковские")
      }
      if p.state == .queued { return }
      let cur = p.money
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT a.invoice_id, a.amount, i.number FROM allocation a
          JOIN invoice i ON i.id = a.invoice_id WHERE a.payment_id = ?
          """, arguments: [paymentId])
      {
        try db.execute(
          sql: "DELETE FROM allocation WHERE payment_id = ? AND invoice_id = ?",
          arguments: [paymentId, r["invoice_id"]])
        let number: String = r["number"]
        if let client = p.clientId {
          try audit(
            db, entity: "payment", id: paymentId, clientId: client, action: "allocate",
            old: ["invoice № \(number)": Money(minor: r["amount"], currency: cur).plain],
            new: [:], before: Payment?.none, at: at)
        }
      }
      try db.execute(
        sql: """
          UPDATE payment SET client_id = NULL, contract_id = NULL, state = 'queued', updated_at = ?
          WHERE id = ?
          """, arguments: [at.timeIntervalSince1970, paymentId])
      // Audited as an assignment back to the queue (the audit knows no «unassign»).
      if let client = p.clientId {
        var after = p
        after.clientId = nil
        after.contractId = nil
        after.state = .queued
        try audit(
          db, entity: "payment", id: paymentId, clientId: client, action: "assign",
          old: paymentFields(p), new: paymentFields(after), before: p, at: at)
      }
    }
  }
}
