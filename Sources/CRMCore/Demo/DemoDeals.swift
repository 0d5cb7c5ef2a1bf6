import Foundation
import GRDB

extension DemoData {
  static let dealWords = [
    "Поставка", "Внедрение", "Обслуживание", "Модернизация", "Аренда", "Монтаж", "Лицензии",
    "Консалтинг", "Обучение", "Ремонт",
  ]
  static let dealObjects = [
    "оборудования", "CRM", "склада", "котельной", "серверов", "станков", "кондиционеров",
    "1С", "видеонаблюдения", "спецодежды", "мебели", "упаковки",
  ]

  /// Adds `count` deals in the default pipeline to random live clients, with stage history
  /// written straight to SQL (no entry actions): about 22 % open (created in the last 90 days,
  /// some stuck), 30 % won and 48 % lost over the last two years. Uses its own random sequence,
  /// so clients and contacts stay as they were. Returns how many were added.
  @discardableResult
  public func populateDeals(_ db: CRMDatabase, count: Int, seed: UInt64) throws(CRMError) -> Int {
    var rng = SeededRandom(seed: seed ^ 0xDEA1_5EED)
    let nowT = now.timeIntervalSince1970
    return try db.write { db in
      guard let pipeline = try PipelineService.loadPipelines(db).first else { return 0 }
      let open = pipeline.openStages
      guard let won = pipeline.wonStage, let lost = pipeline.lostStage, !open.isEmpty else {
        return 0
      }
      let clients = try Row.fetchAll(
        db, sql: "SELECT id, owner_id FROM client WHERE deleted_at IS NULL AND owner_id IS NOT NULL"
      ).map { ($0["id"] as Int64, $0["owner_id"] as Int64) }
      guard !clients.isEmpty else { return 0 }
      let sources = try PipelineService.loadChoices(db, "lead_source").map(\.key)
      let reasons = try PipelineService.loadChoices(db, "lost_reason").map(\.key)
      let insertDeal = try db.makeStatement(
        sql: """
          INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, title,
            amount, currency, source, owner_id, lost_reason, created_at, updated_at, stage_at,
            closed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, 'RUB', ?, ?, ?, ?, ?, ?, ?)
          """)
      let insertEntry = try db.makeStatement(
        sql: """
          INSERT INTO deal_stage (deal_id, from_stage_id, to_stage_id, at, left_at, user_id)
          VALUES (?, ?, ?, ?, ?, ?)
          """)
      func days(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &rng) * 86400
      }
      var added = 0
      for _ in 0..<count {
        let (clientId, owner) = clients[Int.random(in: 0..<clients.count, using: &rng)]
        let roll = Double.random(in: 0..<1, using: &rng)
        let outcome: StageKind = roll < 0.22 ? .open : roll < 0.52 ? .won : .lost
        // The path: open stages in order, sometimes skipping one; open deals stop early.
        let last: Int
        switch outcome {
        case .open: last = Int.random(in: 0..<open.count, using: &rng)
        case .won: last = open.count - 1
        case .lost: last = Int.random(in: 0..<open.count, using: &rng)
        }
        var path: [Stage] = []
        for (i, s) in open.enumerated() where i <= last {
          if i == 0 || i == last || Double.random(in: 0..<1, using: &rng) > 0.15 { path.append(s) }
        }
        var stays = path.map { _ in days(0.2...12) }
        let total = stays.reduce(0, +)
        let created: Double
        if outcome == .open {
          // Open deals began within 90 days; about one in five has sat past its limit.
          let inStage = Double.random(in: 0..<1, using: &rng) < 0.2 ? days(8...40) : days(0...4)
          stays[stays.count - 1] = inStage
          created = nowT - stays.reduce(0, +)
        } else {
          created = nowT - days(1...730) - total
        }
        let title =
          "\(Self.dealWords[Int.random(in: 0..<Self.dealWords.count, using: &rng)]) \(Self.dealObjects[Int.random(in: 0..<Self.dealObjects.count, using: &rng)])"
        let amount = Int64.random(in: 20...5000, using: &rng) * 10_000_00 / 10
        var t = created
        var entries: [(Int64?, Int64, Double, Double?)] = []
        for (i, s) in path.enumerated() {
          let end = t + stays[i]
          let isLast = i == path.count - 1
          entries.append(
            (i == 0 ? nil : path[i - 1].id, s.id, t, isLast && outcome == .open ? nil : end))
          t = end
        }
        let finalStage: Stage
        switch outcome {
        case .open: finalStage = path.last!
        case .won: finalStage = won
        case .lost: finalStage = lost
        }
        if outcome != .open { entries.append((path.last!.id, finalStage.id, t, nil)) }
        let stageAt = entries.last!.2
        try insertDeal.execute(arguments: [
          pipeline.id, finalStage.id, outcome == .won ? won.id : path.last!.id, outcome.rawValue,
          clientId, title, amount,
          sources.isEmpty ? "" : sources[Int.random(in: 0..<sources.count, using: &rng)], owner,
          outcome == .lost && !reasons.isEmpty
            ? reasons[Int.random(in: 0..<reasons.count, using: &rng)] : "",
          created, stageAt, stageAt, outcome == .open ? nil : stageAt,
        ])
        let dealId = db.lastInsertedRowID
        for e in entries {
          try insertEntry.execute(arguments: [dealId, e.0, e.1, e.2, e.3, owner])
        }
        added += 1
      }
      return added
    }
  }
}
