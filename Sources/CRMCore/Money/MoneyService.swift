import Foundation
import GRDB

/// Contracts, invoices, acts and payments: what is contracted, invoiced, paid and owed. Every
/// change is one transaction, audited in the client's history (entities `contract`, `invoice`,
/// `act`, `payment`). Amounts are integer minor units of each document's currency.
public struct MoneyService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Today, `YYYY-MM-DD`, in the service's time zone.
  public var today: String { OfferService.isoDay(now, timeZone) }

  public func fieldName(_ key: String) -> String {
    let names: [String: (String, String)] = [
      "client": ("Client", "Клиент"), "contract": ("Contract", "Договор"),
      "invoice": ("Invoice", "Счёт"), "act": ("Act", "Акт"), "payment": ("Payment", "Платёж"),
      "deal": ("Deal", "Сделка"), "number": ("Number", "Номер"), "date": ("Date", "Дата"),
      "kind": ("Kind", "Вид"), "subject": ("Subject", "Предмет"), "amount": ("Sum", "Сумма"),
      "sum": ("Sum", "Сумма"), "currency": ("Currency", "Валюта"), "rate": ("Rate", "Курс"),
      "conventional_units": ("Settled in conventional units", "Расчёты в у. е."),
      "prepay": ("Prepayment", "Предоплата"), "payment_days": ("Payment terms", "Срок оплаты"),
      "terms": ("Terms", "Условия"), "status": ("Status", "Статус"),
      "valid_until": ("Valid until", "Действует до"), "notes": ("Notes", "Заметки"),
      "due": ("Due", "Оплатить до"), "period": ("Period", "Период"),
      "period_from": ("Period from", "Период с"), "period_to": ("Period to", "Период по"),
      "total": ("Total", "Всего"), "vat": ("VAT", "НДС"), "item": ("Item", "Наименование"),
      "line": ("Line", "Строка"), "source": ("Source", "Источник"),
      "management_only": ("Management only", "Управленческий"),
      "purpose": ("Purpose", "Назначение"),
      "payer": ("Payer", "Плательщик"), "allocation": ("Allocation", "Распределение"),
      "state": ("State", "Состояние"), "quantity": ("Quantity", "Количество"),
      "price": ("Price", "Цена"),
    ]
    guard let pair = names[key] else { return key }
    return l.pick(pair.0, pair.1)
  }

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }

  /// A day typed by a person (`2026-12-31`, `31.12.2026`, `+14d`, `завтра`) → `YYYY-MM-DD`;
  /// empty stays empty.
  public func day(_ text: String, field: String) throws(CRMError) -> String {
    let t = text.trimmingSpaces()
    if t.isEmpty { return "" }
    if let iso = Self.strictDay(t) { return iso }
    let ctx = TimeContext(now: now, timeZone: timeZone)
    let d = try When.parse(t, in: ctx, language: l, field: fieldName(field))
    return OfferService.isoDay(d, timeZone)
  }

  /// `2026-12-31` or `31.12.2026` when it is a real day; nil otherwise (including 31.02).
  public static func strictDay(_ text: String) -> String? {
    CalendarMath.isoDay(text, years: 1900...2200)
  }

  /// `day` + `n` days, `YYYY-MM-DD`.
  public static func addDays(_ day: String, _ n: Int) -> String {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "UTC")!
    let p = day.split(separator: "-").compactMap { Int($0) }
    guard p.count == 3,
      let start = c.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
      let end = c.date(byAdding: .day, value: n, to: start)
    else { return day }
    let q = c.dateComponents([.year, .month, .day], from: end)
    return String(format: "%04d-%02d-%02d", q.year!, q.month!, q.day!)
  }

  /// Reads an exchange rate: roubles per unit, `92,5012`, `92.5`; more than zero, at most four
  /// decimals.
  public static func parseRate(_ text: String, language l: Language, field: String)
    throws(CRMError) -> Decimal?
  {
    let t = text.trimmingSpaces().replacingOccurrences(of: ",", with: ".")
    if t.isEmpty { return nil }
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
      parts.count < 2 || (1...4).contains(parts[1].count), parts[0].count <= 6,
      let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), d > 0
    else {
      throw .invalid(
        field: field,
        problem: l.pick(
          "cannot read «\(text)» as a rate; type roubles per unit, e.g. 92.5012",
          "не удаётся прочитать курс «\(text)»; укажите рублей за единицу, например 92,5012"))
    }
    return d
  }

  static func rateText(_ d: Decimal?) -> String? {
    d.map { NSDecimalNumber(decimal: $0).stringValue }
  }

  static func rate(_ r: Row, _ column: String = "rate") -> Decimal? {
    let s: String? = r[column]
    return s.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
  }

  static func clientLabel(_ r: Row) -> String {
    Client.displayName(name: r["client_name"] ?? "", legalForm: r["client_form"] ?? "")
  }

  /// The signed-in user's access on the joined client `cl` (money rows of a visible client).
  var seen: String { db.access.condition(client: "cl") }

  func requireClient(_ db: Database, _ id: Int64) throws -> Row {
    guard
      let r = try Row.fetchOne(
        db,
        sql: "SELECT id, name, legal_form, inn, kpp, owner_id, deleted_at FROM client WHERE id = ?",
        arguments: [id]),
      self.db.access.allows(ownerId: r["owner_id"])
    else { throw CRMError.notFound(what: l.pick("client", "клиент"), id: id) }
    if r["deleted_at"] as Double? != nil {
      throw fail(
        fieldName("client"), "client \(id) is in the trash; restore it first",
        "клиент \(id) в корзине; сначала восстановите его")
    }
    return r
  }

  func audit(
    _ db: Database, entity: String, id: Int64, clientId: Int64, action: String,
    old: [String: String], new: [String: String], before: (some Encodable)?, at: Date
  ) throws {
    let log = context.clients
    let change = try log.recordChange(
      db, clientId: clientId, entity: entity, entityId: id, action: action, before: before, at: at)
    try log.auditFields(
      db, change: change, clientId: clientId, entity: entity, entityId: id, action: action,
      old: old, new: new, at: at)
  }

  func money(_ minor: Int64, _ currency: String) -> String {
    Money(minor: minor, currency: Currency.named(currency) ?? .rub).plain + " " + currency
  }
}

