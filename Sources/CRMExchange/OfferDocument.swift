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
    var out: [String] = []
    for t in wrap(m.title, width) { out.append(center(t, width)) }
    if let v = m.validity { for t in wrap(v, width) { out.append(center(t, width)) } }
    out.append("")
    for p in m.parties { out += wrap(p.label + " " + p.value, width) }
    out.append("")
    out += table(m)
    out.append("")
    out += totals(m)
    if !m.footer.isEmpty {
      out.append("")
      for f in m.footer { out += wrap(f, width) }
    }
    if !m.notes.isEmpty {
      out.append("")
      out += wrap(m.notesLabel, width)
      for n in m.notes { out += n.isEmpty ? [""] : wrap(n, width) }
    }
    return out.map { trimRight($0) }.joined(separator: "\n") + "\n"
  }

  /// The offer as a complete UTF-8 HTML page with inline CSS for screen and print (A4); every
  /// piece of text is HTML-escaped.
  public static func html(
    _ offer: Offer, lines: [OfferLine], deal: Deal, client: Client, seller: String?,
    language l: Language
  ) -> String {
    let m = Layout(offer, lines: lines, deal: deal, client: client, seller: seller, language: l)
    var h = """
      <!DOCTYPE html>
      <html lang="\(l == .ru ? "ru" : "en")">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(escape(m.title))</title>
      <style>
      @page { size: A4; margin: 15mm; }
      body { font-family: "PT Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
        color: #000; background: #fff; max-width: 190mm; margin: 2em auto; padding: 0 1em; }
      h1 { font-size: 15pt; text-align: center; margin: 0 0 0.3em; }
      p.validity { text-align: center; margin: 0 0 1.5em; }
      p.party { margin: 0.2em 0; }
      table { border-collapse: collapse; }
      table.lines { width: 100%; margin-top: 1em; }
      table.lines th, table.lines td { border: 1px solid #000; padding: 3px 6px;
        vertical-align: top; }
      table.lines th { background: #eee; font-weight: bold; text-align: center; }
      td.num { text-align: right; white-space: nowrap; }
      td.item { overflow-wrap: anywhere; }
      table.totals { margin: 0.6em 0 0 auto; }
      table.totals th { text-align: right; font-weight: normal; padding: 2px 0; }
      table.totals td { text-align: right; white-space: nowrap; padding: 2px 0 2px 1.5em; }
      table.totals tr.grand th, table.totals tr.grand td { font-weight: bold; }
      p.notes { white-space: normal; }
      @media print {
        body { margin: 0; max-width: none; padding: 0; }
        table.lines th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        tr { page-break-inside: avoid; }
      }
      </style>
      </head>
      <body>
      <h1>\(escape(m.title))</h1>

      """
    if let v = m.validity { h += "<p class=\"validity\">\(escape(v))</p>\n" }
    for p in m.parties {
      h += "<p class=\"party\"><b>\(escape(p.label))</b> \(escape(p.value))</p>\n"
    }
    h += "<table class=\"lines\">\n<thead><tr>"
    for c in m.header { h += "<th>\(escape(c))</th>" }
    h += "</tr></thead>\n<tbody>\n"
    for row in m.rows {
      h += "<tr>"
      for (i, cell) in row.enumerated() {
        let cls = i == 1 ? "item" : i == 3 ? "unit" : "num"
        h += "<td class=\"\(cls)\">\(escape(cell))</td>"
      }
      h += "</tr>\n"
    }
    h += "</tbody>\n</table>\n<table class=\"totals\">\n"
    for t in m.totals {
      h +=
        "<tr\(t.grand ? " class=\"grand\"" : "")><th>\(escape(t.label))</th>"
        + "<td>\(escape(t.amount))</td></tr>\n"
    }
    h += "</table>\n"
    for f in m.footer { h += "<p>\(escape(f))</p>\n" }
    if !m.notes.isEmpty {
      h +=
        "<p class=\"notes\"><b>\(escape(m.notesLabel))</b><br>\n"
        + m.notes.map(escape).joined(separator: "<br>\n") + "</p>\n"
    }
    h += "</body>\n</html>\n"
    return h
  }

  /// Text with `& < > " '` replaced by entities, safe in element content and quoted attributes.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }

  // MARK: What both forms print

  struct Party {
    var label: String
    var value: String
  }

  struct Total {
    var label: String
    var amount: String
    var grand: Bool
  }

  /// Everything the document says, already formatted in the language.
  struct Layout {
    var title: String
    var validity: String?
    var parties: [Party] = []
    var header: [String]
    var rows: [[String]]
    var totals: [Total] = []
    var footer: [String] = []
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
      var to = clean(client.displayName)
      if !client.inn.isEmpty { to += l.pick(", INN ", ", ИНН ") + clean(client.inn) }
      if !client.kpp.isEmpty { to += l.pick(", KPP ", ", КПП ") + clean(client.kpp) }
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
      let t = OfferService.totals(offer, lines)
      if t.withoutVAT {
        totals.append(
          Total(label: l.pick("Total:", "Итого:"), amount: money(t.gross), grand: false))
        totals.append(
          Total(label: l.pick("VAT:", "НДС:"), amount: l.pick("no VAT", "без НДС"), grand: false))
      } else if t.pricesIncludeVAT {
        totals.append(
          Total(label: l.pick("Total:", "Итого:"), amount: money(t.gross), grand: false))
        for p in t.vatByRate {
          totals.append(
            Total(
              label: l.pick("incl. VAT \(p.rate)\u{00A0}%:", "в т. ч. НДС \(p.rate)\u{00A0}%:"),
              amount: money(p.vat), grand: false))
        }
        footer.append(l.pick("Prices include VAT.", "Цены указаны с учётом НДС."))
      } else {
        totals.append(
          Total(
            label: l.pick("Total excl. VAT:", "Итого без НДС:"), amount: money(t.net), grand: false)
        )
        for p in t.vatByRate {
          totals.append(
            Total(
              label: l.pick("VAT \(p.rate)\u{00A0}% on top:", "НДС \(p.rate)\u{00A0}% сверху:"),
              amount: money(p.vat), grand: false))
        }
        footer.append(
          l.pick(
            "Prices exclude VAT; VAT is added on top.",
            "Цены указаны без НДС; НДС начисляется сверху."))
      }
      totals.append(
        Total(
          label: l.pick("Total to pay:", "Всего к оплате:"), amount: money(t.gross), grand: true))
      notesLabel = l.pick("Notes:", "Примечание:")
      notes =
        offer.notes.trimmingSpaces().isEmpty
        ? []
        : offer.notes.split(separator: "\n", omittingEmptySubsequences: false).map {
          clean(String($0))
        }
    }
  }

  // MARK: Plain-text layout

  /// The lines table: widths fitted to the content (units at most 8 columns), the item column
  /// taking what is left (at least 20 columns, the widest other columns narrowed when needed);
  /// a cell wider than its column wraps inside it.
  static func table(_ m: Layout) -> [String] {
    let count = m.header.count
    let gaps = count - 1
    let minItem = 20
    var widths = (0..<count).map { c in
      ([m.header[c]] + m.rows.map { $0[c] }).map(columns).max() ?? 1
    }
    // Narrowest a column may get: its longest word in the header, at least 3.
    let floors = m.header.map { h in
      max(3, h.split(separator: " ").map { columns(String($0)) }.max() ?? 3)
    }
    // Units are short words (шт, кг, упак.); a longer one wraps rather than narrowing the items.
    widths[3] = min(widths[3], max(floors[3], 8))
    widths[1] = 0
    while widths.reduce(0, +) + gaps + minItem > width {
      // Shrink the widest of the other columns by one, down to its floor.
      guard
        let c = (0..<count).filter({ $0 != 1 && widths[$0] > floors[$0] }).max(by: {
          widths[$0] < widths[$1]
        })
      else { break }
      widths[c] -= 1
    }
    widths[1] = max(minItem, width - gaps - widths.reduce(0, +))
    let rightAligned: Set<Int> = [0, 2, 4, 5, 6]
    func render(_ cells: [String]) -> [String] {
      let wrapped = cells.enumerated().map { c, cell in wrap(cell, widths[c]) }
      let height = wrapped.map(\.count).max() ?? 1
      return (0..<height).map { r in
        (0..<count).map { c in
          let piece = r < wrapped[c].count ? wrapped[c][r] : ""
          return pad(piece, widths[c], right: rightAligned.contains(c))
        }.joined(separator: " ")
      }
    }
    var out = render(m.header)
    out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: " "))
    for row in m.rows { out += render(row) }
    out.append(String(repeating: "-", count: widths.reduce(0, +) + gaps))
    return out
  }

  /// Totals right-aligned under the sum column: label, then amount.
  static func totals(_ m: Layout) -> [String] {
    let amountWidth = min(30, m.totals.map { columns($0.amount) }.max() ?? 0)
    let labelWidth = width - amountWidth - 1
    var out: [String] = []
    for t in m.totals {
      let labels = wrap(t.label, labelWidth)
      let amounts = wrap(t.amount, amountWidth)
      let height = max(labels.count, amounts.count)
      for r in 0..<height {
        // The amount's last line sits on the label's last line.
        let li = r - (height - labels.count)
        let ai = r - (height - amounts.count)
        out.append(
          pad(li >= 0 ? labels[li] : "", labelWidth, right: true) + " "
            + pad(ai >= 0 ? amounts[ai] : "", amountWidth, right: true))
      }
    }
    return out
  }

  /// Terminal columns of a character: 2 for East Asian wide and emoji, 0 for zero-width
  /// marks, else 1 (Cyrillic, Latin, digits, signs).
  static func columns(_ ch: Character) -> Int {
    guard let v = ch.unicodeScalars.first?.value else { return 0 }
    switch v {
    case 0x200B...0x200F, 0x2060, 0xFEFF: return 0
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default: return 1
    }
  }

  static func columns(_ s: String) -> Int { s.reduce(0) { $0 + columns($1) } }

  /// Word-wraps `s` to `width` columns at spaces and no-break spaces (kept between words on a
  /// line); a word longer than the width is cut. Always at least one (maybe empty) line.
  static func wrap(_ s: String, _ width: Int) -> [String] {
    let w = max(1, width)
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    var word = ""
    var gap: Character = " "
    func flushWord() {
      guard !word.isEmpty else { return }
      let ww = columns(word)
      if lineWidth > 0 && lineWidth + 1 + ww <= w {
        line.append(gap)
        line += word
        lineWidth += 1 + ww
      } else {
        if lineWidth > 0 { lines.append(line) }
        line = ""
        lineWidth = 0
        for ch in word {
          let cw = columns(ch)
          if lineWidth + cw > w && lineWidth > 0 {
            lines.append(line)
            line = ""
            lineWidth = 0
          }
          line.append(ch)
          lineWidth += cw
        }
      }
      word = ""
    }
    for ch in s {
      if ch == " " || ch == "\u{00A0}" {
        flushWord()
        gap = ch
      } else {
        word.append(ch)
      }
    }
    flushWord()
    lines.append(line)
    return lines
  }

  static func pad(_ s: String, _ width: Int, right: Bool) -> String {
    let fill = String(repeating: " ", count: max(0, width - columns(s)))
    return right ? fill + s : s + fill
  }

  static func center(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, (width - columns(s)) / 2)) + s
  }

  static func trimRight(_ s: String) -> String {
    var t = Substring(s)
    while t.last == " " { t.removeLast() }
    return String(t)
  }
}
