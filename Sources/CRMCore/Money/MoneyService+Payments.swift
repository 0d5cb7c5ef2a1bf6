import Foundation
import GRDB

/// A bank document as the import sees it, whatever file it came from: CRMExchange reads the
/// statement and hands these over, so the matching rules live here, next to the data.
public struct BankPaymentRecord: Equatable, Sendable {
  /// Line of the document in its file (for messages).
  public var line: Int
  public var kind: String
  public var number: String
  /// `YYYY-MM-DD`: the day money arrived (ДатаПоступило), else the document's date.
  public var date: String
  public var documentDate: String
  public var amount: Int64
  public var payerName: String
  public var payerINN: String
  public var payerKPP: String
  public var payerAccount: String
  /// Our account the money went to.
  public var account: String
  public var purpose: String
  /// Money to us (payee account ours, received); anything else is skipped.
  public var incoming: Bool

  public init(
    line: Int, kind: String = "Платежное поручение", number: String, date: String,
    documentDate: String? = nil, amount: Int64, payerName: String = "", payerINN: String = "",
    payerKPP: String = "", payerAccount: String = "", account: String = "", purpose: String = "",
    incoming: Bool = true
  ) {
    self.line = line
    self.kind = kind
    self.number = number
    self.date = date
    self.documentDate = documentDate ?? date
    self.amount = amount
    self.payerName = payerName
    self.payerINN = payerINN
    self.payerKPP = payerKPP
    self.payerAccount = payerAccount
    self.account = account
    self.purpose = purpose
    self.incoming = incoming
  }

  /// The identity of a bank document (`BankDocumentIdentity`): the same document imported again
  /// has the same key.
  public var key: String {
    BankDocumentIdentity.key(
      kind: kind, payerINN: payerINN, number: number, documentDate: documentDate,
      amount: amount, account: account)
  }

  /// The key this document had before the kind was part of the identity.
  public var legacyKey: String {
    BankDocumentIdentity.legacyKey(
      payerINN: payerINN, number: number, documentDate: documentDate, amount: amount,
      account: account)
  }
}

/// The one rule that says two bank documents are the same, used by the import (to skip what is
/// already there) and by reconciliation (to pair the CRM's payments with the statement's): payer
/// ИНН, document number, document date, amount, our account, and the document's kind. A
/// Платежное требование and a Платежное поручение with the same number, date and sum are two
/// documents (banks number each kind on its own).
///
/// Keys stored before the kind joined the identity lack its last part; `current` brings such a
/// stored key to today's form from the payment's stored kind, so old imports still match.
public enum BankDocumentIdentity {
  public static func key(
    kind: String, payerINN: String, number: String, documentDate: String, amount: Int64,
    account: String
  ) -> String {
    legacyKey(
      payerINN: payerINN, number: number, documentDate: documentDate, amount: amount,
      account: account) + "|" + kindPart(kind)
  }

  static func legacyKey(
    payerINN: String, number: String, documentDate: String, amount: Int64, account: String
  ) -> String {
    [payerINN, DocumentNumber.key(number), documentDate, String(amount), account].joined(
      separator: "|")
  }

  /// The kind as compared: case, ё/е and runs of spaces do not matter; no kind is `-`.
  static func kindPart(_ kind: String) -> String {
    let words = kind.lowercased().replacingOccurrences(of: "ё", with: "е")
      .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" })
    return words.isEmpty ? "-" : words.joined(separator: " ")
  }

  /// A stored `bank_key` in today's form: keys written before the kind was part of the identity
  /// get the stored kind appended.
  public static func current(storedKey: String, kind: String) -> String {
    let suffix = "|" + kindPart(kind)
    return storedKey.hasSuffix(suffix) ? storedKey : storedKey + suffix
  }
}

/// What the import did with one document.
public struct BankImportOutcome: Equatable, Sendable {
  public enum Result: String, Sendable, Codable {
    /// A payment of a known client, not tied to a document.
    case created
    /// A payment of a known client, allocated to an invoice or tied to a contract.
    case matched
    /// Nobody recognised: waits in the queue for a manager.
    case queued
    /// Not imported: outgoing, already imported, repeated in the file.
    case skipped
  }

