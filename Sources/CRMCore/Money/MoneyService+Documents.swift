import Foundation
import GRDB

/// An invoice or an act as typed: empty texts take defaults (the next number of the year,
/// today, the due day from the contract's terms or the `invoice_due_days` setting, the
/// contract's currency). Lines as `OfferLineInput`; `sumLine` makes the one line of "just a sum".
public struct DocumentDraft: Sendable {
  public var clientId: Int64?
  public var contractId: Int64?
  public var dealId: Int64?
  /// For an act: the invoice it closes (its lines are copied when the draft has none).
  public var invoiceId: Int64?
  public var number: String
  public var date: String
  /// Invoices: the due day. Acts: unused.
  public var due: String
  /// Acts: the period of the services, `FROM..TO` or two days.
  public var periodFrom: String
  public var periodTo: String
  public var currency: String?
  public var rate: String
  public var pricesIncludeVAT: Bool
  /// Invoices only: keep as a draft (not owed until issued).
  public var draft: Bool
  public var lines: [OfferLineInput]
  public var notes: String

  public init(
    clientId: Int64? = nil, contractId: Int64? = nil, dealId: Int64? = nil,
    invoiceId: Int64? = nil, number: String = "", date: String = "", due: String = "",
    periodFrom: String = "", periodTo: String = "", currency: String? = nil, rate: String = "",
    pricesIncludeVAT: Bool = true, draft: Bool = false, lines: [OfferLineInput] = [],
    notes: String = ""
  ) {
    self.clientId = clientId
    self.contractId = contractId
    self.dealId = dealId
    self.invoiceId = invoiceId
    self.number = number
    self.date = date
    self.due = due
    self.periodFrom = periodFrom
    self.periodTo = periodTo
    self.currency = currency
    self.rate = rate
    self.pricesIncludeVAT = pricesIncludeVAT
    self.draft = draft
    self.lines = lines
    self.notes = notes
  }

  /// One line of quantity 1 at `sum`; `item` empty → a default name from the contract.
  public static func sumLine(_ sum: String, item: String = "", vat: String? = nil)
    -> OfferLineInput
  {
    OfferLineInput(item: item, unit: "", quantity: "1", price: sum, vat: vat)
  }
}

/// An invoice with its lines, totals, client and contract, and the payments allocated to it.
public struct InvoiceDetail: Equatable, Sendable {
  public var invoice: Invoice
  public var lines: [OfferLine]
  public var totals: OfferTotals
  public var clientName: String
  public var clientINN: String
  public var clientKPP: String
  /// The client's legal address (else its actual address), as the forms print it.
  public var clientAddress: String = ""
  public var contractNumber: String?
  public var contractDate: String?
  public var allocations: [PaymentAllocationRow]
  public var id: Int64 { invoice.id ?? 0 }
}

/// A payment as allocated to an invoice.
public struct PaymentAllocationRow: Equatable, Sendable {
  public var paymentId: Int64
  public var invoiceId: Int64
  public var invoiceNumber: String
  public var date: String
  public var number: String
  public var amount: Int64
  public var source: PaymentSource
}

/// An invoice in a list: with the client's name, owner and contract number.
public struct InvoiceRow: Equatable, Sendable {
  public var invoice: Invoice
  public var clientName: String
  public var ownerId: Int64?
  public var contractNumber: String?
  public var id: Int64 { invoice.id ?? 0 }
}

/// An act with what a printout and the export to 1C need.
public struct ActDetail: Equatable, Sendable {
  public var act: Act
  public var lines: [OfferLine]
  public var totals: OfferTotals
  public var clientName: String
  public var clientINN: String
  public var clientKPP: String
  /// The client's legal address (else its actual address), as the forms print it.
  public var clientAddress: String = ""
  public var clientIsPerson: Bool
  public var contract: Contract?
  public var invoiceNumber: String?
  public var id: Int64 { act.id ?? 0 }
}

/// Which table a document lives in.
enum DocumentTable: String {
  case invoice, act

  var lines: String { rawValue + "_line" }
  var key: String { rawValue + "_id" }
}

extension MoneyService {
  // MARK: Shared by invoices and acts

