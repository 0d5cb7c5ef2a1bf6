import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Deals on a database with anna (acting) and boris; the clock stands at Monday noon in Moscow.
struct DealFixture {
  let base: ContactFixture
  let deals: DealService
  let pipelines: PipelineService

  init() throws {
    base = try ContactFixture()
    deals = DealService(db: base.db, userId: base.anna, language: .en, timeZone: moscow)
    pipelines = PipelineService(db: base.db, language: .en)
  }

  var db: CRMDatabase { base.db }
  var clock: FixedClock { base.clock }

  func deal(_ title: String = "Поставка", client: Int64? = nil, amount: Int64 = 100_000_00)
    throws -> Int64
  {
    let c = try client ?? base.client("Ромашка")
    return try deals.add(Deal(clientId: c, title: title, amount: amount))
  }

  func days(_ n: Double) { clock.current = clock.current.addingTimeInterval(n * 86400) }
}

@Suite struct DealServiceTests {
  @Test func aNewDealStartsAtInterestWithOneHistoryEntry() throws {
    let f = try DealFixture()
    let id = try f.deal()
    let row = try #require(try f.deals.deal(id))
    #expect(row.stage.key == "interest")
    #expect(row.deal.status == .open)
    #expect(row.deal.ownerId == f.base.anna)
    #expect(row.probability == 10)
    let h = try f.deals.history(id)
    #expect(h.count == 1)
    #expect(h[0].from == nil && h[0].to.key == "interest" && h[0].userLogin == "anna")
  }

  @Test func movesWriteHistoryWithTimesAndUsers() throws {
    let f = try DealFixture()
    let id = try f.deal()
    f.days(2)
    try f.deals.move(id, to: "decision")
    f.days(1)
    try f.deals.step(id, by: -1)
    let h = try f.deals.history(id)
    #expect(h.map(\.to.key) == ["interest", "decision", "offer"])
    #expect(h[1].from?.key == "interest")
    #expect(h[0].leftAt == h[1].at)
    #expect(h[1].at == monday.addingTimeInterval(2 * 86400))
    #expect(h[2].leftAt == nil)
    let history = try f.base.clients.history(of: try #require(try f.deals.deal(id)).deal.clientId)
    #expect(history.contains { $0.entity == "deal" && $0.field == "stage" && $0.new == "offer" })
  }

  @Test func offerSentPlansACallInThreeDaysOncePerEntry() throws {
    let f = try DealFixture()
    let id = try f.deal()
    let result = try f.deals.move(id, to: "offer")
    #expect(result.events.count == 2)
    let callId = try #require(result.events.first { $0.contactId != nil }?.contactId)
    let call = try #require(try f.base.contacts.contact(callId)).contact
    #expect(call.kind == .call)
    #expect(call.dealId == id)
    #expect(call.status == .planned)
    // Monday noon + 3 days = Thursday noon: within working hours, so the time of day stays.
    #expect(call.dueAt == monday.addingTimeInterval(3 * 86400))
    #expect(result.events.contains { $0.offerId != nil })
    // Moving on and back is a new entry: the actions fire again, once.
    try f.deals.move(id, to: "decision")
    try f.deals.move(id, to: "offer")
    let planned = try f.base.contacts.contacts(ofClient: call.clientId).filter {
      $0.contact.dealId == id && $0.contact.kind == .call
    }
    #expect(planned.count == 2)
    let events = try f.deals.history(id).flatMap(\.events)
    #expect(events.count == 4)
    // The log refuses a second firing of the same action for the same entry.
    let entry = try f.deals.history(id).last!.id
    #expect(throws: (any Error).self) {
      try f.db.write { db in
        try db.execute(
          sql: """
            INSERT INTO deal_event (deal_id, entry_id, action_index, action, at)
            VALUES (?, ?, 1, 'plan call +3d', 0)
            """, arguments: [id, entry])
      }
    }
  }

  @Test func aCallDueOnSaturdayMovesToMonday() throws {
    let f = try DealFixture()
    f.days(3)  // Thursday
    let id = try f.deal()
    let result = try f.deals.move(id, to: "offer")
    let callId = try #require(result.events.compactMap(\.contactId).first)
    let call = try #require(try f.base.contacts.contact(callId)).contact
    // Thursday noon + 3 = Sunday → Monday 30.11, still at noon (within working hours).
    #expect(call.dueAt == monday.addingTimeInterval(7 * 86400))
  }

