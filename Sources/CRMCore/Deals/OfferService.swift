import Foundation
import GRDB

/// Where an offer stands: a draft can change; a sent one is frozen (copy it to change it).
public enum OfferStatus: String, Codable, Sendable, CaseIterable {
  case draft, sent

  public func name(_ l: Language) -> String {
    switch self {
    case .draft: return l.pick("draft", "черновик")
    case .sent: return l.pick("sent", "отправлено")
    }
  }
}

/// A commercial offer on a deal. Numbers run per year: `2026-0001`.
public struct Offer: Codable, Equatable, Sendable {
  public var id: Int64?
  public var dealId: Int64
  public var number: String
  /// `YYYY-MM-DD`.
  public var date: String
  public var currency: String
  public var pricesIncludeVAT: Bool
  public var status: OfferStatus
  /// `YYYY-MM-DD` or empty.
  public var validUntil: String
  public var notes: String
  public var sentAt: Date?
  /// The e-mail contact logged when the offer was marked sent.
  public var contactId: Int64?
  public var authorId: Int64?
  public var createdAt: Date?
  public var updatedAt: Date?

  public init(
    id: Int64? = nil, dealId: Int64, number: String = "", date: String = "",
    currency: String = "RUB", pricesIncludeVAT: Bool = true, status: OfferStatus = .draft,
    validUntil: String = "", notes: String = "", sentAt: Date? = nil, contactId: Int64? = nil
  ) {
    self.id = id
    self.dealId = dealId
    self.number = number
    self.date = date
    self.currency = currency
    self.pricesIncludeVAT = pricesIncludeVAT
    self.status = status
    self.validUntil = validUntil
    self.notes = notes
    self.sentAt = sentAt
    self.contactId = contactId
  }

  /// The offer's currency; an unknown stored code keeps its code as the sign.
  public var money: Currency {
    Currency.named(currency) ?? Currency(code: currency, minorDigits: 2, symbol: currency)
  }
}

/// One line of an offer. Quantities are thousandths (1,5 pcs = 1500), prices and sums minor
/// units of the offer's currency; `sum` = quantity × price, rounded half up to the minor unit.
public struct OfferLine: Codable, Equatable, Sendable {
  public var id: Int64?
  /// 1, 2, 3… as printed in the «№» column.
  public var position: Int
  public var item: String
  public var unit: String
  public var quantityMilli: Int64
  public var price: Int64
  /// VAT in percent (one of `OfferService.vatRates`); nil means «без НДС».
  public var vatRate: Int?
  public var sum: Int64
  /// A discount line's share of the goods lines above it at its VAT rate, in hundredths of a
  /// percent (`1000` = 10 %); the core recomputes its sum whenever the lines change. Nil for a
  /// goods line and for a discount of a fixed amount.
  public var percent: Int?

  public init(
    id: Int64? = nil, position: Int, item: String, unit: String = "", quantityMilli: Int64,
    price: Int64, vatRate: Int?, sum: Int64, percent: Int? = nil
  ) {
    self.id = id
    self.position = position
    self.item = item
    self.unit = unit
    self.quantityMilli = quantityMilli
    self.price = price
    self.vatRate = vatRate
    self.sum = sum
    self.percent = percent
  }

  /// A discount: quantity one and a negative price (a fixed amount), or a percent.
  public var isDiscount: Bool { price < 0 || percent != nil }
}

/// A discount line as typed: `amount` is a percent (`10 %`, `7,5%`) of the goods lines above
/// it at its VAT rate, or a fixed amount (`5 000`) subtracted. An empty `item` names it
/// «Скидка 10 %» / «Скидка»; a nil `vat` takes the rate of the goods lines above (when they
/// share one). For `updateDiscount` a nil field stays as it is.
public struct OfferDiscountInput: Equatable, Sendable {
  public var item: String?
  public var amount: String?
  public var vat: String?

  public init(item: String? = nil, amount: String? = nil, vat: String? = nil) {
    self.item = item
    self.amount = amount
    self.vat = vat
  }
}

/// A line as typed: text fields read by the service in the offer's currency. For `addLine`
/// `item`, `quantity` and `price` are required and a nil `vat` means the standard rate of the
/// offer's date; for `updateLine` a nil field stays as it is.
public struct OfferLineInput: Equatable, Sendable {
  public var item: String?
  public var unit: String?
  /// `2`, `1,5`, `0.125`: up to three decimals, more than zero.
  public var quantity: String?
  /// An amount as `Money.parse` reads it: `1 000,50`, `1000.50 ₽`.
  public var price: String?
  /// `20`, `20 %`, `0`, or `none` / `без НДС`.
  public var vat: String?

  public init(
    item: String? = nil, unit: String? = nil, quantity: String? = nil, price: String? = nil,
    vat: String? = nil
  ) {
    self.item = item
    self.unit = unit
    self.quantity = quantity
    self.price = price
    self.vat = vat
  }
}

/// An offer's totals. With prices including VAT the VAT is extracted from each line
/// (sum × rate / (100 + rate)); otherwise it is added on top (sum × rate / 100); either way
/// rounded half up to the minor unit per line, then added up.
public struct OfferTotals: Equatable, Sendable {
  /// VAT of the lines at one rate.
  public struct VATPart: Equatable, Sendable {
    public var rate: Int
    public var vat: Int64
  }

  public var currency: Currency
  public var pricesIncludeVAT: Bool
  /// Without VAT.
  public var net: Int64
  public var vat: Int64
  /// To pay.
  public var gross: Int64
  /// Lowest rate first; only rates some line uses (0 % included, «без НДС» lines not).
  public var vatByRate: [VATPart]
  /// True when every line is «без НДС».
  public var withoutVAT: Bool

