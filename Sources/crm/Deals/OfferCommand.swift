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
    abstract: "Commercial offers on deals: lines, totals with VAT, printing, marking sent.",
    subcommands: [
      Add.self, Edit.self, LineCommand.self, Show.self, List.self, Print.self, Sent.self,
      Copy.self, Delete.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Create an offer on a deal, in the deal's currency; prints its id.")
    @OptionGroup var global: Global
    @Option(help: "Deal id.") var deal: Int64
    @Option(help: "Number (default: the next free one of the year, 2026-0001).") var number: String?
    @Option(help: "Date: 2026-11-23, 23.11.2026, today… (default: today).") var date: String?
    @Option(help: "Valid until: 2026-12-07, +14d…") var validUntil: String?
    @Option(help: "Notes printed under the totals.") var notes: String?
    @Flag(help: "Prices exclude VAT; VAT is added on top (default: prices include VAT).")
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
      abstract: "Change a draft's number, date, validity, notes or VAT mode.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64
    @Option var number: String?
    @Option var date: String?
    @Option(help: "Valid until (empty to clear).") var validUntil: String?
    @Option var notes: String?
    @Flag(help: "Prices include VAT.") var vatIncluded = false
    @Flag(help: "Prices exclude VAT; VAT is added on top.") var vatOnTop = false

    func validate() throws {
      if vatIncluded && vatOnTop {
        throw ValidationError("--vat-included and --vat-on-top exclude each other")
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
      abstract: "Add, change, remove, copy and reorder an offer's lines; add discounts.",
      subcommands: [
        LineAdd.self, LineEdit.self, LineRemove.self, LineMove.self, LineCopy.self,
        DiscountAdd.self, DiscountEdit.self,
      ])
  }

  struct LineCopy: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "copy", abstract: "Copy a draft's line N to just below it; prints its number.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Argument(help: "Line number.") var number: Int

    func run(_ session: Session) throws {
      print(try session.context.offers.copyLine(offer, number: number))
    }
  }

  struct DiscountAdd: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "discount",
      abstract: "Add a discount line to a draft: a percent of the lines above it or an amount.",
      discussion: """
        --amount "10 %" is a share of the goods lines above the discount at its VAT rate, \
        recomputed whenever the lines change; --amount 5000 subtracts a fixed sum. Prints the \
        line's number.
        """)
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Option(parsing: .unconditional, help: "10 %, 7,5 % or an amount: 5000.") var amount: String
    @Option(help: "The line's text (default: «Скидка 10 %»).") var item: String?
    @Option(
      parsing: .unconditional,
      help: "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the rate of the lines above).")
    var vat: String?
    @Option(help: "Insert as line N (default: at the end).") var at: Int?

    func run(_ session: Session) throws {
      print(
        try session.context.offers.addDiscount(
          offer, OfferDiscountInput(item: item, amount: amount, vat: vat), at: at))
    }
  }

  struct DiscountEdit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "discount-edit", abstract: "Change a draft's discount line N.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Argument(help: "Line number.") var number: Int
    @Option(parsing: .unconditional, help: "10 %, 7,5 % or an amount: 5000.") var amount: String?
    @Option var item: String?
    @Option(parsing: .unconditional, help: "none, 0, 5, 7, 10, 20, 22.") var vat: String?

    func run(_ session: Session) throws {
      try session.context.offers.updateDiscount(
        offer, number: number, OfferDiscountInput(item: item, amount: amount, vat: vat))
    }
  }

  struct LineAdd: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a line to a draft; prints its number.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Option(help: "Goods or service.") var item: String
    @Option(parsing: .unconditional, help: "Quantity: 2, 1,5, 0.125.") var qty: String
    @Option(parsing: .unconditional, help: "Price per unit: 1000, 1 000,50.") var price: String
    @Option(help: "Unit: шт, кг, ч…") var unit: String?
    @Option(
      parsing: .unconditional,
      help: "VAT rate: none, 0, 5, 7, 10, 20, 22 (default: the standard rate of the offer's date)."
    )
    var vat: String?
    @Option(help: "Insert as line N (default: at the end).") var at: Int?

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
      commandName: "edit", abstract: "Change fields of a draft's line N.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Argument(help: "Line number.") var number: Int
    @Option var item: String?
    @Option(parsing: .unconditional) var qty: String?
    @Option(parsing: .unconditional) var price: String?
    @Option var unit: String?
    @Option(parsing: .unconditional, help: "none, 0, 5, 7, 10, 20, 22.") var vat: String?

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.updateLine(
        offer, number: number,
        OfferLineInput(item: item, unit: unit, quantity: qty, price: price, vat: vat))
    }
  }

  struct LineRemove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove", abstract: "Remove a draft's line N; the next lines move up.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Argument(help: "Line number.") var number: Int

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.removeLine(offer, number: number)
    }
  }

  struct LineMove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "move", abstract: "Move a draft's line N to place M.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var offer: Int64
    @Argument(help: "Line number.") var number: Int
    @Option(help: "New place.") var to: Int

    func run(_ session: Session) throws {
      let service = session.context.offers
      try service.moveLine(offer, from: number, to: to)
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show an offer with its lines.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64
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
      commandName: "list", abstract: "List a deal's offers, oldest first.")
    @OptionGroup var global: Global
    @Option(help: "Deal id.") var deal: Int64
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
      abstract: "Print an offer as plain text (80 columns) or as an HTML page.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64
    @Flag(help: "A standalone HTML page with print styles instead of text.") var html = false
    @Option(help: "Write to this file (replaced atomically) instead of standard output.")
    var out: String?
    @Option(help: "Your company, printed as the sender.") var seller: String?

    func run(_ session: Session) throws {
      let l = global.language
      let d = try loadOffer(session.context.offers, id, global)
      guard let deal = try session.context.deals.deal(d.offer.dealId)?.deal else {
        throw fail(.notFound(what: l.pick("deal", "сделка"), id: d.offer.dealId), global)
      }
      let clients = session.context.clients
      guard let client = try clients.client(deal.clientId) else {
        throw fail(.notFound(what: l.pick("client", "клиент"), id: deal.clientId), global)
      }
      let text =
        html
        ? OfferDocument.html(
          d.offer, lines: d.lines, deal: deal, client: client, seller: seller, language: l)
        : OfferDocument.text(
          d.offer, lines: d.lines, deal: deal, client: client, seller: seller, language: l)
      try emit(text, out: out, global)
    }
  }

  struct Sent: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "sent",
      abstract: "Mark a draft sent: logs a done e-mail contact with the client.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64

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
      abstract: "Copy an offer (sent or not) to a new draft; prints the new id.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64

    func run(_ session: Session) throws {
      let id = try session.context.offers.copy(self.id)
      print(id)
    }
  }

  struct Delete: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Delete a draft offer.")
    @OptionGroup var global: Global
    @Argument(help: "Offer id.") var id: Int64

    func run(_ session: Session) throws {
      try session.context.offers.delete(id)
    }
  }
}
