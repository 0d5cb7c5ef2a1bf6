import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// A team on one database: anna (admin), boris and vera (managers, team east), gleb (manager,
/// team west), sofia (supervisor, team east); one client each plus a second of boris's and an
/// unowned lead; a deal, a planned contact, an invoice and a payment on anna's and boris's
/// clients. Everything is made before anyone signs in.
struct TeamFixture {
  let db: CRMDatabase
  let anna: Int64
  let boris: Int64
  let vera: Int64
  let gleb: Int64
  let sofia: Int64
  /// Clients: anna's (ИНН 5001999994, phone 111-22-33), boris's two (ИНН 7707083893, phone
  /// 222-33-44; and «Ромашка Плюс»), vera's, gleb's, the unowned lead.
  let a1: Int64
  let b1: Int64
  let b2: Int64
  let v1: Int64
  let g1: Int64
  let lead: Int64
  let aDeal: Int64
  let bDeal: Int64

  init(visibility: Visibility = .own, supervisors: Visibility = .team) throws {
    db = try CRMDatabase(memory: FixedClock(monday))
    anna = try #require(try db.user(login: "anna")).id
    let admin = UserAdmin(db: db, userId: anna, language: .en)
    boris = try admin.add(login: "boris", role: .manager, team: "east").id
    vera = try admin.add(login: "vera", role: .manager, team: "east").id
    gleb = try admin.add(login: "gleb", role: .manager, team: "west").id
    sofia = try admin.add(login: "sofia", role: .supervisor, team: "east").id
    let cs = ClientService(db: db, userId: anna, language: .en)
    a1 = try cs.add(
      Client(
        name: "Вектор", legalForm: "ООО", inn: "5001999994", phones: [Phone("+7 495 111-22-33")],
        segment: "VIP", ownerId: anna))
    b1 = try cs.add(
      Client(
        name: "Ромашка", legalForm: "ООО", inn: "7707083893", phones: [Phone("+7 495 222-33-44")],
        segment: "VIP", ownerId: boris))
    b2 = try cs.add(Client(name: "Ромашка Плюс", segment: "retail", ownerId: boris))
    v1 = try cs.add(Client(name: "Лютик", segment: "retail", ownerId: vera))
    g1 = try cs.add(Client(name: "Астра", segment: "retail", ownerId: gleb))
    lead = try ClientService(db: db, userId: nil, language: .en).add(Client(name: "Новый лид"))
    let deals = DealService(db: db, userId: anna, language: .en, timeZone: moscow)
    aDeal = try deals.add(Deal(clientId: a1, title: "Поставка Вектор", amount: 100_000_00))
    bDeal = try deals.add(Deal(clientId: b1, title: "Поставка Ромашка", amount: 50_000_00))
    let contacts = ContactService(db: db, userId: anna, language: .en, timeZone: moscow)
    for (c, u) in [(a1, anna), (b1, boris)] {
      _ = try contacts.plan(
        Contact(
          clientId: c, kind: .call, dueAt: monday.addingTimeInterval(3600), subject: "Звонок",
          userId: u))
    }
    let money = MoneyService(db: db, userId: anna, language: .en, timeZone: moscow)
    for c in [a1, b1] {
      _ = try money.addInvoice(
        DocumentDraft(clientId: c, lines: [DocumentDraft.sumLine("1000")]))
    }
    try pay(db, a1, "2026-06-15", 500_000_00)
    try pay(db, b1, "2026-06-15", 100_000_00)
    try db.setSetting("visibility", visibility.rawValue, language: .en)
    try db.setSetting("supervisor_visibility", supervisors.rawValue, language: .en)
  }

  @discardableResult
  func signIn(_ login: String) throws -> Viewer { try db.signIn(login: login) }

  func ids(_ q: ClientListQuery = ClientListQuery()) throws -> [Int64] {
    try db.page(q, offset: 0, limit: 100).map(\.id).sorted()
  }

  var clients: ClientService { ClientService(db: db, userId: db.viewer.user?.id, language: .en) }
}

@Suite struct VisibilityTests {
  @Test func beforeSignInEverythingIsVisible() throws {
    let f = try TeamFixture()
    #expect(try f.ids() == [f.a1, f.b1, f.b2, f.v1, f.g1, f.lead])
    #expect(try f.db.count(ClientListQuery()) == 6)
  }