// MARK: - Contracts

/// A contract with its client's name and its money: invoiced, paid, owed, overdue, acted.
public struct ContractRow: Equatable, Sendable {
  public var contract: Contract
  public var clientName: String
  public var summary: MoneySummary
  public var id: Int64 { contract.id ?? 0 }
  /// Contracted but not invoiced yet.
  public var toInvoice: Int64 { max(0, contract.amount - summary.invoiced) }
}

extension MoneyService {
  static let contractSelect = """
    SELECT k.*, cl.name AS client_name, cl.legal_form AS client_form FROM contract k
    JOIN client cl ON cl.id = k.client_id
    """

  static func contract(_ r: Row) -> Contract {
    Contract(
      id: r["id"], clientId: r["client_id"], dealId: r["deal_id"], number: r["number"],
      date: r["date"], kind: ContractKind(rawValue: r["kind"]) ?? .formal, subject: r["subject"],
      amount: r["amount"], currency: r["currency"], rate: rate(r),
      conventionalUnits: r["conventional_units"], prepayPercent: r["prepay_pct"],
      paymentDays: r["payment_days"], terms: r["terms"],
      status: ContractStatus(rawValue: r["status"]) ?? .active, validUntil: r["valid_until"],
      notes: r["notes"])
  }

  func contractRow(_ db: Database, _ r: Row) throws -> ContractRow {
    let c = Self.contract(r)
    var s = MoneySummary(currency: c.money)
    s.contracted = c.status == .cancelled ? 0 : c.amount
    let inv = try Row.fetchOne(
      db,
      sql: """
        SELECT coalesce(sum(total), 0) AS invoiced, coalesce(sum(max(total - paid, 0)), 0) AS owed,
          coalesce(sum(CASE WHEN due_date <> '' AND due_date < ? THEN max(total - paid, 0) END), 0)
            AS overdue
        FROM invoice WHERE contract_id = ? AND status = 'issued' AND currency = ?
        """, arguments: [today, c.id, c.currency])!
    s.invoiced = inv["invoiced"]
    s.owed = inv["owed"]
    s.overdue = inv["overdue"]
    // Paid: what is allocated to its invoices, plus payments made on the contract itself and
    // not allocated to any invoice.
    let allocated =
      try Int64.fetchOne(
        db,
        sql: """
          SELECT coalesce(sum(a.amount), 0) FROM allocation a JOIN invoice i ON i.id = a.invoice_id
          WHERE i.contract_id = ? AND i.currency = ?
          """, arguments: [c.id, c.currency]) ?? 0
    let direct =
      try Row.fetchOne(
        db,
        sql: """
          SELECT coalesce(sum(p.amount - coalesce((SELECT sum(amount) FROM allocation
            WHERE payment_id = p.id), 0)), 0) AS free,
            coalesce(sum(CASE WHEN p.management_only THEN p.amount END), 0) AS mgmt
          FROM payment p WHERE p.contract_id = ? AND p.state = 'assigned' AND p.currency = ?
          """, arguments: [c.id, c.currency])!
    s.unallocated = direct["free"]
    s.paid = allocated + s.unallocated
    s.managementOnly = direct["mgmt"]
    s.acted =
      try Int64.fetchOne(
        db,
        sql: "SELECT coalesce(sum(total), 0) FROM act WHERE contract_id = ? AND status = 'issued'",
        arguments: [c.id]) ?? 0
    return ContractRow(contract: c, clientName: Self.clientLabel(r), summary: s)
  }

