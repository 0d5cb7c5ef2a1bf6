import CPangoCairo
import CRMCore
import Foundation

/// Where each part of a `DocumentForm` goes on A4 pages (what it says is the form's): the
/// letterhead and logo, the invoice's bank block, the title under a rule, the parties, the
/// lines table (header repeated on every page), then totals, words, closing text, notes,
/// signatures, stamp and the payment QR code kept together on one page.
struct PDFFormLayout {
  let form: DocumentForm
  var l: Language { form.language }

  func render() throws(PDFError) -> Data {
    let f = form
    let c = try PDFComposer(title: f.title, author: DocumentPDF.name(f.issuer), day: f.day)
    letterhead(c)
    if let bank = f.bank { c.add(bankBlock(c, bank)) }
    c.add(c.paragraph(f.title, PDFStyle(size: 13, bold: true), after: 2))
    c.add(
      PDFBlock(height: 8) { [left = c.left, right = c.right] cr, y in
        PDFComposer.line(cr, left, y + 2, right, y + 2, width: 1.5)
      })
    for s in f.subtitles { c.add(c.paragraph(s, PDFStyle(size: 10, bold: true), after: 2)) }
    if !f.subtitles.isEmpty { c.add(.space(4)) }
    parties(c)
    for p in f.intro { c.add(c.paragraph(p, after: 3)) }
    c.add(.space(4))
    c.table(
      header: f.columns.map(\.title), rows: f.rows.map(\.cells), columns: columnWidths(c))
    // Totals, words, closing, notes and signatures stay together on one page.
    var tail: [PDFBlock] = [.space(4)]
    tail += f.totals.map { total(c, $0) }
    tail.append(.space(6))
    if !f.summary.isEmpty { tail.append(c.paragraph(f.summary)) }
    if !f.words.isEmpty { tail.append(c.paragraph(f.words, .bold, after: 6)) }
    for s in f.closing { tail.append(c.paragraph(s, after: 4)) }
    if !f.notes.isEmpty {
      tail.append(c.paragraph(f.notesLabel, .bold, after: 1))
      for n in f.notes { tail.append(c.paragraph(n, after: 1)) }
      tail.append(.space(4))
    }
    if !f.signatures.isEmpty || qrText != nil {
      tail.append(
        PDFBlock(height: 12) { [left = c.left, right = c.right] cr, y in
          PDFComposer.line(cr, left, y + 5, right, y + 5, width: 1.5)
        })
      tail.append(signatures(c))
    }
    c.keepTogether(tail)
    return try c.finish(footer: { i, n in
      let page = l.pick("Page \(i) of \(n)", "Страница \(i) из \(n)")
      return n == 1 ? page : f.title + " · " + page
    })
  }

  /// The ГОСТ Р 56042-2014 string: only for roubles and a sum to pay.
  var qrText: String? {
    guard let p = form.payment, p.currency == "RUB", p.sumMinor > 0 else { return nil }
    return PaymentQR(
      name: p.name, personalAccount: p.account, bankName: p.bankName, bik: p.bik,
      correspondentAccount: p.corrAccount, payeeINN: p.inn, kpp: p.kpp, sumKopecks: p.sumMinor,
      purpose: p.purpose
    ).payload
  }

  // MARK: Parts

  private func letterhead(_ c: PDFComposer) {
    let image = form.logo.flatMap { PDFImage(png: $0) }
    guard image != nil || !form.letterhead.isEmpty else { return }
    let logoBox = (w: PDFComposer.mm(40), h: PDFComposer.mm(18))
    let x = image == nil ? c.left : c.left + logoBox.w + 10
    let lines = form.letterhead.enumerated().map { i, s in
      c.paragraph(s, i == 0 ? .bold : PDFStyle(size: 8), x: x, after: 1)
    }
    let text = c.stack(lines)
    let h = max(text.height, image == nil ? 0 : logoBox.h)
    c.add(
      PDFBlock(height: h + 10) { [left = c.left, right = c.right] cr, y in
        image?.draw(cr, x: left, y: y, w: logoBox.w, h: logoBox.h)
        text.draw(cr, y)
        PDFComposer.line(cr, left, y + h + 4, right, y + h + 4, width: 0.5)
      })
  }