  @Test func aCallPlannedFromALateMoveLandsAtTheStartOfAWorkingDay() throws {
    let f = try DealFixture()
    // Friday 27.11 22:40 Moscow: +3d is Monday 30.11 22:40, after hours → Monday 10:00.
    f.clock.current = monday.addingTimeInterval(4 * 86400 + 10 * 3600 + 40 * 60)
    let id = try f.deal()
    let result = try f.deals.move(id, to: "offer")
    let callId = try #require(result.events.compactMap(\.contactId).first)
    let call = try #require(try f.base.contacts.contact(callId)).contact
    #expect(call.dueAt == monday.addingTimeInterval(7 * 86400 - 2 * 3600))
  }

  @Test func invoiceDemandsAnAmountAndLostDemandsAReasonFromTheList() throws {
    let f = try DealFixture()
    let id = try f.deal(amount: 0)
    #expect(throws: CRMError.self) { try f.deals.move(id, to: "invoice") }
    #expect(try f.deals.deal(id)?.stage.key == "interest")
    #expect(try f.deals.history(id).count == 1)
    try f.deals.move(
      id, to: "invoice", extras: MoveExtras(amount: Money(minor: 5_000_00, currency: .rub)))
    #expect(try f.deals.deal(id)?.deal.amount == 5_000_00)
    #expect(throws: CRMError.self) { try f.deals.move(id, to: "lost") }
    do {
      try f.deals.lost(id, reason: "the moon was wrong")
      Issue.record("an unknown reason was accepted")
    } catch {
      #expect(error.message(.en).contains("Too expensive"))
    }
    try f.deals.lost(id, reason: "дорого")
    let row = try #require(try f.deals.deal(id))
    #expect(row.deal.status == .lost)
    #expect(row.deal.lostReason == "price")
    #expect(row.deal.closedAt == monday)
  }

