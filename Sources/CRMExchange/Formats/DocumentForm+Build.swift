import CRMCore
import Foundation

extension DocumentForm {
  typealias P = PrintedDocument

  // MARK: Счёт на оплату

  /// An invoice from our entity `supplier`: the bank block, supplier and buyer with their
  /// addresses, the lines, VAT by rate, the total in words, the due date, the footer (the
  /// entity's own wording or the standard one), signatures of the director and the accountant
  /// and the stamp place; the QR payment data.
  public static func invoice(_ d: InvoiceDetail, from supplier: LegalEntity, language l: Language)
    -> DocumentForm
  {
    let i = d.invoice
    let clean = TextFold.sanitizeLine
    let number = clean(i.number)
    var f = DocumentForm(
      kind: .invoice, language: l, issuer: supplier,
      title: l.pick(
        "Invoice No. \(number) of \(P.longDate(i.date, l))",
        "Счёт на оплату № \(number) от \(P.longDate(i.date, l))"),
      lines: d.lines, totals: d.totals,
      itemHeader: l.pick("Goods (works, services)", "Товары (работы, услуги)"),
      summary: { n, sum in
        l.pick("Items: \(n), total \(sum)", "Всего наименований \(n), на сумму \(sum)")
      })
    f.bank = bankBlock(supplier, l)
    switch i.stored {
    case .draft: f.subtitles.append(l.pick("DRAFT", "ЧЕРНОВИК"))
    case .cancelled: f.subtitles.append(l.pick("CANCELLED", "ОТМЕНЁН"))
    case .issued: break
    }
    f.parties = [
      ours(l.pick("Supplier:", "Поставщик:"), supplier, bank: false, l),
      theirs(
        l.pick("Buyer:", "Покупатель:"), d.clientName, d.clientINN, d.clientKPP, d.clientAddress,
        l),
    ]
    if let basis = contract(d.contractNumber, d.contractDate, l) {
      f.parties.append(Party(label: l.pick("Basis:", "Основание:"), name: basis))
    }
    if !i.dueDate.isEmpty {
      f.closing.append(
        l.pick("Pay by \(P.longDate(i.dueDate, l)).", "Оплатить до \(P.longDate(i.dueDate, l))."))
    }
    f.closing += paragraphs(supplier.wording.invoiceFooter, default: standardInvoiceFooter(l))
    f.notes = paragraphs(i.notes, default: [])
    f.signatures = supplierSignatures(supplier, l)
    f.stampLabel = l.pick("Seal", "М.П.")
    f.stamp = supplier.stampPNG
    f.payment = Payment(
      name: supplier.shortName.isEmpty ? supplier.fullName : supplier.shortName,
      account: supplier.account, bankName: supplier.bankName, bik: supplier.bik,
      corrAccount: supplier.corrAccount, inn: supplier.inn, kpp: supplier.kpp,
      sumMinor: d.totals.gross, currency: d.totals.currency.code,
      purpose: paymentPurpose(number: number, date: i.date, totals: d.totals))
    return f
  }

  /// The invoice's standard footer in the language.
  public static func standardInvoiceFooter(_ l: Language) -> [String] {
    [
      l.pick(
        "Payment of this invoice means acceptance of the terms of supply of goods (services). Please state the invoice number and date in the payment reference.",
        "Оплата данного счёта означает согласие с условиями поставки товара (оказания услуг). В назначении платежа, пожалуйста, укажите номер и дату счёта."
      )
    ]
  }

  /// «Оплата по счёту № 12 от 07.12.2026. В том числе НДС 22 % — 3 606,56 руб.» as a bank's
  /// payment purpose (ASCII digits, a dot as the decimal mark would confuse no bank, but banks
  /// print roubles with «руб.»).
  static func paymentPurpose(number: String, date: String, totals t: OfferTotals) -> String {
    let day = OfferService.displayDay(date, .ru)
    var s = "Оплата по счёту № \(number) от \(day)."
    if t.withoutVAT || t.vatByRate.isEmpty {
      s += " Без НДС."
    } else {
      for p in t.vatByRate {
        let amount = t.money(p.vat).formatted(.ru).replacingOccurrences(of: "\u{00A0}", with: " ")
        s += " В том числе НДС \(p.rate) % — \(amount)."
      }
    }
    return s.replacingOccurrences(of: "₽", with: "руб")
  }

  // MARK: Акт

