import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

/// An offer with its lines, or a not-found failure naming the id.
func loadOffer(_ service: OfferService, _ id: Int64, _ g: Global) throws -> OfferDetail {
  guard let d = try service.offer(id) else {
    throw fail(.notFound(what: g.language.pick("offer", "КП"), id: id), g)
  }
  return d
}

/// One offer on one line: id, number, date, status, total, line count.
func offerLine(_ d: OfferDetail, _ g: Global) -> String {
  let l = g.language
  let o = d.offer
  return [
    TextWidth.fit("№\(d.id)", to: 7), TextWidth.fit(o.number, to: 12),
    OfferService.displayDay(o.date, l), TextWidth.fit(o.status.name(l), to: 11),
    TextWidth.fit(d.totals.money(d.totals.gross).formatted(l), to: 18, alignRight: true),
    l.pick("lines: \(d.lines.count)", "строк: \(d.lines.count)"),
  ].joined(separator: "  ")
}

/// One line of an offer, invoice or act for `show`: `  1. Монтаж — 2 шт × 1 500,00 ₽, НДС 22 % =
/// 3 000,00 ₽`.
func documentLine(_ line: OfferLine, _ t: OfferTotals, _ l: Language) -> String {
  if line.isDiscount {
    return "  \(line.position). \(line.item) — "
      + (line.percent.map { OfferService.formatPercent($0, l) + ", " } ?? "")
      + (line.vatRate.map { l.pick("VAT", "НДС") + " \($0)\u{00A0}%" }
        ?? l.pick("no VAT", "без НДС"))
      + " = \(t.money(line.sum).formatted(l))"
  }
  return "  \(line.position). \(line.item) — \(OfferService.formatQuantity(line.quantityMilli, l))"
    + (line.unit.isEmpty ? "" : " \(line.unit)")
    + " × \(t.money(line.price).formatted(l)), "
    + (line.vatRate.map { l.pick("VAT", "НДС") + " \($0)\u{00A0}%" } ?? l.pick("no VAT", "без НДС"))
    + " = \(t.money(line.sum).formatted(l))"
}

/// `Без НДС: …; НДС: …; к оплате: …` of a document's lines.
func documentTotals(_ t: OfferTotals, _ l: Language) -> String {
  let money = { (minor: Int64) in t.money(minor).formatted(l) }
  return l.pick("Net", "Без НДС") + ": \(money(t.net)); " + l.pick("VAT", "НДС") + ": "
    + (t.withoutVAT ? l.pick("none", "без НДС") : money(t.vat)) + "; "
    + l.pick("to pay", "к оплате") + ": \(money(t.gross))"
}

/// A printout to `out` (replaced atomically) or to standard output.
func emit(_ text: String, out: String?, _ g: Global) throws {
  if let out {
    try writeAtomically(text, to: out, g)
  } else {
    print(text, terminator: "")
  }
}

// MARK: crm offer

