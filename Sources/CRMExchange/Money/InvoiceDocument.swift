import CRMCore
import Foundation

/// Our organisation as printed on invoices and acts: the `company_name`, `company_inn` and
/// `company_kpp` settings.
public struct CompanyRequisites: Equatable, Sendable {
  public var name: String
  public var inn: String
  public var kpp: String

  public init(name: String, inn: String = "", kpp: String = "") {
    self.name = name
    self.inn = inn
    self.kpp = kpp
  }

  public init(_ s: Settings) {
    self.init(name: s.companyName, inn: s.companyINN, kpp: s.companyKPP)
  }

  public var isEmpty: Bool { name.trimmingSpaces().isEmpty }
}

/// Invoices («Счёт на оплату») and acts («Акт … об оказании услуг») as printable documents:
/// plain text that fits 80 columns, or a standalone HTML page with print CSS, both built from
/// the same layout. The supplier is our company (or a line saying how to set it), the buyer the
/// client with its ИНН and КПП; the lines, the totals with VAT, the total in words, then the due
/// day (invoices) or the statement that the services were rendered (acts) and signature lines.
public enum InvoiceDocument {
  /// The width of the plain-text printout, in terminal columns.
  public static let width = 80

  typealias P = PrintedDocument
  typealias Party = PrintedDocument.Party
  typealias Total = PrintedDocument.Total

  public static func text(
    _ d: InvoiceDetail, company: CompanyRequisites, language l: Language
  ) -> String {
    text(Layout(d, company: company, language: l))
  }

  public static func html(
    _ d: InvoiceDetail, company: CompanyRequisites, language l: Language
  ) -> String {
    html(Layout(d, company: company, language: l), language: l)
  }

  public static func text(_ d: ActDetail, company: CompanyRequisites, language l: Language)
    -> String
  {
    text(Layout(d, company: company, language: l))
  }

  public static func html(_ d: ActDetail, company: CompanyRequisites, language l: Language)
    -> String
  {
    html(Layout(d, company: company, language: l), language: l)
  }

  /// An invoice as HTML (`html`) or text.
  public static func render(
    _ d: InvoiceDetail, html: Bool, company: CompanyRequisites, language l: Language
  ) -> String {
    html ? self.html(d, company: company, language: l) : text(d, company: company, language: l)
  }

  /// An act as HTML (`html`) or text.
  public static func render(
    _ d: ActDetail, html: Bool, company: CompanyRequisites, language l: Language
  ) -> String {
    html ? self.html(d, company: company, language: l) : text(d, company: company, language: l)
  }

  // MARK: What both forms print

  /// Everything an invoice or an act says, already formatted in the language.
  struct Layout {
    var title: String
    /// Under the title: the act's period; «ЧЕРНОВИК», «ОТМЕНЁН».
    var subtitles: [String] = []
    var parties: [Party] = []
    var header: [String]
    var rows: [[String]]
    var totals: [Total]
    /// «Всего наименований 2, на сумму 3 500,00 ₽».
    var summary: String
    /// The total in words (or digits with the currency code).
    var words: String
    /// After the words: the due day, the act's statement.
    var closing: [String] = []
    var notesLabel: String
    var notes: [String]
    /// The roles that sign: «Руководитель», «Бухгалтер»; «Исполнитель», «Заказчик».
    var signatures: [String]

    /// The parts both documents share: lines, totals, words and notes.
    init(
      title: String, lines: [OfferLine], totals t: OfferTotals, itemHeader: String,
      summary: (Int, String) -> String, notes: String, signatures: [String], language l: Language
    ) {
      let clean = TextFold.sanitizeLine
      self.title = title
      header = [
        "№", itemHeader, l.pick("Qty", "Кол-во"), l.pick("Unit", "Ед."), l.pick("Price", "Цена"),
        l.pick("Sum", "Сумма"),
      ]
      func money(_ minor: Int64) -> String { t.money(minor).formatted(l) }
      rows = lines.enumerated().map { i, line in
        [
          String(i + 1), clean(line.item), OfferService.formatQuantity(line.quantityMilli, l),
          clean(line.unit), money(line.price), money(line.sum),
        ]
      }
      totals =
        P.vatTotals(
          t, language: l,
          noVAT: Total(label: l.pick("No VAT:", "Без НДС:"), amount: "—", grand: false),
          grand: l.pick("Total to pay:", "Всего к оплате:"),
          included: { l.pick("Incl. VAT \($0)\u{00A0}%:", "В том числе НДС \($0)\u{00A0}%:") }
        ).totals
      self.summary = summary(lines.count, money(t.gross))
      words = AmountInWords.text(t.money(t.gross), language: l)
      notesLabel = l.pick("Notes:", "Примечание:")
      self.notes =
        notes.trimmingSpaces().isEmpty
        ? []
        : notes.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }
      self.signatures = signatures
    }

