import CRMCore
import Foundation

/// A commercial offer as a printable document: plain text that fits 80 columns, or a
/// standalone HTML page with print CSS. Both are built from the same `Layout`, so they always
/// say the same thing.
public enum OfferDocument {
  /// The width of the plain-text printout, in terminal columns.
  public static let width = 80

  /// The offer as plain text, every line at most `width` columns (a Cyrillic letter is one
  /// column, East Asian wide characters two): title, validity, parties, the lines table with
  /// long names wrapped, totals and notes.
  public static func text(
    _ offer: Offer, lines: [OfferLine], deal: Deal, client: Client, seller: String?,
    language l: Language
  ) -> String {
    let m = Layout(offer, lines: lines, deal: deal, client: client, seller: seller, language: l)
    var out = P.body(
      title: m.title, subtitles: m.validity.map { [$0] } ?? [], parties: m.parties,
      header: m.header, rows: m.rows, totals: m.totals, width: width)
    if !m.footer.isEmpty {
      out.append("")
      for f in m.footer { out += P.wrap(f, width) }
    }
    if !m.notes.isEmpty {
      out.append("")
      out += P.wrap(m.notesLabel, width)
      for n in m.notes { out += n.isEmpty ? [""] : P.wrap(n, width) }
    }
    return P.joined(out)
  }

  /// The offer as a complete UTF-8 HTML page with inline CSS for screen and print (A4); every
  /// piece of text is HTML-escaped.
  public static func html(
    _ offer: Offer, lines: [OfferLine], deal: Deal, client: Client, seller: String?,
    language l: Language
  ) -> String {
    let m = Layout(offer, lines: lines, deal: deal, client: client, seller: seller, language: l)
    var h = P.htmlHead(
      title: m.title, language: l,
      css:
        "p.validity { text-align: center; margin: 0 0 1.5em; }\np.notes { white-space: normal; }\n"
    )
    h += "<h1>\(escape(m.title))</h1>\n"
    if let v = m.validity { h += "<p class=\"validity\">\(escape(v))</p>\n" }
    h += P.htmlParties(m.parties)
    h += P.htmlTable(header: m.header, rows: m.rows, totals: m.totals)
    for f in m.footer { h += "<p>\(escape(f))</p>\n" }
    if !m.notes.isEmpty {
      h +=
        "<p class=\"notes\"><b>\(escape(m.notesLabel))</b><br>\n"
        + m.notes.map(escape).joined(separator: "<br>\n") + "</p>\n"
    }
    return h + P.htmlEnd
  }

  /// Text with `& < > " '` replaced by entities, safe in element content and quoted attributes.
  public static func escape(_ s: String) -> String { P.escape(s) }

  // MARK: What both forms print

  typealias P = PrintedDocument
  typealias Party = PrintedDocument.Party
  typealias Total = PrintedDocument.Total

  /// Everything the document says, already formatted in the language.
  struct Layout {
    var title: String
    var validity: String?
    var parties: [Party] = []
    var header: [String]
    var rows: [[String]]
    var totals: [Total]
    var footer: [String]
    var notesLabel: String
    var notes: [String]

    init(
      _ offer: Offer, lines: [OfferLine], deal: Deal, client: Client, seller: String?,
      language l: Language
    ) {
      let clean = TextFold.sanitizeLine
      let day = { (d: String) in OfferService.displayDay(d, l) }
      let number = clean(offer.number)
      title = l.pick(
        "COMMERCIAL OFFER No. \(number) of \(day(offer.date))",
        "КОММЕРЧЕСКОЕ ПРЕДЛОЖЕНИЕ № \(number) от \(day(offer.date))")
      validity =
        offer.validUntil.isEmpty
        ? nil
        : l.pick(
          "Valid until \(day(offer.validUntil))",
          "Предложение действительно до \(day(offer.validUntil))")
      if let seller = seller.map(clean), !seller.isEmpty {
        parties.append(Party(label: l.pick("From:", "От кого:"), value: seller))
      }
      let to = P.requisites(
        name: client.displayName, inn: client.inn, kpp: client.kpp, language: l)
      parties.append(Party(label: l.pick("To:", "Кому:"), value: to))
      parties.append(Party(label: l.pick("Deal:", "Сделка:"), value: clean(deal.title)))
      header = [
        "№", l.pick("Item", "Наименование"), l.pick("Qty", "Кол-во"), l.pick("Unit", "Ед."),
        l.pick("Price", "Цена"), l.pick("VAT", "НДС"), l.pick("Sum", "Сумма"),
      ]
      let currency = offer.money
      func money(_ minor: Int64) -> String { Money(minor: minor, currency: currency).formatted(l) }
      rows = lines.enumerated().map { i, line in
        [
          String(i + 1), clean(line.item), OfferService.formatQuantity(line.quantityMilli, l),
          clean(line.unit), money(line.price), OfferService.vatName(line.vatRate, l),
          money(line.sum),
        ]
      }
      let vat = P.vatTotals(
        OfferService.totals(offer, lines), language: l,
        noVAT: Total(
          label: l.pick("VAT:", "НДС:"), amount: l.pick("no VAT", "без НДС"), grand: false),
        grand: l.pick("Total to pay:", "Всего к оплате:"))
      totals = vat.totals
      footer = vat.footer.map { [$0] } ?? []
      notesLabel = l.pick("Notes:", "Примечание:")
      notes =
        offer.notes.trimmingSpaces().isEmpty
        ? []
        : offer.notes.split(separator: "\n", omittingEmptySubsequences: false).map {
          clean(String($0))
        }
    }
  }
}