  @Test func aManagerUnderOwnListsSearchesAndCountsOnlyTheirClients() throws {
    let f = try TeamFixture()
    try f.signIn("boris")
    #expect(try f.ids() == [f.b1, f.b2])
    #expect(try f.db.count(ClientListQuery()) == 2)
    #expect(try f.ids(ClientListQuery(trash: false)) == [f.b1, f.b2])
    // Search by name, phone and ИНН: anna's client is not found, boris's is.
    #expect(try f.ids(ClientListQuery(search: "Вектор")) == [])
    #expect(try f.db.count(ClientListQuery(search: "Вектор")) == 0)
    #expect(try f.ids(ClientListQuery(search: "111-22-33")) == [])
    #expect(try f.ids(ClientListQuery(search: "5001999994")) == [])
    #expect(try f.ids(ClientListQuery(search: "Ромашка")) == [f.b1, f.b2])
    #expect(try f.db.count(ClientListQuery(search: "ромашка")) == 2)
    #expect(try f.ids(ClientListQuery(search: "222-33-44")) == [f.b1])
    #expect(try f.ids(ClientListQuery(search: "7707083893")) == [f.b1])
    // Filtering by another owner shows nothing.
    #expect(try f.ids(ClientListQuery(ownerId: f.anna)) == [])
    #expect(try f.db.segments() == ["VIP", "retail"])
    #expect(try f.db.ids(ClientListQuery()) == [f.b1, f.b2])
  }