  /// An act (акт выполненных работ, оказанных услуг) from our entity `contractor`: both
  /// parties with requisites, the lines, VAT, the total in words, the statement that the work
  /// was done (the entity's own wording or the standard one), and both signatures.
  public static func act(_ d: ActDetail, from contractor: LegalEntity, language l: Language)
    -> DocumentForm
  {
    let a = d.act
    let number = TextFold.sanitizeLine(a.number)
    var f = DocumentForm(
      kind: .act, language: l, issuer: contractor,
      title: l.pick(
        "Act No. \(number) of \(P.longDate(a.date, l)) on work performed (services rendered)",
        "Акт № \(number) от \(P.longDate(a.date, l)) выполненных работ (оказанных услуг)"),
      lines: d.lines, totals: d.totals,
      itemHeader: l.pick("Works, services", "Наименование работ, услуг"),
      summary: { n, sum in
        l.pick(
          "Services rendered: \(n), total \(sum)", "Всего оказано услуг \(n), на сумму \(sum)")
      })
    if !a.periodFrom.isEmpty {
      let from = OfferService.displayDay(a.periodFrom, l)
      let to = OfferService.displayDay(a.periodTo, l)
      f.subtitles.append(l.pick("for \(from) to \(to)", "за период с \(from) по \(to)"))
    }
    if a.cancelled { f.subtitles.append(l.pick("CANCELLED", "ОТМЕНЁН")) }
    f.parties = [
      ours(l.pick("Contractor:", "Исполнитель:"), contractor, bank: true, l),
      theirs(
        l.pick("Customer:", "Заказчик:"), d.clientName, d.clientINN, d.clientKPP,
        d.clientAddress, l),
    ]
    if let basis = contract(d.contract?.number, d.contract?.date, l) {
      f.parties.append(Party(label: l.pick("Basis:", "Основание:"), name: basis))
    }
    if let invoice = d.invoiceNumber, !invoice.isEmpty {
      f.parties.append(
        Party(label: l.pick("Invoice:", "Счёт:"), name: "№ " + TextFold.sanitizeLine(invoice)))
    }
    f.closing = paragraphs(
      contractor.wording.actStatement,
      default: [
        l.pick(
          "The services above were rendered in full and on time. The customer has no claims as to their scope, quality or terms.",
          "Вышеперечисленные услуги выполнены полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет."
        )
      ])
    f.notes = paragraphs(a.notes, default: [])
    let director = supplierSignatures(contractor, l)[0]
    f.signatures = [
      Signature(
        role: l.pick("Contractor", "Исполнитель"), title: director.title, name: director.name,
        image: director.image),
      Signature(role: l.pick("Customer", "Заказчик"), title: "", name: "", image: nil),
    ]
    f.stampLabel = l.pick("Seal", "М.П.")
    f.stamp = contractor.stampPNG
    return f
  }

  // MARK: Коммерческое предложение

  /// A commercial offer from our entity `sender`: the logo and letterhead, the validity date,
  /// the client, the manager (`manager`, with our contacts), the opening words and terms (the
  /// entity's own wording or the standard one), the lines with discount lines and the totals.
  /// No internal field (the deal's title, statuses) is printed.
  public static func offer(
    _ offer: Offer, lines: [OfferLine], client: Client, from sender: LegalEntity,
    manager: String?, language l: Language
  ) -> DocumentForm {
    let clean = TextFold.sanitizeLine
    let number = clean(offer.number)
    let totals = OfferService.totals(offer, lines)
    var f = DocumentForm(
      kind: .offer, language: l, issuer: sender,
      title: l.pick(
        "Commercial offer No. \(number) of \(P.longDate(offer.date, l))",
        "Коммерческое предложение № \(number) от \(P.longDate(offer.date, l))"),
      lines: lines, totals: totals, itemHeader: l.pick("Item", "Наименование"),
      summary: { n, sum in
        l.pick("Items: \(n), total \(sum)", "Всего наименований \(n), на сумму \(sum)")
      }, vatColumn: true)
    f.logo = sender.logoPNG
    f.letterhead = letterhead(sender, l)
    if !offer.validUntil.isEmpty {
      f.subtitles.append(
        l.pick(
          "Valid until \(P.longDate(offer.validUntil, l))",
          "Предложение действительно до \(P.longDate(offer.validUntil, l))"))
    }
    f.parties = [
      Party(
        label: l.pick("From:", "От кого:"), name: entityName(sender),
        details: taxIDs(sender, l)),
      theirs(
        l.pick("To:", "Кому:"), client.displayName, client.inn, client.kpp,
        client.legalAddress.isEmpty ? client.actualAddress : client.legalAddress, l),
    ]
    let managerName = clean(manager ?? "")
    var contacts: [String] = []
    if !sender.phone.isEmpty { contacts.append(l.pick("tel. ", "тел. ") + clean(sender.phone)) }
    if !sender.email.isEmpty { contacts.append("e-mail " + clean(sender.email)) }
    if !managerName.isEmpty || !contacts.isEmpty {
      f.parties.append(
        Party(
          label: l.pick("Your manager:", "Ваш менеджер:"),
          name: managerName.isEmpty ? entityName(sender) : managerName, details: contacts))
    }
    f.intro = paragraphs(
      sender.wording.offerIntro,
      default: [
        l.pick(
          "Thank you for your interest. We are pleased to offer you the following:",
          "Благодарим за интерес к нашей компании. Предлагаем вам следующие товары и услуги:")
      ])
    if let footer = P.vatTotals(
      totals, language: l, noVAT: P.Total(label: "", amount: "", grand: false), grand: ""
    ).footer {
      f.closing.append(footer)
    }
    f.closing += paragraphs(sender.wording.offerTerms, default: [])
    f.notes = paragraphs(offer.notes, default: [])
    if !managerName.isEmpty {
      f.signatures = [
        Signature(
          role: l.pick("Sincerely,", "С уважением,"), title: l.pick("manager", "менеджер"),
          name: managerName, image: nil)
      ]
    }
    return f
  }

