import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// The card's duplicate check and the scan (`crm dedupe`) agree (#20, item 6).
@Suite struct CardCheckTests {
  /// A base where «Технопарк Северный» has many neighbours in key order (the typo is in the
  /// first word of the folded key, `severni tehnopark` against `siverni tehnopark`).
  func base() throws -> (CRMDatabase, ClientService, Int64) {
    let db = try memoryDB()
    let s = try service(db)
    let target = try s.add(Client(name: "Технопарк Северный", legalForm: "ООО"))
    for name in [
      "Сибирь", "Сигнал", "Сила", "Симфония", "Синтез", "Сириус", "Система", "Ситалл", "Сияние",
      "Северсталь", "Север", "Семена", "Сервис", "Сетка", "Сеть", "Скала", "Слава", "Смена",
    ] {
      _ = try s.add(Client(name: name, legalForm: "ООО"))
    }
    return (db, s, target)
  }

  @Test func aOneLetterTypoFarInKeyOrderIsFoundAsTheScanFindsIt() throws {
    let (db, s, target) = try base()
    let typo = Client(name: "Технопарк Сиверный", legalForm: "ООО")
    let hint = try s.likelyDuplicates(of: typo)
    #expect(hint.map(\.id) == [target])
    #expect(hint.first?.reason == .name)
    // Saved anyway, the scan lists the same pair with the same score.
    let id = try s.add(typo)
    let finder = DuplicateFinder(db: db, language: .en)
    let pair = try #require(try finder.scan().first { $0.first == target && $0.second == id })
    let saved = try #require(try s.client(id))
    let card = try #require(try finder.matches(for: saved).first)
    #expect(card.score == pair.score)
    #expect(pair.score >= DuplicateFinder.threshold)
  }

  /// Below the scan's bar the card keeps quiet too: no hint the scan would not list.
  @Test func theCardWarnsFromTheScansThresholdOnly() throws {
    let db = try memoryDB()
    let s = try service(db)
    _ = try s.add(Client(name: "Ромашка"))
    // 87 % alike: 69 points, under the scan's 70.
    #expect(try s.likelyDuplicates(of: Client(name: "Ромашко")).isEmpty)
    let id = try s.add(Client(name: "Ромашко"))
    #expect(try DuplicateFinder(db: db, language: .en).scan().contains { $0.second == id } == false)
    // Editing a stored client checks it against the others, never against itself.
    let stored = try #require(try s.client(id))
    #expect(try s.likelyDuplicates(of: stored).isEmpty)
  }

  /// Every pair the scan lists in a demo base (with its typed twins) is one the card names, with
  /// the same score, checked from either side.
  @Test func everyPairOfTheScanIsOneTheCardWarnsAbout() throws {
    var demo = DemoData(seed: 5, now: testStart)
    let db = try memoryDB()
    try demo.populate(db, count: 1500)
    let finder = DuplicateFinder(db: db, language: .en)
    let s = try service(db)
    let pairs = try finder.scan()
    #expect(pairs.count >= 5)
    for p in pairs.prefix(80) {
      for (me, other) in [(p.second, p.first), (p.first, p.second)] {
        let c = try #require(try s.client(me))
        let card = try finder.matches(for: c, limit: 50)
        let hit = card.first { $0.first == other || $0.second == other }
        #expect(hit?.score == p.score, "\(p.firstName) / \(p.secondName)")
      }
    }
  }
}
