import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

extension WorkFixture {
  func campaigns(as login: String = "vera") -> CampaignService {
    CampaignService(db: db, userId: users[login]?.id, language: .en, timeZone: moscow)
  }

  func filters(as login: String = "vera") -> SavedFilterService {
    SavedFilterService(db: db, userId: users[login]?.id, language: .en)
  }

  /// A day `n` days after Monday's start in Moscow.
  func day(_ n: Int) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = moscow
    return cal.date(byAdding: .day, value: n, to: cal.startOfDay(for: monday))!
  }
}

@Suite struct CampaignTests {
  /// Clients: two VIPs named alike (anna's and boris's), one VIP in the trash, one VIP without
  /// an owner, one ordinary client.
  func dataset() throws -> (WorkFixture, [String: Int64]) {
    let f = try WorkFixture()
    var ids: [String: Int64] = [:]
    ids["a"] = try f.clients("anna").add(
      Client(name: "Ромашка", segment: "VIP", ownerId: f.id("anna")))
    ids["b"] = try f.clients("boris").add(
      Client(name: "Ромашка", segment: "VIP", ownerId: f.id("boris")))
    ids["trash"] = try f.clients("anna").add(
      Client(name: "Удалённый", segment: "VIP", ownerId: f.id("anna")))
    try f.clients("anna").delete(ids["trash"]!)
    ids["free"] = try f.unowned(1, segment: "VIP", prefix: "Free")[0]
    ids["plain"] = try f.clients("carl").add(Client(name: "Обычный", ownerId: f.id("carl")))
    return (f, ids)
  }

