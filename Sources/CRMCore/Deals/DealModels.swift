import Foundation

public enum DealStatus: String, Codable, Sendable, CaseIterable {
  case open, won, lost

  public func name(_ l: Language) -> String {
    switch self {
    case .open: return l.pick("open", "открыта")
    case .won: return l.pick("won", "выиграна")
    case .lost: return l.pick("lost", "проиграна")
    }
  }
}

/// A deal. Amounts are integer minor units of `currency`.
public struct Deal: Codable, Equatable, Sendable {
  public var id: Int64?
  public var pipelineId: Int64
  public var stageId: Int64
  public var status: DealStatus
  public var clientId: Int64
  public var personId: Int64?
  public var title: String
  public var amount: Int64
  public var currency: String
  /// Overrides the stage's default probability when set.
  public var probability: Int?
  /// `YYYY-MM-DD` or empty.
  public var expectedClose: String
  /// A lead-source key (or free text kept from an old base).
  public var source: String
  public var ownerId: Int64
  public var lostReason: String
  public var notes: String
  public var createdAt: Date?
  public var updatedAt: Date?
  /// When the deal entered its current stage.
  public var stageAt: Date?
  public var closedAt: Date?
  /// The row version the value was loaded at (bumped by every update); an update carrying it
  /// is refused when the row changed meanwhile (`CRMError.conflict`). Nil: not checked.
  public var version: Int64?

  public init(
    id: Int64? = nil, pipelineId: Int64 = 0, stageId: Int64 = 0, status: DealStatus = .open,
    clientId: Int64, personId: Int64? = nil, title: String, amount: Int64 = 0,
    currency: String = "RUB", probability: Int? = nil, expectedClose: String = "",
    source: String = "", ownerId: Int64 = 0, lostReason: String = "", notes: String = ""
  ) {
    self.id = id
    self.pipelineId = pipelineId
    self.stageId = stageId
    self.status = status
    self.clientId = clientId
    self.personId = personId
    self.title = title
    self.amount = amount
    self.currency = currency
    self.probability = probability
    self.expectedClose = expectedClose
    self.source = source
    self.ownerId = ownerId
    self.lostReason = lostReason
    self.notes = notes
  }

  public var money: Money { Money(minor: amount, currency: Currency.named(currency) ?? .rub) }
}

/// A deal as lists and cards show it.
public struct DealRow: Equatable, Sendable {
  public var deal: Deal
  public var stage: Stage
  public var clientName: String
  public var ownerLogin: String
  public var personName: String?
  /// Whole days in the current stage.
  public var daysInStage: Int
  /// Days over the stage's limit when the deal is stuck, nil otherwise.
  public var daysOver: Int?

  public init(
    deal: Deal, stage: Stage, clientName: String, ownerLogin: String, personName: String? = nil,
    daysInStage: Int = 0, daysOver: Int? = nil
  ) {
    self.deal = deal
    self.stage = stage
    self.clientName = clientName
    self.ownerLogin = ownerLogin
    self.personName = personName
    self.daysInStage = daysInStage
    self.daysOver = daysOver
  }

  public var id: Int64 { deal.id ?? 0 }
  /// The deal's own probability or its stage's.
  public var probability: Int { deal.probability ?? stage.probability }
}

/// One thing an entry action did.
public struct DealEvent: Equatable, Sendable {
  public var id: Int64
  public var entryId: Int64
  public var action: String
  public var contactId: Int64?
  public var offerId: Int64?
  public var at: Date

  public init(
    id: Int64, entryId: Int64, action: String, contactId: Int64? = nil, offerId: Int64? = nil,
    at: Date
  ) {
    self.id = id
    self.entryId = entryId
    self.action = action
    self.contactId = contactId
    self.offerId = offerId
    self.at = at
  }
}

/// An entry into a stage: the deal's stage history.
public struct StageEntry: Equatable, Sendable {
  public var id: Int64
  public var from: Stage?
  public var to: Stage
  public var at: Date
  public var leftAt: Date?
  public var userLogin: String?
  public var events: [DealEvent]

  public init(
    id: Int64, from: Stage?, to: Stage, at: Date, leftAt: Date?, userLogin: String?,
    events: [DealEvent]
  ) {
    self.id = id
    self.from = from
    self.to = to
    self.at = at
    self.leftAt = leftAt
    self.userLogin = userLogin
    self.events = events
  }
}

/// What a move did: the new history entry and what its entry actions created.
public struct MoveResult: Equatable, Sendable {
  public var entryId: Int64
  public var stage: Stage
  public var events: [DealEvent]
}

/// Fields a move may bring along (a stage can demand them).
public struct MoveExtras: Equatable, Sendable {
  public var amount: Money?
  public var lostReason: String?
  public var expectedClose: String?
  public var personId: Int64?
  public var source: String?

  public init(
    amount: Money? = nil, lostReason: String? = nil, expectedClose: String? = nil,
    personId: Int64? = nil, source: String? = nil
  ) {
    self.amount = amount
    self.lostReason = lostReason
    self.expectedClose = expectedClose
    self.personId = personId
    self.source = source
  }
}

/// Which deals a board, list or report looks at.
public struct DealFilter: Equatable, Sendable {
  public var ownerId: Int64?
  public var source: String?
  /// Created in `[from, to)`.
  public var from: Date?
  public var to: Date?
  public var clientId: Int64?

  public init(
    ownerId: Int64? = nil, source: String? = nil, from: Date? = nil, to: Date? = nil,
    clientId: Int64? = nil
  ) {
    self.ownerId = ownerId
    self.source = source
    self.from = from
    self.to = to
    self.clientId = clientId
  }

  public var isEmpty: Bool {
    ownerId == nil && source == nil && from == nil && to == nil && clientId == nil
  }
}

/// A sum in one currency: plain and weighted by probability.
public struct CurrencyTotal: Equatable, Sendable {
  public var currency: Currency
  public var count: Int
  public var sum: Int64
  public var weighted: Int64

  public init(currency: Currency, count: Int, sum: Int64, weighted: Int64) {
    self.currency = currency
    self.count = count
    self.sum = sum
    self.weighted = weighted
  }

  public var money: Money { Money(minor: sum, currency: currency) }
  public var weightedMoney: Money { Money(minor: weighted, currency: currency) }
}

/// A kanban card.
public struct DealCard: Equatable, Sendable {
  public var id: Int64
  public var title: String
  public var clientName: String
  public var amount: Money
  public var ownerLogin: String
  public var daysInStage: Int
  public var daysOver: Int?

  public init(
    id: Int64, title: String, clientName: String, amount: Money, ownerLogin: String,
    daysInStage: Int, daysOver: Int?
  ) {
    self.id = id
    self.title = title
    self.clientName = clientName
    self.amount = amount
    self.ownerLogin = ownerLogin
    self.daysInStage = daysInStage
    self.daysOver = daysOver
  }
}

/// A column of the funnel board: totals over every open deal in the stage, and one page of
/// cards (longest in the stage first).
public struct FunnelColumn: Equatable, Sendable {
  public var stage: Stage
  public var count: Int
  public var stuckCount: Int
  /// Per currency, the most deals first.
  public var totals: [CurrencyTotal]
  public var cards: [DealCard]
  /// The index of the first card in `cards` among the column's deals.
  public var offset: Int

  public init(
    stage: Stage, count: Int, stuckCount: Int, totals: [CurrencyTotal], cards: [DealCard],
    offset: Int
  ) {
    self.stage = stage
    self.count = count
    self.stuckCount = stuckCount
    self.totals = totals
    self.cards = cards
    self.offset = offset
  }
}