  /// The bank block of a Russian invoice: «Банк получателя», БИК and корр. счёт; ИНН, КПП and
  /// the account; «Получатель».
  private func bankBlock(_ c: PDFComposer, _ b: DocumentForm.BankBlock) -> PDFBlock {
    let w = c.width
    let x0 = c.left
    let x1 = x0 + w * 0.29
    let x2 = x0 + w * 0.58
    let x3 = x0 + w * 0.67
    let x4 = c.right
    let p = 2.5
    let bankName = c.text(b.bankName, width: x2 - x0 - 2 * p)
    let bankLabel = c.text(b.bankLabel, width: x2 - x0 - 2 * p, .small)
    let payee = c.text(b.payee, width: x2 - x0 - 2 * p)
    let payeeLabel = c.text(b.payeeLabel, width: x2 - x0 - 2 * p, .small)
    let inn = c.text(b.innLabel + " " + b.inn, width: x1 - x0 - 2 * p)
    let kpp = c.text(b.kpp.isEmpty ? "" : b.kppLabel + " " + b.kpp, width: x2 - x1 - 2 * p)
    let bik = c.text(b.bikLabel, width: x3 - x2 - 2 * p)
    let bikValue = c.text(b.bik, width: x4 - x3 - 2 * p)
    let corr = c.text(b.accountLabel, width: x3 - x2 - 2 * p)
    let corrValue = c.text(b.corrAccount, width: x4 - x3 - 2 * p)
    let acc = c.text(b.accountLabel, width: x3 - x2 - 2 * p)
    let accValue = c.text(b.account, width: x4 - x3 - 2 * p)
    let line = bik.height + 2 * p
    let h1 = max(bankName.height + bankLabel.height + 4 * p, 2 * line)
    let h2 = inn.height + 2 * p
    let h3 = max(payee.height + payeeLabel.height + 4 * p, line)
    return PDFBlock(height: h1 + h2 + h3 + 12) { cr, y in
      let y1 = y + h1
      let y2 = y1 + h2
      let y3 = y2 + h3
      cairo_set_line_width(cr, 0.5)
      cairo_rectangle(cr, x0, y, x4 - x0, y3 - y)
      cairo_stroke(cr)
      PDFComposer.line(cr, x2, y, x2, y3)
      PDFComposer.line(cr, x3, y, x3, y3)
      PDFComposer.line(cr, x0, y1, x4, y1)
      PDFComposer.line(cr, x0, y2, x2, y2)
      PDFComposer.line(cr, x1, y1, x1, y2)
      PDFComposer.line(cr, x2, y + line, x4, y + line)
      bankName.draw(cr, x: x0 + p, y: y + p)
      bankLabel.draw(cr, x: x0 + p, y: y1 - p - bankLabel.height)
      bik.draw(cr, x: x2 + p, y: y + p)
      bikValue.draw(cr, x: x3 + p, y: y + p)
      corr.draw(cr, x: x2 + p, y: y + line + p)
      corrValue.draw(cr, x: x3 + p, y: y + line + p)
      inn.draw(cr, x: x0 + p, y: y1 + p)
      kpp.draw(cr, x: x1 + p, y: y1 + p)
      acc.draw(cr, x: x2 + p, y: y1 + p)
      accValue.draw(cr, x: x3 + p, y: y1 + p)
      payee.draw(cr, x: x0 + p, y: y2 + p)
      payeeLabel.draw(cr, x: x0 + p, y: y3 - p - payeeLabel.height)
    }
  }

  /// «Поставщик:» and its value side by side: the name bold, the requisites after it.
  private func parties(_ c: PDFComposer) {
    let labelWidth = PDFComposer.mm(30)
    for party in form.parties {
      let label = c.text(party.label, width: labelWidth - 4)
      let name = c.text(party.name, width: c.width - labelWidth, .bold)
      let details = c.text(
        party.details.filter { !$0.isEmpty }.joined(separator: ", "), width: c.width - labelWidth)
      c.add(
        PDFBlock(height: max(label.height, name.height + details.height) + 5) {
          [left = c.left] cr, y in
          label.draw(cr, x: left, y: y)
          name.draw(cr, x: left + labelWidth, y: y)
          details.draw(cr, x: left + labelWidth, y: y + name.height)
        })
    }
  }

  /// Columns as wide as their widest cell (a header may wrap at its spaces), at
  /// most a fifth of the page; the item column takes the rest.
  private func columnWidths(_ c: PDFComposer) -> [PDFComposer.Column] {
    let pad = 2 * 2.5 + 1
    let natural = form.columns.indices.map { i -> Double in
      let col = form.columns[i]
      if col.item { return 0 }
      let cells = form.rows.map { i < $0.cells.count ? $0.cells[i] : "" }
      let widest = cells.map { c.text($0, width: 10_000).inkWidth }.max() ?? 0
      let headerWords = col.title.split(separator: " ")
      let header = headerWords.map { c.text(String($0), width: 10_000, .bold).inkWidth }.max() ?? 0
      return min(max(widest, header) + pad, c.width / 5)
    }
    let rest = max(c.width * 0.3, c.width - natural.reduce(0, +))
    let scale = (c.width - rest) / max(1, natural.reduce(0, +))
    return form.columns.indices.map { i in
      let col = form.columns[i]
      let align: PDFStyle.Align =
        col.alignment == .right ? .right : col.alignment == .center ? .center : .left
      return PDFComposer.Column(width: col.item ? rest : natural[i] * scale, align: align)
    }
  }