  public func contract(_ id: Int64) throws(CRMError) -> ContractRow? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db, sql: Self.contractSelect + " WHERE k.id = ? AND \(seen)", arguments: [id])
      else { return nil }
      return try contractRow(db, r)
    }
  }

  /// Contracts, newest first; of one client when `clientId` is set.
  public func contracts(clientId: Int64? = nil, limit: Int = 200, offset: Int = 0)
    throws(CRMError) -> [ContractRow]
  {
    try db.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: Self.contractSelect
          + " WHERE (?1 IS NULL OR k.client_id = ?1) AND \(seen) ORDER BY k.date DESC, k.id DESC LIMIT ?2 OFFSET ?3",
        arguments: [clientId, limit, offset])
      return try rows.map { try contractRow(db, $0) }
    }
  }

  func contractFields(_ c: Contract) -> [String: String] {
    [
      "number": c.number, "date": c.date, "kind": c.kind.rawValue, "subject": c.subject,
      "amount": money(c.amount, c.currency), "rate": Self.rateText(c.rate) ?? "",
      "conventional_units": c.conventionalUnits ? "yes" : "",
      "prepay": c.prepayPercent == 0 ? "" : "\(c.prepayPercent)%",
      "payment_days": c.paymentDays.map { "\($0)" } ?? "", "terms": c.terms,
      "status": c.status.rawValue, "valid_until": c.validUntil, "notes": c.notes,
      "deal": c.dealId.map { "\($0)" } ?? "",
    ]
  }

  func checkContract(_ db: Database, _ input: Contract) throws -> Contract {
    var c = input
    let v = Validator(language: l)
    _ = try requireClient(db, c.clientId)
    c.number = try v.line(c.number, fieldName("number"), max: 40)
    if c.number.isEmpty { throw fail(fieldName("number"), "is empty", "пусто") }
    c.subject = try v.line(c.subject, fieldName("subject"), max: 500)
    c.terms = try v.line(c.terms, fieldName("terms"), max: 500)
    c.notes = try v.notes(c.notes)
    c.date = try day(c.date.isEmpty ? today : c.date, field: "date")
    c.validUntil = try day(c.validUntil, field: "valid_until")
    if !c.validUntil.isEmpty && c.validUntil < c.date {
      throw fail(
        fieldName("valid_until"), "is before the contract's date", "раньше даты договора")
    }
    c.currency = try Currency.parse(c.currency, language: l, field: fieldName("currency")).code
    if c.amount < 0 {
      throw fail(fieldName("amount"), "cannot be negative", "не может быть отрицательной")
    }
    if !(0...100).contains(c.prepayPercent) {
      throw fail(fieldName("prepay"), "is a percent from 0 to 100", "процент от 0 до 100")
    }
    if let d = c.paymentDays, !(0...3650).contains(d) {
      throw fail(fieldName("payment_days"), "days from 0 to 3650", "дней от 0 до 3650")
    }
    if c.currency == "RUB" {
      if c.conventionalUnits {
        throw fail(
          fieldName("conventional_units"),
          "a rouble contract is not settled in conventional units; set a currency",
          "рублёвый договор не бывает в у. е.; укажите валюту")
      }
      c.rate = nil
    }
    if let deal = c.dealId {
      let owner = try Int64.fetchOne(
        db, sql: "SELECT client_id FROM deal WHERE id = ?", arguments: [deal])
      guard let owner else { throw CRMError.notFound(what: l.pick("deal", "сделка"), id: deal) }
      if owner != c.clientId {
        throw fail(
          fieldName("deal"), "deal \(deal) belongs to another client",
          "сделка \(deal) другого клиента")
      }
    }
    let key = DocumentNumber.key(c.number)
    if let other = try Int64.fetchOne(
      db, sql: "SELECT id FROM contract WHERE client_id = ? AND number_key = ? AND id IS NOT ?",
      arguments: [c.clientId, key, c.id])
    {
      throw fail(
        fieldName("number"),
        "contract № \(c.number) already exists for this client (id \(other))",
        "договор № \(c.number) у этого клиента уже есть (id \(other))")
    }
    return c
  }

  func saveContract(_ db: Database, _ c: Contract, at: Date) throws -> Int64 {
    let t = at.timeIntervalSince1970
    let args: StatementArguments = [
      c.clientId, c.dealId, c.number, DocumentNumber.key(c.number), c.date, c.kind.rawValue,
      c.subject, c.amount, c.currency, Self.rateText(c.rate), c.conventionalUnits,
      c.prepayPercent, c.paymentDays, c.terms, c.status.rawValue, c.validUntil, c.notes, t,
    ]
    if let id = c.id {
      try db.execute(
        sql: """
          UPDATE contract SET client_id = ?, deal_id = ?, number = ?, number_key = ?, date = ?,
            kind = ?, subject = ?, amount = ?, currency = ?, rate = ?, conventional_units = ?,
            prepay_pct = ?, payment_days = ?, terms = ?, status = ?, valid_until = ?, notes = ?,
            updated_at = ? WHERE id = ?
          """, arguments: args + [id])
      return id
    }
    try db.execute(
      sql: """
        INSERT INTO contract (client_id, deal_id, number, number_key, date, kind, subject, amount,
          currency, rate, conventional_units, prepay_pct, payment_days, terms, status,
          valid_until, notes, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: args + [t])
    return db.lastInsertedRowID
  }

  /// Adds a contract; the number must be new for the client. Returns its id.
  public func addContract(_ input: Contract) throws(CRMError) -> Int64 {
    _ = try requireUser()
    let at = now
    return try db.write { db in
      var c = try checkContract(db, input)
      c.id = nil
      let id = try saveContract(db, c, at: at)
      c.id = id
      try audit(
        db, entity: "contract", id: id, clientId: c.clientId, action: "insert", old: [:],
        new: contractFields(c), before: Contract?.none, at: at)
      return id
    }
  }

  /// Changes a contract. Its client and currency cannot change once invoices name it.
  public func updateContract(_ input: Contract) throws(CRMError) {
    _ = try requireUser()
    guard let id = input.id else { throw CRMError.notFound(what: "contract", id: 0) }
    let at = now
    try db.write { db in
      guard
        let r = try Row.fetchOne(
          db, sql: Self.contractSelect + " WHERE k.id = ? AND \(seen)", arguments: [id])
      else { throw CRMError.notFound(what: l.pick("contract", "договор"), id: id) }
      let before = Self.contract(r)
      let c = try checkContract(db, input)
      let used =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM invoice WHERE contract_id = ?", arguments: [id]) ?? 0
      if used > 0 && (c.clientId != before.clientId || c.currency != before.currency) {
        throw fail(
          fieldName("contract"),
          "\(used) invoice(s) name this contract; its client and currency stay",
          "по договору выставлено счетов: \(used); клиент и валюта не меняются")
      }
      _ = try saveContract(db, c, at: at)
      try audit(
        db, entity: "contract", id: id, clientId: c.clientId, action: "update",
        old: contractFields(before), new: contractFields(c), before: before, at: at)
    }
  }
}
