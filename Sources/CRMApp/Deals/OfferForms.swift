import CRMCore
import Foundation
import TerminalUI

/// Adds a goods or service line to a draft offer (below the selected one), or edits one: item,
/// unit, quantity, price, VAT. The core reads the values and recomputes the sum and totals.
@MainActor
final class OfferLineFormScreen: FormScreen {
  let offerId: Int64
  let line: OfferLine?
  let at: Int?
  let then: (Int) -> Void

  init(
    context: AppContext, offer: OfferDetail, line: OfferLine?, at: Int?, tab: Int,
    then: @escaping (Int) -> Void
  ) {
    self.offerId = offer.id
    self.line = line
    self.at = at
    self.then = then
    let l = context.language
    let s = context.core.offers
    let cur = offer.totals.currency
    let vat =
      line.map { $0.vatRate.map(String.init) ?? l.pick("none", "без НДС") }
      ?? String(OfferService.standardVATRate(onDay: offer.offer.date))
    let rates = OfferService.vatRates.map(String.init).joined(separator: ", ")
    super.init(
      context: context,
      form: Form(
        title: (line == nil
          ? l.pick("New line: offer No. ", "Новая строка: КП № ")
          : l.pick("Line \(line!.position): offer No. ", "Строка \(line!.position): КП № "))
          + offer.offer.number,
        fields: [
          FormField(
            key: "item", label: s.fieldName("item"), value: line?.item ?? "",
            note: l.pick("goods or a service", "товар или услуга")),
          FormField(
            key: "unit", label: s.fieldName("unit"), value: line?.unit ?? "",
            note: l.pick("pcs, h, m²…", "шт, ч, м²…")),
          FormField(
            key: "quantity", label: s.fieldName("quantity"),
            value: line.map { OfferService.formatQuantity($0.quantityMilli, l) } ?? "1",
            note: l.pick("2, 1.5", "2, 1,5")),
          FormField(
            key: "price", label: s.fieldName("price"),
            value: line.map { MoneyText.input(Money(minor: $0.price, currency: cur), l) } ?? "",
            note: offer.offer.pricesIncludeVAT
              ? l.pick("incl. VAT, \(cur.code)", "с НДС, \(cur.code)")
              : l.pick("net of VAT, \(cur.code)", "без НДС, \(cur.code)")),
          FormField(
            key: "vat", label: s.fieldName("vat"), value: vat,
            note: rates + l.pick(" or none", " или без")),
        ]), tab: tab)
  }

  override var cancelMessage: String {
    context.language.pick("Line not saved.", "Строка не сохранена.")
  }

  override func submit(app: App) -> Bool {
    let input = OfferLineInput(
      item: form.value("item"), unit: form.value("unit"), quantity: form.value("quantity"),
      price: form.value("price"), vat: form.value("vat"))
    let s = context.core.offers
    return saving(app: app) { () throws(CRMError) -> Bool in
      let number: Int
      if let line {
        try s.updateLine(offerId, number: line.position, input)
        number = line.position
        app.flash(l.pick("Line saved.", "Строка сохранена."))
      } else {
        number = try s.addLine(offerId, input, at: at)
        app.flash(l.pick("Line \(number) added.", "Строка \(number) добавлена."))
      }
      then(number)
      return true
    }
  }
}

/// Adds a discount line below the selected one, or edits one: a percent of the goods above it
/// at its VAT rate (recomputed by the core whenever the lines change) or a fixed amount.
@MainActor
final class OfferDiscountFormScreen: FormScreen {
  let offerId: Int64
  let line: OfferLine?
  let at: Int?
  let then: (Int) -> Void

