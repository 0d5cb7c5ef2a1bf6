import Foundation
import GRDB

/// What `populateMoney` added.
public struct DemoMoneyCounts: Equatable, Sendable {
  public var contracts = 0
  public var invoices = 0
  public var payments = 0
  public var acts = 0
}

extension DemoData {
  /// Our settlement account in demo data (the sample statements' account).
  public static let demoAccount = "40702810938000012345"

  /// Adds money to the deals already there, straight through SQL: a contract per client with a
  /// won deal, an invoice per won deal (numbered per year), bank payments for most of them (a
  /// few split in two, a few short), acts for most, some management-only cash, and unpaid or
  /// overdue invoices on open deals at the Invoice stage. Payments reach `payments` when there
  /// are enough invoices; each bank payment has the identity a statement import would give it.
  @discardableResult
  public func populateMoney(_ db: CRMDatabase, payments target: Int, seed: UInt64)
    throws(CRMError) -> DemoMoneyCounts
  {
    var rng = SeededRandom(seed: seed ^ 0x0DE1_1BEE)
    let nowT = now.timeIntervalSince1970
    let utc = TimeZone(identifier: "UTC")!
    func day(_ t: Double) -> String {
      OfferService.isoDay(Date(timeIntervalSince1970: t), utc)
    }
    return try db.write { db in
      var counts = DemoMoneyCounts()
      let deals = try Row.fetchAll(
        db,
        sql: """
          SELECT d.id, d.client_id, d.amount, d.status, d.closed_at, d.stage_at, s.key AS stage,
            cl.inn, cl.kpp, cl.name, cl.legal_form
          FROM deal d JOIN stage s ON s.id = d.stage_id JOIN client cl ON cl.id = d.client_id
          WHERE cl.deleted_at IS NULL AND cl.inn <> '' AND d.amount > 0
            AND (d.status = 'won' OR s.key IN ('invoice', 'paid', 'shipped'))
          ORDER BY d.id
          """)
      if deals.isEmpty { return counts }
      let insertContract = try db.makeStatement(
        sql: """
          INSERT INTO contract (client_id, deal_id, number, number_key, date, kind, subject, amount,
            payment_days, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, 'Поставка и услуги', ?, ?, ?, ?)
          """)
      let insertInvoice = try db.makeStatement(
        sql: """
          INSERT INTO invoice (client_id, contract_id, deal_id, number, number_key, date, due_date,
            total, vat, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      let insertLine = try db.makeStatement(
        sql: """
          INSERT INTO invoice_line (invoice_id, position, item, quantity_milli, price, vat_rate, sum)
          VALUES (?, 1, ?, 1000, ?, ?, ?)
          """)
      let insertPayment = try db.makeStatement(
        sql: """
          INSERT INTO payment (client_id, contract_id, source, management_only, date, amount,
            number, kind, purpose, payer_name, payer_inn, payer_kpp, payer_account, account,
            bank_key, note, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)
          """)
      let insertAllocation = try db.makeStatement(
        sql: "INSERT INTO allocation (payment_id, invoice_id, amount) VALUES (?, ?, ?)")
      let insertAct = try db.makeStatement(
        sql: """
          INSERT INTO act (client_id, contract_id, invoice_id, number, number_key, date, total, vat,
            created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      let insertActLine = try db.makeStatement(
        sql: """
          INSERT INTO act_line (act_id, position, item, quantity_milli, price, vat_rate, sum)
          VALUES (?, 1, ?, 1000, ?, ?, ?)
          """)
      var contractOf: [Int64: Int64] = [:]
      var invoiceNo: [String: Int] = [:]
      var actNo: [String: Int] = [:]
      var paymentNo = 0
      // Invoices first (each with what it should receive), payments after, so `target` can be
      // met by splitting.
      struct Bill {
        var id: Int64
        var client: Int64
        var contract: Int64
        var number: String
        var date: String
        var total: Int64
        var inn: String
        var kpp: String
        var payer: String
        var paidShare: Double
        var dateT: Double
      }
      var bills: [Bill] = []
      for d in deals {
        let client: Int64 = d["client_id"]
        let won = (d["status"] as String) == "won"
        let at: Double = won ? d["closed_at"] : d["stage_at"]
        let invoiceT = at - Double.random(in: 2...20, using: &rng) * 86400
        let invoiceDay = day(invoiceT)
        let year = String(invoiceDay.prefix(4))
        let contract: Int64
        if let k = contractOf[client] {
          contract = k
        } else {
          let number = "\(contractOf.count + 1)/\(year.suffix(2))"
          try insertContract.execute(arguments: [
            client, d["id"], number, DocumentNumber.key(number), day(invoiceT - 30 * 86400),
            Double.random(in: 0..<1, using: &rng) < 0.85 ? "formal" : "actual",
            d["amount"] as Int64 * 2, 10, nowT, nowT,
          ])
          contract = db.lastInsertedRowID
          contractOf[client] = contract
          counts.contracts += 1
        }
        invoiceNo[year, default: 0] += 1
        let number = String(invoiceNo[year]!)
        let total: Int64 = d["amount"]
        let rate = invoiceDay >= "2026-01-01" ? 22 : 20
        let vat = (total * Int64(rate) * 2 + Int64(100 + rate)) / (2 * Int64(100 + rate))
        try insertInvoice.execute(arguments: [
          client, contract, d["id"], number, number, invoiceDay, day(invoiceT + 10 * 86400), total,
          vat, nowT, nowT,
        ])
        let invoiceId = db.lastInsertedRowID
        try insertLine.execute(arguments: [invoiceId, "Оплата по договору", total, rate, total])
        counts.invoices += 1
        let share: Double =
          won
          ? (Double.random(in: 0..<1, using: &rng) < 0.93 ? 1 : 0.5)
          : (Double.random(in: 0..<1, using: &rng) < 0.3 ? 0.5 : 0)
        bills.append(
          Bill(
            id: invoiceId, client: client, contract: contract, number: number, date: invoiceDay,
            total: total, inn: d["inn"], kpp: d["kpp"],
            payer: Client.displayName(name: d["name"], legalForm: d["legal_form"] ?? ""),
            paidShare: share, dateT: invoiceT))
        if won && Double.random(in: 0..<1, using: &rng) < 0.75 {
          // Acts are numbered per year of their own date, which may follow the invoice's year.
          let actYear = String(day(at).prefix(4))
          actNo[actYear, default: 0] += 1
          let act = String(actNo[actYear]!)
          try insertAct.execute(arguments: [
            client, contract, invoiceId, act, act, day(at), total, vat, nowT, nowT,
          ])
          try insertActLine.execute(arguments: [
            db.lastInsertedRowID, "Услуги по договору", total, rate, total,
          ])
          counts.acts += 1
        }
      }
      let paying = bills.filter { $0.paidShare > 0 }
      let extra = max(0, target - paying.count)
      let splitChance = paying.isEmpty ? 0 : min(1, Double(extra) / Double(paying.count))
      for b in paying {
        let due = b.paidShare == 1 ? b.total : b.total / 2
        let split = due >= 200 && Double.random(in: 0..<1, using: &rng) < splitChance
        let parts = split ? [due / 2, due - due / 2] : [due]
        var t = b.dateT
        for amount in parts {
          t += Double.random(in: 0.5...9, using: &rng) * 86400
          if t > nowT { t = nowT - 3600 }
          paymentNo += 1
          let number = String(paymentNo)
          let date = day(t)
          let key = [b.inn, number, date, String(amount), Self.demoAccount].joined(separator: "|")
          try insertPayment.execute(arguments: [
            b.client, b.contract, "bank", false, date, amount, number, "Платежное поручение",
            "Оплата по счету № \(b.number) от \(OfferService.displayDay(b.date, .ru))", b.payer,
            b.inn, b.kpp, "40702810001230000777", Self.demoAccount, key, nowT, nowT,
          ])
          try insertAllocation.execute(arguments: [db.lastInsertedRowID, b.id, amount])
          counts.payments += 1
        }
      }
      // A little cash, some of it kept out of accounting.
      for b in bills.prefix(bills.count / 50) {
        try insertPayment.execute(arguments: [
          b.client, b.contract, "cash", Double.random(in: 0..<1, using: &rng) < 0.5, day(b.dateT),
          max(1, b.total / 10), "", "", "", "", "", "", "", "", nil, nowT, nowT,
        ])
        counts.payments += 1
      }
      return counts
    }
  }
}