  @Test func closedDealsCannotMoveUntilReopened() throws {
    let f = try DealFixture()
    let id = try f.deal()
    try f.deals.move(id, to: "decision")
    try f.deals.won(id)
    do {
      try f.deals.move(id, to: "offer")
      Issue.record("a won deal moved")
    } catch {
      #expect(error.message(.en).contains("reopen"))
    }
    #expect(throws: CRMError.self) { try f.deals.step(id, by: 1) }
    let back = try f.deals.reopen(id)
    #expect(back.stage.key == "decision")
    let report = try FunnelAnalytics(db: f.db, language: .en).funnel(FunnelReportQuery())
    #expect(report.stages.first { $0.stage.key == "won" }?.reached == 0)
    #expect(report.stages.first { $0.stage.key == "decision" }?.reached == 1)
    #expect(throws: CRMError.self) {
      try Money.parse("100 ₽", currency: Currency.named("USD")!, language: .en, field: "Amount")
    }
    #expect(try f.deals.deal(id)?.deal.closedAt == nil)
  }

  @Test func badInputIsRefusedWithTheField() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    for (deal, field) in [
      (Deal(clientId: c, title: "X", amount: -1), "Amount"),
      (Deal(clientId: c, title: "X", currency: "XYZ"), "Currency"),
      (Deal(clientId: c, title: " "), "Title"),
      (Deal(clientId: c, title: "X", probability: 101), "Probability"),
      (Deal(clientId: c, title: "X", source: "телепатия"), "Lead source"),
      (Deal(clientId: 999, title: "X"), ""),
    ] {
      do {
        try f.deals.add(deal)
        Issue.record("accepted \(deal)")
      } catch {
        if !field.isEmpty, case .invalid(let got, _) = error { #expect(got == field) }
      }
    }
    #expect(try f.deals.list().isEmpty)
    #expect(throws: CRMError.self) {
      try Money.parse("abc", language: .en, field: "Amount")
    }
    #expect(throws: CRMError.self) {
      try Money.parse("-5", language: .en, field: "Amount")
    }
    #expect(try Money.parse("1 000,50", language: .ru, field: "Сумма").minor == 1_000_50)
    #expect(try Money.parse("1,000.5", language: .en, field: "Amount").minor == 1_000_50)
    #expect(try Money.parse("12 500 ₽", language: .ru, field: "Сумма").minor == 12_500_00)
    #expect(throws: CRMError.self) { try Money.parse("1.005", language: .en, field: "Amount") }
  }

  @Test func stuckDealsByTheStageLimitWithAFixedClock() throws {
    let f = try DealFixture()
    let a = try f.deal("A")
    let b = try f.deal("B")
    try f.deals.move(b, to: "offer")  // stuck after 5 days
    f.days(7)  // interest's limit is 7 days: exactly 7 is not over
    #expect(try f.deals.stuck().map(\.id) == [b])
    f.clock.current = f.clock.current.addingTimeInterval(60)
    let stuck = try f.deals.stuck()
    #expect(stuck.map(\.id) == [b, a])
    #expect(stuck[0].daysOver == 3)  // 7 days + 1 min in a 5-day stage: 2 days + 1 min over
    #expect(stuck[1].daysOver == 1)
    let board = try f.deals.board(try f.pipelines.pipeline())
    #expect(board.first { $0.stage.key == "offer" }?.stuckCount == 1)
    #expect(board.first { $0.stage.key == "interest" }?.cards.first?.daysOver == 1)
  }

  @Test func boardTotalsCountSumAndWeightedSumPerCurrency() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    try f.deals.add(Deal(clientId: c, title: "A", amount: 100_000_00))
    try f.deals.add(Deal(clientId: c, title: "B", amount: 50_000_00, probability: 50))
    try f.deals.add(Deal(clientId: c, title: "C", amount: 1_000_00, currency: "USD"))
    let board = try f.deals.board(try f.pipelines.pipeline())
    #expect(
      board.map(\.stage.key) == ["interest", "offer", "decision", "invoice", "paid", "shipped"])
    let interest = board[0]
    #expect(interest.count == 3)
    #expect(interest.totals.count == 2)
    let rub = try #require(interest.totals.first { $0.currency.code == "RUB" })
    #expect(rub.count == 2 && rub.sum == 150_000_00)
    #expect(rub.weighted == 10_000_00 + 25_000_00)
    #expect(interest.cards.map(\.title) == ["A", "B", "C"])
  }

  @Test func keptStageTotalsAgreeWithCountingAfterEveryKindOfChange() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    var rng = SeededRandom(seed: 7)
    var ids: [Int64] = []
    let all = DealFilter(from: Date(timeIntervalSince1970: 0))
    for step in 0..<60 {
      let op = ids.isEmpty ? 0 : Int.random(in: 0..<7, using: &rng)
      let id = ids.isEmpty ? 0 : ids[Int.random(in: 0..<ids.count, using: &rng)]
      do {
        switch op {
        case 0:
          ids.append(
            try f.deals.add(
              Deal(
                clientId: c, title: "D\(step)",
                amount: Int64.random(in: 0...900, using: &rng) * 100,
                currency: step % 5 == 0 ? "USD" : "RUB",
                probability: step % 3 == 0 ? Int.random(in: 0...100, using: &rng) : nil)))
        case 1: try f.deals.step(id, by: 1)
        case 2: try f.deals.step(id, by: -1)
        case 3: try f.deals.lost(id, reason: "price")
        case 4: try f.deals.reopen(id)
        case 5:
          var d = try #require(try f.deals.deal(id)).deal
          d.amount += 12_345
          d.probability = d.probability == nil ? 33 : nil
          d.currency = d.currency == "RUB" ? "EUR" : "RUB"
          try f.deals.update(d)
        default: try f.deals.move(id, to: "decision")
        }
      } catch {
        // Refusals (closed deals, first stage) are part of the mix.
      }
      let p = try f.pipelines.pipeline()
      let kept = try f.deals.board(p).map { ($0.stage.key, $0.count, $0.totals) }
      let counted = try f.deals.board(p, filter: all).map { ($0.stage.key, $0.count, $0.totals) }
      #expect(kept.map(\.0) == counted.map(\.0))
      #expect(kept.map(\.1) == counted.map(\.1), "after step \(step)")
      #expect(kept.map(\.2) == counted.map(\.2), "after step \(step)")
    }
  }

  @Test func handoverWithDealsMovesOpenDealsOnlyAndAuditsThem() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    let open = try f.deal("Open", client: c)
    let done = try f.deal("Done", client: c)
    try f.deals.won(done)
    let result = try f.base.contacts.handover(
      from: f.base.anna, to: f.base.boris, clientIds: [c], withDeals: true)
    #expect(result.deals == 1)
    #expect(try f.deals.deal(open)?.deal.ownerId == f.base.boris)
    #expect(try f.deals.deal(done)?.deal.ownerId == f.base.anna)
    let history = try f.base.clients.history(of: c)
    #expect(
      history.contains {
        $0.entity == "deal" && $0.action == "handover" && $0.new == String(f.base.boris)
      })
  }

  @Test func configurationChangesKeepDealsAndRefuseRemovingOccupiedStages() throws {
    let f = try DealFixture()
    let id = try f.deal()
    try f.deals.move(id, to: "offer")
    var config = try f.pipelines.current()
    #expect(config == FunnelConfig.standard)
    let before = config
    config.pipelines[0].stages.removeAll { $0.key == "offer" }
    do {
      try f.pipelines.apply(config)
      Issue.record("removed a stage holding a deal")
    } catch {
      #expect(error.message(.en).contains("holds 1 deals"))
    }
    #expect(try f.pipelines.current() == before)
    // Interest has history but no deals now: it is archived, not deleted.
    config = before
    config.pipelines[0].stages.removeAll { $0.key == "interest" }
    let changes = try f.pipelines.apply(config)
    #expect(changes.archived == ["sales.interest"])
    #expect(try f.pipelines.pipeline().stages.first?.key == "offer")
    #expect(try f.deals.history(id).first?.to.key == "interest")
    // Renaming and reordering keeps the deal where it is.
    config.pipelines[0].stages[0].name = "Коммерческое предложение"
    config.pipelines[0].stages[0].probability = 30
    try f.pipelines.apply(config)
    #expect(try f.deals.deal(id)?.stage.name == "Коммерческое предложение")
    #expect(try f.deals.deal(id)?.probability == 30)
    // Names are one line: a line break becomes a space.
    var twoLines = try f.pipelines.current()
    twoLines.pipelines[0].stages[0].name = "КП\nотправлено"
    try f.pipelines.apply(twoLines)
    #expect(try f.pipelines.pipeline().stages[0].name == "КП отправлено")
    // A lost stage cannot demand a reason from an empty list.
    var noReasons = try f.pipelines.current()
    noReasons.lostReasons = []
    #expect(throws: CRMError.self) { try f.pipelines.apply(noReasons) }
    // A dry run changes nothing.
    let dry = try f.pipelines.apply(before, dryRun: true)
    #expect(!dry.isEmpty)
    #expect(try f.pipelines.pipeline().stages.first?.key == "offer")
  }
}