  @Test func aManagerCannotOpenOrChangeAnotherManagersClient() throws {
    let f = try TeamFixture()
    let p = try ClientService(db: f.db, userId: f.anna, language: .en).addPerson(
      ContactPerson(clientId: f.a1, name: "Иван Петров"))
    try f.signIn("boris")
    let cs = f.clients
    #expect(try cs.client(f.a1) == nil)
    #expect(try cs.client(f.b1)?.name == "Ромашка")
    #expect(try cs.persons(of: f.a1) == [])
    #expect(try cs.person(p) == nil)
    #expect(try cs.history(of: f.a1) == [])
    #expect(try !cs.history(of: f.b1).isEmpty)
    var c = Client(name: "Взлом", ownerId: f.boris)
    c.id = f.a1
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) { try cs.update(c) }
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) { try cs.delete(f.a1) }
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try cs.addPerson(ContactPerson(clientId: f.a1, name: "Пётр"))
    }
    #expect(throws: CRMError.notFound(what: "contact person", id: p)) {
      try cs.deletePerson(p)
    }
    // Nothing changed on anna's client.
    let before = try f.db.read { db in try ClientService.load(db, f.a1) }
    #expect(before?.name == "Вектор" && before?.deletedAt == nil)
    // Their own: all of it works.
    try cs.delete(f.b2)
    try cs.restore(f.b2)
    #expect(try cs.client(f.b2)?.deletedAt == nil)
  }

  @Test func contactsDealsAndMoneyOfHiddenClientsAreHidden() throws {
    let f = try TeamFixture()
    try f.signIn("boris")
    let contacts = ContactService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    let everyone = try contacts.planned(
      from: monday, to: monday.addingTimeInterval(86400), scope: .everyone)
    #expect(everyone.map(\.contact.clientId) == [f.b1])
    #expect(try contacts.contacts(ofClient: f.a1) == [])
    #expect(try contacts.list(scope: .everyone).map(\.contact.clientId) == [f.b1])
    #expect(
      try contacts.reminders(scope: .everyone, horizon: monday.addingTimeInterval(86400)).map(
        \.row.contact.clientId) == [f.b1])
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try contacts.plan(
        Contact(clientId: f.a1, kind: .call, dueAt: monday, subject: "x", userId: f.boris))
    }
    let deals = DealService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    #expect(try deals.list().map(\.deal.id) == [f.bDeal])
    #expect(try deals.deal(f.aDeal) == nil)
    #expect(try deals.deal(f.bDeal) != nil)
    #expect(throws: CRMError.notFound(what: "deal", id: f.aDeal)) { try deals.won(f.aDeal) }
    let pipeline = try PipelineService(db: f.db, language: .en).pipeline()
    let board = try deals.board(pipeline)
    #expect(board.reduce(0) { $0 + $1.count } == 1)
    #expect(board.flatMap(\.cards).map(\.id) == [f.bDeal])
    #expect(board.flatMap(\.totals).map(\.sum) == [50_000_00])
    let funnel = try FunnelAnalytics(db: f.db, language: .en, timeZone: moscow).funnel(
      FunnelReportQuery())
    #expect(funnel.total.created == 1)
    let money = MoneyService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    #expect(try money.invoices().map(\.invoice.clientId) == [f.b1])
    #expect(try money.payments().compactMap(\.payment.clientId) == [f.b1])
    #expect(try money.summary(clientId: f.a1) == [])
  }

  @Test func reportsCountOnlyVisibleClients() throws {
    let f = try TeamFixture()
    let classes = ClassificationService(db: f.db, userId: nil, language: .en)
    let run = try classes.classify(day: "2026-06-30", applySegments: false).run
    try f.signIn("boris")
    let summary = try Completeness.summary(f.db, fields: [.phone, .inn])
    #expect(summary.clients == 2)
    #expect(
      try Completeness.incomplete(f.db, fields: [.phone, .inn]).map(\.id) == [f.b2])
    let segments = try SegmentService(db: f.db, language: .en).report(day: "2026-06-30")
    #expect(segments.clients == 2)
    #expect(segments.revenue == 100_000_00)
    let abc = try classes.counts(run: run.id, column: "abc")
    #expect(abc.reduce(0) { $0 + $1.clients } == 2)
    #expect(abc.reduce(Int64(0)) { $0 + $1.revenue } == 100_000_00)
    #expect(try classes.members(run: run.id, column: "abc", value: "A", limit: 10).map(\.id) == [])
    #expect(
      try classes.cross(run: run.id).values.flatMap(\.values).reduce(0, +) == 2)
    #expect(try classes.latest(clientId: f.a1) == nil)
  }

  @Test func dedupeMergeBulkAndImportNeverReachHiddenClients() throws {
    let f = try TeamFixture()
    // A copy of anna's client under gleb, and one of boris's under boris.
    let cs = ClientService(db: f.db, userId: f.anna, language: .en)
    let gCopy = try cs.add(
      Client(name: "Вектор", legalForm: "ООО", phones: [Phone("+7 495 111-22-33")], ownerId: f.gleb)
    )
    let bCopy = try cs.add(
      Client(name: "Ромашка", phones: [Phone("+7 495 222-33-44")], ownerId: f.boris))
    try f.signIn("boris")
    let pairs = try DuplicateFinder(db: f.db, userId: f.boris, language: .en).scan()
    #expect(pairs.map { [$0.first, $0.second] } == [[f.b1, bCopy]])
    let merge = MergeService(db: f.db, userId: f.boris, language: .en)
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try merge.merge(keep: f.a1, other: gCopy)
    }
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try merge.merge(keep: f.b1, other: f.a1)
    }
    #expect(try merge.merge(keep: f.b1, other: bCopy).survivorId == f.b1)
    // Bulk: --all means all visible; an explicit hidden id does not exist.
    let bulk = BulkUpdateService(db: f.db, userId: f.boris, language: .en)
    let r = try bulk.apply(.query(ClientListQuery()), .addTag("осень"))
    #expect(r.matched == 2 && r.changed == 2)
    #expect(try bulk.count(.query(ClientListQuery())) == 2)
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try bulk.apply(.ids([f.a1]), .addTag("осень"))
    }
    let tagged = try f.db.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM client_tag WHERE tag = 'осень'")
    }
    #expect(tagged == 2)
    // Import with --on-duplicate update: a row matching anna's client is skipped, unnamed.
    let imports = ClientImportService(db: f.db, userId: f.boris, language: .en)
    let report = try imports.run(
      options: ImportOptions(format: "csv", fileName: "a.csv", onDuplicate: .update),
      items: [
        .row(ImportRow(line: 2, client: Client(name: "Вектор", inn: "5001999994"), persons: [])),
        .row(ImportRow(line: 3, client: Client(name: "Ромашка", inn: "7707083893"), persons: [])),
      ])
    #expect(report.updated == 1)
    #expect(report.duplicates == 1)
    let hidden = try #require(report.outcomes.first { $0.line == 2 })
    #expect(hidden.action == .duplicate)
    #expect(hidden.clientId == nil && hidden.matchId == nil && hidden.matchName == "")
    #expect(hidden.reason == "owned by another manager")
    #expect(try f.db.read { db in try ClientService.load(db, f.a1) }?.ownerId == f.anna)
    // Export: only boris's.
    #expect(try imports.exportIDs(ClientListQuery()) == [f.b1, f.b2])
    #expect(try imports.exported([f.a1, f.b1]).map(\.client.id) == [f.b1])
  }

  @Test func teamVisibilityShowsTeammatesNotOtherTeams() throws {
    let f = try TeamFixture(visibility: .team)
    try f.signIn("boris")
    #expect(try f.ids() == [f.b1, f.b2, f.v1])
    try f.signIn("gleb")
    #expect(try f.ids() == [f.g1])
  }

  @Test func supervisorsAdminsAndNobody() throws {
    let f = try TeamFixture(visibility: .own, supervisors: .team)
    try f.signIn("sofia")
    #expect(try f.ids() == [f.b1, f.b2, f.v1, f.lead])
    try f.signIn("anna")
    #expect(try f.ids() == [f.a1, f.b1, f.b2, f.v1, f.g1, f.lead])
    #expect(try f.db.count(ClientListQuery()) == 6)
    let all = try TeamFixture(visibility: .own, supervisors: .all)
    try all.signIn("sofia")
    #expect(try all.ids().count == 6)
    // Nobody (an unknown user of a read-only file) sees nothing unless managers see all.
    try f.db.signIn(nil)
    #expect(try f.ids() == [])
    #expect(try f.db.count(ClientListQuery()) == 0)
    let open = try TeamFixture(visibility: .all)
    try open.db.signIn(nil)
    #expect(try open.ids().count == 6)
  }

  @Test func offersOfHiddenDealsAreNotFound() throws {
    let f = try TeamFixture()
    let annaOffers = OfferService(db: f.db, userId: f.anna, language: .en, timeZone: moscow)
    let offer = try annaOffers.add(Offer(dealId: f.aDeal))
    try f.signIn("boris")
    let offers = OfferService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    #expect(try offers.offer(offer) == nil)
    #expect(throws: CRMError.notFound(what: "deal", id: f.aDeal)) {
      try offers.offers(ofDeal: f.aDeal)
    }
    #expect(throws: CRMError.notFound(what: "deal", id: f.aDeal)) {
      try offers.add(Offer(dealId: f.aDeal))
    }
    #expect(throws: CRMError.notFound(what: "offer", id: offer)) { try offers.delete(offer) }
    #expect(try offers.add(Offer(dealId: f.bDeal)) > 0)
  }

  @Test func aManagerCannotHandOverClientsTheyDoNotSee() throws {
    let f = try TeamFixture()
    try f.signIn("boris")
    let contacts = ContactService(db: f.db, userId: f.boris, language: .en, timeZone: moscow)
    #expect(try contacts.handover(from: f.anna, to: f.boris).clients == 0)
    #expect(throws: CRMError.notFound(what: "client", id: f.a1)) {
      try contacts.handover(from: f.anna, to: f.boris, clientIds: [f.a1])
    }
    #expect(try f.db.read { db in try ClientService.load(db, f.a1) }?.ownerId == f.anna)
    #expect(try contacts.handover(from: f.boris, to: f.vera).clients == 2)
  }

  @Test func theUnmatchedBankQueueIsForThoseWhoSeeUnownedClients() throws {
    let f = try TeamFixture()
    try f.db.write { db in
      try db.execute(
        sql: """
          INSERT INTO payment (client_id, source, state, date, amount, currency, created_at,
            updated_at)
          VALUES (NULL, 'bank', 'queued', '2026-11-20', 70000, 'RUB', 0, 0)
          """)
    }
    let money = MoneyService(db: f.db, userId: nil, language: .en, timeZone: moscow)
    try f.signIn("boris")
    #expect(try money.queueCount() == 0)
    #expect(try money.payments(state: .queued) == [])
    try f.signIn("sofia")
    #expect(try money.queueCount() == 1)
    #expect(try money.payments(state: .queued).map(\.payment.amount) == [700_00])
    // The supervisor of team east sees boris's payment, not anna's.
    #expect(
      try money.payments(state: .assigned).compactMap(\.payment.clientId) == [f.b1])
    try f.signIn("anna")
    #expect(try money.queueCount() == 1)
    #expect(try money.payments(state: .assigned).count == 2)
  }

  @Test func theOwnPageIsAnIndexedQuery() throws {
    let f = try TeamFixture()
    try f.signIn("boris")
    let st = try f.db.pageStatement(ClientListQuery(), offset: 0, limit: 50)
    let plan = try f.db.read { db in
      try Row.fetchAll(
        db, sql: "EXPLAIN QUERY PLAN " + st.sql, arguments: st.grdbArguments
      ).map { $0["detail"] as String }
    }
    #expect(plan.contains { $0.contains("client_by_owner") })
    #expect(!plan.contains { $0.contains("TEMP B-TREE") })
  }
}
