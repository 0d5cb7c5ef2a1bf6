import Foundation
import GRDB

/// A payment as the accounting side knows it: a document of the bank statement.
public struct AccountingPayment: Equatable, Sendable {
  public var line: Int
  public var number: String
  /// `YYYY-MM-DD` the money arrived.
  public var date: String
  public var amount: Int64
  public var payerINN: String
  public var payerName: String
  /// The bank document's identity, as `BankPaymentRecord.key`.
  public var key: String

  public init(
    line: Int, number: String, date: String, amount: Int64, payerINN: String, payerName: String,
    key: String
  ) {
    self.line = line
    self.number = number
    self.date = date
    self.amount = amount
    self.payerINN = payerINN
    self.payerName = payerName
    self.key = key
  }

  public init(_ r: BankPaymentRecord) {
    self.init(
      line: r.line, number: r.number, date: r.date, amount: r.amount, payerINN: r.payerINN,
      payerName: r.payerName, key: r.key)
  }
}

/// An act as the accounting side knows it (read back from 1C's EnterpriseData).
public struct AccountingAct: Equatable, Sendable {
  public var number: String
  public var date: String
  public var inn: String
  public var name: String
  public var total: Int64

  public init(number: String, date: String, inn: String, name: String, total: Int64) {
    self.number = number
    self.date = date
    self.inn = inn
    self.name = name
    self.total = total
  }
}

/// One line of the reconciliation.
public struct ReconciliationRow: Equatable, Sendable {
  public enum Kind: String, Sendable, Codable, CaseIterable {
    case matched
    case onlyCRM = "only_crm"
    case onlyAccounting = "only_accounting"
    case amountDiffers = "amount_differs"
    case dateDiffers = "date_differs"

    public func name(_ l: Language) -> String {
      switch self {
      case .matched: return l.pick("matched", "совпадает")
      case .onlyCRM: return l.pick("only in the CRM", "только в CRM")
      case .onlyAccounting: return l.pick("only in accounting", "только в учёте")
      case .amountDiffers: return l.pick("amount differs", "другая сумма")
      case .dateDiffers: return l.pick("date differs", "другая дата")
      }
    }
  }

  public enum Document: String, Sendable, Codable { case payment, act }

  public var kind: Kind
  public var document: Document
  public var clientId: Int64?
  public var clientName: String
  public var inn: String
  public var number: String
  public var crmDate: String?
  public var accountingDate: String?
  public var crmAmount: Int64?
  public var accountingAmount: Int64?
  /// The payment's or act's id in the CRM.
  public var crmId: Int64?
  /// The line of the statement (payments).
  public var line: Int?
  public var note: String

  /// CRM − accounting.
  public var difference: Int64 { (crmAmount ?? 0) - (accountingAmount ?? 0) }
}

/// Totals of one client (or payer) on both sides.
public struct ReconciliationClient: Equatable, Sendable {
  public var clientId: Int64?
  public var name: String
  public var inn: String
  public var crm: Int64 = 0
  public var accounting: Int64 = 0
  public var differences = 0
  public var difference: Int64 { crm - accounting }
}

public struct ReconciliationReport: Equatable, Sendable {
  public var from: String
  public var to: String
  public var rows: [ReconciliationRow]
  public var clients: [ReconciliationClient]
  /// Cash kept out of accounting in the period: never compared, shown apart.
  public var managementOnly: [MoneyService.PaymentRow]
  /// Cash put through accounting in the period (not on the bank statement, so not compared).
  public var accountedCash: Int64
  public var comparedActs: Bool

  public func count(_ k: ReconciliationRow.Kind, _ d: ReconciliationRow.Document? = nil) -> Int {
    rows.filter { $0.kind == k && (d == nil || $0.document == d) }.count
  }
  public var managementOnlyTotal: Int64 { managementOnly.reduce(0) { $0 + $1.payment.amount } }
  public var agrees: Bool { rows.allSatisfy { $0.kind == .matched } }
}

extension MoneyService {
  struct CRMSidePayment {
    var id: Int64
    var clientId: Int64?
    var clientName: String
    var inn: String
    var number: String
    var date: String
    var amount: Int64
    var key: String?
  }

