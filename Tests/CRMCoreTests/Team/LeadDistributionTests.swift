import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A database with an admin (root), a supervisor (vera) and managers anna, boris, carl, on a
/// fixed Monday clock.
struct WorkFixture {
  let db: CRMDatabase
  let clock: FixedClock
  var users: [String: User] = [:]

  init(managers: [String] = ["anna", "boris", "carl"]) throws {
    clock = FixedClock(monday)
    db = try CRMDatabase(memory: clock)
    for login in ["root", "vera"] + managers {
      users[login] = try #require(try db.user(login: login))
    }
    try sql("UPDATE app_user SET role = 'supervisor' WHERE login = 'vera'")
    users["vera"] = try db.findUser(login: "vera")
  }

  func id(_ login: String) -> Int64 { users[login]!.id }

  func sql(_ text: String, _ args: StatementArguments = []) throws {
    try db.write { db in try db.execute(sql: text, arguments: args) }
  }

  func int(_ text: String, _ args: StatementArguments = []) throws -> Int {
    try db.read { db in try Int.fetchOne(db, sql: text, arguments: args) ?? 0 }
  }

  func setting(_ key: String, _ value: String) throws {
    try db.setSetting(key, value, language: .en)
  }

  /// Signs `login` in (role checks and visibility apply from now on).
  func signIn(_ login: String) throws {
    try db.signIn(try db.findUser(login: login))
  }

  func clients(_ login: String) -> ClientService {
    ClientService(db: db, userId: users[login]?.id, language: .en)
  }

