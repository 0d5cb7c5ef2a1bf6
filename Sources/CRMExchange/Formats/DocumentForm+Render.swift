import CRMCore
import Foundation

extension DocumentForm {
  /// The width of the plain-text printout, in terminal columns.
  public static let textWidth = 80

  // MARK: Plain text

  /// The form as plain text of at most 80 columns (a Cyrillic letter is one column).
  public func text() -> String {
    let width = Self.textWidth
    var out: [String] = []
    if !letterhead.isEmpty {
      for line in letterhead { out += P.wrap(line, width) }
      out.append(String(repeating: "=", count: width))
      out.append("")
    }
    if let bank {
      out += Self.bankGrid(bank)
      out.append("")
    }
    for s in [title] + subtitles { for t in P.wrap(s, width) { out.append(P.center(t, width)) } }
    out.append("")
    for p in parties { out += P.wrap(p.label + " " + p.text, width) }
    if !intro.isEmpty {
      out.append("")
      for p in intro { out += p.isEmpty ? [""] : P.wrap(p, width) }
    }
    out.append("")
    let item = columns.firstIndex(where: \.item) ?? 1
    let unit = columns.firstIndex { $0.alignment == .left && !$0.item }
    out += P.table(
      header: columns.map(\.title), rows: rows.map(\.cells), width: width, item: item, unit: unit)
    out.append("")
    out += P.totals(
      totals.map { P.Total(label: $0.label, amount: $0.amount, grand: $0.grand) }, width: width)
    out.append("")
    out += P.wrap(summary, width)
    out += P.wrap(words, width)
    for c in closing {
      out.append("")
      out += c.isEmpty ? [""] : P.wrap(c, width)
    }
    if !notes.isEmpty {
      out.append("")
      out += P.wrap(notesLabel, width)
      for n in notes { out += n.isEmpty ? [""] : P.wrap(n, width) }
    }
    if !signatures.isEmpty {
      out.append("")
      out.append("")
      for s in signatures {
        // «Руководитель  Генеральный директор ____________ / Иванов И. И. /».
        let head = [s.role, s.title].filter { !$0.isEmpty }.joined(separator: " ")
        let tail = s.name.isEmpty ? "" : " / " + s.name + " /"
        let line = max(12, width - P.columns(head) - P.columns(tail) - 2)
        out += P.wrap(head + " " + String(repeating: "_", count: min(line, 24)) + tail, width)
        out.append("")
      }
      if let stampLabel { out.append(stampLabel) }
    }
    return P.joined(out)
  }

  /// The bank block as an 80-column bordered grid.
  static func bankGrid(_ b: BankBlock) -> [String] {
    // | left 45 | label 5 | value 20 |, the left split 21 + 21 on the ИНН/КПП row.
    let lw = 45
    let labw = 5
    let vw = 20
    func cell(_ s: String, _ w: Int) -> String {
      let t = P.columns(s) > w ? P.wrap(s, w)[0] : s
      return P.pad(t, w, right: false)
    }
    func row(_ left: String, _ label: String, _ value: String) -> String {
      "| " + cell(left, lw) + " | " + cell(label, labw) + " | " + cell(value, vw) + " |"
    }
    let half = (lw - 3) / 2
    func dash(_ n: Int) -> String { String(repeating: "-", count: n) }
    func blank(_ n: Int) -> String { String(repeating: " ", count: n) }
    let (a, bw, left, l, v) = (half + 2, lw - half - 1, lw + 2, labw + 2, vw + 2)
    let rule = "+" + dash(left) + "+" + dash(l) + "+" + dash(v) + "+"
    let split = "+" + dash(a) + "+" + dash(bw) + "+" + dash(l) + "+" + dash(v) + "+"
    let splitOpen = "+" + dash(a) + "+" + dash(bw) + "+" + blank(l) + "|" + blank(v) + "|"
    var out = [rule]
    var bankLines = P.wrap(b.bankName, lw)
    if bankLines.count < 2 { bankLines.append("") }
    out.append(row(bankLines[0], b.bikLabel, b.bik))
    for (i, line) in bankLines.dropFirst().enumerated() {
      out.append(row(line, i == 0 ? b.accountLabel : "", i == 0 ? b.corrAccount : ""))
    }
    out.append(row(b.bankLabel, "", ""))
    out.append(split)
    out.append(
      "| " + cell(b.innLabel + " " + b.inn, half) + " | "
        + cell(b.kpp.isEmpty ? "" : b.kppLabel + " " + b.kpp, bw - 2) + " | "
        + cell(b.accountLabel, labw) + " | " + cell(b.account, vw) + " |")
    out.append(splitOpen)
    let payee = P.wrap(b.payee, lw)
    for p in payee { out.append(row(p, "", "")) }
    out.append(row(b.payeeLabel, "", ""))
    out.append(rule)
    return out
  }

  // MARK: HTML