  // MARK: Shared parts

  /// The parts all three share: the lines table, totals with VAT by rate, summary and words.
  init(
    kind: Kind, language l: Language, issuer: LegalEntity, title: String, lines: [OfferLine],
    totals t: OfferTotals, itemHeader: String, summary: (Int, String) -> String,
    vatColumn: Bool = false
  ) {
    let clean = TextFold.sanitizeLine
    func money(_ minor: Int64) -> String { t.money(minor).formatted(l) }
    var columns = [
      Column("№", .right), Column(itemHeader, .left, item: true),
      Column(l.pick("Qty", "Кол-во"), .right), Column(l.pick("Unit", "Ед."), .left),
      Column(l.pick("Price", "Цена"), .right),
    ]
    if vatColumn { columns.append(Column(l.pick("VAT", "НДС"), .right)) }
    columns.append(Column(l.pick("Sum", "Сумма"), .right))
    let rows = lines.enumerated().map { i, line in
      var cells = [
        String(i + 1), clean(line.item), OfferService.formatQuantity(line.quantityMilli, l),
        clean(line.unit), money(line.price),
      ]
      if line.percent != nil { cells[4] = "" }
      if vatColumn { cells.append(OfferService.vatName(line.vatRate, l)) }
      cells.append(money(line.sum))
      return Row(cells: cells, discount: line.isDiscount)
    }
    let vat = P.vatTotals(
      t, language: l,
      noVAT: P.Total(label: l.pick("No VAT:", "Без НДС:"), amount: "—", grand: false),
      grand: l.pick("Total to pay:", "Всего к оплате:"),
      included: { l.pick("Incl. VAT \($0)\u{00A0}%:", "В том числе НДС \($0)\u{00A0}%:") })
    self.init(
      kind: kind, language: l, issuer: issuer, title: title, columns: columns, rows: rows,
      totals: vat.totals.map { Total(label: $0.label, amount: $0.amount, grand: $0.grand) },
      summary: summary(lines.filter { !$0.isDiscount }.count, money(t.gross)),
      words: AmountInWords.text(t.money(t.gross), language: l),
      notesLabel: l.pick("Notes:", "Примечание:"))
  }

  /// The invoice's bank block from our entity.
  static func bankBlock(_ e: LegalEntity, _ l: Language) -> BankBlock {
    let clean = TextFold.sanitizeLine
    return BankBlock(
      bankName: clean(e.bankName), bik: e.bik, corrAccount: e.corrAccount, account: e.account,
      inn: e.inn, kpp: e.kpp, payee: entityName(e),
      bankLabel: l.pick("Payee's bank", "Банк получателя"), bikLabel: l.pick("BIC", "БИК"),
      accountLabel: l.pick("Acc. No.", "Сч. №"), innLabel: l.pick("INN", "ИНН"),
      kppLabel: l.pick("KPP", "КПП"), payeeLabel: l.pick("Payee", "Получатель"))
  }

  /// The name forms print: the short one, else the full one.
  static func entityName(_ e: LegalEntity) -> String {
    TextFold.sanitizeLine(e.shortName.isEmpty ? e.fullName : e.shortName)
  }