  /// Compares the CRM's bank payments in `from…to` with the statement's incoming documents, and
  /// the CRM's acts of the period with `accountingActs` (read back from 1C) — or, without them,
  /// with what was exported (acts never exported, or changed since). Rows: matched, only in the
  /// CRM, only in accounting, amount differs (same payer, number), date differs. Payments on
  /// other accounts of ours than `accounts` (when given) are left out.
  public func reconcile(
    bank: [AccountingPayment], from: String, to: String, accounts: Set<String> = [],
    accountingActs: [AccountingAct]? = nil
  ) throws(CRMError) -> ReconciliationReport {
    let seen = self.seen
    return try db.read { db in
      var rows: [ReconciliationRow] = []
      // CRM side: bank payments of the period (not set aside).
      var crm: [CRMSidePayment] = []
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT p.id, p.client_id, p.number, p.date, p.amount, p.bank_key, p.kind, p.payer_inn,
            p.payer_name, p.account, cl.inn AS client_inn, cl.name AS client_name,
            cl.legal_form AS client_form
          FROM payment p LEFT JOIN client cl ON cl.id = p.client_id
          WHERE p.source = 'bank' AND p.state <> 'ignored' AND p.date BETWEEN ? AND ? AND \(seen)
          """, arguments: [from, to])
      while let r = try cursor.next() {
        let account: String = r["account"]
        if !accounts.isEmpty && !account.isEmpty && !accounts.contains(account) { continue }
        let payerINN: String = r["payer_inn"]
        let clientName: String? = r["client_name"]
        crm.append(
          CRMSidePayment(
            id: r["id"], clientId: r["client_id"],
            clientName: clientName != nil ? Self.clientLabel(r) : (r["payer_name"] as String),
            inn: payerINN.isEmpty ? (r["client_inn"] as String? ?? "") : payerINN,
            number: r["number"], date: r["date"], amount: r["amount"],
            key: (r["bank_key"] as String?).map {
              BankDocumentIdentity.current(storedKey: $0, kind: r["kind"])
            }))
      }
      var byKey: [String: Int] = [:]
      for (i, p) in crm.enumerated() { if let k = p.key { byKey[k] = i } }
      var used = [Bool](repeating: false, count: crm.count)
      var leftover: [AccountingPayment] = []
      func row(_ kind: ReconciliationRow.Kind, _ c: CRMSidePayment?, _ a: AccountingPayment?)
        -> ReconciliationRow
      {
        ReconciliationRow(
          kind: kind, document: .payment, clientId: c?.clientId,
          clientName: c?.clientName ?? a?.payerName ?? "", inn: c?.inn ?? a?.payerINN ?? "",
          number: c?.number ?? a?.number ?? "", crmDate: c?.date, accountingDate: a?.date,
          crmAmount: c?.amount, accountingAmount: a?.amount, crmId: c?.id, line: a?.line, note: "")
      }
      for a in bank {
        if let i = byKey[a.key], !used[i] {
          used[i] = true
          rows.append(row(crm[i].date == a.date ? .matched : .dateDiffers, crm[i], a))
        } else {
          leftover.append(a)
        }
      }
      // The rest: pair by payer ИНН and number.
      var byDoc: [String: [Int]] = [:]
      for (i, p) in crm.enumerated() where !used[i] {
        byDoc[p.inn + "|" + DocumentNumber.key(p.number), default: []].append(i)
      }
      for a in leftover {
        let k = a.payerINN + "|" + DocumentNumber.key(a.number)
        let candidates = (byDoc[k] ?? []).filter { !used[$0] }
        let pick =
          candidates.first { crm[$0].amount == a.amount }
          ?? candidates.first { crm[$0].date == a.date } ?? candidates.first
        guard let i = pick else {
          rows.append(row(.onlyAccounting, nil, a))
          continue
        }
        used[i] = true
        rows.append(row(crm[i].amount != a.amount ? .amountDiffers : .dateDiffers, crm[i], a))
      }
      for (i, p) in crm.enumerated() where !used[i] { rows.append(row(.onlyCRM, p, nil)) }

      // Acts.
      let acts = try Row.fetchAll(
        db,
        sql: """
          SELECT a.id, a.client_id, a.number, a.date, a.total, a.status, a.export_id,
            cl.inn AS client_inn, cl.name AS client_name, cl.legal_form AS client_form,
            e.number AS x_number, e.date AS x_date, e.total AS x_total
          FROM act a JOIN client cl ON cl.id = a.client_id
          LEFT JOIN export_item e ON e.export_id = a.export_id AND e.act_id = a.id
          WHERE a.date BETWEEN ? AND ? AND \(seen)
          ORDER BY a.date, a.id
          """, arguments: [from, to])
      func actRow(_ kind: ReconciliationRow.Kind, _ r: Row?, _ a: AccountingAct?, note: String)
        -> ReconciliationRow
      {
        ReconciliationRow(
          kind: kind, document: .act, clientId: r?["client_id"],
          clientName: r.map(Self.clientLabel) ?? a?.name ?? "",
          inn: r?["client_inn"] ?? a?.inn ?? "", number: r?["number"] ?? a?.number ?? "",
          crmDate: r?["date"], accountingDate: a?.date, crmAmount: r?["total"],
          accountingAmount: a?.total, crmId: r?["id"], line: nil, note: note)
      }
      if let accountingActs {
        var index: [String: Int] = [:]
        for (i, r) in acts.enumerated() where (r["status"] as String) == "issued" {
          index[String((r["date"] as String).prefix(4)) + "|" + DocumentNumber.key(r["number"])] = i
        }
        var seenActs = Set<Int>()
        for a in accountingActs {
          let k = String(a.date.prefix(4)) + "|" + DocumentNumber.key(a.number)
          guard let i = index[k], !seenActs.contains(i) else {
            rows.append(actRow(.onlyAccounting, nil, a, note: ""))
            continue
          }
          seenActs.insert(i)
          let r = acts[i]
          let kind: ReconciliationRow.Kind =
            (r["total"] as Int64) != a.total
            ? .amountDiffers : ((r["date"] as String) != a.date ? .dateDiffers : .matched)
          rows.append(actRow(kind, r, a, note: ""))
        }
        for (i, r) in acts.enumerated()
        where (r["status"] as String) == "issued" && !seenActs.contains(i) {
          rows.append(actRow(.onlyCRM, r, nil, note: ""))
        }
      } else {
        for r in acts {
          let cancelled = (r["status"] as String) == "cancelled"
          let exported = (r["export_id"] as Int64?) != nil
          if !exported {
            if !cancelled {
              rows.append(
                actRow(.onlyCRM, r, nil, note: l.pick("never exported", "не выгружался")))
            }
            continue
          }
          let then = AccountingAct(
            number: r["x_number"] ?? "", date: r["x_date"] ?? "", inn: r["client_inn"],
            name: Self.clientLabel(r), total: r["x_total"] ?? 0)
          if cancelled {
            rows.append(
              actRow(
                .onlyAccounting, r, then,
                note: l.pick("cancelled after its export", "отменён после выгрузки")))
          } else if then.total != (r["total"] as Int64) {
            rows.append(
              actRow(
                .amountDiffers, r, then,
                note: l.pick("changed since its export", "изменён после выгрузки")))
          } else if then.date != (r["date"] as String) {
            rows.append(
              actRow(
                .dateDiffers, r, then,
                note: l.pick("changed since its export", "изменён после выгрузки")))
          } else {
            rows.append(actRow(.matched, r, then, note: ""))
          }
        }
      }

      // Totals per client (payments only: acts are another kind of money).
      var clients: [String: ReconciliationClient] = [:]
      for r in rows where r.document == .payment {
        let k = r.clientId.map { "c\($0)" } ?? "i" + r.inn
        var c =
          clients[k]
          ?? ReconciliationClient(clientId: r.clientId, name: r.clientName, inn: r.inn)
        c.crm += r.crmAmount ?? 0
        c.accounting += r.accountingAmount ?? 0
        if r.kind != .matched { c.differences += 1 }
        clients[k] = c
      }
      let order: [ReconciliationRow.Kind: Int] = [
        .onlyAccounting: 0, .onlyCRM: 1, .amountDiffers: 2, .dateDiffers: 3, .matched: 4,
      ]
      rows.sort {
        (order[$0.kind]!, $0.document.rawValue, $0.crmDate ?? $0.accountingDate ?? "", $0.number)
          < (
            order[$1.kind]!, $1.document.rawValue, $1.crmDate ?? $1.accountingDate ?? "", $1.number
          )
      }
      let cash = try Row.fetchAll(
        db,
        sql: Self.paymentSelect
          + " WHERE p.source = 'cash' AND p.management_only AND p.date BETWEEN ? AND ? ORDER BY p.date, p.id",
        arguments: [from, to]
      ).map(Self.paymentRow)
      let accountedCash =
        try Int64.fetchOne(
          db,
          sql: """
            SELECT coalesce(sum(amount), 0) FROM payment
            WHERE source = 'cash' AND NOT management_only AND date BETWEEN ? AND ?
            """, arguments: [from, to]) ?? 0
      return ReconciliationReport(
        from: from, to: to, rows: rows,
        clients: clients.values.sorted {
          ($0.differences == 0 ? 1 : 0, $0.name) < ($1.differences == 0 ? 1 : 0, $1.name)
        }, managementOnly: cash, accountedCash: accountedCash,
        comparedActs: accountingActs != nil)
    }
  }

  // MARK: Money summaries

  /// A client's money per currency (roubles first): contracted, invoiced, paid, owed, overdue,
  /// management-only cash, unallocated, acted.
  public func summary(clientId: Int64) throws(CRMError) -> [MoneySummary] {
    let day = today
    let access = db.access
    return try db.read { db in
      if try access.hides(db, clientId: clientId) { return [] }
      var out: [String: MoneySummary] = [:]
      /// Adds the per-currency sums of one query (a `currency` column and `take`'s columns).
      func add(
        _ sql: String, _ arguments: StatementArguments, take: (inout MoneySummary, Row) -> Void
      ) throws {
        for r in try Row.fetchAll(db, sql: sql, arguments: arguments) {
          let code: String = r["currency"]
          var s =
            out[code]
            ?? MoneySummary(
              currency: Currency.named(code) ?? Currency(code: code, minorDigits: 2, symbol: code))
          take(&s, r)
          out[s.currency.code] = s
        }
      }
      try add(
        """
        SELECT currency, sum(amount) AS s FROM contract
        WHERE client_id = ? AND status IN ('active', 'draft') GROUP BY currency
        """, [clientId]
      ) { s, r in s.contracted = r["s"] }
      try add(
        """
        SELECT currency, sum(total) AS invoiced, sum(max(total - paid, 0)) AS owed,
          sum(CASE WHEN due_date <> '' AND due_date < ? THEN max(total - paid, 0) ELSE 0 END)
            AS overdue
        FROM invoice WHERE client_id = ? AND status = 'issued' GROUP BY currency
        """, [day, clientId]
      ) { s, r in
        s.invoiced = r["invoiced"]
        s.owed = r["owed"]
        s.overdue = r["overdue"]
      }
      try add(
        """
        SELECT currency, sum(amount) AS paid,
          sum(CASE WHEN management_only THEN amount ELSE 0 END) AS mgmt,
          sum(amount - coalesce((SELECT sum(a.amount) FROM allocation a
            WHERE a.payment_id = payment.id), 0)) AS free
        FROM payment WHERE client_id = ? AND state = 'assigned' GROUP BY currency
        """, [clientId]
      ) { s, r in
        s.paid = r["paid"]
        s.managementOnly = r["mgmt"]
        s.unallocated = r["free"]
      }
      try add(
        """
        SELECT currency, sum(total) AS s FROM act WHERE client_id = ? AND status = 'issued'
        GROUP BY currency
        """, [clientId]
      ) { s, r in s.acted = r["s"] }
      return out.values.sorted {
        ($0.currency.code == "RUB" ? 0 : 1, $0.currency.code)
          < ($1.currency.code == "RUB" ? 0 : 1, $1.currency.code)
      }
    }
  }

  /// Money of deals, in each deal's invoices' currency: contracted (contracts on the deal),
  /// invoiced, paid (allocated to its invoices), owed and overdue. Deals without documents are
  /// absent.
  public func summaries(dealIds: [Int64]) throws(CRMError) -> [Int64: MoneySummary] {
    if dealIds.isEmpty { return [:] }
    let day = today
    let access = db.access
    return try db.read { db in
      // Only deals of clients the signed-in user may see.
      let visible =
        access.isAll
        ? dealIds
        : try Int64.fetchAll(
          db,
          sql: """
            SELECT id FROM deal d WHERE d.id IN (\(dealIds.map(String.init).joined(separator: ",")))
            AND \(access.condition(clientIdColumn: "d.client_id"))
            """)
      let list = visible.map(String.init).joined(separator: ",")
      var out: [Int64: MoneySummary] = [:]
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT deal_id, currency, sum(amount) AS s FROM contract
          WHERE deal_id IN (\(list)) AND status IN ('active', 'draft') GROUP BY deal_id
          """)
      {
        let code: String = r["currency"]
        var s = out[r["deal_id"]] ?? MoneySummary(currency: Currency.named(code) ?? .rub)
        s.contracted = r["s"]
        out[r["deal_id"]] = s
      }
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT deal_id, currency, sum(total) AS invoiced, sum(min(paid, total)) AS paid,
            sum(max(total - paid, 0)) AS owed,
            sum(CASE WHEN due_date <> '' AND due_date < ? THEN max(total - paid, 0) ELSE 0 END)
              AS overdue
          FROM invoice WHERE deal_id IN (\(list)) AND status = 'issued' GROUP BY deal_id
          """, arguments: [day])
      {
        let code: String = r["currency"]
        var s = out[r["deal_id"]] ?? MoneySummary(currency: Currency.named(code) ?? .rub)
        s.invoiced = r["invoiced"]
        s.paid = r["paid"]
        s.owed = r["owed"]
        s.overdue = r["overdue"]
        out[r["deal_id"]] = s
      }
      return out
    }
  }
}