struct OfferCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "offer",
    abstract: tr(
      "Commercial offers on deals: lines, totals with VAT, printing, marking sent.",
      "Коммерческие предложения по сделкам: строки, итоги с НДС, печать, отметка об отправке."),
    subcommands: [
      Add.self, Edit.self, LineCommand.self, Show.self, List.self, Print.self, Sent.self,
      OfferSend.self,
      Copy.self, Delete.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Create an offer on a deal, in the deal's currency; prints its id.",
        "Создать КП по сделке в валюте сделки; выводит его номер."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Deal id.",
        "Номер сделки.")) var deal: Int64
    @Option(
      help: tr(
        "Number (default: the next free one of the year, 2026-0001).",
        "Номер (по умолчанию: следующий свободный в году, 2026-0001).")) var number: String?
    @Option(
      help: tr(
        "Date: 2026-11-23, 23.11.2026, today… (default: today).",
        "Дата: 2026-11-23, 23.11.2026, today… (по умолчанию: сегодня).")) var date: String?
    @Option(
      help: tr(
        "Valid until: 2026-12-07, +14d…",
        "Действует до: 2026-12-07, +14d…")) var validUntil: String?
    @Option(
      help: tr(
        "Notes printed under the totals.",
        "Заметки, печатаемые под итогами.")) var notes: String?
    @Flag(
      help: tr(
        "Prices exclude VAT; VAT is added on top (default: prices include VAT).",
        "Цены без НДС; НДС начисляется сверху (по умолчанию: цены с НДС)."))
    var vatOnTop = false

    func run(_ session: Session) throws {
      let service = session.context.offers
      let id = try service.add(
        Offer(
          dealId: deal, number: number ?? "", date: date ?? "", pricesIncludeVAT: !vatOnTop,
          validUntil: validUntil ?? "", notes: notes ?? ""))
      print(id)
    }
  }

  struct Edit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change a draft's number, date, validity, notes or VAT mode.",
        "Изменить номер, дату, срок действия, заметки или режим НДС черновика."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64
    @Option(help: tr("Number.", "Номер.")) var number: String?
    @Option(help: tr("The new date.", "Новая дата.")) var date: String?
    @Option(
      help: tr(
        "Valid until (empty to clear).",
        "Действует до (пусто — очистить).")) var validUntil: String?
    @Option(help: tr("Notes.", "Заметки.")) var notes: String?
    @Flag(
      help: tr(
        "Prices include VAT.",
        "Цены с НДС.")) var vatIncluded = false
    @Flag(
      help: tr(
        "Prices exclude VAT; VAT is added on top.",
        "Цены без НДС; НДС начисляется сверху.")) var vatOnTop = false

    func validate() throws {
      if vatIncluded && vatOnTop {
        throw ValidationError(
          tr(
            "--vat-included and --vat-on-top exclude each other",
            "--vat-included и --vat-on-top несовместимы"))
      }
    }

    func run(_ session: Session) throws {
      let service = session.context.offers
      var o = try loadOffer(service, id, global).offer
      if let number { o.number = number }
      if let date { o.date = date }
      if let validUntil { o.validUntil = validUntil }
      if let notes { o.notes = notes }
      if vatIncluded { o.pricesIncludeVAT = true }
      if vatOnTop { o.pricesIncludeVAT = false }
      try service.update(o)
    }
  }

  struct LineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "line",
      abstract: tr(
        "Add, change, remove, copy and reorder an offer's lines; add discounts.",
        "Добавить, изменить, удалить, скопировать и переставить строки КП; добавить скидки."),
      subcommands: [
        LineAdd.self, LineEdit.self, LineRemove.self, LineMove.self, LineCopy.self,
        DiscountAdd.self, DiscountEdit.self,
      ])
  }

  struct LineCopy: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "copy",
      abstract: tr(
        "Copy a draft's line N to just below it; prints its number.",
        "Скопировать строку N черновика сразу под неё; печатает её номер."))
    @OptionGroup var global: Global
    @Argument(help: tr("Offer id.", "Номер КП.")) var offer: Int64
    @Argument(help: tr("Line number.", "Номер строки.")) var number: Int

    func run(_ session: Session) throws {
      print(try session.context.offers.copyLine(offer, number: number))
    }
  }

  struct DiscountAdd: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "discount",
      abstract: tr(
        "Add a discount line to a draft: a percent of the lines above it or an amount.",
        "Добавить в черновик строку скидки: процент от строк выше или сумму."),
      discussion: tr(
        "--amount \"10 %\" is a share of the goods lines above the discount at its VAT rate, "
          + "recomputed whenever the lines change; --amount 5000 subtracts a fixed sum. Prints the "
          + "line's number.",
        "--amount \"10 %\" — доля строк товаров выше скидки с той же ставкой НДС, пересчитывается "
          + "при каждом изменении строк; --amount 5000 вычитает твёрдую сумму. Печатает номер "
          + "строки."))
    @OptionGroup var global: Global
    @Argument(help: tr("Offer id.", "Номер КП.")) var offer: Int64
    @Option(
      parsing: .unconditional,
      help: tr("10 %, 7,5 % or an amount: 5000.", "10 %, 7,5 % или сумма: 5000.")) var amount:
      String
    @Option(
      help: tr(
        "The line's text (default: «Скидка 10 %»).", "Текст строки (по умолчанию «Скидка 10 %»)."))
    var item: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the rate of the lines above).",
        "Ставка НДС: none, 0, 5, 7, 10, 20, 22 (по умолчанию — ставка строк выше)."))
    var vat: String?
    @Option(
      help: tr(
        "Insert as line N (default: at the end).", "Вставить строкой N (по умолчанию в конец)."))
    var at: Int?

    func run(_ session: Session) throws {
      print(
        try session.context.offers.addDiscount(
          offer, OfferDiscountInput(item: item, amount: amount, vat: vat), at: at))
    }
  }

  struct DiscountEdit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "discount-edit",
      abstract: tr("Change a draft's discount line N.", "Изменить строку скидки N черновика."))
    @OptionGroup var global: Global
    @Argument(help: tr("Offer id.", "Номер КП.")) var offer: Int64
    @Argument(help: tr("Line number.", "Номер строки.")) var number: Int
    @Option(
      parsing: .unconditional,
      help: tr("10 %, 7,5 % or an amount: 5000.", "10 %, 7,5 % или сумма: 5000."))
    var amount: String?
    @Option(help: tr("The line's text.", "Текст строки.")) var item: String?
    @Option(
      parsing: .unconditional,
      help: tr("none, 0, 5, 7, 10, 20, 22.", "none, 0, 5, 7, 10, 20, 22 (ставка НДС)."))
    var vat: String?

    func run(_ session: Session) throws {
      try session.context.offers.updateDiscount(
        offer, number: number, OfferDiscountInput(item: item, amount: amount, vat: vat))
    }
  }

  struct LineAdd: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a line to a draft; prints its number.",
        "Добавить строку в черновик; выводит её номер."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var offer: Int64
    @Option(
      help: tr(
        "Goods or service.",
        "Товар или услуга.")) var item: String
    @Option(
      parsing: .unconditional,
      help: tr(
        "Quantity: 2, 1,5, 0.125.",
        "Количество: 2, 1,5, 0.125.")) var qty: String
    @Option(
      parsing: .unconditional,
      help: tr(
        "Price per unit: 1000, 1 000,50.",
        "Цена за единицу: 1000, 1 000,50.")) var price: String
    @Option(
      help: tr(
        "Unit: шт, кг, ч…",
        "Единица: шт, кг, ч…")) var unit: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the standard rate of the offer's date).",
        "Ставка НДС: none, 0, 5, 7, 10, 20, 22 (по умолчанию: основная ставка на дату КП).")
    )
    var vat: String?
    @Option(
      help: tr(
        "Insert as line N (default: at the end).",
        "Вставить строкой N (по умолчанию: в конец).")) var at: Int?

    func run(_ session: Session) throws {
      let service = session.context.offers
      let n = try service.addLine(
        offer,
        OfferLineInput(item: item, unit: unit ?? "", quantity: qty, price: price, vat: vat),
        at: at)
      print(n)
    }
  }

  struct LineEdit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change fields of a draft's line N.",
        "Изменить поля строки N черновика."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var offer: Int64
    @Argument(
      help: tr(
        "Line number.",
        "Номер строки.")) var number: Int
    @Option(help: tr("Goods or service.", "Товар или услуга.")) var item: String?
    @Option(
      parsing: .unconditional,
      help: tr("Quantity: 2, 1,5, 0.125.", "Количество: 2, 1,5, 0.125."))
    var qty: String?
    @Option(
      parsing: .unconditional,
      help: tr("Price per unit: 1000, 1 000,50.", "Цена за единицу: 1000, 1 000,50."))
    var price: String?
    @Option(help: tr("Unit: шт, кг, ч…", "Единица: шт, кг, ч…")) var unit: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "none, 0, 5, 7, 10, 20, 22.",
        "none, 0, 5, 7, 10, 20, 22 (ставка НДС).")) var vat: String?

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.updateLine(
        offer, number: number,
        OfferLineInput(item: item, unit: unit, quantity: qty, price: price, vat: vat))
    }
  }

  struct LineRemove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: tr(
        "Remove a draft's line N; the next lines move up.",
        "Удалить строку N черновика; следующие поднимаются."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var offer: Int64
    @Argument(
      help: tr(
        "Line number.",
        "Номер строки.")) var number: Int

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.removeLine(offer, number: number)
    }
  }

  struct LineMove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "move",
      abstract: tr(
        "Move a draft's line N to place M.",
        "Переставить строку N черновика на место M."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var offer: Int64
    @Argument(
      help: tr(
        "Line number.",
        "Номер строки.")) var number: Int
    @Option(
      help: tr(
        "New place.",
        "Новое место.")) var to: Int

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.moveLine(offer, from: number, to: to)
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show an offer with its lines.",
        "Показать КП с его строками."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let d = try loadOffer(session.context.offers, id, global)
      if output.json {
        printJSON(OfferJSON.object(d))
        return
      }
      let l = global.language
      let o = d.offer
      let t = d.totals
      print(
        l.pick(
          "Offer No. \(o.number) of \(OfferService.displayDay(o.date, l)) (№\(d.id)), \(o.status.name(l))",
          "КП № \(o.number) от \(OfferService.displayDay(o.date, l)) (№\(d.id)), \(o.status.name(l))"
        ))
      var pairs: [(String, String)] = [
        (l.pick("Deal", "Сделка"), "\(d.dealTitle) (№\(o.dealId))"),
        (l.pick("Client", "Клиент"), "\(d.clientName) (№\(d.clientId))"),
        (
          l.pick("Valid until", "Действительно до"),
          o.validUntil.isEmpty ? "" : OfferService.displayDay(o.validUntil, l)
        ),
        (
          l.pick("Prices", "Цены"),
          o.pricesIncludeVAT
            ? l.pick("include VAT", "с НДС") : l.pick("VAT on top", "без НДС, НДС сверху")
        ),
        (l.pick("Sent", "Отправлено"), o.sentAt.map(global.formats.dateTime) ?? ""),
        (l.pick("Contact", "Контакт"), o.contactId.map { "№\($0)" } ?? ""),
        (l.pick("Notes", "Заметки"), o.notes),
      ]
      pairs = pairs.filter { !$0.1.isEmpty }
      for (k, v) in pairs { print("\(k): \(v)") }
      for line in d.lines { print(documentLine(line, t, l)) }
      print(documentTotals(t, l))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List a deal's offers, oldest first.",
        "Список КП сделки, сначала старые."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Deal id.",
        "Номер сделки.")) var deal: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.offers
      let rows = try service.offers(ofDeal: deal)
      if output.json {
        printJSON(rows.map(OfferJSON.object))
      } else {
        for r in rows { print(offerLine(r, global)) }
      }
    }
  }

  struct Print: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "print",
      abstract: tr(
        "Print an offer as plain text (80 columns) or as an HTML page.",
        "Напечатать КП простым текстом (80 колонок) или HTML-страницей."),
      discussion: tr(
        "The sender is our company (crm company show) with its logo and contacts; the deal's owner signs as the manager. The deal's own title is not printed.",
        "Отправитель — наша организация (crm company show) с логотипом и контактами; подписывает ответственный за сделку менеджер. Название сделки не печатается."
      ))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64
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

    func run(_ session: Session) throws {
      let form = try DocumentForm.load(.offer, id: id, context: session.context)
      if pdf {
        try emitPDF(form, .offer, id: id, out: out, session)
      } else {
        try emit(html ? form.html() : form.text(), out: out, global)
      }
    }
  }

  struct Sent: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "sent",
      abstract: tr(
        "Mark a draft sent: logs a done e-mail contact with the client.",
        "Отметить черновик отправленным: записывает сделанный контакт e-mail с клиентом."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64

    func run(_ session: Session) throws {
      let service = session.context.offers
      let contact = try service.markSent(id)
      let number = try loadOffer(service, id, global).offer.number
      print(
        global.language.pick(
          "Offer No. \(number) marked sent; e-mail contact №\(contact) logged.",
          "КП № \(number) отмечено отправленным; записан контакт №\(contact) (e-mail)."))
    }
  }

  struct Copy: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "copy",
      abstract: tr(
        "Copy an offer (sent or not) to a new draft; prints the new id.",
        "Скопировать КП (отправленное или нет) в новый черновик; выводит новый номер."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64

    func run(_ session: Session) throws {
      let id = try session.context.offers.copy(self.id)
      print(id)
    }
  }

  struct Delete: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete",
      abstract: tr(
        "Delete a draft offer.",
        "Удалить черновик КП."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Offer id.",
        "Номер КП.")) var id: Int64

    func run(_ session: Session) throws {
      try session.context.offers.delete(id)
    }
  }
}