  public var line: Int
  public var number: String
  public var date: String
  public var amount: Int64
  public var payerName: String
  public var payerINN: String
  public var result: Result
  public var reason: String
  public var paymentId: Int64?
  public var clientId: Int64?
  public var clientName: String?
  public var invoiceNumbers: [String]
  public var contractNumber: String?
}

public struct BankImportReport: Equatable, Sendable {
  public var importId: Int64?
  public var file: String
  public var dryRun: Bool
  public var outcomes: [BankImportOutcome]

  public func count(_ r: BankImportOutcome.Result) -> Int {
    outcomes.filter { $0.result == r }.count
  }
  public var created: Int { count(.created) }
  public var matched: Int { count(.matched) }
  public var queued: Int { count(.queued) }
  public var skipped: Int { count(.skipped) }
}

/// Invoice and contract numbers quoted in a payment's purpose: «Оплата по счету № 12 от
/// 10.06.2025 по договору № 7/25», «сч. 45», «invoice #A-7». Numbers must hold a digit, so
/// «по договору поставки» quotes nothing.
public enum PurposeReferences {
  public struct Reference: Equatable, Sendable {
    public var number: String
    /// `YYYY-MM-DD` when the purpose gives a date after the number.
    public var date: String?
  }

  nonisolated(unsafe) static let invoicePattern = try! NSRegularExpression(
    pattern:
      #"(?:сч[её]т(?:а|у|ом|е)?|сч\.|сч(?=\s*№)|invoice|inv\.)\s*(?:на\s+оплату\s*)?(?:№|n|no\.?|#)?\s*([0-9a-zа-я][0-9a-zа-я\-/_.]*)(?:\s*от\s*(\d{1,2}\.\d{1,2}\.\d{2,4}))?"#,
    options: [.caseInsensitive])
  nonisolated(unsafe) static let contractPattern = try! NSRegularExpression(
    pattern:
      #"(?:договор(?:а|у|ом|е)?|дог\.|д-ра|contract)\s*(?:№|n|no\.?|#)?\s*([0-9a-zа-я][0-9a-zа-я\-/_.]*)(?:\s*от\s*(\d{1,2}\.\d{1,2}\.\d{2,4}))?"#,
    options: [.caseInsensitive])

  public static func invoices(in purpose: String) -> [Reference] { scan(purpose, invoicePattern) }
  public static func contracts(in purpose: String) -> [Reference] { scan(purpose, contractPattern) }

  static func scan(_ text: String, _ pattern: NSRegularExpression) -> [Reference] {
    let folded = TextFold.key(text)
    let ns = folded as NSString
    var out: [Reference] = []
    for m in pattern.matches(in: folded, range: NSRange(location: 0, length: ns.length)) {
      var number = ns.substring(with: m.range(at: 1))
      while let last = number.last, ".-/_".contains(last) { number.removeLast() }
      guard number.contains(where: \.isNumber) else { continue }
      var date: String?
      if m.range(at: 2).location != NSNotFound {
        var d = ns.substring(with: m.range(at: 2))
        let p = d.split(separator: ".")
        if p.count == 3, p[2].count == 2 { d = "\(p[0]).\(p[1]).20\(p[2])" }
        date = MoneyService.strictDay(d)
      }
      let ref = Reference(number: number, date: date)
      if !out.contains(ref) { out.append(ref) }
    }
    return out
  }
}

extension MoneyService {
  // MARK: Reading payments

  static let paymentSelect = """
    SELECT p.*, coalesce((SELECT sum(amount) FROM allocation WHERE payment_id = p.id), 0)
      AS allocated, cl.name AS client_name, cl.legal_form AS client_form,
      k.number AS contract_number
    FROM payment p
    LEFT JOIN client cl ON cl.id = p.client_id
    LEFT JOIN contract k ON k.id = p.contract_id
    """