  /// Adds unowned clients directly (bypassing the add hook), returning their ids.
  func unowned(_ n: Int, segment: String = "", city: String = "", prefix: String = "Lead")
    throws -> [Int64]
  {
    try db.write { db in
      var ids: [Int64] = []
      for i in 0..<n {
        try db.execute(
          sql: """
            INSERT INTO client (kind, name, name_key, segment, city, city_key, created_at,
              updated_at)
            VALUES ('company', ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            "\(prefix) \(i)", "\(prefix) \(i)".lowercased(), segment, city,
            TextFold.sortKey(city), monday.timeIntervalSince1970, monday.timeIntervalSince1970,
          ])
        ids.append(db.lastInsertedRowID)
      }
      return ids
    }
  }

  /// Owner login per client id.
  func owners(_ ids: [Int64]) throws -> [String] {
    try db.read { db in
      try ids.map {
        try String.fetchOne(
          db,
          sql:
            "SELECT coalesce(u.login, '') FROM client c LEFT JOIN app_user u ON u.id = c.owner_id WHERE c.id = ?",
          arguments: [$0]) ?? ""
      }
    }
  }

  func leads(as login: String = "vera") -> LeadService {
    LeadService(db: db, userId: users[login]?.id, language: .en)
  }
}

@Suite struct LeadDistributionTests {
  @Test func roundRobinThousandLeadsOverThreeManagers() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "round_robin")
    let ids = try f.unowned(1000)
    try f.signIn("vera")
    let run = try f.leads().distribute()
    #expect(run.assigned.count == 1000)
    #expect(run.perUser.map(\.login) == ["anna", "boris", "carl"])
    #expect(run.perUser.map(\.count) == [334, 333, 333])
    // In rotation order: anna, boris, carl, anna…
    let owners = try f.owners(Array(ids.prefix(7)))
    #expect(owners == ["anna", "boris", "carl", "anna", "boris", "carl", "anna"])
    // One log row per assignment, with the reason.
    #expect(try f.int("SELECT count(*) FROM lead_assignment") == 1000)
    #expect(try f.int("SELECT count(*) FROM lead_assignment WHERE rule = 'round_robin'") == 1000)
    let reason = try f.db.read { db in
      try String.fetchOne(db, sql: "SELECT reason FROM lead_assignment WHERE id = 2")
    }
    #expect(reason == "round robin: after anna")
    // Audited like an owner change.
    #expect(
      try f.int(
        "SELECT count(*) FROM audit WHERE action = 'distribute' AND field = 'owner'") == 1000)
    #expect(try f.int("SELECT count(*) FROM client WHERE owner_id IS NULL") == 0)
  }

  @Test func restartContinuesTheRotation() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "round_robin")
    _ = try f.unowned(4)
    _ = try f.leads().distribute()  // anna boris carl anna
    let more = try f.unowned(2, prefix: "More")
    // A new service (a new process) reads the rotation from the log.
    _ = try LeadService(db: f.db, userId: f.id("vera"), language: .en).distribute()
    #expect(try f.owners(more) == ["boris", "carl"])
  }

  @Test func leastBusyEvensOutASkewedStart() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "least_busy")
    // anna has 4 planned contacts, boris 1, carl none.
    let own = try f.unowned(1, prefix: "Own")[0]
    try f.sql("UPDATE client SET owner_id = ? WHERE id = ?", [f.id("root"), own])
    let c = ContactService(db: f.db, userId: f.id("root"), language: .en)
    for (login, n) in [("anna", 4), ("boris", 1)] {
      for i in 0..<n {
        try c.plan(
          Contact(
            clientId: own, kind: .call, dueAt: monday.addingTimeInterval(Double(i + 1) * 3600),
            userId: f.id(login)))
      }
    }
    let ids = try f.unowned(8)
    let run = try f.leads().distribute()
    // Loads 4/1/0: carl, carl, then boris and carl alternate… until all reach 4+.
    #expect(run.assigned.count == 8)
    let counts = Dictionary(uniqueKeysWithValues: run.perUser.map { ($0.login, $0.count) })
    // Final loads (planned + leads today): anna 4+a, boris 1+b, carl 0+c, as even as can be.
    let loads = [4 + (counts["anna"] ?? 0), 1 + (counts["boris"] ?? 0), counts["carl"] ?? 0]
    #expect(loads.max()! - loads.min()! <= 1)
    #expect(try f.owners(Array(ids.prefix(4))) == ["carl", "boris", "carl", "boris"])
  }

  @Test func segmentMapWithFallback() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "segment")
    try f.setting("lead_segment_map", "VIP=boris,carl")
    try f.setting("lead_fallback", "round_robin")
    let vip = try f.unowned(4, segment: "vip", prefix: "V")
    let other = try f.unowned(2, segment: "Опт", prefix: "O")
    _ = try f.leads().distribute()
    #expect(try f.owners(vip) == ["boris", "carl", "boris", "carl"])
    // Unmapped: round robin over the pool, after the latest receiver (carl) → anna.
    #expect(try f.owners(other) == ["anna", "boris"])
    let reasons = try f.db.read { db in
      try String.fetchAll(db, sql: "SELECT reason FROM lead_assignment ORDER BY id")
    }
    #expect(reasons[0] == "segment vip → boris")
    #expect(reasons[4] == "segment Опт: not mapped; round robin: after carl")
  }

  @Test func regionMapByCityFolded() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "region")
    try f.setting("lead_region_map", "Москва=anna;Казань=carl")
    let moscowLeads = try f.unowned(2, city: "МОСКВА", prefix: "M")
    let kazan = try f.unowned(1, city: "Казань", prefix: "K")
    let nowhere = try f.unowned(1, city: "Тверь", prefix: "T")
    _ = try f.leads().distribute()
    #expect(try f.owners(moscowLeads) == ["anna", "anna"])
    #expect(try f.owners(kazan) == ["carl"])
    #expect(try f.owners(nowhere) == ["anna"])  // fallback round robin after carl
  }

  @Test func inactiveUsersNeverGetLeads() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "segment")
    try f.setting("lead_segment_map", "VIP=boris")
    try f.setting("lead_pool", "anna,boris,ghost")
    try f.sql("UPDATE app_user SET active = 0 WHERE login = 'boris'")
    let vip = try f.unowned(3, segment: "VIP")
    _ = try f.leads().distribute()
    // The map names only an inactive user: fallback over the pool, where boris and the
    // unknown ghost are skipped.
    #expect(try f.owners(vip) == ["anna", "anna", "anna"])
    #expect(
      try f.int("SELECT count(*) FROM lead_assignment WHERE user_id = ?", [f.id("boris")]) == 0)
  }

  @Test func dryRunChangesNothingAndRolesAreChecked() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "round_robin")
    _ = try f.unowned(5)
    let run = try f.leads().distribute(dryRun: true)
    #expect(run.assigned.count == 5)
    #expect(try f.int("SELECT count(*) FROM client WHERE owner_id IS NULL") == 5)
    #expect(try f.int("SELECT count(*) FROM lead_assignment") == 0)
    try f.signIn("anna")
    #expect(throws: CRMError.self) { try f.leads(as: "anna").distribute() }
    #expect(try f.int("SELECT count(*) FROM client WHERE owner_id IS NULL") == 5)
  }

  @Test func limitAndRuleOverride() throws {
    let f = try WorkFixture()
    _ = try f.unowned(5)
    #expect(throws: CRMError.self) { try f.leads().distribute() }  // lead_rule off
    let run = try f.leads().distribute(rule: .roundRobin, limit: 2)
    #expect(run.assigned.count == 2)
    #expect(try f.int("SELECT count(*) FROM client WHERE owner_id IS NULL") == 3)
  }

  @Test func clientAddHook() throws {
    let f = try WorkFixture()
    // Rule off: as before, the acting user owns what they add.
    let a = try f.clients("vera").add(Client(name: "Off"))
    #expect(try f.owners([a]) == ["vera"])
    try f.setting("lead_rule", "round_robin")
    // A manager's quick add stays theirs.
    let m = try f.clients("boris").add(Client(name: "Mine"))
    #expect(try f.owners([m]) == ["boris"])
    // A supervisor's add goes to the distributor; so does "no owner" asked explicitly.
    let s = try f.clients("vera").add(Client(name: "Lead A"))
    let n = try f.clients("boris").add(Client(name: "Lead B"), unowned: true)
    #expect(try f.owners([s, n]) == ["anna", "boris"])
    #expect(try f.int("SELECT count(*) FROM lead_assignment") == 2)
    // Undo of the supervisor's add (the distribution was part of it) takes the lead back.
    #expect(try f.clients("vera").undoLatest(on: s)?.action == "insert")
    #expect(try f.clients("vera").client(s)?.deletedAt != nil)
    // An explicit owner is kept.
    let o = try f.clients("vera").add(Client(name: "Given", ownerId: f.id("carl")))
    #expect(try f.owners([o]) == ["carl"])
  }

  @Test func importDistributesRowsWithoutOwner() throws {
    let f = try WorkFixture()
    try f.setting("lead_rule", "round_robin")
    let rows: [ImportItem] = (0..<6).map {
      .row(
        ImportRow(
          line: $0 + 2, client: Client(name: "Imp \($0)"), ownerLogin: $0 == 5 ? "carl" : nil))
    }
    let service = ClientImportService(db: f.db, userId: f.id("root"), language: .en)
    let report = try service.run(
      options: ImportOptions(format: "csv", fileName: "leads.csv", onDuplicate: .create),
      items: rows)
    #expect(report.created == 6)
    let ids = try f.db.read { db in
      try Int64.fetchAll(db, sql: "SELECT id FROM client WHERE name LIKE 'Imp%' ORDER BY id")
    }
    #expect(try f.owners(ids) == ["anna", "boris", "carl", "anna", "boris", "carl"])
    #expect(try f.int("SELECT count(*) FROM lead_assignment") == 5)
  }

  @Test func nobodyToReceiveLeadsBehavesLikeTheRuleOff() throws {
    let f = try WorkFixture(managers: [])
    try f.setting("lead_rule", "round_robin")
    // No active manager: a supervisor's add keeps her as the owner rather than failing.
    let id = try f.clients("vera").add(Client(name: "Solo"))
    #expect(try f.owners([id]) == ["vera"])
    // The explicit command says why.
    _ = try f.unowned(1)
    do {
      _ = try f.leads().distribute()
      Issue.record("expected a refusal")
    } catch {
      #expect(error.message(.en).contains("lead_pool"))
    }
  }
}
