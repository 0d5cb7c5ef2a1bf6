import CRMCore
import Foundation

/// Turns a parsed bank statement into what the core imports and reconciles.
public enum BankImport {
  /// One document as the core's import sees it: the day money arrived (else the document's
  /// date), our account, and whether it is incoming to us.
  public static func record(_ d: BankDocument, ours: Set<String>) -> BankPaymentRecord {
    BankPaymentRecord(
      line: d.line, kind: d.kind, number: d.number, date: (d.dateReceived ?? d.date).iso,
      documentDate: d.date.iso, amount: d.amount, payerName: d.payerName, payerINN: d.payerINN,
      payerKPP: d.payerKPP, payerAccount: d.payerAccount, account: d.payeeAccount,
      purpose: d.purpose, incoming: d.isIncoming(ours: ours))
  }

  public static func records(_ s: BankStatement) -> [BankPaymentRecord] {
    s.documents.map { record($0, ours: s.ourAccounts) }
  }

  /// The accounting side of a reconciliation: the statement's incoming documents.
  public static func accountingPayments(_ s: BankStatement) -> [AccountingPayment] {
    records(s).filter(\.incoming).map(AccountingPayment.init)
  }

  /// The period the statement covers (`YYYY-MM-DD`): its header's ДатаНачала…ДатаКонца, else the
  /// first and last day of its documents; nil for an empty statement without dates.
  public static func period(_ s: BankStatement) -> (from: String, to: String)? {
    if let from = s.header.from, let to = s.header.to { return (from.iso, to.iso) }
    let days = s.documents.map { ($0.dateReceived ?? $0.date).iso }
    guard let first = days.min(), let last = days.max() else { return nil }
    return (s.header.from?.iso ?? first, s.header.to?.iso ?? last)
  }
}

extension ActExport {
  /// An act of the CRM as the exporters take it; `organization` is ours (from the settings).
  public init(_ d: ActDetail, organization: ActParty) {
    let contract = d.contract.map {
      ActContractRef(
        number: $0.number, date: $0.date, currencyCode: $0.currency, rate: $0.rate,
        conventionalUnits: $0.conventionalUnits)
    }
    let lines = d.lines.map { line in
      ActLine(
        name: line.item, quantityThousandths: line.quantityMilli, price: line.price,
        sum: line.sum, vatRate: line.vatRate.map(String.init) ?? "none",
        vat: OfferService.lineVAT(
          sum: line.sum, rate: line.vatRate, pricesIncludeVAT: d.act.pricesIncludeVAT))
    }
    self.init(
      id: d.id, number: d.act.number, date: d.act.date,
      periodFrom: d.act.periodFrom.isEmpty ? nil : d.act.periodFrom,
      periodTo: d.act.periodTo.isEmpty ? nil : d.act.periodTo, organization: organization,
      counterparty: ActParty(
        name: d.clientName, inn: d.clientINN, kpp: d.clientKPP, isPerson: d.clientIsPerson),
      counterpartyID: d.act.clientId, contract: contract, currencyCode: d.act.currency,
      sumIncludesVAT: d.act.pricesIncludeVAT, total: d.act.total, vat: d.act.vat, lines: lines,
      comment: d.act.notes)
  }
}
