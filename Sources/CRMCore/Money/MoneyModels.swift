import Foundation

/// A written contract, or an "actual" one (work done on invoices without a signed paper).
public enum ContractKind: String, Codable, Sendable, CaseIterable {
  case formal, actual

  public func name(_ l: Language) -> String {
    switch self {
    case .formal: return l.pick("formal", "письменный")
    case .actual: return l.pick("actual", "фактический")
    }
  }

  public static func parse(_ text: String, language l: Language, field: String) throws(CRMError)
    -> ContractKind
  {
    switch TextFold.key(text.trimmingSpaces()) {
    case "formal", "письменный", "формальный", "written": return .formal
    case "actual", "фактический", "факт": return .actual
    default:
      throw .invalid(
        field: field,
        problem: l.pick(
          "«\(text)»: use formal or actual", "«\(text)»: укажите formal (письменный) или actual"))
    }
  }
}

public enum ContractStatus: String, Codable, Sendable, CaseIterable {
  case draft, active, closed, cancelled

  public func name(_ l: Language) -> String {
    switch self {
    case .draft: return l.pick("draft", "черновик")
    case .active: return l.pick("active", "действует")
    case .closed: return l.pick("closed", "закрыт")
    case .cancelled: return l.pick("cancelled", "расторгнут")
    }
  }
}

/// A contract with a client. `amount` is in minor units of `currency`; `rate` is roubles per
/// unit of a foreign currency (nil for roubles); `conventionalUnits` means the contract is priced
/// in a currency but settled in roubles at the rate of the payment day ("в условных единицах").
/// The prepayment share has no 1C field and stays in the CRM.
public struct Contract: Codable, Equatable, Sendable {
  public var id: Int64?
  public var clientId: Int64
  public var dealId: Int64?
  public var number: String
  /// `YYYY-MM-DD`.
  public var date: String
  public var kind: ContractKind
  public var subject: String
  public var amount: Int64
  public var currency: String
  public var rate: Decimal?
  public var conventionalUnits: Bool
  public var prepayPercent: Int
  /// Payment terms: an invoice on this contract is due this many days after its date.
  public var paymentDays: Int?
  public var terms: String
  public var status: ContractStatus
  /// `YYYY-MM-DD` or empty.
  public var validUntil: String
  public var notes: String

  public init(
    id: Int64? = nil, clientId: Int64, dealId: Int64? = nil, number: String, date: String = "",
    kind: ContractKind = .formal, subject: String = "", amount: Int64 = 0, currency: String = "RUB",
    rate: Decimal? = nil, conventionalUnits: Bool = false, prepayPercent: Int = 0,
    paymentDays: Int? = nil, terms: String = "", status: ContractStatus = .active,
    validUntil: String = "", notes: String = ""
  ) {
    self.id = id
    self.clientId = clientId
    self.dealId = dealId
    self.number = number
    self.date = date
    self.kind = kind
    self.subject = subject
    self.amount = amount
    self.currency = currency
    self.rate = rate
    self.conventionalUnits = conventionalUnits
    self.prepayPercent = prepayPercent
    self.paymentDays = paymentDays
    self.terms = terms
    self.status = status
    self.validUntil = validUntil
    self.notes = notes
  }

  public var money: Currency {
    Currency.named(currency) ?? Currency(code: currency, minorDigits: 2, symbol: currency)
  }
}

/// What an invoice stands at. Draft, issued and cancelled are stored; partly paid, paid and
/// overdue are read from the allocated payments and the due day.
public enum InvoiceStatus: String, Codable, Sendable, CaseIterable {
  case draft, issued
  case partlyPaid = "partly_paid"
  case paid, overdue, cancelled

  public func name(_ l: Language) -> String {
    switch self {
    case .draft: return l.pick("draft", "черновик")
    case .issued: return l.pick("issued", "выставлен")
    case .partlyPaid: return l.pick("partly paid", "оплачен частично")
    case .paid: return l.pick("paid", "оплачен")
    case .overdue: return l.pick("overdue", "просрочен")
    case .cancelled: return l.pick("cancelled", "отменён")
    }
  }
}

