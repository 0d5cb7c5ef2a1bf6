import CRMCore
import Foundation

/// The `--json` shape of contracts, invoices, acts, payments and money summaries, stable for
/// scripts: snake_case keys (sorted through `JSONText.text`), amounts as decimal text in the
/// document's currency (`"120000.00"`, never a float) beside a `currency` code, rates as decimal
/// text (`"92.5012"`) or `null`, days as `YYYY-MM-DD` (`null` when absent), statuses as the
/// enums' raw values (`issued`, `partly_paid`, `paid`, `overdue`…).
public enum MoneyJSON {
  static func optional<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

  /// `YYYY-MM-DD`, or `null` for an empty day.
  static func day(_ d: String?) -> Any {
    guard let d, !d.isEmpty else { return NSNull() }
    return d
  }

  static func rate(_ r: Decimal?) -> Any {
    r.map { NSDecimalNumber(decimal: $0).stringValue } ?? NSNull()
  }

  static func plain(_ minor: Int64, _ c: Currency) -> String {
    Money(minor: minor, currency: c).plain
  }

  /// A client's (or a contract's) money in one currency.
  public static func summary(_ s: MoneySummary) -> [String: Any] {
    let c = s.currency
    return [
      "currency": c.code, "contracted": plain(s.contracted, c), "invoiced": plain(s.invoiced, c),
      "paid": plain(s.paid, c), "management_only": plain(s.managementOnly, c),
      "owed": plain(s.owed, c), "overdue": plain(s.overdue, c),
      "unallocated": plain(s.unallocated, c), "acted": plain(s.acted, c),
    ]
  }

  /// A contract with its money: invoiced, paid, owed (the balance), overdue, still to invoice.
  public static func contract(_ r: ContractRow) -> [String: Any] {
    let k = r.contract
    let c = k.money
    let s = r.summary
    return [
      "id": r.id, "client_id": k.clientId, "client": r.clientName, "deal_id": optional(k.dealId),
      "number": k.number, "date": day(k.date), "kind": k.kind.rawValue, "subject": k.subject,
      "amount": plain(k.amount, c), "currency": k.currency, "rate": rate(k.rate),
      "conventional_units": k.conventionalUnits, "prepay_percent": k.prepayPercent,
      "payment_days": optional(k.paymentDays), "terms": k.terms, "status": k.status.rawValue,
      "valid_until": day(k.validUntil), "notes": k.notes, "invoiced": plain(s.invoiced, c),
      "paid": plain(s.paid, c), "owed": plain(s.owed, c), "overdue": plain(s.overdue, c),
      "to_invoice": plain(r.toInvoice, c), "acted": plain(s.acted, c),
      "unallocated": plain(s.unallocated, c), "management_only": plain(s.managementOnly, c),
    ]
  }

  static func invoiceFields(_ i: Invoice, today: String) -> [String: Any] {
    let c = i.money
    return [
      "id": i.id ?? 0, "client_id": i.clientId, "contract_id": optional(i.contractId),
      "deal_id": optional(i.dealId), "number": i.number, "date": day(i.date),
      "due_date": day(i.dueDate), "currency": i.currency, "rate": rate(i.rate),
      "prices_include_vat": i.pricesIncludeVAT, "status": i.status(today: today).rawValue,
      "total": plain(i.total, c), "vat": plain(i.vat, c), "paid": plain(i.paid, c),
      "owed": plain(i.owed, c), "overpaid": plain(i.overpaid, c), "notes": i.notes,
    ]
  }

  /// An invoice as `crm invoice list` gives it; `status` is read on `today` (`YYYY-MM-DD`).
  public static func invoice(_ r: InvoiceRow, today: String) -> [String: Any] {
    var o = invoiceFields(r.invoice, today: today)
    o["client"] = r.clientName
    o["contract_number"] = optional(r.contractNumber)
    return o
  }

  /// A whole invoice: the list's fields, the buyer's requisites, lines, totals and the payments
  /// allocated to it.
  public static func invoice(_ d: InvoiceDetail, today: String) -> [String: Any] {
    var o = invoiceFields(d.invoice, today: today)
    let c = d.invoice.money
    o["client"] = d.clientName
    o["client_inn"] = d.clientINN
    o["client_kpp"] = d.clientKPP
    o["contract_number"] = optional(d.contractNumber)
    o["contract_date"] = day(d.contractDate)
    o["lines"] = d.lines.map { OfferJSON.line(line: $0, totals: d.totals) }
    o["totals"] = OfferJSON.totals(d.totals)
    o["allocations"] = d.allocations.map { a -> [String: Any] in
      [
        "payment_id": a.paymentId, "date": day(a.date), "number": a.number,
        "source": a.source.rawValue, "amount": plain(a.amount, c), "currency": c.code,
      ]
    }
    return o
  }

  /// An act; with `lines`, its lines and totals too.
  public static func act(_ d: ActDetail, lines: Bool = false) -> [String: Any] {
    let a = d.act
    let c = a.money
    var o: [String: Any] = [
      "id": d.id, "client_id": a.clientId, "client": d.clientName, "client_inn": d.clientINN,
      "client_kpp": d.clientKPP, "contract_id": optional(a.contractId),
      "contract_number": optional(d.contract?.number), "invoice_id": optional(a.invoiceId),
      "invoice_number": optional(d.invoiceNumber), "number": a.number, "date": day(a.date),
      "period_from": day(a.periodFrom), "period_to": day(a.periodTo), "currency": a.currency,
      "rate": rate(a.rate), "prices_include_vat": a.pricesIncludeVAT,
      "status": a.cancelled ? "cancelled" : "issued", "total": plain(a.total, c),
      "vat": plain(a.vat, c), "exported": a.exportId != nil, "export_id": optional(a.exportId),
      "notes": a.notes,
    ]
    if lines {
      o["lines"] = d.lines.map { OfferJSON.line(line: $0, totals: d.totals) }
      o["totals"] = OfferJSON.totals(d.totals)
    }
    return o
  }

  /// A payment: where it came from, whose it is, how much of it is allocated to invoices.
  public static func payment(_ r: MoneyService.PaymentRow) -> [String: Any] {
    let p = r.payment
    let c = p.money
    return [
      "id": r.id, "client_id": optional(p.clientId), "client": optional(r.clientName),
      "contract_id": optional(p.contractId), "contract_number": optional(r.contractNumber),
      "source": p.source.rawValue, "management_only": p.managementOnly, "state": p.state.rawValue,
      "date": day(p.date), "amount": plain(p.amount, c), "currency": p.currency,
      "allocated": plain(p.allocated, c), "unallocated": plain(p.unallocated, c),
      "number": p.number, "kind": p.kind, "purpose": p.purpose, "payer_name": p.payerName,
      "payer_inn": p.payerINN, "payer_kpp": p.payerKPP, "payer_account": p.payerAccount,
      "account": p.account, "note": p.note, "import_id": optional(p.importId),
    ]
  }

  /// A payment with the invoices it is allocated to.
  public static func payment(_ r: MoneyService.PaymentRow, allocations: [PaymentAllocationRow])
    -> [String: Any]
  {
    var o = payment(r)
    let c = r.payment.money
    o["allocations"] = allocations.map { a -> [String: Any] in
      [
        "invoice_id": a.invoiceId, "invoice_number": a.invoiceNumber,
        "amount": plain(a.amount, c), "currency": c.code,
      ]
    }
    return o
  }
}