  private func total(_ c: PDFComposer, _ t: DocumentForm.Total) -> PDFBlock {
    let amountWidth = PDFComposer.mm(34)
    var style = PDFStyle.bold
    style.size = t.grand ? 10 : 9
    style.align = .right
    let label = c.text(t.label, width: c.width - amountWidth - 6, style)
    let amount = c.text(t.amount, width: amountWidth, style)
    return PDFBlock(height: max(label.height, amount.height) + 2) {
      [left = c.left, width = c.width] cr, y in
      label.draw(cr, x: left, y: y)
      amount.draw(cr, x: left + width - amountWidth, y: y)
    }
  }

  /// The signatures: an act's two sides next to each other (each under its role as a
  /// heading), otherwise one under another with the role on the left. The stamp overlaps our
  /// first signature, as on stamped paper; the QR code stands at the right.
  private func signatures(_ c: PDFComposer) -> PDFBlock {
    let qrSide = PDFComposer.mm(36)
    let qr = qrText.flatMap { c.qrBlock($0, side: qrSide, x: c.right - qrSide) }
    let area = c.width - (qr == nil ? 0 : qrSide + 12)
    let sideBySide = form.kind == .act
    let groups: [[DocumentForm.Signature]] =
      sideBySide ? form.signatures.map { [$0] } : [form.signatures]
    let colWidth = area / Double(max(1, groups.count))
    let lineWidth = PDFComposer.mm(34)
    let rowHeight = 40.0
    var parts: [(OpaquePointer, Double) -> Void] = []
    var height = 0.0
    for (ci, group) in groups.enumerated() {
      let x = c.left + Double(ci) * colWidth
      var at = 0.0
      if sideBySide, let s = group.first {
        let head = c.text(s.role.uppercased(), width: colWidth - 8, .bold)
        let party = ci < form.parties.count ? form.parties[ci].name : ""
        let who = c.text(party, width: colWidth - 12, .small)
        let top = at
        parts.append { cr, y in
          head.draw(cr, x: x, y: y + top)
          who.draw(cr, x: x, y: y + top + head.height + 1)
        }
        at += head.height + who.height + 4
      }
      // Role column, then the line with the title above and «подпись» under it, then the name.
      let roleWidth = sideBySide ? 0 : min(colWidth * 0.3, 100)
      let lineX = x + roleWidth
      for s in group {
        let role = c.text(sideBySide ? "" : s.role, width: max(1, roleWidth - 4))
        let title = c.text(s.title, width: lineWidth + 40, .small)
        let hint = c.text(
          l.pick("signature", "подпись"), width: lineWidth, PDFStyle(size: 6, align: .center))
        let nameX = lineX + lineWidth + 4
        let name = c.text(
          s.name.isEmpty ? "/____________/" : s.name, width: max(30, x + colWidth - nameX - 4))
        let image = s.image.flatMap { PDFImage(png: $0) }
        let top = at
        parts.append { cr, y in
          let base = y + top + 24
          title.draw(cr, x: lineX, y: y + top)
          role.draw(cr, x: x, y: base - role.height)
          image?.draw(cr, x: lineX + 4, y: base - 26, w: lineWidth - 8, h: 30)
          PDFComposer.line(cr, lineX, base + 1, lineX + lineWidth, base + 1)
          hint.draw(cr, x: lineX, y: base + 2)
          name.draw(cr, x: nameX, y: base - name.height + 1)
        }
        at += rowHeight
      }
      height = max(height, at)
    }
    // The stamp (or «М.П.») overlapping our first signature.
    if form.stampLabel != nil || form.stamp != nil {
      let stamp = form.stamp.flatMap { PDFImage(png: $0) }
      let side = PDFComposer.mm(38)
      let mp = c.text(form.stampLabel ?? "", width: 40, .small)
      let top = sideBySide ? 30.0 : 18.0
      let sx = c.left + (sideBySide ? colWidth * 0.15 : min(colWidth * 0.3, 100) - 20)
      // «М.П.» under the signatures, at the left, where the stamp is put by hand.
      let mpTop = height + 2
      parts.append { [left = c.left] cr, y in
        if let stamp {
          stamp.draw(cr, x: sx, y: y + top, w: side, h: side)
        } else {
          mp.draw(cr, x: left, y: y + mpTop)
        }
      }
      height = max(height + (stamp == nil ? mp.height + 4 : 0), top + (stamp == nil ? 0 : side))
    }
    if let qr {
      let caption = c.text(
        l.pick("Scan in a bank app to pay", "Для оплаты отсканируйте в приложении банка"),
        width: qrSide, PDFStyle(size: 6.5, align: .center))
      parts.append { [right = c.right] cr, y in
        qr.draw(cr, y)
        caption.draw(cr, x: right - qrSide, y: y + qrSide)
      }
      height = max(height, qrSide + caption.height + 2)
    }
    return PDFBlock(height: height + 4) { cr, y in
      for p in parts { p(cr, y) }
    }
  }
}