/// An invoice: many per contract, or none. `total` and `vat` follow its lines; `paid` is the sum
/// of the payments allocated to it (kept by the database).
public struct Invoice: Codable, Equatable, Sendable {
  public enum Stored: String, Codable, Sendable { case draft, issued, cancelled }

  public var id: Int64?
  public var clientId: Int64
  public var contractId: Int64?
  public var dealId: Int64?
  public var number: String
  public var date: String
  /// `YYYY-MM-DD` or empty (no due day: never overdue).
  public var dueDate: String
  public var currency: String
  public var rate: Decimal?
  public var pricesIncludeVAT: Bool
  public var stored: Stored
  public var total: Int64
  public var vat: Int64
  public var paid: Int64
  public var notes: String

  public init(
    id: Int64? = nil, clientId: Int64, contractId: Int64? = nil, dealId: Int64? = nil,
    number: String = "", date: String = "", dueDate: String = "", currency: String = "RUB",
    rate: Decimal? = nil, pricesIncludeVAT: Bool = true, stored: Stored = .issued, total: Int64 = 0,
    vat: Int64 = 0, paid: Int64 = 0, notes: String = ""
  ) {
    self.id = id
    self.clientId = clientId
    self.contractId = contractId
    self.dealId = dealId
    self.number = number
    self.date = date
    self.dueDate = dueDate
    self.currency = currency
    self.rate = rate
    self.pricesIncludeVAT = pricesIncludeVAT
    self.stored = stored
    self.total = total
    self.vat = vat
    self.paid = paid
    self.notes = notes
  }

  public var money: Currency {
    Currency.named(currency) ?? Currency(code: currency, minorDigits: 2, symbol: currency)
  }
  /// Still to pay (never negative; an overpayment shows as `overpaid`).
  public var owed: Int64 { stored == .issued ? max(0, total - paid) : 0 }
  public var overpaid: Int64 { max(0, paid - total) }

  /// The status on `today` (`YYYY-MM-DD`).
  public func status(today: String) -> InvoiceStatus {
    switch stored {
    case .draft: return .draft
    case .cancelled: return .cancelled
    case .issued:
      if total > 0 && paid >= total { return .paid }
      if !dueDate.isEmpty && dueDate < today { return .overdue }
      return paid > 0 ? .partlyPaid : .issued
    }
  }
}

/// An act of services rendered (акт), from a contract or an invoice; exported to 1C.
public struct Act: Codable, Equatable, Sendable {
  public var id: Int64?
  public var clientId: Int64
  public var contractId: Int64?
  public var invoiceId: Int64?
  public var number: String
  public var date: String
  public var periodFrom: String
  public var periodTo: String
  public var currency: String
  public var rate: Decimal?
  public var pricesIncludeVAT: Bool
  public var cancelled: Bool
  public var total: Int64
  public var vat: Int64
  public var notes: String
  /// The last export that carried it; nil when never exported.
  public var exportId: Int64?

  public init(
    id: Int64? = nil, clientId: Int64, contractId: Int64? = nil, invoiceId: Int64? = nil,
    number: String = "", date: String = "", periodFrom: String = "", periodTo: String = "",
    currency: String = "RUB", rate: Decimal? = nil, pricesIncludeVAT: Bool = true,
    cancelled: Bool = false, total: Int64 = 0, vat: Int64 = 0, notes: String = "",
    exportId: Int64? = nil
  ) {
    self.id = id
    self.clientId = clientId
    self.contractId = contractId
    self.invoiceId = invoiceId
    self.number = number
    self.date = date
    self.periodFrom = periodFrom
    self.periodTo = periodTo
    self.currency = currency
    self.rate = rate
    self.pricesIncludeVAT = pricesIncludeVAT
    self.cancelled = cancelled
    self.total = total
    self.vat = vat
    self.notes = notes
    self.exportId = exportId
  }

  public var money: Currency {
    Currency.named(currency) ?? Currency(code: currency, minorDigits: 2, symbol: currency)
  }
}

public enum PaymentSource: String, Codable, Sendable { case bank, cash }

/// A payment's place: assigned to a client, waiting in the queue (bank payments nobody could
/// match), or set aside by a manager (not ours to track: a refund, a loan).
public enum PaymentState: String, Codable, Sendable { case assigned, queued, ignored }