@Suite struct FunnelAnalyticsTests {
  /// Five deals by hand, one day at a time:
  /// A: interest 2d → offer 4d → decision 1d → won (amount 100 000)
  /// B: interest 1d → offer 2d → lost (price)
  /// C: interest 3d → decision (skips offer) 2d → won (amount 50 000, boris)
  /// D: interest 5d → lost (budget)
  /// E: interest, still open
  @Test func conversionAndDurationsAreExact() throws {
    let f = try DealFixture()
    let c = try f.base.client("Ромашка")
    func add(_ t: String, _ amount: Int64, owner: Int64? = nil, source: String = "") throws
      -> Int64
    {
      try f.deals.add(
        Deal(clientId: c, title: t, amount: amount, source: source, ownerId: owner ?? f.base.anna))
    }
    let start = f.clock.current
    let a = try add("A", 100_000_00, source: "site")
    let b = try add("B", 20_000_00, source: "site")
    let cc = try add("C", 50_000_00, owner: f.base.boris, source: "referral")
    let d = try add("D", 10_000_00)
    _ = try add("E", 0)
    f.days(1)
    try f.deals.move(b, to: "offer")
    f.days(1)  // day 2
    try f.deals.move(a, to: "offer")
    f.days(1)  // day 3
    try f.deals.move(cc, to: "decision")
    try f.deals.lost(b, reason: "price")
    f.days(2)  // day 5
    try f.deals.won(cc)
    try f.deals.lost(d, reason: "budget")
    f.days(1)  // day 6
    try f.deals.move(a, to: "decision")
    f.days(1)  // day 7
    try f.deals.won(a)
    let analytics = FunnelAnalytics(db: f.db, language: .en, timeZone: moscow)
    let r = try analytics.funnel(FunnelReportQuery())
    let byKey = Dictionary(uniqueKeysWithValues: r.stages.map { ($0.stage.key, $0) })
    #expect(
      r.stages.map(\.stage.key) == [
        "interest", "offer", "decision", "invoice", "paid", "shipped", "won",
      ])
    #expect(byKey["interest"]?.reached == 5)
    #expect(byKey["offer"]?.reached == 3)  // A, B, C (C went past it)
    #expect(byKey["decision"]?.reached == 2)
    #expect(byKey["won"]?.reached == 2)
    #expect(byKey["offer"]?.conversion == 0.6)
    #expect(byKey["decision"]?.conversion == 2.0 / 3.0)
    #expect(r.overallConversion == 0.4)
    // Completed stays in interest: A 2, B 1, C 3, D 5 → mean 2.75, median 2.5.
    #expect(byKey["interest"]?.stays == 4)
    #expect(byKey["interest"]?.meanDays == 2.75)
    #expect(byKey["interest"]?.medianDays == 2.5)
    // Offer: B 2, A 4 → mean 3, median 3; decision: C 2, A 1 → median 1.5.
    #expect(byKey["offer"]?.meanDays == 3)
    #expect(byKey["decision"]?.medianDays == 1.5)
    #expect(byKey["interest"]?.openNow == 1)
    #expect(r.total.created == 5)
    #expect(r.total.won == 2 && r.total.lost == 2)
    #expect(r.total.winRate == 0.5)
    #expect(r.total.revenue == [Money(minor: 150_000_00)])
    let anna = try #require(r.byOwner.first { $0.name == "anna" })
    #expect(anna.created == 4 && anna.won == 1 && anna.lost == 2)
    let site = try #require(r.bySource.first { $0.key == "site" })
    #expect(site.name == "Website" && site.created == 2 && site.won == 1 && site.lost == 1)
    #expect(r.bySource.contains { $0.name == "(not set)" && $0.created == 2 })
    // A period that starts after the deals were created: nothing created, closings counted.
    let later = try analytics.funnel(FunnelReportQuery(from: start.addingTimeInterval(4 * 86400)))
    #expect(later.total.created == 0)
    #expect(later.total.won == 2 && later.total.lost == 1)
    // The funnel holds the deals closed in it too (C and A won, D lost): its won stage is the
    // period's won, never "won 0" beside "won 2".
    #expect(later.stages[0].reached == 3)
    #expect(later.stages.first { $0.stage.key == "won" }?.reached == later.total.won)
    #expect(later.overallConversion == 2.0 / 3.0)
    // By owner filter.
    let boris = try analytics.funnel(FunnelReportQuery(ownerId: f.base.boris))
    #expect(boris.total.created == 1 && boris.overallConversion == 1)
    #expect(boris.stages.first { $0.stage.key == "interest" }?.meanDays == 3)
    #expect(r.byMonth.last?.created == 5)
    // The all-time path (kept counters, index walk) and the scan path agree.
    let scanned = try analytics.funnel(FunnelReportQuery(from: Date(timeIntervalSince1970: 0)))
    #expect(scanned.stages.map(\.stays) == r.stages.map(\.stays))
    #expect(scanned.stages.map(\.meanDays) == r.stages.map(\.meanDays))
    #expect(scanned.stages.map(\.medianDays) == r.stages.map(\.medianDays))
  }

  /// Without a start, the months are the last twelve; older deals belong to none of them.
  @Test func monthsOfAnOpenPeriodLeaveOlderDealsOut() throws {
    let f = try DealFixture()
    let old = try f.deal("Old")
    try f.deals.lost(old, reason: "price")
    f.days(400)
    let recent = try f.deal("Recent")
    try f.deals.won(recent)
    let r = try FunnelAnalytics(db: f.db, language: .en, timeZone: moscow).funnel(
      FunnelReportQuery())
    #expect(r.byMonth.count == 12)
    #expect(r.total.created == 2 && r.total.lost == 1)
    #expect(r.byMonth.map(\.created).reduce(0, +) == 1)
    #expect(r.byMonth.map(\.lost).reduce(0, +) == 0)
    #expect(r.byMonth.last?.created == 1 && r.byMonth.last?.won == 1)
    #expect(r.byMonth.first?.created == 0)
  }
}