  static func payment(_ r: Row) -> Payment {
    Payment(
      id: r["id"], clientId: r["client_id"], contractId: r["contract_id"],
      source: PaymentSource(rawValue: r["source"]) ?? .bank, managementOnly: r["management_only"],
      state: PaymentState(rawValue: r["state"]) ?? .assigned, date: r["date"], amount: r["amount"],
      currency: r["currency"], number: r["number"], kind: r["kind"], purpose: r["purpose"],
      payerName: r["payer_name"], payerINN: r["payer_inn"], payerKPP: r["payer_kpp"],
      payerAccount: r["payer_account"], account: r["account"], bankKey: r["bank_key"],
      importId: r["import_id"], note: r["note"], allocated: r["allocated"] ?? 0)
  }

  /// A payment with its client's name and what it is allocated to.
  public struct PaymentRow: Equatable, Sendable {
    public var payment: Payment
    public var clientName: String?
    public var contractNumber: String?
    public var id: Int64 { payment.id ?? 0 }
  }

  static func paymentRow(_ r: Row) -> PaymentRow {
    let name: String? = r["client_name"]
    return PaymentRow(
      payment: payment(r), clientName: name.map { _ in clientLabel(r) },
      contractNumber: r["contract_number"])
  }

  public func payment(_ id: Int64) throws(CRMError) -> PaymentRow? {
    try db.read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: Self.paymentSelect + " WHERE p.id = ? AND \(seen)"), arguments: [id]
      ).map(
        Self.paymentRow)
    }
  }

  /// Payments, newest first; of one client, or in one state (`queued`: the queue, oldest first).
  public func payments(
    clientId: Int64? = nil, state: PaymentState? = nil, limit: Int = 200, offset: Int = 0
  ) throws(CRMError) -> [PaymentRow] {
    let order = state == .queued ? "p.date, p.id" : "p.date DESC, p.id DESC"
    return try db.read { db in
      try Row.fetchAll(
        db.cachedStatement(
          sql: Self.paymentSelect + """
             WHERE (?1 IS NULL OR p.client_id = ?1) AND (?2 IS NULL OR p.state = ?2) AND \(seen)
            ORDER BY \(order) LIMIT ?3 OFFSET ?4
            """), arguments: [clientId, state?.rawValue, limit, offset]
      ).map(Self.paymentRow)
    }
  }

  /// How many bank payments wait in the queue.
  public func queueCount() throws(CRMError) -> Int {
    let seen = self.seen
    return try db.read { db in
      try Int.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT count(*) FROM payment p LEFT JOIN client cl ON cl.id = p.client_id
            WHERE p.state = 'queued' AND \(seen)
            """)) ?? 0
    }
  }

  /// Allocations of a payment.
  public func allocations(ofPayment id: Int64) throws(CRMError) -> [PaymentAllocationRow] {
    try db.read { db in
      try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT a.*, i.number AS invoice_number, p.date, p.number, p.source
            FROM allocation a JOIN invoice i ON i.id = a.invoice_id
            JOIN payment p ON p.id = a.payment_id WHERE a.payment_id = ? ORDER BY i.date, i.id
            """), arguments: [id]
      ).map { a in
        PaymentAllocationRow(
          paymentId: a["payment_id"], invoiceId: a["invoice_id"],
          invoiceNumber: a["invoice_number"], date: a["date"], number: a["number"],
          amount: a["amount"], source: PaymentSource(rawValue: a["source"]) ?? .bank)
      }
    }
  }

  // MARK: Writing payments

  func paymentFields(_ p: Payment) -> [String: String] {
    [
      "source": p.source.rawValue, "management_only": p.managementOnly ? "yes" : "",
      "state": p.state.rawValue, "date": p.date, "amount": money(p.amount, p.currency),
      "number": p.number, "purpose": p.purpose, "payer": p.payerName,
      "contract": p.contractId.map { "\($0)" } ?? "",
    ]
  }

  func loadPayment(_ db: Database, _ id: Int64) throws -> Payment {
    guard
      let r = try Row.fetchOne(
        db.cachedStatement(sql: Self.paymentSelect + " WHERE p.id = ? AND \(seen)"), arguments: [id]
      )
    else { throw CRMError.notFound(what: l.pick("payment", "платёж"), id: id) }
    return Self.payment(r)
  }

  func insertPayment(_ db: Database, _ p: Payment, at: Date, author: Int64?) throws -> Int64 {
    let t = at.timeIntervalSince1970
    try db.cachedStatement(
      sql: """
        INSERT INTO payment (client_id, contract_id, source, management_only, state, date, amount,
          currency, number, kind, purpose, payer_name, payer_inn, payer_kpp, payer_account,
          account, bank_key, import_id, note, author_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      p.clientId, p.contractId, p.source.rawValue, p.managementOnly, p.state.rawValue, p.date,
      p.amount, p.currency, p.number, p.kind, p.purpose, p.payerName, p.payerINN, p.payerKPP,
      p.payerAccount, p.account, p.bankKey, p.importId, p.note, author, t, t,
    ])
    return db.lastInsertedRowID
  }

  /// Allocates up to `amount` (default: all that is free) of a payment to an invoice, at most
  /// what the invoice still owes unless `amount` is given; returns the amount allocated.
  func allocateInside(
    _ db: Database, payment p: Payment, invoiceId: Int64, amount: Int64?, at: Date, me: Int64
  ) throws -> Int64 {
    let (inv, _) = try loadInvoice(db, invoiceId)
    guard let clientId = p.clientId else {
      throw fail(
        fieldName("payment"), "payment \(p.id ?? 0) has no client yet; assign it first",
        "у платежа \(p.id ?? 0) ещё нет клиента; сначала привяжите его")
    }
    if inv.clientId != clientId {
      throw fail(
        fieldName("invoice"), "invoice № \(inv.number) is another client's",
        "счёт № \(inv.number) другого клиента")
    }
    if inv.stored != .issued {
      throw fail(
        fieldName("invoice"), "invoice № \(inv.number) is \(inv.stored.rawValue), not issued",
        "счёт № \(inv.number) не выставлен (\(inv.status(today: today).name(.ru)))")
    }
    if inv.currency != p.currency {
      throw fail(
        fieldName("currency"),
        "the payment is in \(p.currency), invoice № \(inv.number) in \(inv.currency)",
        "платёж в \(p.currency), а счёт № \(inv.number) — в \(inv.currency)")
    }
    let already =
      try Int64.fetchOne(
        db.cachedStatement(
          sql: "SELECT amount FROM allocation WHERE payment_id = ? AND invoice_id = ?"),
        arguments: [p.id, invoiceId]) ?? 0
    let free = p.amount - p.allocated
    let owed = max(0, inv.total - inv.paid)
    let cur = Currency.named(p.currency) ?? .rub
    let give: Int64
    if let amount {
      if amount <= 0 {
        throw fail(fieldName("amount"), "must be more than zero", "должна быть больше нуля")
      }
      if amount > free {
        throw fail(
          fieldName("amount"),
          "only \(Money(minor: free, currency: cur).plain) of the payment is free",
          "свободно только \(Money(minor: free, currency: cur).plain) из платежа")
      }
      give = amount
    } else {
      give = min(free, owed)
    }
    if give <= 0 { return 0 }
    if already > 0 {
      try db.cachedStatement(
        sql: "UPDATE allocation SET amount = amount + ? WHERE payment_id = ? AND invoice_id = ?"
      ).execute(arguments: [give, p.id, invoiceId])
    } else {
      try db.cachedStatement(
        sql: "INSERT INTO allocation (payment_id, invoice_id, amount) VALUES (?, ?, ?)"
      ).execute(arguments: [p.id, invoiceId, give])
    }
    try audit(
      db, entity: "payment", id: p.id ?? 0, clientId: clientId, action: "allocate",
      old: [
        "invoice № \(inv.number)": already == 0 ? "" : Money(minor: already, currency: cur).plain
      ],
      new: ["invoice № \(inv.number)": Money(minor: already + give, currency: cur).plain],
      before: Payment?.none, at: at)
    if inv.paid + give >= inv.total, inv.total > 0, let deal = inv.dealId {
      try advanceDeal(db, deal, toKey: "paid", at: at, me: me)
    }
    return give
  }

  /// Records a payment (cash, or a bank payment typed by hand) of a client; allocates it to
  /// `invoiceId` when given. Returns its id.
  public func addPayment(_ input: Payment, invoiceId: Int64? = nil) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      var p = input
      guard let clientId = p.clientId else {
        throw fail(fieldName("client"), "is missing", "не указан")
      }
      _ = try requireClient(db, clientId)
      if p.amount <= 0 {
        throw fail(fieldName("amount"), "must be more than zero", "должна быть больше нуля")
      }
      if p.managementOnly && p.source != .cash {
        throw fail(
          fieldName("management_only"), "only cash can be kept out of accounting",
          "вне учёта может быть только наличная оплата")
      }
      p.currency = try Currency.parse(p.currency, language: l, field: fieldName("currency")).code
      p.date = try day(p.date.isEmpty ? today : p.date, field: "date")
      let v = Validator(language: l)
      p.number = try v.line(p.number, fieldName("number"), max: 40)
      p.purpose = try v.line(p.purpose, fieldName("purpose"), max: 1000)
      p.payerName = try v.line(p.payerName, fieldName("payer"), max: 300)
      p.state = .assigned
      p.bankKey = nil
      p.allocated = 0
      if let k = p.contractId {
        let owner = try Int64.fetchOne(
          db.cachedStatement(sql: "SELECT client_id FROM contract WHERE id = ?"), arguments: [k])
        if owner != clientId {
          throw fail(
            fieldName("contract"), "contract \(k) is not this client's",
            "договор \(k) не этого клиента")
        }
      }
      let id = try insertPayment(db, p, at: at, author: me)
      p.id = id
      try audit(
        db, entity: "payment", id: id, clientId: clientId, action: "insert", old: [:],
        new: paymentFields(p), before: Payment?.none, at: at)
      if let invoiceId {
        _ = try allocateInside(db, payment: p, invoiceId: invoiceId, amount: nil, at: at, me: me)
      }
      return id
    }
  }

  /// Allocates a payment to an invoice; `amount` nil = as much as both allow. Returns the amount.
  @discardableResult
  public func allocate(_ paymentId: Int64, to invoiceId: Int64, amount: Int64? = nil)
    throws(CRMError) -> Int64
  {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      let p = try loadPayment(db, paymentId)
      let given = try allocateInside(
        db, payment: p, invoiceId: invoiceId, amount: amount, at: at, me: me)
      if given == 0 {
        let (inv, _) = try loadInvoice(db, invoiceId)
        throw fail(
          fieldName("allocation"),
          p.unallocated <= 0
            ? "payment \(paymentId) is allocated in full" : "invoice № \(inv.number) is paid",
          p.unallocated <= 0
            ? "платёж \(paymentId) распределён полностью" : "счёт № \(inv.number) уже оплачен")
      }
      return given
    }
  }

  /// Takes a payment off an invoice (or off every invoice when `invoiceId` is nil).
  public func unallocate(_ paymentId: Int64, from invoiceId: Int64? = nil) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      let p = try loadPayment(db, paymentId)
      let rows = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT a.invoice_id, a.amount, i.number FROM allocation a
            JOIN invoice i ON i.id = a.invoice_id
            WHERE a.payment_id = ?1 AND (?2 IS NULL OR a.invoice_id = ?2)
            """), arguments: [paymentId, invoiceId])
      if rows.isEmpty {
        throw fail(
          fieldName("allocation"), "payment \(paymentId) is not allocated there",
          "платёж \(paymentId) туда не распределён")
      }
      let cur = p.money
      for r in rows {
        try db.cachedStatement(
          sql: "DELETE FROM allocation WHERE payment_id = ? AND invoice_id = ?"
        ).execute(arguments: [paymentId, r["invoice_id"]])
        let number: String = r["number"]
        try audit(
          db, entity: "payment", id: paymentId, clientId: p.clientId ?? 0, action: "allocate",
          old: ["invoice № \(number)": Money(minor: r["amount"], currency: cur).plain],
          new: [:], before: Payment?.none, at: at)
      }
    }
  }

  /// Assigns a queued (or ignored) bank payment to a client, and to an invoice when given.
  public func assign(_ paymentId: Int64, to clientId: Int64, invoiceId: Int64? = nil)
    throws(CRMError)
  {
    let me = try requireUser()
    let at = now
    try db.write { db in
      var p = try loadPayment(db, paymentId)
      _ = try requireClient(db, clientId)
      if p.state == .assigned && p.clientId != clientId && p.allocated > 0 {
        throw fail(
          fieldName("payment"),
          "payment \(paymentId) is allocated to invoices of another client; unallocate it first",
          "платёж \(paymentId) распределён на счета другого клиента; сначала снимите распределение")
      }
      let before = p
      p.clientId = clientId
      p.state = .assigned
      try db.cachedStatement(
        sql:
          "UPDATE payment SET client_id = ?, state = 'assigned', contract_id = NULL, updated_at = ? WHERE id = ?"
      ).execute(arguments: [clientId, at.timeIntervalSince1970, paymentId])
      p.contractId = nil
      try audit(
        db, entity: "payment", id: paymentId, clientId: clientId, action: "assign",
        old: paymentFields(before), new: paymentFields(p), before: before, at: at)
      if let invoiceId {
        _ = try allocateInside(db, payment: p, invoiceId: invoiceId, amount: nil, at: at, me: me)
      }
    }
  }

  /// Sets a queued bank payment aside (not a client's money: a refund, a loan), or back into the
  /// queue.
  public func ignore(_ paymentId: Int64, _ ignored: Bool = true) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      let p = try loadPayment(db, paymentId)
      guard p.state != .assigned else {
        throw fail(
          fieldName("payment"), "payment \(paymentId) belongs to a client",
          "платёж \(paymentId) уже привязан к клиенту")
      }
      try db.cachedStatement(sql: "UPDATE payment SET state = ?, updated_at = ? WHERE id = ?")
        .execute(arguments: [ignored ? "ignored" : "queued", at.timeIntervalSince1970, paymentId])
    }
  }

  // MARK: Bank statement import

  /// Imports the incoming documents of a bank statement in one transaction (rolled back when
  /// `dryRun`): each becomes a payment of the client whose ИНН (and КПП, when several clients
  /// share the ИНН) is the payer's, allocated to the invoices its purpose quotes, tied to the
  /// contract it quotes; unrecognised payers wait in the queue; outgoing documents and documents
  /// imported before are skipped. See `docs/money.md` for every rule.
  public func importBank(
    _ records: [BankPaymentRecord], file: String, encoding: String, dryRun: Bool = false
  ) throws(CRMError) -> BankImportReport {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      var report = BankImportReport(importId: nil, file: file, dryRun: dryRun, outcomes: [])
      try db.inSavepoint {
        try db.cachedStatement(
          sql: """
            INSERT INTO bank_import (at, user_id, file, encoding, documents, created, matched,
              queued, skipped) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)
            """
        ).execute(arguments: [at.timeIntervalSince1970, me, file, encoding, records.count])
        let importId = db.lastInsertedRowID
        var matcher = try BankMatcher(service: self, db: db, me: me, at: at, importId: importId)
        for record in records {
          report.outcomes.append(try matcher.handle(record))
        }
        try db.cachedStatement(
          sql:
            "UPDATE bank_import SET created = ?, matched = ?, queued = ?, skipped = ? WHERE id = ?"
        ).execute(arguments: [
          report.created, report.matched, report.queued, report.skipped, importId,
        ])
        report.importId = dryRun ? nil : importId
        return dryRun ? .rollback : .commit
      }
      return report
    }
  }
}