/// Money received: from the bank statement or in cash. Cash may be "management only" (kept out
/// of accounting): never exported, shown apart in reconciliation.
public struct Payment: Codable, Equatable, Sendable {
  public var id: Int64?
  public var clientId: Int64?
  public var contractId: Int64?
  public var source: PaymentSource
  public var managementOnly: Bool
  public var state: PaymentState
  public var date: String
  public var amount: Int64
  public var currency: String
  public var number: String
  public var kind: String
  public var purpose: String
  public var payerName: String
  public var payerINN: String
  public var payerKPP: String
  public var payerAccount: String
  public var account: String
  public var bankKey: String?
  public var importId: Int64?
  public var note: String
  /// Allocated to invoices (read, not stored on the row).
  public var allocated: Int64

  public init(
    id: Int64? = nil, clientId: Int64?, contractId: Int64? = nil, source: PaymentSource = .cash,
    managementOnly: Bool = false, state: PaymentState = .assigned, date: String = "",
    amount: Int64, currency: String = "RUB", number: String = "", kind: String = "",
    purpose: String = "", payerName: String = "", payerINN: String = "", payerKPP: String = "",
    payerAccount: String = "", account: String = "", bankKey: String? = nil,
    importId: Int64? = nil, note: String = "", allocated: Int64 = 0
  ) {
    self.id = id
    self.clientId = clientId
    self.contractId = contractId
    self.source = source
    self.managementOnly = managementOnly
    self.state = state
    self.date = date
    self.amount = amount
    self.currency = currency
    self.number = number
    self.kind = kind
    self.purpose = purpose
    self.payerName = payerName
    self.payerINN = payerINN
    self.payerKPP = payerKPP
    self.payerAccount = payerAccount
    self.account = account
    self.bankKey = bankKey
    self.importId = importId
    self.note = note
    self.allocated = allocated
  }

  public var money: Currency {
    Currency.named(currency) ?? Currency(code: currency, minorDigits: 2, symbol: currency)
  }
  /// Not allocated to any invoice: an advance, or an overpayment.
  public var unallocated: Int64 { amount - allocated }
}

/// One allocation of a payment to an invoice.
public struct Allocation: Codable, Equatable, Sendable {
  public var paymentId: Int64
  public var invoiceId: Int64
  public var invoiceNumber: String
  public var amount: Int64
}

/// A document number folded for matching what people write: `№ 7/25`, `7 / 25` and `7/25`
/// agree; `0012` and `12` agree; letters fold case and ё.
public enum DocumentNumber {
  public static func key(_ text: String) -> String {
    var s = TextFold.key(text.trimmingSpaces())
    while let first = s.first, first == "№" || first == "#" || first == " " { s.removeFirst() }
    s = String(s.filter { !$0.isWhitespace })
    if s.allSatisfy({ $0.isASCII && $0.isNumber }) {
      let trimmed = s.drop { $0 == "0" }
      return trimmed.isEmpty ? (s.isEmpty ? "" : "0") : String(trimmed)
    }
    return s
  }
}

/// A client's (or a deal's, or a contract's) money in one currency: contracted, invoiced, paid,
/// owed and overdue, with management-only cash and unallocated money apart.
public struct MoneySummary: Equatable, Sendable {
  public var currency: Currency
  /// Sum of active contracts.
  public var contracted: Int64 = 0
  /// Issued invoices (cancelled and drafts not counted).
  public var invoiced: Int64 = 0
  /// Every assigned payment, management-only cash included.
  public var paid: Int64 = 0
  /// Of `paid`: cash kept out of accounting.
  public var managementOnly: Int64 = 0
  /// Still to pay on issued invoices.
  public var owed: Int64 = 0
  /// Of `owed`: past the due day.
  public var overdue: Int64 = 0
  /// Payments not allocated to any invoice (advances and overpayments).
  public var unallocated: Int64 = 0
  /// Acts issued (not cancelled).
  public var acted: Int64 = 0

  public init(currency: Currency) { self.currency = currency }

  public func money(_ minor: Int64) -> Money { Money(minor: minor, currency: currency) }
  public var isEmpty: Bool {
    contracted == 0 && invoiced == 0 && paid == 0 && owed == 0 && acted == 0
  }
}