  /// The form as a standalone UTF-8 HTML page with print CSS (A4); all text escaped, images
  /// inlined as `data:` URIs.
  public func html() -> String {
    let e = P.escape
    var h = P.htmlHead(
      title: title, language: language,
      css: """
        div.letterhead { border-bottom: 2px solid #000; padding-bottom: 0.5em; margin-bottom: 1em; }
        div.letterhead img { max-height: 25mm; max-width: 60mm; float: right; }
        div.letterhead p { margin: 0.1em 0; }
        table.bank { width: 100%; border-collapse: collapse; margin-bottom: 1.5em; }
        table.bank td { border: 1px solid #000; padding: 2px 5px; vertical-align: top; }
        table.bank td.caption { border-top: none; font-size: 9pt; }
        table.bank td.top { border-bottom: none; }
        p.subtitle { text-align: center; margin: 0 0 0.3em; }
        p.summary { margin: 1em 0 0.2em; }
        p.words { font-weight: bold; margin: 0 0 1em; }
        tr.discount td { font-style: italic; }
        table.signatures { width: 100%; margin-top: 3em; }
        table.signatures td { padding: 0 1em 1.5em 0; vertical-align: bottom; }
        span.sign { display: inline-block; width: 40mm; border-bottom: 1px solid #000; }
        span.sign img { max-height: 15mm; max-width: 40mm; }
        p.stamp { margin-top: 1em; }
        p.stamp img { max-height: 40mm; }

        """)
    if !letterhead.isEmpty || logo != nil {
      h += "<div class=\"letterhead\">"
      if let logo { h += "<img alt=\"\" src=\"\(Self.dataURI(logo))\">" }
      for (i, line) in letterhead.enumerated() {
        h += i == 0 ? "<p><b>\(e(line))</b></p>" : "<p>\(e(line))</p>"
      }
      h += "</div>\n"
    }
    if let b = bank {
      h += """
        <table class="bank">
        <tr><td class="top" colspan="2">\(e(b.bankName))</td><td>\(e(b.bikLabel))</td><td>\(e(b.bik))</td></tr>
        <tr><td class="caption" colspan="2">\(e(b.bankLabel))</td><td>\(e(b.accountLabel))</td><td>\(e(b.corrAccount))</td></tr>
        <tr><td>\(e(b.innLabel)) \(e(b.inn))</td><td>\(b.kpp.isEmpty ? "" : e(b.kppLabel) + " " + e(b.kpp))</td><td rowspan="3">\(e(b.accountLabel))</td><td rowspan="3">\(e(b.account))</td></tr>
        <tr><td class="top" colspan="2">\(e(b.payee))</td></tr>
        <tr><td class="caption" colspan="2">\(e(b.payeeLabel))</td></tr>
        </table>

        """
    }
    h += "<h1>\(e(title))</h1>\n"
    for s in subtitles { h += "<p class=\"subtitle\">\(e(s))</p>\n" }
    for p in parties {
      h += "<p class=\"party\"><b>\(e(p.label))</b> \(e(p.text))</p>\n"
    }
    for p in intro { h += "<p class=\"intro\">\(e(p))</p>\n" }
    h += "<table class=\"lines\">\n<thead><tr>"
    for c in columns { h += "<th>\(e(c.title))</th>" }
    h += "</tr></thead>\n<tbody>\n"
    for row in rows {
      h += row.discount ? "<tr class=\"discount\">" : "<tr>"
      for (i, cell) in row.cells.enumerated() {
        let c = columns[i]
        let cls = c.item ? "item" : c.alignment == .right ? "num" : "unit"
        h += "<td class=\"\(cls)\">\(e(cell))</td>"
      }
      h += "</tr>\n"
    }
    h += "</tbody>\n</table>\n<table class=\"totals\">\n"
    for t in totals {
      h +=
        "<tr\(t.grand ? " class=\"grand\"" : "")><th>\(e(t.label))</th>"
        + "<td>\(e(t.amount))</td></tr>\n"
    }
    h += "</table>\n"
    h += "<p class=\"summary\">\(e(summary))</p>\n"
    h += "<p class=\"words\">\(e(words))</p>\n"
    for c in closing { h += "<p class=\"closing\">\(e(c))</p>\n" }
    if !notes.isEmpty {
      h +=
        "<p class=\"notes\"><b>\(e(notesLabel))</b><br>\n"
        + notes.map(e).joined(separator: "<br>\n") + "</p>\n"
    }
    if !signatures.isEmpty {
      h += "<table class=\"signatures\">\n"
      for s in signatures {
        let sign = s.image.map { "<img alt=\"\" src=\"\(Self.dataURI($0))\">" } ?? ""
        h +=
          "<tr><td><b>\(e(s.role))</b></td><td>\(e(s.title))</td>"
          + "<td><span class=\"sign\">\(sign)</span></td><td>\(e(s.name))</td></tr>\n"
      }
      h += "</table>\n"
      if let stampLabel {
        let img = stamp.map { "<img alt=\"\" src=\"\(Self.dataURI($0))\">" } ?? ""
        h += "<p class=\"stamp\">\(e(stampLabel)) \(img)</p>\n"
      }
    }
    return h + P.htmlEnd
  }

  static func dataURI(_ png: Data) -> String {
    "data:image/png;base64," + png.base64EncodedString()
  }
}
