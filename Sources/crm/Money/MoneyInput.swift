import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: Shared helpers

/// Reads the money fields typed on the command line; every error names the field as the core
/// does («Сумма: …», «Курс: …») and exits 1 before anything is written.
struct MoneyInput {
  let global: Global
  let service: MoneyService

  var l: Language { global.language }

  func failure(_ key: String, _ en: String, _ ru: String) -> Failure {
    Failure(message: "\(service.fieldName(key)): " + l.pick(en, ru), code: 1)
  }

  /// An ISO 4217 code this build knows.
  func currency(_ text: String) throws -> Currency {
    try Currency.parse(text, language: l, field: service.fieldName("currency"))
  }

  /// An amount as people type it (`120000`, `120 000,00`, `1 000,50 ₽`), never negative;
  /// `positive` refuses zero too.
  func sum(_ text: String, _ c: Currency, key: String = "sum", positive: Bool = true) throws
    -> Money
  {
    let m = try Money.parse(text, currency: c, language: l, field: service.fieldName(key))
    if positive && m.minor == 0 {
      throw failure(key, "must be more than zero", "должна быть больше нуля")
    }
    return m
  }

  /// Roubles per unit of a foreign currency; refused for roubles.
  func rate(_ text: String, currency: Currency) throws -> Decimal? {
    let r = try MoneyService.parseRate(text, language: l, field: service.fieldName("rate"))
    if r != nil && currency.code == "RUB" {
      throw failure(
        "rate", "a rate is for a foreign currency, not roubles; set --currency",
        "курс указывают для валюты, а не для рублей; укажите --currency")
    }
    return r
  }

  /// A whole percent: `30`, `30%`, `30 %` (the core checks 0–100).
  func percent(_ text: String, key: String) throws -> Int {
    let t = text.replacingOccurrences(of: "%", with: "").trimmingSpaces()
    guard let p = Int(t) else {
      throw failure(
        key, "«\(text)»: type a whole number of percent from 0 to 100",
        "«\(text)»: укажите целое число процентов от 0 до 100")
    }
    return p
  }

  /// A whole number of days (the core checks the range).
  func days(_ text: String, key: String) throws -> Int {
    guard let d = Int(text.trimmingSpaces()) else {
      throw failure(
        key, "«\(text)»: type a whole number of days, e.g. 10",
        "«\(text)»: укажите целое число дней, например 10")
    }
    return d
  }

  /// A day typed as `31.12.2026`, `2026-12-31`, `+14d`, `завтра` → `YYYY-MM-DD`; empty stays
  /// empty.
  func day(_ text: String, key: String) throws -> String {
    try service.day(text, field: key)
  }

  /// The lines of an invoice or an act: one line of quantity 1 at `sum` (named `item`, at
  /// `vat`), or lines `ITEM|QTY|PRICE[|VAT[|UNIT]]`; none when neither is given.
  func lines(sum: String?, item: String?, vat: String?, specs: [String], currency: Currency)
    throws -> [OfferLineInput]
  {
    if sum != nil && !specs.isEmpty {
      throw failure(
        "sum", "give --sum or --line, not both", "укажите либо --sum, либо --line, но не оба")
    }
    if let sum {
      let m = try self.sum(sum, currency)
      return [DocumentDraft.sumLine(m.plain, item: item ?? "", vat: vat)]
    }
    return try specs.enumerated().map { i, spec in
      let parts = spec.split(separator: "|", omittingEmptySubsequences: false).map {
        String($0).trimmingSpaces()
      }
      guard (3...5).contains(parts.count), !parts[0].isEmpty else {
        throw Failure(
          message: "\(service.fieldName("line")) \(i + 1): "
            + l.pick(
              "«\(spec)»: write it as ITEM|QTY|PRICE, optionally |VAT|UNIT, e.g. \"Монтаж|2|1500|22|шт\"",
              "«\(spec)»: укажите как НАИМЕНОВАНИЕ|КОЛ-ВО|ЦЕНА и, если нужно, |НДС|ЕД., например \"Монтаж|2|1500|22|шт\""
            ), code: 1)
      }
      let lineVAT = parts.count > 3 && !parts[3].isEmpty ? parts[3] : vat
      return OfferLineInput(
        item: parts[0], unit: parts.count > 4 ? parts[4] : "", quantity: parts[1],
        price: parts[2], vat: lineVAT)
    }
  }
}

