import CRMCore
import Foundation

extension DocumentForm {
  /// The form of document `id` as the acting user may see it, from the entity it comes from
  /// (its own, its contract's, else the default), after checking that every requisite the form
  /// shows is set and valid: otherwise `.invalid` names the field and who can set it (the
  /// active admins), and the caller writes nothing. Throws `.notFound` for a document the user
  /// cannot see.
  /// `asIssued`: a draft invoice is laid out as issued (what an e-mail that issues it sends).
  public static func load(
    _ kind: Kind, id: Int64, context: ServiceContext, asIssued: Bool = false
  ) throws(CRMError) -> DocumentForm {
    let l = context.language
    let companies = context.companies
    switch kind {
    case .invoice:
      guard var d = try context.money.invoice(id) else {
        throw .notFound(what: l.pick("invoice", "счёт"), id: id)
      }
      if asIssued && d.invoice.stored == .draft { d.invoice.stored = .issued }
      let e = try companies.entity(for: .invoice, id: id)
      try companies.requireReady(e, for: .invoice)
      var form = invoice(d, from: e!, language: l)
      form.day = d.invoice.date
      return form
    case .act:
      guard let d = try context.money.act(id) else {
        throw .notFound(what: l.pick("act", "акт"), id: id)
      }
      let e = try companies.entity(for: .act, id: id)
      try companies.requireReady(e, for: .act)
      var form = act(d, from: e!, language: l)
      form.day = d.act.date
      return form
    case .offer:
      guard let d = try context.offers.offer(id) else {
        throw .notFound(what: l.pick("offer", "КП"), id: id)
      }
      guard let deal = try context.deals.deal(d.offer.dealId)?.deal else {
        throw .notFound(what: l.pick("deal", "сделка"), id: d.offer.dealId)
      }
      guard let client = try context.clients.client(deal.clientId) else {
        throw .notFound(what: l.pick("client", "клиент"), id: deal.clientId)
      }
      let e = try companies.entity(for: .offer, id: id)
      try companies.requireReady(e, for: .offer)
      let manager = try companies.signerName(userId: deal.ownerId)
      var form = offer(
        d.offer, lines: d.lines, client: client, from: e!, manager: manager, language: l)
      form.day = d.offer.date
      return form
    }
  }
}
