import CRMCore
import Foundation

/// The `--json` shape of commercial offers, stable for scripts: snake_case keys, ISO 8601 UTC
/// times, amounts both as decimal text in the offer's currency (`"999.99"`) and as integer
/// minor units (`*_minor`), quantities as decimal text and thousandths.
public enum OfferJSON {
  static func optional<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

  /// One offer with its lines and totals.
  public static func object(_ d: OfferDetail) -> [String: Any] {
    let o = d.offer
    return [
      "id": d.id, "deal_id": o.dealId, "deal": d.dealTitle, "client_id": d.clientId,
      "client": d.clientName, "number": o.number, "date": o.date,
      "valid_until": o.validUntil.isEmpty ? NSNull() : o.validUntil, "currency": o.currency,
      "prices_include_vat": o.pricesIncludeVAT, "status": o.status.rawValue,
      "sent_at": JSONText.iso(o.sentAt), "contact_id": optional(o.contactId),
      "notes": o.notes, "created_at": JSONText.iso(o.createdAt),
      "updated_at": JSONText.iso(o.updatedAt),
      "lines": d.lines.map { line(line: $0, totals: d.totals) },
      "totals": totals(d.totals),
    ]
  }

  /// One line of an offer, invoice or act: quantity, price, VAT and sum, with the line's VAT
  /// as `totals` treat it (extracted or on top).
  static func line(line: OfferLine, totals t: OfferTotals) -> [String: Any] {
    func plain(_ minor: Int64) -> String { t.money(minor).plain }
    return [
      "position": line.position, "item": line.item, "unit": line.unit,
      "quantity": OfferService.formatQuantity(line.quantityMilli, .en).replacingOccurrences(
        of: ",", with: ""),
      "quantity_milli": line.quantityMilli, "price": plain(line.price),
      "price_minor": line.price, "vat_rate": optional(line.vatRate), "sum": plain(line.sum),
      "sum_minor": line.sum,
      "vat": plain(
        OfferService.lineVAT(
          sum: line.sum, rate: line.vatRate, pricesIncludeVAT: t.pricesIncludeVAT)),
    ]
  }

  /// Net, VAT and gross, and VAT per rate.
  static func totals(_ t: OfferTotals) -> [String: Any] {
    func plain(_ minor: Int64) -> String { t.money(minor).plain }
    return [
      "net": plain(t.net), "vat": plain(t.vat), "gross": plain(t.gross),
      "net_minor": t.net, "vat_minor": t.vat, "gross_minor": t.gross,
      "vat_by_rate": t.vatByRate.map {
        ["rate": $0.rate, "vat": plain($0.vat)] as [String: Any]
      },
    ]
  }
}