/// The matching rules of a bank import, over one open transaction.
struct BankMatcher {
  let service: MoneyService
  let db: Database
  let me: Int64
  let at: Date
  let importId: Int64
  var seen: [String: Int] = [:]
  var l: Language { service.language }

  init(service: MoneyService, db: Database, me: Int64, at: Date, importId: Int64) throws {
    self.service = service
    self.db = db
    self.me = me
    self.at = at
    self.importId = importId
  }

  func money(_ minor: Int64) -> String { Money(minor: minor).plain }

  mutating func handle(_ r: BankPaymentRecord) throws -> BankImportOutcome {
    var out = BankImportOutcome(
      line: r.line, number: r.number, date: r.date, amount: r.amount, payerName: r.payerName,
      payerINN: r.payerINN, result: .skipped, reason: "", paymentId: nil, clientId: nil,
      clientName: nil, invoiceNumbers: [], contractNumber: nil)
    guard r.incoming else {
      out.reason = l.pick(
        "not incoming to our account (outgoing or someone else's)",
        "не поступление на наш счёт (списание или чужой счёт)")
      return out
    }
    let key = r.key
    if let line = seen[key] {
      out.reason = l.pick(
        "the same document as on line \(line) of this file",
        "тот же документ, что в строке \(line) этого файла")
      return out
    }
    seen[key] = r.line
    var existing = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT id FROM payment WHERE bank_key = ?"), arguments: [key])
    if existing == nil,
      let old = try Int64.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM payment WHERE bank_key = ? AND kind = ?"),
        arguments: [r.legacyKey, r.kind])
    {
      // Imported before the kind joined the identity: the same document; its key is updated.
      try db.execute(sql: "UPDATE payment SET bank_key = ? WHERE id = ?", arguments: [key, old])
      existing = old
    }
    if let existing {
      out.paymentId = existing
      out.reason = l.pick(
        "already imported (payment \(existing))", "уже загружен (платёж \(existing))")
      return out
    }
    var p = Payment(
      clientId: nil, source: .bank, state: .queued, date: r.date, amount: r.amount,
      currency: "RUB", number: r.number, kind: r.kind, purpose: TextFold.sanitizeLine(r.purpose),
      payerName: TextFold.sanitizeLine(r.payerName), payerINN: r.payerINN, payerKPP: r.payerKPP,
      payerAccount: r.payerAccount, account: r.account, bankKey: key, importId: importId)