  @Test func plansExactlyOneContactPerTargetWithItsOwner() throws {
    let (f, ids) = try dataset()
    try f.filters().save("VIP", ClientFilter(segment: "VIP"))
    try f.signIn("vera")
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "Осень", channel: .call, from: f.day(0), to: f.day(5), target: .saved("vip")))
    #expect(plan.selected == 3)  // a, b, free — not the trash, not the plain one
    #expect(plan.planned == 2)
    #expect(plan.skippedUnowned == 1)  // lead_rule off
    #expect(plan.perUser == ["anna": 1, "boris": 1])
    let rows = try f.db.read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT client_id, user_id, author_id, kind, subject, campaign_id FROM contact ORDER BY client_id"
      )
    }
    #expect(rows.count == 2)
    #expect(rows.map { $0["client_id"] as Int64 } == [ids["a"]!, ids["b"]!])
    #expect(rows.map { $0["user_id"] as Int64 } == [f.id("anna"), f.id("boris")])
    #expect(rows.allSatisfy { ($0["author_id"] as Int64) == f.id("vera") })
    #expect(rows.allSatisfy { ($0["subject"] as String) == "Осень" })
    #expect(try f.int("SELECT count(*) FROM campaign_client WHERE contact_id IS NOT NULL") == 2)
    #expect(
      try f.int(
        "SELECT count(DISTINCT client_id) FROM contact WHERE campaign_id = ?", [plan.campaignId!])
        == 2)
  }

  @Test func unownedTargetsAreDistributedFirstWhenTheRuleIsOn() throws {
    let (f, ids) = try dataset()
    try f.setting("lead_rule", "round_robin")
    try f.signIn("vera")
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "VIP", channel: .email, from: f.day(0), to: f.day(5),
        target: .inline(ClientFilter(segment: "VIP"))))
    #expect(plan.planned == 3 && plan.distributed == 1 && plan.skippedUnowned == 0)
    #expect(try f.owners([ids["free"]!]) == ["anna"])
  }

  @Test func dueTimesSpreadOverWorkingDays() throws {
    let f = try WorkFixture()
    _ = try f.unowned(0)
    for i in 0..<10 {
      _ = try f.clients("anna").add(Client(name: "K\(i)", ownerId: f.id("anna"), tags: ["осень"]))
    }
    try f.signIn("vera")
    // Monday to Sunday: five working days, two calls a day at 10:00 and 14:00.
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "Tag", channel: .call, from: f.day(0), to: f.day(7),
        target: .inline(ClientFilter(tag: "Осень"))))
    #expect(plan.planned == 10)
    let dues = try f.db.read { db in
      try Double.fetchAll(db, sql: "SELECT due_at FROM contact ORDER BY client_id")
    }.map(Date.init(timeIntervalSince1970:))
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = moscow
    let hours = dues.map { cal.component(.hour, from: $0) }
    #expect(hours == [10, 14, 10, 14, 10, 14, 10, 14, 10, 14])
    let days = dues.map {
      cal.dateComponents([.day], from: f.day(0), to: cal.startOfDay(for: $0)).day!
    }
    #expect(days == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
  }

  @Test func resultsOnAHandMadeDataset() throws {
    let f = try WorkFixture()
    var ids: [Int64] = []
    for i in 0..<5 {
      ids.append(
        try f.clients("anna").add(Client(name: "R\(i)", segment: "Опт", ownerId: f.id("anna"))))
    }
    try f.signIn("vera")
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "Опт", channel: .call, from: f.day(0), to: f.day(3),
        target: .inline(ClientFilter(segment: "Опт"))))
    let cid = try #require(plan.campaignId)
    let contacts = try f.db.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM contact WHERE campaign_id = ? ORDER BY client_id", arguments: [cid]
      )
    }
    let cs = ContactService(db: f.db, userId: f.id("anna"), language: .en, timeZone: moscow)
    // R0, R1 reached; R2 no answer; R3 no answer then reached on the retry; R4 untouched.
    _ = try cs.complete(contacts[0])
    _ = try cs.complete(contacts[1])
    _ = try cs.noAnswer(contacts[2])
    let retry = try cs.noAnswer(contacts[3])
    _ = try cs.complete(retry)
    // Deals: R0 won 1 000 ₽ and another open; R2 (not reached) lost; R4 won in USD; a deal
    // before the start does not count.
    let start = f.day(0).timeIntervalSince1970
    func deal(_ client: Int64, _ status: String, _ amount: Int64, _ cur: String, _ at: Double)
      throws
    {
      try f.sql(
        """
        INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, title,
          amount, currency, owner_id, created_at, updated_at, stage_at, closed_at)
        SELECT p.id, s.id, s.id, ?, ?, 'D', ?, ?, ?, ?, ?, ?, ?
        FROM pipeline p JOIN stage s ON s.pipeline_id = p.id LIMIT 1
        """,
        [status, client, amount, cur, f.id("anna"), at, at, at, status == "open" ? nil : at])
    }
    try deal(ids[0], "won", 100_000, "RUB", start + 3600)
    try deal(ids[0], "open", 50_000, "RUB", start + 7200)
    try deal(ids[2], "lost", 70_000, "RUB", start + 3600)
    try deal(ids[4], "won", 2_000, "USD", start + 3600)
    try deal(ids[1], "won", 999_999, "RUB", start - 86400)
    let r = try #require(try f.campaigns().result(cid))
    #expect(r.targets == 5 && r.planned == 5)
    #expect(r.reached == 3)  // R0, R1, R3 (on the retry)
    #expect(r.noAnswer == 1)  // R2
    #expect(r.interested == 1)  // R0: reached with a deal since the start
    #expect(r.deals == 4 && r.wonDeals == 2)
    #expect(r.revenue == ["RUB": 100_000, "USD": 2_000])
    #expect(try f.campaigns().list().map(\.id) == [cid])
  }

  @Test func dryRunChangesNothing() throws {
    let (f, _) = try dataset()
    try f.signIn("vera")
    let before = try f.int("SELECT count(*) FROM change_set")
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "Dry", channel: .call, from: f.day(0), to: f.day(5),
        target: .inline(ClientFilter(segment: "VIP"))), dryRun: true)
    #expect(plan.planned == 2 && plan.dryRun && plan.campaignId == nil)
    #expect(try f.int("SELECT count(*) FROM campaign") == 0)
    #expect(try f.int("SELECT count(*) FROM contact") == 0)
    #expect(try f.int("SELECT count(*) FROM change_set") == before)
  }

  @Test func badInputChangesNothing() throws {
    let (f, _) = try dataset()
    let vip = NewCampaign.Target.inline(ClientFilter(segment: "VIP"))
    try f.signIn("vera")
    func refused(_ c: NewCampaign, _ text: String) {
      do {
        _ = try f.campaigns().create(c)
        Issue.record("expected a refusal: \(text)")
      } catch {
        #expect(error.message(.en).contains(text))
      }
    }
    refused(
      NewCampaign(name: "X", channel: .call, from: f.day(0), to: f.day(5), target: .saved("нет")),
      "no saved filter «нет»")
    refused(
      NewCampaign(name: "X", channel: .call, from: f.day(5), to: f.day(1), target: vip),
      "is before --from")
    refused(
      NewCampaign(name: "X", channel: .complaint, from: f.day(0), to: f.day(5), target: vip),
      "channel is one of")
    refused(
      NewCampaign(name: " ", channel: .call, from: f.day(0), to: f.day(5), target: vip), "empty")
    refused(
      NewCampaign(
        name: "X", channel: .call, from: f.day(0), to: f.day(5), target: .inline(ClientFilter())),
      "give --filter")
    try f.signIn("anna")
    refused(
      NewCampaign(name: "X", channel: .call, from: f.day(0), to: f.day(5), target: vip),
      "needs the role")
    #expect(try f.int("SELECT count(*) FROM campaign") == 0)
    #expect(try f.int("SELECT count(*) FROM contact") == 0)
  }

  @Test func manyTargetsInPages() throws {
    let f = try WorkFixture()
    let n = 5000
    _ = try f.unowned(n, segment: "Mass")
    try f.sql("UPDATE client SET owner_id = ? WHERE id % 2 = 0", [f.id("anna")])
    try f.sql("UPDATE client SET owner_id = ? WHERE id % 2 = 1", [f.id("boris")])
    try f.signIn("vera")
    let plan = try f.campaigns().create(
      NewCampaign(
        name: "Mass", channel: .call, from: f.day(0), to: f.day(14),
        target: .inline(ClientFilter(segment: "Mass"))))
    #expect(plan.planned == n)
    #expect(try f.int("SELECT count(DISTINCT client_id) FROM contact") == n)
  }
}