  /// The next free number of `year` in `table`: the largest plain number + 1.
  static func nextNumber(_ db: Database, _ table: DocumentTable, year: String) throws -> String {
    let last =
      try Int64.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT max(CAST(number AS INTEGER)) FROM \(table.rawValue)
            WHERE year = ? AND number GLOB '[0-9]*' AND number NOT GLOB '*[^0-9]*'
            """), arguments: [Int(year) ?? 0]) ?? 0
    return String(last + 1)
  }

  /// The number typed, or the next one; a number used in the same year is refused.
  func number(_ db: Database, _ table: DocumentTable, _ text: String, day: String, id: Int64?)
    throws -> String
  {
    let v = Validator(language: l)
    var n = try v.line(text, fieldName("number"), max: 40)
    let year = String(day.prefix(4))
    if n.isEmpty { n = try Self.nextNumber(db, table, year: year) }
    if let other = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT id, client_id FROM \(table.rawValue)
          WHERE year = ? AND number_key = ? AND id IS NOT ?
          """),
      arguments: [Int(year) ?? 0, DocumentNumber.key(n), id])
    {
      let what = table == .invoice ? l.pick("invoice", "счёт") : l.pick("act", "акт")
      // Numbers are one sequence for the whole firm; a document of a client the user may not
      // see is named without its id.
      if try self.db.access.hides(db, clientId: other["client_id"]) {
        throw fail(
          fieldName("number"),
          "\(what) № \(n) of \(year) already exists (of another manager's client); "
            + "choose another number or leave it out for the next free one",
          "\(what) № \(n) за \(year) год уже есть (у клиента другого менеджера); "
            + "укажите другой номер или не указывайте его — будет следующий свободный")
      }
      let otherId: Int64 = other["id"]
      throw fail(
        fieldName("number"), "\(what) № \(n) of \(year) already exists (id \(otherId))",
        "\(what) № \(n) за \(year) год уже есть (id \(otherId))")
    }
    return n
  }

  /// Reads typed lines in `currency` on `day`.
  func readLines(_ inputs: [OfferLineInput], currency: String, day: String) throws(CRMError)
    -> [OfferLine]
  {
    if inputs.count > OfferService.maxLines {
      throw fail(
        fieldName("line"), "at most \(OfferService.maxLines) lines",
        "не больше \(OfferService.maxLines) строк")
    }
    let offers = context.offers
    let frame = Offer(dealId: 0, date: day, currency: currency)
    var out: [OfferLine] = []
    for (i, input) in inputs.enumerated() {
      var line: OfferLine
      do { line = try offers.readLine(input, over: nil, offer: frame) } catch {
        if case .invalid(let field, let problem) = error, inputs.count > 1 {
          throw .invalid(field: "\(fieldName("line")) \(i + 1), \(field)", problem: problem)
        }
        throw error
      }
      line.position = i + 1
      out.append(line)
    }
    return out
  }

  static func totals(_ lines: [OfferLine], currency: String, pricesIncludeVAT: Bool)
    -> OfferTotals
  {
    OfferService.totals(
      Offer(dealId: 0, currency: currency, pricesIncludeVAT: pricesIncludeVAT), lines)
  }

  static func saveLines(_ db: Database, _ table: DocumentTable, id: Int64, _ lines: [OfferLine])
    throws
  {
    try db.cachedStatement(sql: "DELETE FROM \(table.lines) WHERE \(table.key) = ?").execute(
      arguments: [id])
    for (i, line) in lines.enumerated() {
      try db.cachedStatement(
        sql: """
          INSERT INTO \(table.lines) (\(table.key), position, item, unit, quantity_milli, price,
            vat_rate, sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        id, i + 1, line.item, line.unit, line.quantityMilli, line.price, line.vatRate, line.sum,
      ])
    }
  }

  static func loadLines(_ db: Database, _ table: DocumentTable, id: Int64) throws -> [OfferLine] {
    try Row.fetchAll(
      db.cachedStatement(
        sql: "SELECT * FROM \(table.lines) WHERE \(table.key) = ? ORDER BY position, id"),
      arguments: [id]
    ).map(OfferService.line)
  }

  func lineFields(_ lines: [OfferLine], currency: String) -> [String: String] {
    var f: [String: String] = [:]
    let c = Currency.named(currency) ?? .rub
    for line in lines {
      f["line \(line.position)"] =
        "\(line.item) | \(OfferService.formatQuantity(line.quantityMilli, .en)) × "
        + "\(Money(minor: line.price, currency: c).plain) | VAT "
        + "\(line.vatRate.map(String.init) ?? "none") | \(Money(minor: line.sum, currency: c).plain)"
    }
    return f
  }

  /// The contract named by a draft, checked against the client; nil when none.
  func draftContract(_ db: Database, _ d: DocumentDraft) throws -> (client: Int64, Contract?) {
    if let k = d.contractId {
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(sql: Self.contractSelect + " WHERE k.id = ?"), arguments: [k])
      else { throw CRMError.notFound(what: l.pick("contract", "договор"), id: k) }
      let c = Self.contract(r)
      if let client = d.clientId, client != c.clientId {
        throw fail(
          fieldName("contract"), "contract \(k) belongs to another client",
          "договор \(k) другого клиента")
      }
      if c.status == .cancelled {
        throw fail(
          fieldName("contract"), "contract № \(c.number) is cancelled",
          "договор № \(c.number) расторгнут")
      }
      return (c.clientId, c)
    }
    guard let client = d.clientId else {
      throw fail(
        fieldName("client"), "name a client or a contract", "укажите клиента или договор")
    }
    return (client, nil)
  }

  func defaultItem(_ contract: Contract?, act: Bool, language: Language? = nil) -> String {
    let l = language ?? self.l
    guard let c = contract else {
      return act ? l.pick("Services", "Услуги") : l.pick("Payment", "Оплата")
    }
    let date = OfferService.displayDay(c.date, .ru)
    if act {
      return c.subject.isEmpty
        ? l.pick(
          "Services under contract No. \(c.number) of \(c.date)",
          "Услуги по договору № \(c.number) от \(date)")
        : c.subject
    }
    return l.pick(
      "Payment under contract No. \(c.number) of \(c.date)",
      "Оплата по договору № \(c.number) от \(date)")
  }

  func fillItems(_ inputs: [OfferLineInput], _ contract: Contract?, act: Bool) -> [OfferLineInput] {
    inputs.map { input in
      var i = input
      if (i.item ?? "").trimmingSpaces().isEmpty { i.item = defaultItem(contract, act: act) }
      return i
    }
  }

  // MARK: Invoices

  static let invoiceSelect = """
    SELECT i.*, cl.name AS client_name, cl.legal_form AS client_form, cl.inn AS client_inn,
      cl.kpp AS client_kpp, cl.owner_id AS owner_id, k.number AS contract_number,
      CASE WHEN cl.legal_address <> '' THEN cl.legal_address ELSE cl.actual_address END
        AS client_address,
      k.date AS contract_date
    FROM invoice i
    JOIN client cl ON cl.id = i.client_id
    LEFT JOIN contract k ON k.id = i.contract_id
    """

  static func invoice(_ r: Row) -> Invoice {
    Invoice(
      id: r["id"], clientId: r["client_id"], contractId: r["contract_id"], dealId: r["deal_id"],
      number: r["number"], date: r["date"], dueDate: r["due_date"], currency: r["currency"],
      rate: rate(r), pricesIncludeVAT: r["prices_include_vat"],
      stored: Invoice.Stored(rawValue: r["status"]) ?? .issued, total: r["total"], vat: r["vat"],
      paid: r["paid"], notes: r["notes"])
  }

  static func invoiceRow(_ r: Row) -> InvoiceRow {
    InvoiceRow(
      invoice: invoice(r), clientName: clientLabel(r), ownerId: r["owner_id"],
      contractNumber: r["contract_number"])
  }

  func invoiceDetail(_ db: Database, _ r: Row) throws -> InvoiceDetail {
    let inv = Self.invoice(r)
    let lines = try Self.loadLines(db, .invoice, id: inv.id ?? 0)
    let allocations = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT a.payment_id, a.invoice_id, a.amount, p.date, p.number, p.source
          FROM allocation a JOIN payment p ON p.id = a.payment_id
          WHERE a.invoice_id = ? ORDER BY p.date, p.id
          """), arguments: [inv.id]
    ).map { a in
      PaymentAllocationRow(
        paymentId: a["payment_id"], invoiceId: a["invoice_id"], invoiceNumber: inv.number,
        date: a["date"], number: a["number"], amount: a["amount"],
        source: PaymentSource(rawValue: a["source"]) ?? .bank)
    }
    return InvoiceDetail(
      invoice: inv, lines: lines,
      totals: Self.totals(lines, currency: inv.currency, pricesIncludeVAT: inv.pricesIncludeVAT),
      clientName: Self.clientLabel(r), clientINN: r["client_inn"], clientKPP: r["client_kpp"],
      clientAddress: r["client_address"], contractNumber: r["contract_number"],
      contractDate: r["contract_date"],
      allocations: allocations)
  }

  public func invoice(_ id: Int64) throws(CRMError) -> InvoiceDetail? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(sql: Self.invoiceSelect + " WHERE i.id = ? AND \(seen)"),
          arguments: [id])
      else { return nil }
      return try invoiceDetail(db, r)
    }
  }

  /// Which invoices a list shows.
  public struct InvoiceFilter: Sendable, Equatable {
    public var clientId: Int64?
    public var contractId: Int64?
    public var dealId: Int64?
    /// Only issued invoices with something still to pay.
    public var unpaidOnly = false
    /// Only unpaid invoices past their due day.
    public var overdueOnly = false
    /// Clients of this owner.
    public var ownerId: Int64?

    public init(
      clientId: Int64? = nil, contractId: Int64? = nil, dealId: Int64? = nil,
      unpaidOnly: Bool = false, overdueOnly: Bool = false, ownerId: Int64? = nil
    ) {
      self.clientId = clientId
      self.contractId = contractId
      self.dealId = dealId
      self.unpaidOnly = unpaidOnly
      self.overdueOnly = overdueOnly
      self.ownerId = ownerId
    }
  }

  /// The WHERE clause and arguments of an invoice filter.
  func invoiceConditions(_ f: InvoiceFilter) -> (sql: String, arguments: StatementArguments) {
    var c = SQLConditions(db.access.isAll ? [] : [seen])
    c.add("i.client_id = ?", f.clientId)
    c.add("i.contract_id = ?", f.contractId)
    c.add("i.deal_id = ?", f.dealId)
    c.add("cl.owner_id = ?", f.ownerId)
    if f.unpaidOnly || f.overdueOnly {
      c.add("i.status = 'issued' AND i.paid < i.total", values: [])
    }
    if f.overdueOnly {
      c.add("i.due_date <> '' AND i.due_date < ?", today)
    }
    return (c.terms.isEmpty ? "" : " WHERE " + c.sql, c.arguments)
  }

  /// Invoices, newest first (overdue ones: the longest overdue first).
  public func invoices(_ f: InvoiceFilter = InvoiceFilter(), limit: Int = 200, offset: Int = 0)
    throws(CRMError) -> [InvoiceRow]
  {
    let (whereSQL, conditionArgs) = invoiceConditions(f)
    let order = f.overdueOnly ? "i.due_date, i.id" : "i.date DESC, i.id DESC"
    var args = conditionArgs
    args += [limit]
    args += [offset]
    let sql = Self.invoiceSelect + whereSQL + " ORDER BY \(order) LIMIT ? OFFSET ?"
    let arguments = args
    return try db.read { db in
      try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.invoiceRow)
    }
  }

  /// How many invoices `f` selects and what they still owe per currency (in the order each
  /// currency first appears by code), counted in SQL: the exact figures of a list shown a page
  /// at a time.
  public func invoiceSummary(_ f: InvoiceFilter = InvoiceFilter()) throws(CRMError)
    -> (count: Int, owed: [Money])
  {
    let (whereSQL, arguments) = invoiceConditions(f)
    let sql = """
      SELECT i.currency, count(*) AS n,
        sum(CASE WHEN i.status = 'issued' AND i.paid < i.total THEN i.total - i.paid ELSE 0 END)
          AS owed
      FROM invoice i JOIN client cl ON cl.id = i.client_id
      """ + whereSQL + " GROUP BY i.currency ORDER BY i.currency"
    return try db.read { db in
      var count = 0
      var owed: [Money] = []
      for r in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
        count += r["n"] as Int
        let code: String = r["currency"]
        let money = Currency.named(code) ?? Currency(code: code, minorDigits: 2, symbol: code)
        owed.append(Money(minor: r["owed"] ?? 0, currency: money))
      }
      return (count, owed)
    }
  }

  func invoiceFields(_ i: Invoice, _ lines: [OfferLine]) -> [String: String] {
    var f: [String: String] = [
      "number": i.number, "date": i.date, "due": i.dueDate, "status": i.stored.rawValue,
      "total": money(i.total, i.currency), "vat": money(i.vat, i.currency),
      "contract": i.contractId.map { "\($0)" } ?? "", "deal": i.dealId.map { "\($0)" } ?? "",
      "rate": Self.rateText(i.rate) ?? "", "notes": i.notes,
    ]
    f.merge(lineFields(lines, currency: i.currency)) { a, _ in a }
    return f
  }

  func saveInvoice(_ db: Database, _ i: Invoice, at: Date, author: Int64) throws -> Int64 {
    let t = at.timeIntervalSince1970
    if let id = i.id {
      try db.cachedStatement(
        sql: """
          UPDATE invoice SET number = ?, number_key = ?, date = ?, due_date = ?, status = ?,
            total = ?, vat = ?, notes = ?, rate = ?, updated_at = ? WHERE id = ?
          """
      ).execute(arguments: [
        i.number, DocumentNumber.key(i.number), i.date, i.dueDate, i.stored.rawValue, i.total,
        i.vat, i.notes, Self.rateText(i.rate), t, id,
      ])
      return id
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO invoice (client_id, contract_id, deal_id, number, number_key, date, due_date,
          currency, rate, prices_include_vat, status, total, vat, notes, author_id, created_at,
          updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      i.clientId, i.contractId, i.dealId, i.number, DocumentNumber.key(i.number), i.date,
      i.dueDate, i.currency, Self.rateText(i.rate), i.pricesIncludeVAT, i.stored.rawValue,
      i.total, i.vat, i.notes, author, t, t,
    ])
    return db.lastInsertedRowID
  }

  /// Adds an invoice (issued, or a draft) on a contract or directly to a client; returns its id.
  /// An invoice on a deal moves the deal to its pipeline's `invoice` stage when it is before it.
  public func addInvoice(_ d: DocumentDraft) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    if d.lines.isEmpty {
      throw fail(
        fieldName("sum"), "is missing; give a sum or lines", "не указана; укажите сумму или строки")
    }
    let settings = try db.settings()
    return try db.write { db in
      let (clientId, contract) = try draftContract(db, d)
      _ = try requireClient(db, clientId)
      let date = try day(d.date.isEmpty ? today : d.date, field: "date")
      var due = try day(d.due, field: "due")
      if due.isEmpty {
        due = Self.addDays(date, contract?.paymentDays ?? settings.invoiceDueDays)
      }
      if due < date {
        throw fail(fieldName("due"), "is before the invoice's date", "раньше даты счёта")
      }
      let currency = try Currency.parse(
        d.currency ?? contract?.currency ?? "RUB", language: l, field: fieldName("currency")
      ).code
      if let c = contract, c.currency != currency, !c.conventionalUnits {
        throw fail(
          fieldName("currency"),
          "contract № \(c.number) is in \(c.currency); an invoice on it is too",
          "договор № \(c.number) в \(c.currency); счёт по нему тоже")
      }
      var rate = try Self.parseRate(d.rate, language: l, field: fieldName("rate"))
      if currency == "RUB" { rate = nil } else if rate == nil { rate = contract?.rate }
      let dealId = d.dealId ?? contract?.dealId
      if let deal = dealId {
        let owner = try Int64.fetchOne(
          db.cachedStatement(sql: "SELECT client_id FROM deal WHERE id = ?"), arguments: [deal])
        if owner != clientId {
          throw fail(
            fieldName("deal"), "deal \(deal) is not this client's",
            "сделка \(deal) не этого клиента")
        }
      }
      let lines = try readLines(
        fillItems(d.lines, contract, act: false), currency: currency, day: date)
      let totals = Self.totals(lines, currency: currency, pricesIncludeVAT: d.pricesIncludeVAT)
      var inv = Invoice(
        clientId: clientId, contractId: contract?.id, dealId: dealId,
        number: try number(db, .invoice, d.number, day: date, id: nil), date: date, dueDate: due,
        currency: currency, rate: rate, pricesIncludeVAT: d.pricesIncludeVAT,
        stored: d.draft ? .draft : .issued, total: totals.gross, vat: totals.vat,
        notes: try Validator(language: l).notes(d.notes))
      let id = try saveInvoice(db, inv, at: at, author: me)
      inv.id = id
      try Self.saveLines(db, .invoice, id: id, lines)
      try audit(
        db, entity: "invoice", id: id, clientId: clientId, action: "insert", old: [:],
        new: invoiceFields(inv, lines), before: Invoice?.none, at: at)
      if !d.draft, let deal = dealId {
        try advanceDeal(db, deal, toKey: "invoice", at: at, me: me)
      }
      return id
    }
  }

  /// Changes an invoice's number, dates or notes; nil fields stay.
  public func updateInvoice(
    _ id: Int64, number: String? = nil, date: String? = nil, due: String? = nil,
    notes: String? = nil
  ) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      let before = try loadInvoice(db, id)
      var i = before.0
      if i.stored == .cancelled {
        throw fail(
          fieldName("invoice"), "invoice № \(i.number) is cancelled", "счёт № \(i.number) отменён")
      }
      if let date { i.date = try day(date.isEmpty ? today : date, field: "date") }
      if let due { i.dueDate = try day(due, field: "due") }
      if !i.dueDate.isEmpty && i.dueDate < i.date {
        throw fail(fieldName("due"), "is before the invoice's date", "раньше даты счёта")
      }
      if let number {
        i.number = try self.number(db, .invoice, number, day: i.date, id: id)
      } else if date != nil {
        i.number = try self.number(db, .invoice, i.number, day: i.date, id: id)
      }
      if let notes { i.notes = try Validator(language: l).notes(notes) }
      if i == before.0 { return }
      _ = try saveInvoice(db, i, at: at, author: 0)
      try audit(
        db, entity: "invoice", id: id, clientId: i.clientId, action: "update",
        old: invoiceFields(before.0, before.1), new: invoiceFields(i, before.1), before: before.0,
        at: at)
    }
  }

  /// Replaces an invoice's lines (not once it is cancelled); totals follow.
  public func setInvoiceLines(_ id: Int64, _ inputs: [OfferLineInput]) throws(CRMError) {
    _ = try requireUser()
    let at = now
    let snapshot = try db.read { db in try loadInvoice(db, id) }
    let lines = try readLines(inputs, currency: snapshot.0.currency, day: snapshot.0.date)
    if lines.isEmpty {
      throw fail(fieldName("line"), "an invoice needs a line", "в счёте нужна строка")
    }
    try db.write { db in
      let before = try loadInvoice(db, id)
      var i = before.0
      if i.stored == .cancelled {
        throw fail(
          fieldName("invoice"), "invoice № \(i.number) is cancelled", "счёт № \(i.number) отменён")
      }
      let t = Self.totals(lines, currency: i.currency, pricesIncludeVAT: i.pricesIncludeVAT)
      i.total = t.gross
      i.vat = t.vat
      try Self.saveLines(db, .invoice, id: id, lines)
      _ = try saveInvoice(db, i, at: at, author: 0)
      try audit(
        db, entity: "invoice", id: id, clientId: i.clientId, action: "update",
        old: invoiceFields(before.0, before.1), new: invoiceFields(i, lines), before: before.0,
        at: at)
    }
  }

  func loadInvoice(_ db: Database, _ id: Int64) throws -> (Invoice, [OfferLine]) {
    guard
      let r = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM invoice WHERE id = ?"), arguments: [id]),
      try !self.db.access.hides(db, clientId: r["client_id"])
    else { throw CRMError.notFound(what: l.pick("invoice", "счёт"), id: id) }
    return (Self.invoice(r), try Self.loadLines(db, .invoice, id: id))
  }

  /// Issues a draft invoice.
  public func issueInvoice(_ id: Int64) throws(CRMError) {
    let me = try requireUser()
    let at = now
    try db.write { db in
      let (before, lines) = try loadInvoice(db, id)
      guard before.stored == .draft else {
        throw fail(
          fieldName("invoice"), "invoice № \(before.number) is not a draft",
          "счёт № \(before.number) не черновик")
      }
      var i = before
      i.stored = .issued
      _ = try saveInvoice(db, i, at: at, author: me)
      try audit(
        db, entity: "invoice", id: id, clientId: i.clientId, action: "issue",
        old: invoiceFields(before, lines), new: invoiceFields(i, lines), before: before, at: at)
      if let deal = i.dealId { try advanceDeal(db, deal, toKey: "invoice", at: at, me: me) }
    }
  }

  /// Cancels an invoice; refused while payments are allocated to it (they would be lost).
  public func cancelInvoice(_ id: Int64) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      let (before, lines) = try loadInvoice(db, id)
      if before.stored == .cancelled { return }
      let count =
        try Int.fetchOne(
          db.cachedStatement(sql: "SELECT count(*) FROM allocation WHERE invoice_id = ?"),
          arguments: [id]) ?? 0
      if count > 0 {
        throw fail(
          fieldName("invoice"),
          "\(count) payment(s) are allocated to invoice № \(before.number); unallocate them first (crm payment unallocate)",
          "на счёт № \(before.number) распределено платежей: \(count); сначала снимите их (crm payment unallocate)"
        )
      }
      var i = before
      i.stored = .cancelled
      _ = try saveInvoice(db, i, at: at, author: 0)
      try audit(
        db, entity: "invoice", id: id, clientId: i.clientId, action: "cancel",
        old: invoiceFields(before, lines), new: invoiceFields(i, lines), before: before, at: at)
    }
  }

  /// Moves an open deal forward to the stage with `key` of its pipeline when it is before that
  /// stage; a stage demanding fields the deal lacks is skipped, never an error.
  func advanceDeal(_ db: Database, _ dealId: Int64, toKey key: String, at: Date, me: Int64) throws {
    let deals = context.deals
    guard let deal = try? DealService.load(db, dealId, language: l), deal.status == .open else {
      return
    }
    let pipeline = try deals.pipelineOf(db, deal)
    guard let target = pipeline.stages.first(where: { $0.key == key && !$0.archived }),
      let current = pipeline.stages.first(where: { $0.id == deal.stageId }),
      current.position < target.position
    else { return }
    do {
      try db.inSavepoint {
        _ = try deals.moveInside(
          db, deal, to: target, extras: MoveExtras(), at: at, me: me, action: "move")
        return .commit
      }
    } catch is CRMError {
      return
    }
  }

  // MARK: Acts

  static let actSelect = """
    SELECT a.*, cl.name AS client_name, cl.legal_form AS client_form, cl.inn AS client_inn,
      cl.kpp AS client_kpp, cl.kind AS client_kind, i.number AS invoice_number,
      CASE WHEN cl.legal_address <> '' THEN cl.legal_address ELSE cl.actual_address END
        AS client_address
    FROM act a
    JOIN client cl ON cl.id = a.client_id
    LEFT JOIN invoice i ON i.id = a.invoice_id
    """

  static func act(_ r: Row) -> Act {
    Act(
      id: r["id"], clientId: r["client_id"], contractId: r["contract_id"],
      invoiceId: r["invoice_id"], number: r["number"], date: r["date"],
      periodFrom: r["period_from"], periodTo: r["period_to"], currency: r["currency"],
      rate: rate(r), pricesIncludeVAT: r["prices_include_vat"],
      cancelled: (r["status"] as String) == "cancelled", total: r["total"], vat: r["vat"],
      notes: r["notes"], exportId: r["export_id"])
  }

  func actDetail(_ db: Database, _ r: Row) throws -> ActDetail {
    let a = Self.act(r)
    let lines = try Self.loadLines(db, .act, id: a.id ?? 0)
    var contract: Contract?
    if let k = a.contractId,
      let kr = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM contract WHERE id = ?"), arguments: [k])
    {
      contract = Self.contract(kr)
    }
    let inn: String = r["client_inn"]
    return ActDetail(
      act: a, lines: lines,
      totals: Self.totals(lines, currency: a.currency, pricesIncludeVAT: a.pricesIncludeVAT),
      clientName: Self.clientLabel(r), clientINN: inn, clientKPP: r["client_kpp"],
      clientAddress: r["client_address"],
      clientIsPerson: (r["client_kind"] as String) == "person" || inn.count == 12,
      contract: contract, invoiceNumber: r["invoice_number"])
  }

  public func act(_ id: Int64) throws(CRMError) -> ActDetail? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(sql: Self.actSelect + " WHERE a.id = ? AND \(seen)"), arguments: [id])
      else { return nil }
      return try actDetail(db, r)
    }
  }

  /// Acts by date; of one client, in a period (`YYYY-MM-DD`, inclusive), and only those never
  /// exported when `notExported`.
  public func acts(
    clientId: Int64? = nil, from: String = "", to: String = "", notExported: Bool = false,
    includeCancelled: Bool = true, limit: Int = 10_000, offset: Int = 0
  ) throws(CRMError) -> [ActDetail] {
    try db.read { db in
      let rows = try Row.fetchAll(
        db.cachedStatement(
          sql: Self.actSelect + """
             WHERE (?1 IS NULL OR a.client_id = ?1) AND (?2 = '' OR a.date >= ?2)
              AND (?3 = '' OR a.date <= ?3) AND (NOT ?4 OR a.export_id IS NULL)
              AND (?5 OR a.status = 'issued') AND \(seen)
            ORDER BY a.date, a.id LIMIT ?6 OFFSET ?7
            """), arguments: [clientId, from, to, notExported, includeCancelled, limit, offset])
      return try rows.map { try actDetail(db, $0) }
    }
  }

  func actFields(_ a: Act, _ lines: [OfferLine]) -> [String: String] {
    var f: [String: String] = [
      "number": a.number, "date": a.date, "period_from": a.periodFrom, "period_to": a.periodTo,
      "status": a.cancelled ? "cancelled" : "issued", "total": money(a.total, a.currency),
      "vat": money(a.vat, a.currency), "contract": a.contractId.map { "\($0)" } ?? "",
      "invoice": a.invoiceId.map { "\($0)" } ?? "", "notes": a.notes,
    ]
    f.merge(lineFields(lines, currency: a.currency)) { a, _ in a }
    return f
  }

  /// Reads `FROM..TO`, `FROM-TO` as two days; empty → no period.
  public func period(_ text: String) throws(CRMError) -> (String, String) {
    let t = text.trimmingSpaces()
    if t.isEmpty { return ("", "") }
    let parts = t.components(separatedBy: "..")
    guard parts.count == 2 else {
      throw fail(
        fieldName("period"), "«\(t)»: write it as FROM..TO, e.g. 01.11.2026..30.11.2026",
        "«\(t)»: укажите как С..ПО, например 01.11.2026..30.11.2026")
    }
    let from = try day(parts[0], field: "period_from")
    let to = try day(parts[1], field: "period_to")
    if from.isEmpty || to.isEmpty || to < from {
      throw fail(
        fieldName("period"), "«\(t)»: the end is before the start or missing",
        "«\(t)»: конец раньше начала или не указан")
    }
    return (from, to)
  }

  /// Adds an act from a contract or an invoice (whose lines it copies when given none); returns
  /// its id.
  public func addAct(_ d: DocumentDraft) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    return try db.write { db in
      var draft = d
      var invoice: (Invoice, [OfferLine])?
      if let iid = d.invoiceId {
        let loaded = try loadInvoice(db, iid)
        if loaded.0.stored == .cancelled {
          throw fail(
            fieldName("invoice"), "invoice № \(loaded.0.number) is cancelled",
            "счёт № \(loaded.0.number) отменён")
        }
        if let c = d.clientId, c != loaded.0.clientId {
          throw fail(
            fieldName("invoice"), "invoice \(iid) is another client's",
            "счёт \(iid) другого клиента")
        }
        draft.clientId = loaded.0.clientId
        if draft.contractId == nil { draft.contractId = loaded.0.contractId }
        invoice = loaded
      }
      let (clientId, contract) = try draftContract(db, draft)
      _ = try requireClient(db, clientId)
      let date = try day(d.date.isEmpty ? today : d.date, field: "date")
      let from = try day(d.periodFrom, field: "period_from")
      let to = try day(d.periodTo, field: "period_to")
      if from.isEmpty != to.isEmpty || (!from.isEmpty && to < from) {
        throw fail(
          fieldName("period"), "give both ends, the start not after the end",
          "укажите оба конца, начало не позже конца")
      }
      let currency = try Currency.parse(
        d.currency ?? invoice?.0.currency ?? contract?.currency ?? "RUB", language: l,
        field: fieldName("currency")
      ).code
      var rate = try Self.parseRate(d.rate, language: l, field: fieldName("rate"))
      if currency == "RUB" {
        rate = nil
      } else if rate == nil {
        rate = invoice?.0.rate ?? contract?.rate
      }
      let pricesIncludeVAT = invoice?.0.pricesIncludeVAT ?? d.pricesIncludeVAT
      let lines: [OfferLine]
      if d.lines.isEmpty, let invoice {
        // An invoice's default line names a payment («Оплата по договору…»); the act names the
        // service instead.
        let paymentItems = Set(
          [Language.ru, .en].map { defaultItem(contract, act: false, language: $0) })
        lines = invoice.1.map { line in
          var l = line
          if paymentItems.contains(line.item) { l.item = defaultItem(contract, act: true) }
          return l
        }
      } else if d.lines.isEmpty {
        throw fail(
          fieldName("sum"), "is missing; give a sum, lines or an invoice",
          "не указана; укажите сумму, строки или счёт")
      } else {
        var inputs = fillItems(d.lines, contract, act: true)
        if !from.isEmpty {
          let suffix = l.pick(
            " for \(from)..\(to)",
            " за период с \(OfferService.displayDay(from, .ru)) по \(OfferService.displayDay(to, .ru))"
          )
          for i in inputs.indices where d.lines[i].item?.trimmingSpaces().isEmpty ?? true {
            inputs[i].item = (inputs[i].item ?? "") + suffix
          }
        }
        lines = try readLines(inputs, currency: currency, day: date)
      }
      let totals = Self.totals(lines, currency: currency, pricesIncludeVAT: pricesIncludeVAT)
      var act = Act(
        clientId: clientId, contractId: contract?.id, invoiceId: invoice?.0.id,
        number: try number(db, .act, d.number, day: date, id: nil), date: date, periodFrom: from,
        periodTo: to, currency: currency, rate: rate, pricesIncludeVAT: pricesIncludeVAT,
        total: totals.gross, vat: totals.vat, notes: try Validator(language: l).notes(d.notes))
      try db.cachedStatement(
        sql: """
          INSERT INTO act (client_id, contract_id, invoice_id, number, number_key, date,
            period_from, period_to, currency, rate, prices_include_vat, total, vat, notes,
            author_id, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        act.clientId, act.contractId, act.invoiceId, act.number, DocumentNumber.key(act.number),
        act.date, act.periodFrom, act.periodTo, act.currency, Self.rateText(act.rate),
        act.pricesIncludeVAT, act.total, act.vat, act.notes, me, at.timeIntervalSince1970,
        at.timeIntervalSince1970,
      ])
      let id = db.lastInsertedRowID
      act.id = id
      try Self.saveLines(db, .act, id: id, lines)
      try audit(
        db, entity: "act", id: id, clientId: clientId, action: "insert", old: [:],
        new: actFields(act, lines), before: Act?.none, at: at)
      return id
    }
  }

  /// Cancels an act. One already exported stays in 1C: the message says so.
  public func cancelAct(_ id: Int64) throws(CRMError) {
    _ = try requireUser()
    let at = now
    try db.write { db in
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(sql: Self.actSelect + " WHERE a.id = ? AND \(seen)"), arguments: [id])
      else { throw CRMError.notFound(what: l.pick("act", "акт"), id: id) }
      let before = try actDetail(db, r)
      if before.act.cancelled { return }
      var a = before.act
      a.cancelled = true
      try db.cachedStatement(
        sql: "UPDATE act SET status = 'cancelled', updated_at = ? WHERE id = ?"
      ).execute(arguments: [at.timeIntervalSince1970, id])
      try audit(
        db, entity: "act", id: id, clientId: a.clientId, action: "cancel",
        old: actFields(before.act, before.lines), new: actFields(a, before.lines),
        before: before.act, at: at)
    }
  }

  // MARK: Exports

  /// Records an export of acts to `file` and marks each as carried by it; returns its id.
  @discardableResult
  public func recordExport(
    acts: [ActDetail], format: String, file: String, from: String = "", to: String = ""
  ) throws(CRMError) -> Int64 {
    let at = now
    return try db.write { db in
      try db.cachedStatement(
        sql: """
          INSERT INTO export_log (at, user_id, what, format, file, period_from, period_to, items)
          VALUES (?, ?, 'acts', ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [at.timeIntervalSince1970, userId, format, file, from, to, acts.count])
      let export = db.lastInsertedRowID
      for a in acts {
        try db.cachedStatement(
          sql: """
            INSERT INTO export_item (export_id, act_id, number, date, total, vat)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [export, a.id, a.act.number, a.act.date, a.act.total, a.act.vat])
        try db.cachedStatement(sql: "UPDATE act SET export_id = ? WHERE id = ?").execute(
          arguments: [export, a.id])
        try audit(
          db, entity: "act", id: a.id, clientId: a.act.clientId, action: "export",
          old: ["export": ""], new: ["export": "\(format) → \(file)"], before: Act?.none, at: at)
      }
      return export
    }
  }

  /// One export as logged.
  public struct ExportRecord: Equatable, Sendable {
    public var id: Int64
    public var at: Date
    public var userLogin: String
    public var what: String
    public var format: String
    public var file: String
    public var periodFrom: String
    public var periodTo: String
    public var items: Int
  }

  /// Exports the acting user may see, newest first: their own, and others' whose acts are all of
  /// clients they may see (an admin sees every export).
  public func exports(limit: Int = 100) throws(CRMError) -> [ExportRecord] {
    try db.visibleLogRows(
      "export_log", clients: LogClients.export, userId: userId, noLogin: "?", limit: limit
    ) { r in
      ExportRecord(
        id: r["id"], at: Date(timeIntervalSince1970: r["at"]), userLogin: r["login"],
        what: r["what"], format: r["format"], file: r["file"], periodFrom: r["period_from"],
        periodTo: r["period_to"], items: r["items"])
    }
  }
}