  public func money(_ minor: Int64) -> Money { Money(minor: minor, currency: currency) }
}

/// An offer with its lines, totals, and the names a document prints.
public struct OfferDetail: Equatable, Sendable {
  public var offer: Offer
  public var lines: [OfferLine]
  public var totals: OfferTotals
  public var clientId: Int64
  public var clientName: String
  public var dealTitle: String
  public var contactId: Int64? { offer.contactId }
  public var id: Int64 { offer.id ?? 0 }
}

/// Commercial offers on deals: create (numbered per year), edit the header, add / edit /
/// remove / reorder lines, totals with VAT included or on top, copy, delete a draft, and mark
/// sent (which logs a done e-mail contact). Every change is one transaction, audited in the
/// client's history as entity `offer` (line changes as fields `line 1`, `line 2`…). A sent
/// offer is frozen.
public struct OfferService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// The VAT rates an offer line may carry, in percent; none (NULL) means «без НДС».
  public static let vatRates = [0, 5, 7, 10, 20, 22]
  /// At most this many lines per offer (keeps every total far from overflowing).
  public static let maxLines = 500
  /// A line sum may not exceed 10^13 whole units of its currency.
  static let maxUnits: Int64 = 10_000_000_000_000

  public func fieldName(_ key: String) -> String {
    let names: [String: (String, String)] = [
      "number": ("Number", "Номер"), "date": ("Date", "Дата"),
      "valid_until": ("Valid until", "Действительно до"), "notes": ("Notes", "Заметки"),
      "prices_include_vat": ("Prices include VAT", "Цены с НДС"), "status": ("Status", "Статус"),
      "item": ("Item", "Наименование"), "unit": ("Unit", "Ед."),
      "quantity": ("Quantity", "Количество"), "price": ("Price", "Цена"), "vat": ("VAT", "НДС"),
      "line": ("Line", "Строка"), "deal": ("Deal", "Сделка"), "sent_at": ("Sent", "Отправлено"),
      "contact": ("Contact", "Контакт"), "total": ("Total", "Всего"),
    ]
    guard let pair = names[key] else { return key }
    return l.pick(pair.0, pair.1)
  }

  // MARK: Numbers, dates, parsing

  /// `YYYY-MM-DD` of `date` in `timeZone`.
  static func isoDay(_ date: Date, _ timeZone: TimeZone) -> String {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = timeZone
    let p = c.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0)
  }

  /// The next free number of the year of `day` (`YYYY-MM-DD`): `2026-0007`.
  static func nextNumber(_ db: Database, day: String) throws -> String {
    let year = String(day.prefix(4))
    let last =
      try Int.fetchOne(
        db,
        sql: """
          SELECT max(CAST(substr(number, 6) AS INTEGER)) FROM offer
          WHERE number LIKE ? || '-%' AND length(number) >= 9
          """, arguments: [year]) ?? 0
    return year + "-" + String(format: "%04d", last + 1)
  }

  /// Inserts an empty draft offer on a deal, in the deal's currency; returns its id.
  static func insertDraft(_ db: Database, deal: Deal, at: Date, author: Int64, timeZone: TimeZone)
    throws -> Int64
  {
    let day = isoDay(at, timeZone)
    try db.execute(
      sql: """
        INSERT INTO offer (deal_id, number, date, currency, author_id, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        deal.id, try nextNumber(db, day: day), day, deal.currency, author,
        at.timeIntervalSince1970, at.timeIntervalSince1970,
      ])
    return db.lastInsertedRowID
  }

  /// The standard Russian VAT rate on a day (`YYYY-MM-DD`): 22 % from 2026-01-01, 20 % before.
  /// New lines get it when no rate is given.
  public static func standardVATRate(onDay day: String) -> Int {
    day >= "2026-01-01" ? 22 : 20
  }

  /// Reads a quantity: `2`, `1,5`, `0.125`, `1 000` → thousandths. Up to three decimals, more
  /// than zero, at most 10^9.
  public static func parseQuantity(_ text: String, language l: Language, field: String)
    throws(CRMError) -> Int64
  {
    func fail(_ en: String, _ ru: String) -> CRMError {
      .invalid(field: field, problem: l.pick(en, ru))
    }
    var s = text.filter { !($0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}") }
    if s.isEmpty {
      throw fail(
        "is empty; type a quantity such as 2 or 1,5", "пусто; укажите количество: 2 или 1,5")
    }
    if s.hasPrefix("-") || s.hasPrefix("−") {
      throw fail(
        "«\(text)»: a quantity cannot be negative",
        "«\(text)»: количество не может быть отрицательным")
    }
    if s.hasPrefix("+") { s.removeFirst() }
    let pieces = s.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "." })
    let whole = String(pieces[0])
    let fraction = pieces.count > 1 ? String(pieces[1]) : ""
    guard pieces.count <= 2, !(whole.isEmpty && fraction.isEmpty),
      whole.allSatisfy({ $0.isASCII && $0.isNumber }),
      fraction.allSatisfy({ $0.isASCII && $0.isNumber })
    else {
      throw fail(
        "cannot read «\(text)» as a quantity; type a number such as 2 or 1,5",
        "не удаётся прочитать «\(text)» как количество; укажите число: 2 или 1,5")
    }
    if fraction.count > 3 {
      throw fail(
        "«\(text)»: at most three digits after the decimal mark",
        "«\(text)»: не больше трёх знаков после запятой")
    }
    let digits = whole.drop { $0 == "0" }
    if digits.count > 9 {
      throw fail("«\(text)» is too large", "«\(text)» — слишком большое количество")
    }
    let milli =
      Int64(digits.isEmpty ? "0" : String(digits))! * 1000
      + Int64(fraction.padding(toLength: 3, withPad: "0", startingAt: 0))!
    if milli == 0 {
      throw fail("must be more than zero", "должно быть больше нуля")
    }
    return milli
  }

  /// `1500` → `1,5` (ru) / `1.5` (en); whole numbers without decimals; thousands grouped.
  public static func formatQuantity(_ milli: Int64, _ l: Language) -> String {
    let whole = Formats(language: l).integer(Int(milli / 1000))
    var fraction = String(milli % 1000)
    if fraction == "0" { return whole }
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return whole + (l == .ru ? "," : ".") + fraction
  }

  /// Reads a VAT rate: `20`, `20%`, `20 %` → 20; `none`, `без`, `без НДС`, `-` → nil (without
  /// VAT). Other numbers and words are refused with the list of valid rates.
  public static func parseVAT(_ text: String, language l: Language, field: String)
    throws(CRMError) -> Int?
  {
    let t = TextFold.key(text.trimmingSpaces()).replacingOccurrences(of: " ", with: "")
    let none: Set<String> = [
      "none", "no", "novat", "without", "-", "—", "без", "безндс", "безндс.", "нет", "бндс",
    ]
    if none.contains(t) { return nil }
    var digits = t
    if digits.hasSuffix("%") { digits.removeLast() }
    if let n = Int(digits), vatRates.contains(n), digits.allSatisfy(\.isNumber) { return n }
    let list = vatRates.map(String.init).joined(separator: ", ")
    throw .invalid(
      field: field,
      problem: l.pick(
        "unknown VAT rate «\(text)»; use none or one of \(list) (percent)",
        "неизвестная ставка НДС «\(text)»; укажите «без НДС» или одну из: \(list) (процентов)"))
  }

  /// `20 %`, or «без НДС» / `no VAT` for nil.
  public static func vatName(_ rate: Int?, _ l: Language) -> String {
    rate.map { "\($0)\u{00A0}%" } ?? l.pick("no VAT", "без НДС")
  }

  /// quantity × price, rounded half up to the minor unit; nil when it overflows.
  public static func lineSum(quantityMilli: Int64, price: Int64) -> Int64? {
    let (product, overflow) = quantityMilli.multipliedReportingOverflow(by: price)
    if overflow { return nil }
    return (product + 500) / 1000
  }

  /// A line's VAT, rounded half up to the minor unit: extracted from `sum` when prices include
  /// VAT (sum × rate / (100 + rate)), otherwise on top (sum × rate / 100).
  public static func lineVAT(sum: Int64, rate: Int?, pricesIncludeVAT: Bool) -> Int64 {
    guard let rate, rate > 0 else { return 0 }
    // A discount's VAT mirrors the VAT of the same amount of goods.
    if sum < 0 { return -lineVAT(sum: -sum, rate: rate, pricesIncludeVAT: pricesIncludeVAT) }
    let divisor = Int64(pricesIncludeVAT ? 100 + rate : 100)
    return (sum * Int64(rate) * 2 + divisor) / (2 * divisor)
  }

  /// Net, VAT and gross of an offer's lines.
  public static func totals(_ offer: Offer, _ lines: [OfferLine]) -> OfferTotals {
    var parts: [Int: Int64] = [:]
    var sum: Int64 = 0
    var vat: Int64 = 0
    for line in lines {
      sum += line.sum
      let v = lineVAT(sum: line.sum, rate: line.vatRate, pricesIncludeVAT: offer.pricesIncludeVAT)
      vat += v
      if let r = line.vatRate { parts[r, default: 0] += v }
    }
    let net = offer.pricesIncludeVAT ? sum - vat : sum
    return OfferTotals(
      currency: offer.money, pricesIncludeVAT: offer.pricesIncludeVAT, net: net, vat: vat,
      gross: net + vat,
      vatByRate: parts.keys.sorted().map { OfferTotals.VATPart(rate: $0, vat: parts[$0]!) },
      withoutVAT: lines.allSatisfy { $0.vatRate == nil })
  }

  /// `2026-11-23` → `23.11.2026` (ru) / `2026-11-23` (en); anything else as it is.
  public static func displayDay(_ day: String, _ l: Language) -> String {
    let p = day.split(separator: "-")
    guard l == .ru, p.count == 3 else { return day }
    return "\(p[2]).\(p[1]).\(p[0])"
  }

  /// A date typed by a person (`2026-12-31`, `31.12.2026`, `+14d`, `завтра`) → `YYYY-MM-DD`;
  /// empty stays empty.
  func day(_ text: String, field: String) throws(CRMError) -> String {
    let t = text.trimmingSpaces()
    if t.isEmpty { return "" }
    let ctx = TimeContext(now: now, timeZone: timeZone)
    let d = try When.parse(t, in: ctx, language: l, field: fieldName(field))
    return Self.isoDay(d, timeZone)
  }

  // MARK: Reading

  static let offerSelect = """
    SELECT o.*, d.client_id AS client_id, d.title AS deal_title, cl.name AS client_name,
      cl.legal_form AS client_form
    FROM offer o
    JOIN deal d ON d.id = o.deal_id
    JOIN client cl ON cl.id = d.client_id
    """

  static func offer(_ r: Row) -> Offer {
    var o = Offer(
      id: r["id"], dealId: r["deal_id"], number: r["number"], date: r["date"],
      currency: r["currency"], pricesIncludeVAT: r["prices_include_vat"],
      status: OfferStatus(rawValue: r["status"]) ?? .draft, validUntil: r["valid_until"],
      notes: r["notes"], sentAt: r.timestamp("sent_at"), contactId: r["contact_id"])
    o.authorId = r["author_id"]
    o.createdAt = r.timestamp("created_at")
    o.updatedAt = r.timestamp("updated_at")
    return o
  }

  static func line(_ r: Row) -> OfferLine {
    OfferLine(
      id: r["id"], position: r["position"], item: r["item"], unit: r["unit"],
      quantityMilli: r["quantity_milli"], price: r["price"], vatRate: r["vat_rate"], sum: r["sum"],
      percent: r["percent"])
  }

  static func lines(_ db: Database, of offerId: Int64) throws -> [OfferLine] {
    try Row.fetchAll(
      db, sql: "SELECT * FROM offer_line WHERE offer_id = ? ORDER BY position, id",
      arguments: [offerId]
    ).map(line)
  }

  static func detail(_ db: Database, _ r: Row) throws -> OfferDetail {
    let o = offer(r)
    let lines = try lines(db, of: o.id ?? 0)
    return OfferDetail(
      offer: o, lines: lines, totals: totals(o, lines), clientId: r["client_id"],
      clientName: Client.displayName(name: r["client_name"], legalForm: r["client_form"] ?? ""),
      dealTitle: r["deal_title"])
  }

  /// One offer with its lines and totals; nil when there is none.
  public func offer(_ id: Int64) throws(CRMError) -> OfferDetail? {
    let seen = db.access.condition(client: "cl")
    return try db.read { db in
      try Row.fetchOne(
        db, sql: Self.offerSelect + " WHERE o.id = ? AND \(seen)", arguments: [id]
      ).map {
        try Self.detail(db, $0)
      }
    }
  }

  /// The offers of a deal, oldest first. An unknown deal is an error, not an empty list.
  public func offers(ofDeal dealId: Int64) throws(CRMError) -> [OfferDetail] {
    let access = db.access
    return try db.read { db in
      let deal = try DealService.load(db, dealId, language: l)
      if try access.hides(db, clientId: deal.clientId) {
        throw CRMError.notFound(what: l.pick("deal", "сделка"), id: dealId)
      }
      return try Row.fetchAll(
        db, sql: Self.offerSelect + " WHERE o.deal_id = ? ORDER BY o.id", arguments: [dealId]
      ).map { try Self.detail(db, $0) }
    }
  }

  // MARK: Writing

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }

  /// An offer with its lines as stored, and the deal's client (for the history).
  struct Snapshot: Codable, Equatable {
    var offer: Offer
    var lines: [OfferLine]
    var clientId: Int64
  }

  func load(_ db: Database, _ id: Int64) throws -> Snapshot {
    guard
      let r = try Row.fetchOne(
        db,
        sql: Self.offerSelect + " WHERE o.id = ? AND \(self.db.access.condition(client: "cl"))",
        arguments: [id])
    else { throw CRMError.notFound(what: l.pick("offer", "КП"), id: id) }
    return Snapshot(
      offer: Self.offer(r), lines: try Self.lines(db, of: id), clientId: r["client_id"])
  }

  func label(_ o: Offer) -> String { l.pick("offer No. \(o.number)", "КП № \(o.number)") }

  /// A sent offer cannot change; the message says how to get an editable copy.
  func requireDraft(_ o: Offer) throws {
    guard o.status == .sent else { return }
    let when = o.sentAt.map { Formats(language: l, timeZone: timeZone).date($0) } ?? ""
    let id = o.id ?? 0
    throw fail(
      label(o),
      "was sent on \(when) and cannot change; copy it to a new draft (crm offer copy \(id))",
      "отправлено \(when) и не меняется; скопируйте его в новый черновик (crm offer copy \(id))")
  }

  /// Field-by-field text of an offer for the audit log; each line is one field.
  func fields(_ s: Snapshot) -> [String: String] {
    let o = s.offer
    let totals = Self.totals(o, s.lines)
    var f: [String: String] = [
      "number": o.number, "date": o.date, "valid_until": o.validUntil, "notes": o.notes,
      "prices_include_vat": o.pricesIncludeVAT ? "yes" : "no", "status": o.status.rawValue,
      "sent_at": o.sentAt.map(Formats(language: .en, timeZone: timeZone).dateTime) ?? "",
      "contact": o.contactId.map(String.init) ?? "",
      "total": s.lines.isEmpty ? "" : totals.money(totals.gross).plain + " " + o.currency,
    ]
    for line in s.lines {
      let vat = "VAT \(line.vatRate.map(String.init) ?? "none")"
      if line.isDiscount {
        let share = line.percent.map { "\(Self.formatPercent($0, .en)) | " } ?? ""
        f["line \(line.position)"] =
          "\(line.item) | discount \(share)\(vat) | \(totals.money(line.sum).plain)"
        continue
      }
      f["line \(line.position)"] =
        "\(line.item) | \(Self.formatQuantity(line.quantityMilli, .en)) \(line.unit) × "
        + "\(totals.money(line.price).plain) | \(vat)"
        + " | \(totals.money(line.sum).plain)"
    }
    return f
  }

  func audit(_ db: Database, _ action: String, before: Snapshot?, after: Snapshot, at: Date)
    throws
  {
    let log = context.clients
    let id = after.offer.id ?? 0
    let change = try log.recordChange(
      db, clientId: after.clientId, entity: "offer", entityId: id, action: action, before: before,
      at: at)
    try log.auditFields(
      db, change: change, clientId: after.clientId, entity: "offer", entityId: id, action: action,
      old: before.map(fields) ?? [:], new: fields(after), at: at)
  }

  /// Checks and cleans header fields; a number must be free (another offer's is a clash).
  func checkHeader(_ db: Database, _ input: Offer) throws -> Offer {
    var o = input
    let v = Validator(language: l)
    o.number = try v.line(o.number, "number", max: 40)
    if o.number.isEmpty {
      throw fail(fieldName("number"), "is empty", "пусто")
    }
    o.notes = try v.notes(o.notes)
    if !o.validUntil.isEmpty && o.validUntil < o.date {
      throw fail(
        fieldName("valid_until"),
        "\(Self.displayDay(o.validUntil, l)) is before the offer's date \(Self.displayDay(o.date, l))",
        "\(Self.displayDay(o.validUntil, l)) раньше даты КП \(Self.displayDay(o.date, l))")
    }
    if let other = try Row.fetchOne(
      db,
      sql: """
        SELECT o.id, o.deal_id, d.client_id FROM offer o LEFT JOIN deal d ON d.id = o.deal_id
        WHERE o.number = ? AND o.id IS NOT ?
        """,
      arguments: [o.number, o.id])
    {
      let id: Int64 = other["id"]
      let deal: Int64 = other["deal_id"]
      // Offer numbers are one sequence for the whole firm: another manager's offer is not named.
      if let client = other["client_id"] as Int64?, try self.db.access.hides(db, clientId: client) {
        throw fail(
          fieldName("number"),
          "«\(o.number)» is already taken by another manager's offer; choose another number or leave it out for the next free one",
          "«\(o.number)» уже занят КП другого менеджера; укажите другой номер или не указывайте его — будет следующий свободный"
        )
      }
      throw fail(
        fieldName("number"),
        "«\(o.number)» is already taken by offer №\(id) (deal №\(deal)); choose another number or leave it out for the next free one",
        "«\(o.number)» уже занят КП №\(id) (сделка №\(deal)); укажите другой номер или не указывайте его — будет следующий свободный"
      )
    }
    return o
  }

  func saveHeader(_ db: Database, _ o: Offer, at: Date) throws {
    try db.execute(
      sql: """
        UPDATE offer SET number = ?, date = ?, prices_include_vat = ?, status = ?,
          valid_until = ?, notes = ?, sent_at = ?, contact_id = ?, updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        o.number, o.date, o.pricesIncludeVAT, o.status.rawValue, o.validUntil, o.notes,
        o.sentAt?.timeIntervalSince1970, o.contactId, at.timeIntervalSince1970, o.id,
      ])
  }

  /// Rewrites an offer's lines in order, numbered 1, 2, 3…
  func saveLines(_ db: Database, offerId: Int64, _ lines: [OfferLine]) throws {
    try db.execute(sql: "DELETE FROM offer_line WHERE offer_id = ?", arguments: [offerId])
    for (i, line) in lines.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO offer_line (offer_id, position, item, unit, quantity_milli, price,
            vat_rate, sum, percent)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          offerId, i + 1, line.item, line.unit, line.quantityMilli, line.price, line.vatRate,
          line.sum, line.percent,
        ])
    }
  }

  func renumbered(_ lines: [OfferLine]) -> [OfferLine] {
    lines.enumerated().map { i, line in
      var x = line
      x.position = i + 1
      return x
    }
  }

  /// Creates an offer on a deal, in the deal's currency. An empty number takes the next free
  /// one of the offer's year; an empty date is today. Returns the id.
  @discardableResult
  public func add(_ input: Offer) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    var o = input
    o.date = try day(o.date, field: "date")
    if o.date.isEmpty { o.date = Self.isoDay(at, timeZone) }
    o.validUntil = try day(o.validUntil, field: "valid_until")
    return try db.write { db in
      let deal = try DealService.load(db, input.dealId, language: l)
      if try self.db.access.hides(db, clientId: deal.clientId) {
        throw CRMError.notFound(what: l.pick("deal", "сделка"), id: input.dealId)
      }
      o.currency = deal.currency
      o.status = .draft
      o.sentAt = nil
      o.contactId = nil
      o.id = nil
      if o.number.trimmingSpaces().isEmpty { o.number = try Self.nextNumber(db, day: o.date) }
      o = try checkHeader(db, o)
      try db.execute(
        sql: """
          INSERT INTO offer (deal_id, number, date, currency, prices_include_vat, status,
            valid_until, notes, author_id, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)
          """,
        arguments: [
          o.dealId, o.number, o.date, o.currency, o.pricesIncludeVAT, o.validUntil, o.notes, me,
          at.timeIntervalSince1970, at.timeIntervalSince1970,
        ])
      o.id = db.lastInsertedRowID
      try audit(
        db, "insert", before: nil, after: Snapshot(offer: o, lines: [], clientId: deal.clientId),
        at: at)
      return o.id!
    }
  }

  /// Changes a draft's header: number, date, valid-until, notes, prices-include-VAT.
  public func update(_ input: Offer) throws(CRMError) {
    guard let id = input.id else { throw .other("update needs an id") }
    let at = now
    var o = input
    o.date = try day(o.date, field: "date")
    o.validUntil = try day(o.validUntil, field: "valid_until")
    try db.write { db in
      let before = try load(db, id)
      try requireDraft(before.offer)
      var after = before
      if o.date.isEmpty { o.date = before.offer.date }
      after.offer.number = o.number
      after.offer.date = o.date
      after.offer.validUntil = o.validUntil
      after.offer.notes = o.notes
      after.offer.pricesIncludeVAT = o.pricesIncludeVAT
      after.offer = try checkHeader(db, after.offer)
      if after == before { return }
      try saveHeader(db, after.offer, at: at)
      try audit(db, "update", before: before, after: after, at: at)
    }
  }

  /// Deletes a draft and its lines. A sent offer stays (it is in the client's history).
  public func delete(_ id: Int64) throws(CRMError) {
    let at = now
    try db.write { db in
      let before = try load(db, id)
      try requireDraft(before.offer)
      try db.execute(sql: "DELETE FROM offer WHERE id = ?", arguments: [id])
      var gone = before
      gone.lines = []
      gone.offer.number = ""
      gone.offer.date = ""
      gone.offer.validUntil = ""
      gone.offer.notes = ""
      try audit(db, "delete", before: before, after: gone, at: at)
    }
  }

  /// Reads a line's input over `base` (the line being edited, or nil for a new one).
  func readLine(_ input: OfferLineInput, over base: OfferLine?, offer: Offer) throws(CRMError)
    -> OfferLine
  {
    let v = Validator(language: l)
    var line =
      base
      ?? OfferLine(position: 0, item: "", quantityMilli: 0, price: 0, vatRate: nil, sum: 0)
    if let item = input.item { line.item = try v.line(item, "item", max: 1000) }
    if base == nil || input.item != nil, line.item.isEmpty {
      throw fail(
        fieldName("item"), "is empty; name the goods or service", "пусто; укажите товар или услугу")
    }
    if let unit = input.unit { line.unit = try v.line(unit, "unit", max: 20) }
    if let q = input.quantity {
      line.quantityMilli = try Self.parseQuantity(q, language: l, field: fieldName("quantity"))
    } else if base == nil {
      throw fail(fieldName("quantity"), "is missing", "не указано")
    }
    if let p = input.price {
      line.price =
        try Money.parse(p, currency: offer.money, language: l, field: fieldName("price")).minor
    } else if base == nil {
      throw fail(fieldName("price"), "is missing", "не указана")
    }
    if let vat = input.vat {
      line.vatRate = try Self.parseVAT(vat, language: l, field: fieldName("vat"))
    } else if base == nil {
      line.vatRate = Self.standardVATRate(onDay: offer.date)
    }
    let limit = Self.maxUnits * offer.money.scale
    guard let sum = Self.lineSum(quantityMilli: line.quantityMilli, price: line.price),
      sum <= limit
    else {
      throw fail(
        fieldName("price"), "quantity × price is too large for one line",
        "количество × цена — слишком большая сумма для одной строки")
    }
    line.sum = sum
    return line
  }

  func lineIndex(_ s: Snapshot, _ number: Int) throws -> Int {
    guard number >= 1 && number <= s.lines.count else {
      throw fail(
        fieldName("line"),
        "no line \(number) in \(label(s.offer)) (it has \(s.lines.count))",
        "в \(label(s.offer)) нет строки \(number) (строк: \(s.lines.count))")
    }
    return number - 1
  }

  /// Changes a draft's lines with `change` and audits the result as an update.
  func changeLines(_ offerId: Int64, _ change: (Snapshot, inout [OfferLine]) throws -> Void)
    throws(CRMError)
  {
    let at = now
    try db.write { db in
      let before = try load(db, offerId)
      try requireDraft(before.offer)
      var lines = before.lines
      try change(before, &lines)
      try discounted(&lines, offer: before.offer)
      var after = before
      after.lines = renumbered(lines)
      if after == before { return }
      try saveLines(db, offerId: offerId, after.lines)
      try saveHeader(db, after.offer, at: at)
      try audit(db, "update", before: before, after: after, at: at)
    }
  }

  /// Adds a line to a draft, at the end or at line `at` (1-based); returns its number.
  @discardableResult
  public func addLine(_ offerId: Int64, _ input: OfferLineInput, at position: Int? = nil)
    throws(CRMError) -> Int
  {
    var number = 0
    try changeLines(offerId) { s, lines in
      if lines.count >= Self.maxLines {
        throw fail(
          label(s.offer), "has \(Self.maxLines) lines already",
          "уже содержит \(Self.maxLines) строк")
      }
      let line = try readLine(input, over: nil, offer: s.offer)
      let i = min(max((position ?? lines.count + 1) - 1, 0), lines.count)
      lines.insert(line, at: i)
      number = i + 1
    }
    return number
  }

  /// Changes fields of a draft's line `number` (1-based); nil fields stay.
  public func updateLine(_ offerId: Int64, number: Int, _ input: OfferLineInput) throws(CRMError) {
    try changeLines(offerId) { s, lines in
      let i = try lineIndex(s, number)
      if lines[i].isDiscount {
        throw fail(
          "\(fieldName("line")) \(number)",
          "is a discount; change it as a discount (its amount or percent)",
          "— это скидка; меняйте её как скидку (сумму или процент)")
      }
      lines[i] = try readLine(input, over: lines[i], offer: s.offer)
    }
  }

  /// Copies a draft's line `number` to just below it; returns the copy's number.
  @discardableResult
  public func copyLine(_ offerId: Int64, number: Int) throws(CRMError) -> Int {
    var copied = 0
    try changeLines(offerId) { s, lines in
      let i = try lineIndex(s, number)
      if lines.count >= Self.maxLines {
        throw fail(
          label(s.offer), "has \(Self.maxLines) lines already",
          "уже содержит \(Self.maxLines) строк")
      }
      var copy = lines[i]
      copy.id = nil
      lines.insert(copy, at: i + 1)
      copied = i + 2
    }
    return copied
  }

  // MARK: Discounts

  /// `1000` → `10 %`, `750` → `7,5 %` (ru) / `7.5 %` (en).
  public static func formatPercent(_ hundredths: Int, _ l: Language) -> String {
    let whole = hundredths / 100
    let part = hundredths % 100
    if part == 0 { return "\(whole) %" }
    let digits = part % 10 == 0 ? String(part / 10) : String(format: "%02d", part)
    return "\(whole)\(l == .ru ? "," : ".")\(digits) %"
  }

  /// Reads `10 %`, `7,5%`, `0.25 %` → hundredths of a percent (1…10 000); nil when the text
  /// has no percent sign (then it is an amount).
  public static func parsePercent(_ text: String, language l: Language, field: String)
    throws(CRMError) -> Int?
  {
    var t = text.trimmingSpaces()
    guard t.hasSuffix("%") else { return nil }
    t = String(t.dropLast()).trimmingSpaces().replacingOccurrences(of: ",", with: ".")
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    let wrong = CRMError.invalid(
      field: field,
      problem: l.pick(
        "«\(text)»: a percent from 0,01 to 100, e.g. 10 % or 7,5 %",
        "«\(text)»: процент от 0,01 до 100, например 10 % или 7,5 %"))
    guard parts.count <= 2, let whole = Int(parts[0]),
      parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber)
    else { throw wrong }
    var hundredths = whole * 100
    if parts.count == 2 {
      let frac = parts[1]
      guard (1...2).contains(frac.count), frac.allSatisfy({ $0.isASCII && $0.isNumber }),
        let f = Int(frac)
      else { throw wrong }
      hundredths += frac.count == 1 ? f * 10 : f
    }
    guard (1...10_000).contains(hundredths) else { throw wrong }
    return hundredths
  }

  /// Reads a discount over `base` (the discount being edited, or nil for a new one) at line
  /// index `index` of `lines`.
  func readDiscount(
    _ input: OfferDiscountInput, over base: OfferLine?, at index: Int, in lines: [OfferLine],
    offer: Offer
  ) throws(CRMError) -> OfferLine {
    var line =
      base
      ?? OfferLine(position: 0, item: "", quantityMilli: 1000, price: 0, vatRate: nil, sum: 0)
    let amountField = l.pick("Discount", "Скидка")
    if let a = input.amount {
      if let p = try Self.parsePercent(a, language: l, field: amountField) {
        line.percent = p
        line.price = 0
      } else {
        let m = try Money.parse(a, currency: offer.money, language: l, field: amountField)
        guard m.minor > 0 else {
          throw fail(amountField, "more than zero, please", "нужна сумма больше нуля")
        }
        line.percent = nil
        line.price = -m.minor
      }
      line.sum = line.price
    } else if base == nil {
      throw fail(
        amountField, "is missing: a percent (10 %) or an amount (5 000)",
        "не указана: процент (10 %) или сумма (5 000)")
    }
    if let vat = input.vat {
      line.vatRate = try Self.parseVAT(vat, language: l, field: fieldName("vat"))
    } else if base == nil {
      let rates = Set(lines.prefix(index).filter { !$0.isDiscount }.map(\.vatRate))
      if rates.count > 1 {
        throw fail(
          fieldName("vat"),
          "the lines above have different rates; say which of them the discount is for",
          "у строк выше разные ставки; укажите, к какой относится скидка")
      }
      line.vatRate = rates.first ?? Self.standardVATRate(onDay: offer.date)
    }
    // A name given automatically follows the percent; one the person typed stays.
    let auto = base.map(isAutoName) ?? true
    if let item = input.item, !(auto && item.trimmingSpaces() == (base?.item ?? "")) {
      line.item = try Validator(language: l).line(item, "item", max: 1000)
      if line.item.isEmpty { line.item = discountName(line) }
    } else if auto {
      line.item = discountName(line)
    }
    line.quantityMilli = 1000
    line.unit = ""
    return line
  }

  /// «Скидка 10 %» / «Скидка»: the name a discount gets when none is typed.
  func discountName(_ line: OfferLine) -> String {
    let word = l.pick("Discount", "Скидка")
    return line.percent.map { "\(word) \(Self.formatPercent($0, l))" } ?? word
  }

  /// Whether a discount still carries the name it was given automatically.
  func isAutoName(_ line: OfferLine) -> Bool {
    line.item == discountName(line) || line.item == l.pick("Discount", "Скидка")
  }

  /// Recomputes the percent discounts from the goods lines above each at its VAT rate (half up
  /// to the minor unit) and refuses discounts larger than the goods they apply to.
  func discounted(_ lines: inout [OfferLine], offer: Offer) throws {
    var goods: [Int?: Int64] = [:]
    var total: [Int?: Int64] = [:]
    for i in lines.indices {
      if lines[i].isDiscount, let p = lines[i].percent {
        let base = goods[lines[i].vatRate] ?? 0
        let amount = (base * Int64(p) + 5000) / 10_000
        lines[i].price = -amount
        lines[i].sum = -amount
      } else if !lines[i].isDiscount {
        goods[lines[i].vatRate, default: 0] += lines[i].sum
      }
      total[lines[i].vatRate, default: 0] += lines[i].sum
      if total[lines[i].vatRate]! < 0 {
        let vat = Self.vatName(lines[i].vatRate, l)
        throw fail(
          "\(fieldName("line")) \(i + 1)",
          "the discount is more than the lines above it at VAT \(vat)",
          "скидка больше суммы строк выше со ставкой НДС \(vat)")
      }
    }
  }

  /// Adds a discount line to a draft, at the end or at line `at` (1-based); returns its number.
  @discardableResult
  public func addDiscount(_ offerId: Int64, _ input: OfferDiscountInput, at position: Int? = nil)
    throws(CRMError) -> Int
  {
    var number = 0
    try changeLines(offerId) { s, lines in
      if lines.count >= Self.maxLines {
        throw fail(
          label(s.offer), "has \(Self.maxLines) lines already",
          "уже содержит \(Self.maxLines) строк")
      }
      let i = min(max((position ?? lines.count + 1) - 1, 0), lines.count)
      if !lines.prefix(i).contains(where: { !$0.isDiscount }) {
        throw fail(
          l.pick("Discount", "Скидка"), "needs goods lines above it to apply to",
          "нужны строки товаров выше неё — скидка применяется к ним")
      }
      let line = try readDiscount(input, over: nil, at: i, in: lines, offer: s.offer)
      lines.insert(line, at: i)
      number = i + 1
    }
    return number
  }

  /// Changes a draft's discount line `number` (1-based); nil fields stay.
  public func updateDiscount(_ offerId: Int64, number: Int, _ input: OfferDiscountInput)
    throws(CRMError)
  {
    try changeLines(offerId) { s, lines in
      let i = try lineIndex(s, number)
      guard lines[i].isDiscount else {
        throw fail(
          "\(fieldName("line")) \(number)", "is not a discount", "— не скидка")
      }
      lines[i] = try readDiscount(input, over: lines[i], at: i, in: lines, offer: s.offer)
    }
  }

  /// Removes a draft's line `number`; the lines after it move up.
  public func removeLine(_ offerId: Int64, number: Int) throws(CRMError) {
    try changeLines(offerId) { s, lines in
      lines.remove(at: try lineIndex(s, number))
    }
  }

  /// Moves a draft's line `from` to place `to` (both 1-based).
  public func moveLine(_ offerId: Int64, from: Int, to: Int) throws(CRMError) {
    try changeLines(offerId) { s, lines in
      let i = try lineIndex(s, from)
      let j = try lineIndex(s, to)
      lines.insert(lines.remove(at: i), at: j)
    }
  }

  /// Copies an offer (sent or not) to a new draft on the same deal: next free number, today's
  /// date, the same lines, VAT mode and notes; no valid-until. Returns the new id.
  @discardableResult
  public func copy(_ id: Int64) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    let today = Self.isoDay(at, timeZone)
    return try db.write { db in
      let source = try load(db, id)
      var o = source.offer
      o.id = nil
      o.date = today
      o.number = try Self.nextNumber(db, day: today)
      o.validUntil = ""
      o.status = .draft
      o.sentAt = nil
      o.contactId = nil
      o = try checkHeader(db, o)
      try db.execute(
        sql: """
          INSERT INTO offer (deal_id, number, date, currency, prices_include_vat, status,
            valid_until, notes, author_id, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 'draft', '', ?, ?, ?, ?)
          """,
        arguments: [
          o.dealId, o.number, o.date, o.currency, o.pricesIncludeVAT, o.notes, me,
          at.timeIntervalSince1970, at.timeIntervalSince1970,
        ])
      o.id = db.lastInsertedRowID
      try saveLines(db, offerId: o.id!, source.lines)
      try audit(
        db, "insert", before: nil,
        after: Snapshot(offer: o, lines: source.lines, clientId: source.clientId), at: at)
      return o.id!
    }
  }

  /// Marks a draft with at least one line sent: status `sent`, `sent_at` now, and a done
  /// outgoing e-mail contact with the deal's client, person and deal («КП № 2026-0001
  /// отправлено»), linked as `contact_id` — one transaction. Returns the contact's id.
  @discardableResult
  public func markSent(_ id: Int64) throws(CRMError) -> Int64 {
    let me = try requireUser()
    let at = now
    return try db.write { db in try markSent(db, id, me: me, at: at) }
  }

  /// Checks that offer `id` can be marked sent (a draft with lines), without writing.
  func checkSendable(_ db: Database, _ id: Int64) throws -> Snapshot {
    let d = try load(db, id)
    try requireDraft(d.offer)
    if d.lines.isEmpty {
      throw fail(
        label(d.offer), "has no lines; add one first (crm offer line add \(id) …)",
        "без строк; сначала добавьте строку (crm offer line add \(id) …)")
    }
    return d
  }

  /// `markSent` inside the caller's transaction (sending by e-mail logs its message with it).
  func markSent(_ db: Database, _ id: Int64, me: Int64, at: Date) throws -> Int64 {
    let before = try checkSendable(db, id)
    let deal = try DealService.load(db, before.offer.dealId, language: l)
    // A person deleted since the deal was made is left out rather than refusing the contact.
    let person = try deal.personId.flatMap {
      try Int64.fetchOne(
        db,
        sql: """
          SELECT id FROM contact_person WHERE id = ? AND client_id = ? AND deleted_at IS NULL
          """, arguments: [$0, deal.clientId])
    }
    let totals = Self.totals(before.offer, before.lines)
    let contact = Contact(
      clientId: deal.clientId, kind: .email, status: .done, direction: .outgoing, dueAt: at,
      doneAt: at,
      subject: l.pick(
        "Offer No. \(before.offer.number) sent", "КП № \(before.offer.number) отправлено"),
      notes: l.pick("Total to pay: ", "Всего к оплате: ")
        + totals.money(totals.gross).formatted(l),
      userId: me, authorId: me, personId: person, dealId: deal.id)
    let contacts = context.contacts
    let contactId = try contacts.logInside(db, contact, at: at)
    var after = before
    after.offer.status = .sent
    after.offer.sentAt = at
    after.offer.contactId = contactId
    try saveHeader(db, after.offer, at: at)
    try audit(db, "sent", before: before, after: after, at: at)
    return contactId
  }
}