  /// «ИНН 7707083893», «КПП 770701001», «ОГРН 1027700132195» (ОГРНИП for an ИП).
  static func taxIDs(_ e: LegalEntity, _ l: Language) -> [String] {
    var out: [String] = []
    if !e.inn.isEmpty { out.append(l.pick("INN ", "ИНН ") + e.inn) }
    if !e.kpp.isEmpty && e.kind == .organization { out.append(l.pick("KPP ", "КПП ") + e.kpp) }
    if !e.ogrn.isEmpty {
      out.append(
        (e.kind == .entrepreneur ? l.pick("OGRNIP ", "ОГРНИП ") : l.pick("OGRN ", "ОГРН "))
          + e.ogrn)
    }
    return out
  }

  /// Our entity as a party: name, tax ids, legal address, phone; with `bank` its account.
  static func ours(_ label: String, _ e: LegalEntity, bank: Bool, _ l: Language) -> Party {
    let clean = TextFold.sanitizeLine
    var details = taxIDs(e, l)
    if !e.legalAddress.isEmpty { details.append(clean(e.legalAddress)) }
    if bank && !e.account.isEmpty {
      details.append(
        l.pick("acc. ", "р/с ") + e.account + l.pick(" at ", " в ") + clean(e.bankName))
      if !e.bik.isEmpty { details.append(l.pick("BIC ", "БИК ") + e.bik) }
      if !e.corrAccount.isEmpty { details.append(l.pick("corr. acc. ", "к/с ") + e.corrAccount) }
    }
    if !e.phone.isEmpty { details.append(l.pick("tel. ", "тел. ") + clean(e.phone)) }
    return Party(label: label, name: entityName(e), details: details)
  }

  /// The client as a party.
  static func theirs(
    _ label: String, _ name: String, _ inn: String, _ kpp: String, _ address: String,
    _ l: Language
  ) -> Party {
    let clean = TextFold.sanitizeLine
    var details: [String] = []
    if !inn.isEmpty { details.append(l.pick("INN ", "ИНН ") + clean(inn)) }
    if !kpp.isEmpty { details.append(l.pick("KPP ", "КПП ") + clean(kpp)) }
    if !address.isEmpty { details.append(clean(address)) }
    return Party(label: label, name: clean(name), details: details)
  }

  /// An offer's letterhead: the full name, the address, then the contacts on one line.
  static func letterhead(_ e: LegalEntity, _ l: Language) -> [String] {
    let clean = TextFold.sanitizeLine
    var out = [clean(e.fullName.isEmpty ? e.shortName : e.fullName)]
    let address = e.postalAddress.isEmpty ? e.legalAddress : e.postalAddress
    if !address.isEmpty { out.append(clean(address)) }
    var contacts: [String] = []
    if !e.phone.isEmpty { contacts.append(l.pick("tel. ", "тел. ") + clean(e.phone)) }
    if !e.email.isEmpty { contacts.append("e-mail " + clean(e.email)) }
    if !e.site.isEmpty { contacts.append(clean(e.site)) }
    if !contacts.isEmpty { out.append(contacts.joined(separator: ", ")) }
    return out.filter { !$0.isEmpty }
  }

  /// Who signs for our entity: the director and the chief accountant of a company; the
  /// entrepreneur alone for an ИП. A missing title takes the usual one.
  static func supplierSignatures(_ e: LegalEntity, _ l: Language) -> [Signature] {
    let clean = TextFold.sanitizeLine
    if e.kind == .entrepreneur {
      return [
        Signature(
          role: l.pick("Entrepreneur", "Индивидуальный предприниматель"),
          title: clean(e.directorTitle), name: clean(e.directorName),
          image: e.directorSignaturePNG)
      ]
    }
    return [
      Signature(
        role: l.pick("Director", "Руководитель"),
        title: clean(e.directorTitle), name: clean(e.directorName),
        image: e.directorSignaturePNG),
      Signature(
        role: l.pick("Accountant", "Бухгалтер"),
        title: clean(e.accountantTitle), name: clean(e.accountantName),
        image: e.accountantSignaturePNG),
    ]
  }

  /// «договор № 7/25 от 01.06.2026».
  static func contract(_ number: String?, _ date: String?, _ l: Language) -> String? {
    guard let number, !number.isEmpty else { return nil }
    let n = TextFold.sanitizeLine(number)
    let day = date.map { OfferService.displayDay($0, l) } ?? ""
    return day.isEmpty
      ? l.pick("contract No. \(n)", "договор № \(n)")
      : l.pick("contract No. \(n) of \(day)", "договор № \(n) от \(day)")
  }

  /// Text split into cleaned lines (blank lines kept inside); `fallback` when it is blank.
  static func paragraphs(_ text: String, default fallback: [String]) -> [String] {
    if text.trimmingSpaces().isEmpty { return fallback }
    return text.trimmingSpaces().split(separator: "\n", omittingEmptySubsequences: false).map {
      TextFold.sanitizeLine(String($0))
    }
  }
}