    static func supplier(_ c: CompanyRequisites, _ l: Language) -> String {
      if c.isEmpty {
        return l.pick(
          "not set: set it with crm settings set company_name \"…\" (and company_inn, company_kpp)",
          "не указан: задайте реквизиты командой crm settings set company_name «…» (и company_inn, company_kpp)"
        )
      }
      return P.requisites(name: c.name, inn: c.inn, kpp: c.kpp, language: l)
    }

    /// Our company (`ours`), the client (`theirs`) with their requisites, and the basis.
    static func parties(
      ours: String, company: CompanyRequisites, theirs: String,
      client: (name: String, inn: String, kpp: String), basis: String?, _ l: Language
    ) -> [Party] {
      var out = [
        Party(label: ours, value: supplier(company, l)),
        Party(
          label: theirs,
          value: P.requisites(name: client.name, inn: client.inn, kpp: client.kpp, language: l)),
      ]
      if let basis { out.append(Party(label: l.pick("Basis:", "Основание:"), value: basis)) }
      return out
    }

    static func contract(_ number: String?, _ date: String?, _ l: Language) -> String? {
      guard let number, !number.isEmpty else { return nil }
      let n = TextFold.sanitizeLine(number)
      let day = date.map { OfferService.displayDay($0, l) } ?? ""
      return day.isEmpty
        ? l.pick("contract No. \(n)", "договор № \(n)")
        : l.pick("contract No. \(n) of \(day)", "договор № \(n) от \(day)")
    }

    init(_ d: InvoiceDetail, company: CompanyRequisites, language l: Language) {
      let i = d.invoice
      let number = TextFold.sanitizeLine(i.number)
      self.init(
        title: l.pick(
          "Invoice No. \(number) of \(P.longDate(i.date, l))",
          "Счёт на оплату № \(number) от \(P.longDate(i.date, l))"),
        lines: d.lines, totals: d.totals,
        itemHeader: l.pick("Goods (works, services)", "Товары (работы, услуги)"),
        summary: { n, sum in
          l.pick("Items: \(n), total \(sum)", "Всего наименований \(n), на сумму \(sum)")
        },
        notes: i.notes,
        signatures: [l.pick("Director", "Руководитель"), l.pick("Accountant", "Бухгалтер")],
        language: l)
      switch i.stored {
      case .draft: subtitles.append(l.pick("DRAFT", "ЧЕРНОВИК"))
      case .cancelled: subtitles.append(l.pick("CANCELLED", "ОТМЕНЁН"))
      case .issued: break
      }
      parties = Self.parties(
        ours: l.pick("Supplier:", "Поставщик:"), company: company,
        theirs: l.pick("Buyer:", "Покупатель:"),
        client: (d.clientName, d.clientINN, d.clientKPP),
        basis: Self.contract(d.contractNumber, d.contractDate, l), l)
      if !i.dueDate.isEmpty {
        closing.append(
          l.pick("Pay by \(P.longDate(i.dueDate, l)).", "Оплатить до \(P.longDate(i.dueDate, l))"))
      }
    }