@Suite struct SavedFilterTests {
  @Test func saveListResolveRemove() throws {
    let f = try WorkFixture()
    _ = try f.clients("anna").add(
      Client(name: "A", city: "Казань", segment: "VIP", ownerId: f.id("anna")))
    _ = try f.clients("anna").add(
      Client(name: "B", city: "Москва", segment: "VIP", ownerId: f.id("anna")))
    _ = try f.clients("boris").add(Client(name: "C", segment: "VIP", ownerId: f.id("boris")))
    let s = f.filters(as: "anna")
    try s.save("Казанские VIP", ClientFilter(segment: "VIP", city: "казань"))
    try s.save("Анна", ClientFilter(segment: "VIP", owner: "anna"))
    #expect(try s.list().map(\.name) == ["Анна", "Казанские VIP"])
    let k = try s.named("казанские vip")
    #expect(k.filter.json == #"{"city":"казань","segment":"VIP"}"#)
    #expect(try s.count(k.filter) == 1)
    #expect(try s.count(s.named("Анна").filter) == 2)
    #expect(try s.clients(k.filter).map(\.name) == ["A"])
    // Same name again, unknown owner, empty filter: refused.
    #expect(throws: CRMError.self) { try s.save("анна", ClientFilter(tag: "x")) }
    #expect(throws: CRMError.self) { try s.save("Z", ClientFilter(owner: "nobody")) }
    #expect(throws: CRMError.self) { try s.save("Z", ClientFilter()) }
    try s.save("анна", ClientFilter(tag: "x"), replace: true)
    #expect(try s.named("Анна").filter == ClientFilter(tag: "x"))
    // Another manager cannot remove anna's filter; anna can.
    try f.signIn("boris")
    #expect(throws: CRMError.self) { try f.filters(as: "boris").remove("Анна") }
    try f.signIn("anna")
    try s.remove("Анна")
    #expect(try s.list().map(\.name) == ["Казанские VIP"])
    #expect(throws: CRMError.self) { try s.remove("Анна") }
    #expect(try f.int("SELECT count(*) FROM change_set WHERE entity = 'filter'") == 4)
  }
}
