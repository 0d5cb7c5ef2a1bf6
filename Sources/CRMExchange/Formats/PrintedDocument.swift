import CRMCore
import Foundation

/// What every printable document (commercial offer, invoice, act) is made of: a lines table and
/// totals laid out in plain text of a fixed width, and the same as an HTML page with print CSS.
/// Text is measured in terminal columns (a Cyrillic letter is one column, East Asian wide
/// characters two).
enum PrintedDocument {
  /// A label and its value: «Кому: ООО «Ромашка»», «Поставщик: …».
  struct Party {
    var label: String
    var value: String
  }

  /// A line of the totals under the table; `grand` is printed bold in HTML.
  struct Total {
    var label: String
    var amount: String
    var grand: Bool
  }

  /// The lines table of `width` columns: widths fitted to the content (the unit column at most
  /// 8), the item column taking what is left (at least 20 columns, the widest other columns
  /// narrowed when needed); a cell wider than its column wraps inside it. Every column but the
  /// item and the unit is right-aligned.
  static func table(
    header: [String], rows: [[String]], width: Int, item: Int = 1, unit: Int? = 3
  ) -> [String] {
    let count = header.count
    let gaps = count - 1
    let minItem = 20
    var widths = (0..<count).map { c in
      ([header[c]] + rows.map { $0[c] }).map(columns).max() ?? 1
    }
    // Narrowest a column may get: its longest word in the header, at least 3.
    let floors = header.map { h in
      max(3, h.split(separator: " ").map { columns(String($0)) }.max() ?? 3)
    }
    // Units are short words (шт, кг, упак.); a longer one wraps rather than narrowing the items.
    if let unit { widths[unit] = min(widths[unit], max(floors[unit], 8)) }
    widths[item] = 0
    while widths.reduce(0, +) + gaps + minItem > width {
      // Shrink the widest of the other columns by one, down to its floor.
      guard
        let c = (0..<count).filter({ $0 != item && widths[$0] > floors[$0] }).max(by: {
          widths[$0] < widths[$1]
        })
      else { break }
      widths[c] -= 1
    }
    widths[item] = max(minItem, width - gaps - widths.reduce(0, +))
    func render(_ cells: [String]) -> [String] {
      let wrapped = cells.enumerated().map { c, cell in wrap(cell, widths[c]) }
      let height = wrapped.map(\.count).max() ?? 1
      return (0..<height).map { r in
        (0..<count).map { c in
          let piece = r < wrapped[c].count ? wrapped[c][r] : ""
          return pad(piece, widths[c], right: c != item && c != unit)
        }.joined(separator: " ")
      }
    }
    var out = render(header)
    out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: " "))
    for row in rows { out += render(row) }
    out.append(String(repeating: "-", count: widths.reduce(0, +) + gaps))
    return out
  }

  /// Totals right-aligned at the right edge of `width`: label, then amount.
  static func totals(_ totals: [Total], width: Int) -> [String] {
    let amountWidth = min(30, totals.map { columns($0.amount) }.max() ?? 0)
    let labelWidth = width - amountWidth - 1
    var out: [String] = []
    for t in totals {
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

  /// The top of a text document: the title and subtitles centred, the parties, the lines table
  /// and the totals, a blank line between each.
  static func body(
    title: String, subtitles: [String], parties: [Party], header: [String], rows: [[String]],
    totals: [Total], width: Int
  ) -> [String] {
    var out: [String] = []
    for s in [title] + subtitles { for t in wrap(s, width) { out.append(center(t, width)) } }
    out.append("")
    out += self.parties(parties, width: width)
    out.append("")
    out += table(header: header, rows: rows, width: width)
    out.append("")
    out += self.totals(totals, width: width)
    return out
  }

  /// The parties, each wrapped to `width`.
  static func parties(_ parties: [Party], width: Int) -> [String] {
    parties.flatMap { wrap($0.label + " " + $0.value, width) }
  }

  // MARK: Measuring and laying out text

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

  /// The finished text: trailing spaces dropped, one newline after every line.
  static func joined(_ lines: [String]) -> String {
    lines.map(trimRight).joined(separator: "\n") + "\n"
  }

  // MARK: HTML

  /// Text with `& < > " '` replaced by entities, safe in element content and quoted attributes.
  static func escape(_ s: String) -> String { escapeMarkup(s, apostrophe: "&#39;") }

  /// The page up to and including `<body>`: UTF-8, the title, the shared print styles (A4) and
  /// `css` of the document's own.
  static func htmlHead(title: String, language l: Language, css: String = "") -> String {
    """
    <!DOCTYPE html>
    <html lang="\(l == .ru ? "ru" : "en")">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>
    @page { size: A4; margin: 15mm; }
    body { font-family: "PT Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
      color: #000; background: #fff; max-width: 190mm; margin: 2em auto; padding: 0 1em; }
    h1 { font-size: 15pt; text-align: center; margin: 0 0 0.3em; }
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
    \(css)@media print {
      body { margin: 0; max-width: none; padding: 0; }
      table.lines th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      tr { page-break-inside: avoid; }
    }
    </style>
    </head>
    <body>

    """
  }

  /// `<p class="party"><b>label</b> value</p>` per party.
  static func htmlParties(_ parties: [Party]) -> String {
    parties.map {
      "<p class=\"party\"><b>\(escape($0.label))</b> \(escape($0.value))</p>\n"
    }.joined()
  }

  /// The lines table and the totals under it.
  static func htmlTable(
    header: [String], rows: [[String]], totals: [Total], item: Int = 1, unit: Int? = 3
  ) -> String {
    var h = "<table class=\"lines\">\n<thead><tr>"
    for c in header { h += "<th>\(escape(c))</th>" }
    h += "</tr></thead>\n<tbody>\n"
    for row in rows {
      h += "<tr>"
      for (i, cell) in row.enumerated() {
        let cls = i == item ? "item" : i == unit ? "unit" : "num"
        h += "<td class=\"\(cls)\">\(escape(cell))</td>"
      }
      h += "</tr>\n"
    }
    h += "</tbody>\n</table>\n<table class=\"totals\">\n"
    for t in totals {
      h +=
        "<tr\(t.grand ? " class=\"grand\"" : "")><th>\(escape(t.label))</th>"
        + "<td>\(escape(t.amount))</td></tr>\n"
    }
    return h + "</table>\n"
  }

  static let htmlEnd = "</body>\n</html>\n"

  // MARK: Words shared by documents

  /// Totals of lines as Russian documents print them: with prices including VAT «Итого» and
  /// `included(rate)` (default «в т. ч. НДС 22 %:») per rate; with VAT on top «Итого без НДС» and
  /// «НДС 22 % сверху»; without VAT `noVAT`; then `grand`. `footer` says how prices treat VAT.
  static func vatTotals(
    _ t: OfferTotals, language l: Language, noVAT: Total, grand: String,
    included: ((Int) -> String)? = nil
  ) -> (totals: [Total], footer: String?) {
    func money(_ minor: Int64) -> String { t.money(minor).formatted(l) }
    var out: [Total] = []
    var footer: String?
    if t.withoutVAT {
      out.append(Total(label: l.pick("Total:", "Итого:"), amount: money(t.gross), grand: false))
      out.append(noVAT)
    } else if t.pricesIncludeVAT {
      out.append(Total(label: l.pick("Total:", "Итого:"), amount: money(t.gross), grand: false))
      for p in t.vatByRate {
        out.append(
          Total(
            label: included?(p.rate)
              ?? l.pick("incl. VAT \(p.rate)\u{00A0}%:", "в т. ч. НДС \(p.rate)\u{00A0}%:"),
            amount: money(p.vat), grand: false))
      }
      footer = l.pick("Prices include VAT.", "Цены указаны с учётом НДС.")
    } else {
      out.append(
        Total(
          label: l.pick("Total excl. VAT:", "Итого без НДС:"), amount: money(t.net), grand: false))
      for p in t.vatByRate {
        out.append(
          Total(
            label: l.pick("VAT \(p.rate)\u{00A0}% on top:", "НДС \(p.rate)\u{00A0}% сверху:"),
            amount: money(p.vat), grand: false))
      }
      footer = l.pick(
        "Prices exclude VAT; VAT is added on top.",
        "Цены указаны без НДС; НДС начисляется сверху.")
    }
    out.append(Total(label: grand, amount: money(t.gross), grand: true))
    return (out, footer)
  }

  /// A client or our company with its requisites: `ООО «Ромашка», ИНН 7707083893, КПП 770701001`.
  static func requisites(name: String, inn: String, kpp: String, language l: Language) -> String {
    let clean = TextFold.sanitizeLine
    var s = clean(name)
    if !inn.isEmpty { s += l.pick(", INN ", ", ИНН ") + clean(inn) }
    if !kpp.isEmpty { s += l.pick(", KPP ", ", КПП ") + clean(kpp) }
    return s
  }

  static let monthsGenitive = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
  ]
  static let monthsEnglish: [String] = {
    var c = Calendar(identifier: .gregorian)
    c.locale = Locale(identifier: "en_US_POSIX")
    return c.monthSymbols
  }()

  /// `2026-06-10` → «10 июня 2026 г.» (ru) / `June 10, 2026` (en); anything else as it is.
  static func longDate(_ iso: String, _ l: Language) -> String {
    let p = iso.split(separator: "-")
    guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]),
      (1...12).contains(m)
    else { return iso }
    return l == .ru ? "\(d) \(monthsGenitive[m - 1]) \(y) г." : "\(monthsEnglish[m - 1]) \(d), \(y)"
  }
}