    init(_ d: ActDetail, company: CompanyRequisites, language l: Language) {
      let a = d.act
      let number = TextFold.sanitizeLine(a.number)
      self.init(
        title: l.pick(
          "Act No. \(number) of \(P.longDate(a.date, l)) on services rendered",
          "Акт № \(number) от \(P.longDate(a.date, l)) об оказании услуг"),
        lines: d.lines, totals: d.totals,
        itemHeader: l.pick("Works, services", "Наименование работ, услуг"),
        summary: { n, sum in
          l.pick(
            "Services rendered: \(n), total \(sum)", "Всего оказано услуг \(n), на сумму \(sum)")
        },
        notes: a.notes,
        signatures: [l.pick("Contractor", "Исполнитель"), l.pick("Customer", "Заказчик")],
        language: l)
      if !a.periodFrom.isEmpty {
        let from = OfferService.displayDay(a.periodFrom, l)
        let to = OfferService.displayDay(a.periodTo, l)
        subtitles.append(l.pick("for \(from) to \(to)", "за период с \(from) по \(to)"))
      }
      if a.cancelled { subtitles.append(l.pick("CANCELLED", "ОТМЕНЁН")) }
      parties = Self.parties(
        ours: l.pick("Contractor:", "Исполнитель:"), company: company,
        theirs: l.pick("Customer:", "Заказчик:"),
        client: (d.clientName, d.clientINN, d.clientKPP),
        basis: Self.contract(d.contract?.number, d.contract?.date, l), l)
      if let invoice = d.invoiceNumber, !invoice.isEmpty {
        parties.append(
          Party(
            label: l.pick("Invoice:", "Счёт:"), value: "№ " + TextFold.sanitizeLine(invoice)))
      }
      closing.append(
        l.pick(
          "The services above were rendered in full and on time. The customer has no claims as to their scope, quality or terms.",
          "Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет."
        ))
    }
  }

  // MARK: Plain text

  static func text(_ m: Layout) -> String {
    var out = P.body(
      title: m.title, subtitles: m.subtitles, parties: m.parties, header: m.header, rows: m.rows,
      totals: m.totals, width: width)
    out.append("")
    out += P.wrap(m.summary, width)
    out += P.wrap(m.words, width)
    for c in m.closing {
      out.append("")
      out += P.wrap(c, width)
    }
    if !m.notes.isEmpty {
      out.append("")
      out += P.wrap(m.notesLabel, width)
      for n in m.notes { out += n.isEmpty ? [""] : P.wrap(n, width) }
    }
    out.append("")
    out.append("")
    // Two signatures side by side, each in half the width: «Руководитель ______________».
    let half = width / 2
    let cells = m.signatures.map { role -> String in
      let line = String(repeating: "_", count: max(8, half - 2 - P.columns(role) - 1))
      return role + " " + line
    }
    out.append(
      cells.enumerated().map { i, c in i == 0 ? P.pad(c, half, right: false) : c }
        .joined())
    return P.joined(out)
  }

  // MARK: HTML

  static func html(_ m: Layout, language l: Language) -> String {
    let e = P.escape
    var h = P.htmlHead(
      title: m.title, language: l,
      css: """
        p.subtitle { text-align: center; margin: 0 0 0.3em; }
        p.summary { margin: 1em 0 0.2em; }
        p.words { font-weight: bold; margin: 0 0 1em; }
        table.signatures { width: 100%; margin-top: 3em; }
        table.signatures td { width: 50%; padding-right: 2em; white-space: nowrap; }
        span.sign { display: inline-block; width: 50mm; border-bottom: 1px solid #000; }

        """)
    h += "<h1>\(e(m.title))</h1>\n"
    for s in m.subtitles { h += "<p class=\"subtitle\">\(e(s))</p>\n" }
    h += P.htmlParties(m.parties)
    h += P.htmlTable(header: m.header, rows: m.rows, totals: m.totals, unit: 3)
    h += "<p class=\"summary\">\(e(m.summary))</p>\n"
    h += "<p class=\"words\">\(e(m.words))</p>\n"
    for c in m.closing { h += "<p>\(e(c))</p>\n" }
    if !m.notes.isEmpty {
      h +=
        "<p class=\"notes\"><b>\(e(m.notesLabel))</b><br>\n"
        + m.notes.map(e).joined(separator: "<br>\n") + "</p>\n"
    }
    h += "<table class=\"signatures\"><tr>"
    for s in m.signatures { h += "<td>\(e(s)) <span class=\"sign\"></span></td>" }
    h += "</tr></table>\n"
    return h + P.htmlEnd
  }
}