    // The client: by ИНН, narrowed by КПП when several share it.
    var reasons: [String] = []
    var client: (id: Int64, name: String)?
    let invoiceRefs = PurposeReferences.invoices(in: r.purpose)
    let contractRefs = PurposeReferences.contracts(in: r.purpose)
    if !r.payerINN.isEmpty {
      var found = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT id, name, legal_form AS client_form, name AS client_name, kpp FROM client
            WHERE inn = ? AND inn <> '' AND deleted_at IS NULL ORDER BY id
            """), arguments: [r.payerINN])
      if found.count > 1, !r.payerKPP.isEmpty {
        let narrowed = found.filter { ($0["kpp"] as String) == r.payerKPP }
        if !narrowed.isEmpty { found = narrowed }
      }
      if found.count == 1 {
        client = (found[0]["id"], MoneyService.clientLabel(found[0]))
        reasons.append(l.pick("client by ИНН \(r.payerINN)", "клиент по ИНН \(r.payerINN)"))
      } else if found.count > 1 {
        out.result = .queued
        out.reason = l.pick(
          "ИНН \(r.payerINN) belongs to \(found.count) clients; choose one",
          "ИНН \(r.payerINN) у \(found.count) клиентов; выберите нужного")
      } else {
        out.reason = l.pick(
          "no client with ИНН \(r.payerINN)", "нет клиента с ИНН \(r.payerINN)")
      }
    } else {
      out.reason = l.pick("the payer gives no ИНН", "плательщик не указал ИНН")
    }

    // Invoices quoted in the purpose.
    var invoices: [Invoice] = []
    for ref in invoiceRefs {
      let rows = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT * FROM invoice WHERE number_key = ? AND status = 'issued'
              AND (?2 IS NULL OR date = ?2) AND (?3 IS NULL OR client_id = ?3) AND date <= ?4
            ORDER BY date DESC, id DESC
            """),
        arguments: [DocumentNumber.key(ref.number), ref.date, client?.id, r.date])
      let candidates = rows.map(MoneyService.invoice)
      if client == nil {
        // A payer without ИНН (a person) may be known by the invoice alone: only when exactly
        // one open invoice has that number and it is owed at least this much.
        if r.payerINN.isEmpty, candidates.count == 1, candidates[0].owed >= r.amount {
          let c = try Row.fetchOne(
            db.cachedStatement(
              sql:
                "SELECT id, name AS client_name, legal_form AS client_form FROM client WHERE id = ? AND deleted_at IS NULL"
            ),
            arguments: [candidates[0].clientId])
          if let c {
            client = (c["id"], MoneyService.clientLabel(c))
            reasons.append(
              l.pick(
                "client by invoice № \(candidates[0].number) (no ИНН given)",
                "клиент по счёту № \(candidates[0].number) (ИНН не указан)"))
          }
        } else if let first = candidates.first {
          let owner =
            try String.fetchOne(
              db.cachedStatement(sql: "SELECT name FROM client WHERE id = ?"),
              arguments: [first.clientId]) ?? "?"
          out.reason += l.pick(
            "; invoice № \(first.number) is «\(owner)»'s",
            "; счёт № \(first.number) — клиента «\(owner)»")
        }
      }
      if let cid = client?.id, let inv = candidates.first(where: { $0.clientId == cid }),
        !invoices.contains(where: { $0.id == inv.id })
      {
        invoices.append(inv)
      }
    }

    guard let client else {
      out.result = .queued
      p.note = out.reason
      out.paymentId = try service.insertPayment(db, p, at: at, author: me)
      return out
    }
    p.clientId = client.id
    p.state = .assigned
    out.clientId = client.id
    out.clientName = client.name

    // A contract quoted in the purpose, or the contract of the first invoice.
    for ref in contractRefs {
      if let k = try Row.fetchOne(
        db.cachedStatement(
          sql:
            "SELECT id, number FROM contract WHERE client_id = ? AND number_key = ? AND status <> 'cancelled'"
        ),
        arguments: [client.id, DocumentNumber.key(ref.number)])
      {
        p.contractId = k["id"]
        out.contractNumber = k["number"]
        reasons.append(
          l.pick("contract № \(k["number"] as String)", "договор № \(k["number"] as String)"))
        break
      }
    }
    if p.contractId == nil, let k = invoices.first?.contractId { p.contractId = k }

    // No invoice quoted: the only open invoice of exactly this sum.
    if invoices.isEmpty {
      let open = try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT * FROM invoice WHERE client_id = ? AND status = 'issued' AND currency = 'RUB'
              AND total - paid = ? AND date <= ? LIMIT 2
            """), arguments: [client.id, r.amount, r.date]
      ).map(MoneyService.invoice)
      if open.count == 1 {
        invoices = open
        reasons.append(
          l.pick(
            "the only open invoice of this sum (№ \(open[0].number))",
            "единственный неоплаченный счёт на эту сумму (№ \(open[0].number))"))
      }
    } else {
      reasons.append(
        l.pick(
          "invoice № \(invoices.map(\.number).joined(separator: ", ")) in the purpose",
          "счёт № \(invoices.map(\.number).joined(separator: ", ")) в назначении"))
    }
    p.note = reasons.joined(separator: "; ")
    let id = try service.insertPayment(db, p, at: at, author: me)
    p.id = id
    out.paymentId = id
    try service.audit(
      db, entity: "payment", id: id, clientId: client.id, action: "import", old: [:],
      new: service.paymentFields(p), before: Payment?.none, at: at)
    // The payment as allocated so far, kept here rather than read back after each allocation.
    var paying = p
    for inv in invoices {
      if paying.unallocated <= 0 { break }
      let given = try service.allocateInside(
        db, payment: paying, invoiceId: inv.id!, amount: nil, at: at, me: me)
      paying.allocated += given
      if given > 0 { out.invoiceNumbers.append(inv.number) }
    }
    let free = paying.unallocated
    if free > 0 && !out.invoiceNumbers.isEmpty {
      reasons.append(
        l.pick(
          "\(money(free)) more than the invoices owe stays unallocated",
          "\(money(free)) сверх долга по счетам остаётся нераспределённым"))
    }
    out.result = out.invoiceNumbers.isEmpty && p.contractId == nil ? .created : .matched
    if out.result == .created {
      reasons.append(l.pick("no invoice or contract recognised", "счёт и договор не распознаны"))
    }
    out.reason = reasons.joined(separator: "; ")
    return out
  }
}
