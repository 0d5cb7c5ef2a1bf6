import Foundation
import GRDB

/// A commercial offer on a deal. Numbers run per year: `2026-0001`.
public struct Offer: Codable, Equatable, Sendable {
  public var id: Int64?
  public var dealId: Int64
  public var number: String
  /// `YYYY-MM-DD`.
  public var date: String
  public var currency: String
  public var pricesIncludeVAT: Bool
  public var status: String
  public var validUntil: String
  public var notes: String
  public var sentAt: Date?
  public var contactId: Int64?

  public init(
    id: Int64? = nil, dealId: Int64, number: String = "", date: String = "",
    currency: String = "RUB", pricesIncludeVAT: Bool = true, status: String = "draft",
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
}

/// Commercial offers: drafts created by entry actions or by hand.
public enum OfferService {
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
}