/// The invoice with this id, or exit 1 naming it.
func loadInvoice(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> InvoiceDetail {
  guard let d = try s.invoice(id) else {
    throw fail(.notFound(what: g.language.pick("invoice", "счёт"), id: id), g)
  }
  return d
}

func loadContract(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> ContractRow {
  guard let r = try s.contract(id) else {
    throw fail(.notFound(what: g.language.pick("contract", "договор"), id: id), g)
  }
  return r
}

func loadAct(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> ActDetail {
  guard let d = try s.act(id) else {
    throw fail(.notFound(what: g.language.pick("act", "акт"), id: id), g)
  }
  return d
}

func loadPayment(_ s: MoneyService, _ id: Int64, _ g: Global) throws -> MoneyService.PaymentRow {
  guard let r = try s.payment(id) else {
    throw fail(.notFound(what: g.language.pick("payment", "платёж"), id: id), g)
  }
  return r
}

/// What `crm invoice print` and `crm act print` take: the id, `--html` and `--out`.
struct PrintOptions: ParsableArguments {
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "Id of the document.",
      "Номер документа.")) var id: Int64
  @Flag(
    help: tr(
      "A standalone HTML page with print styles instead of text.",
      "Отдельная HTML-страница со стилями для печати вместо текста.")) var html = false
  @Option(
    help: tr(
      "Write to this file (replaced atomically) instead of standard output.",
      "Записать в этот файл (заменяется атомарно) вместо стандартного вывода."))
  var out: String?
  @Flag(help: pdfHelp) var pdf = false

  /// Renders document `kind` from the entity it comes from, as text or HTML, and prints it or
  /// writes it to `--out`; refused (nothing written) while a requisite it shows is missing.
  func output(_ session: Session, _ kind: DocumentForm.Kind) throws {
    let form = try DocumentForm.load(kind, id: id, context: session.context)
    if pdf {
      try emitPDF(form, kind, id: id, out: out, session)
    } else {
      try emit(html ? form.html() : form.text(), out: out, global)
    }
  }
}

/// Changes a document through `change`, then prints what `done` says of it.
func change<D>(
  _ session: Session, _ change: (MoneyService) throws -> Void, load: (MoneyService) throws -> D,
  done: (D) -> String
) throws {
  _ = try session.writer()
  let service = session.context.money
  try change(service)
  print(done(try load(service)))
}

/// An amount for a table column: with kopecks when it fits, else whole units, else `12,5 млн ₽`.
func moneyCell(_ m: Money, width: Int, _ l: Language) -> String {
  let full = m.formatted(l)
  return TextWidth.of(full) <= width ? full : amountCell(m, width: width, l)
}

/// `23.11.2026` (ru) / `2026-11-23` (en); empty stays empty.
func shownDay(_ iso: String, _ l: Language) -> String { OfferService.displayDay(iso, l) }

/// `Label: value` lines of a `show`, the empty values left out.
func fieldLines(_ pairs: [(String, String)]) -> [String] {
  pairs.filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1)" }
}

/// `№ 7/25 от 01.06.2026`.
func documentName(_ number: String, _ date: String?, _ l: Language) -> String {
  guard let date, !date.isEmpty else { return "№ \(number)" }
  return l.pick("No. \(number) of \(shownDay(date, l))", "№ \(number) от \(shownDay(date, l))")
}

/// The rate as typed back: `92,5012` (ru) / `92.5012` (en).
func rateText(_ r: Decimal?, _ l: Language) -> String {
  guard let r else { return "" }
  let s = NSDecimalNumber(decimal: r).stringValue
  return l == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
}

extension ContractStatus {
  /// A status by its key or its name in either language.
  static func parse(_ text: String, _ g: Global, field: String) throws -> ContractStatus {
    let key = TextFold.key(text.trimmingSpaces())
    if let s = allCases.first(where: {
      $0.rawValue == key || TextFold.key($0.name(.ru)) == key || TextFold.key($0.name(.en)) == key
    }) {
      return s
    }
    let names = allCases.map { "\($0.rawValue) (\($0.name(g.language)))" }.joined(separator: ", ")
    throw Failure(
      message: "\(field): "
        + g.language.pick("«\(text)»: use one of \(names)", "«\(text)»: укажите одно из: \(names)"),
      code: 1)
  }
}