  init(
    context: AppContext, offer: OfferDetail, line: OfferLine?, at: Int?, tab: Int,
    then: @escaping (Int) -> Void
  ) {
    self.offerId = offer.id
    self.line = line
    self.at = at
    self.then = then
    let l = context.language
    let s = context.core.offers
    let cur = offer.totals.currency
    let amount =
      line.map { d in
        d.percent.map { OfferService.formatPercent($0, l) }
          ?? MoneyText.input(Money(minor: -d.price, currency: cur), l)
      } ?? ""
    let vat = line.map { $0.vatRate.map(String.init) ?? l.pick("none", "без НДС") } ?? ""
    super.init(
      context: context,
      form: Form(
        title: (line == nil
          ? l.pick("Discount: offer No. ", "Скидка: КП № ")
          : l.pick("Discount, line \(line!.position): No. ", "Скидка, строка \(line!.position): № "))
          + offer.offer.number,
        fields: [
          FormField(
            key: "amount", label: l.pick("Discount", "Скидка"), value: amount,
            note: l.pick(
              "10 % of the lines above, or an amount: 5 000", "10 % от строк выше или сумма: 5 000")
          ),
          FormField(
            key: "item", label: s.fieldName("item"), value: line?.item ?? "",
            note: l.pick("empty = «Discount 10 %»", "пусто — «Скидка 10 %»")),
          FormField(
            key: "vat", label: s.fieldName("vat"), value: vat,
            note: l.pick(
              "empty = the rate of the lines above", "пусто — ставка строк выше")),
        ]), tab: tab)
    warnings = [
      l.pick(
        "10 % is a share of the goods lines above at the discount's VAT rate, kept up to date;",
        "10 % — доля строк товаров выше с той же ставкой НДС, пересчитывается сама;"),
      l.pick(
        "5 000 subtracts a fixed amount. Empty VAT: the rate of the lines above.",
        "5 000 — вычесть фиксированную сумму. НДС пусто — ставка строк выше."),
    ]
  }

  override var cancelMessage: String {
    context.language.pick("Discount not saved.", "Скидка не сохранена.")
  }

  override func submit(app: App) -> Bool {
    let vat = form.value("vat").trimmingSpaces()
    let input = OfferDiscountInput(
      item: form.value("item"), amount: form.value("amount"), vat: vat.isEmpty ? nil : vat)
    let s = context.core.offers
    return saving(app: app) { () throws(CRMError) -> Bool in
      let number: Int
      if let line {
        try s.updateDiscount(offerId, number: line.position, input)
        number = line.position
      } else {
        number = try s.addDiscount(offerId, input, at: at)
      }
      let total = try s.offer(offerId).map {
        MoneyText.amount($0.totals.gross, $0.totals.currency, l)
      }
      app.flash(
        l.pick("Discount saved; total ", "Скидка сохранена; всего ") + (total ?? "") + ".")
      then(number)
      return true
    }
  }
}

/// The header of a draft offer: number, date, valid until, whether prices include VAT, notes.
@MainActor
final class OfferHeaderFormScreen: FormScreen {
  let offer: Offer
  let then: () -> Void

  init(context: AppContext, offer: OfferDetail, tab: Int, then: @escaping () -> Void) {
    self.offer = offer.offer
    self.then = then
    let l = context.language
    let s = context.core.offers
    let o = offer.offer
    super.init(
      context: context,
      form: Form(
        title: l.pick("Offer No. ", "КП № ") + o.number,
        fields: [
          FormField(key: "number", label: s.fieldName("number"), value: o.number),
          FormField(
            key: "date", label: s.fieldName("date"), value: MoneyText.day(o.date, l),
            note: l.pick("31.12.2026, today", "31.12.2026, сегодня")),
          FormField(
            key: "valid_until", label: s.fieldName("valid_until"),
            value: MoneyText.day(o.validUntil, l), note: l.pick("a date, +14d", "дата, +14d")),
          FormField(
            key: "prices_include_vat", label: s.fieldName("prices_include_vat"),
            value: o.pricesIncludeVAT ? l.pick("yes", "да") : l.pick("no", "нет"),
            note: l.pick("yes / no", "да / нет")),
          FormField(key: "notes", label: s.fieldName("notes"), value: o.notes),
        ]), tab: tab)
  }

  override func submit(app: App) -> Bool {
    var o = offer
    o.number = form.value("number")
    o.date = form.value("date")
    o.validUntil = form.value("valid_until")
    o.notes = form.value("notes")
    switch TextFold.key(form.value("prices_include_vat").trimmingSpaces()) {
    case "yes", "y", "да", "д", "с ндс", "1": o.pricesIncludeVAT = true
    case "no", "n", "нет", "н", "без ндс", "0": o.pricesIncludeVAT = false
    default:
      form.setError("prices_include_vat", l.pick("yes or no", "да или нет"))
      return false
    }
    let s = context.core.offers
    return saving(app: app) { () throws(CRMError) -> Bool in
      try s.update(o)
      app.flash(l.pick("Saved.", "Сохранено."))
      then()
      return true
    }
  }
}
