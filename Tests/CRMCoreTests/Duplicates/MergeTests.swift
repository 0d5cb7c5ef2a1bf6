import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Two records of one company: «Вектор» with its ИНН, and a second card typed later with a
/// person, a contact, a deal with an offer, a contract, an invoice and a payment.
struct MergeFixture {
  let money: MoneyFixture
  let deals: DealService
  let offers: OfferService
  let merges: MergeService
  let dup: Int64
  let person: Int64
  let contact: Int64
  let deal: Int64
  let invoice: Int64
  let payment: Int64
  let contract: Int64

  init() throws {
    money = try MoneyFixture()
    let base = money.base
    deals = DealService(db: base.db, userId: base.anna, language: .en, timeZone: moscow)
    offers = OfferService(db: base.db, userId: base.anna, language: .en, timeZone: moscow)
    merges = MergeService(db: base.db, userId: base.anna, language: .en)
    // The survivor has a phone, an e-mail and a tag of its own.
    var v = try #require(try base.clients.client(money.vector))
    v.phones = [Phone("+7 495 123-45-67")]
    v.emails = ["info@vector.ru"]
    v.tags = ["опт"]
    v.city = "Москва"
    try base.clients.update(v)
    dup = try base.clients.add(
      Client(
        name: "Vektor", legalForm: "LLC",
        phones: [Phone("8 (495) 123-45-67"), Phone("+7 916 000-11-22")],
        emails: ["INFO@vector.ru", "sales@vector.ru"], website: "vector.ru", city: "Химки",
        bankAccounts: [
          BankAccount(
            bik: "044525225", account: "40702810938000012345",
            corrAccount: "30101810400000000225", bankName: "Сбербанк")
        ], segment: "VIP", ownerId: base.boris, tags: ["Опт", "дилер"], notes: "Звонить после 11"))
    person = try base.clients.addPerson(
      ContactPerson(clientId: dup, name: "Пётр Сидоров", phones: [Phone("+7 903 111-22-33")]))
    contact = try base.contacts.plan(
      Contact(
        clientId: dup, kind: .call, dueAt: base.hours(3), subject: "Счёт", userId: base.anna,
        personId: person))
    deal = try deals.add(
      Deal(clientId: dup, personId: person, title: "Поставка", amount: 90_000_00))
    _ = try offers.add(Offer(dealId: deal))
    contract = try money.money.addContract(
      Contract(clientId: dup, number: "15", date: "2026-11-01", amount: 90_000_00))
    invoice = try money.invoice(dup, contract: contract, sum: "90 000,00", date: "2026-11-20")
    payment = try money.money.addPayment(
      Payment(clientId: dup, source: .bank, amount: 40_000_00), invoiceId: invoice)
  }

  var db: CRMDatabase { money.db }
  var clients: ClientService { money.base.clients }
  var vector: Int64 { money.vector }

  func int(_ sql: String) throws -> Int {
    try db.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
  }

  /// Every row a merge may touch, without ids and times that writes renew.
  func state() throws -> [String] {
    let tables = [
      "client", "contact_person", "phone", "email", "bank_account", "client_tag", "contact",
      "deal", "offer", "contract", "invoice", "payment", "allocation", "act",
    ]
    return try db.read { db in
      var out: [String] = []
      for t in tables {
        let cols = try String.fetchAll(
          db,
          sql:
            "SELECT name FROM pragma_table_info(?) WHERE name NOT IN ('id', 'updated_at', 'version')",
          arguments: [t])
        let list = cols.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
        out += try String.fetchAll(db, sql: "SELECT '\(t):' || \(list) FROM \(t)").sorted()
      }
      out += try String.fetchAll(
        db,
        sql: """
          SELECT 'fts:' || rowid || '|' || name || '|' || persons || '|' || phones || '|' ||
            emails || '|' || requisites || '|' || tags || '|' || notes FROM client_fts
          """
      ).sorted()
      return out
    }
  }
}

@Suite struct MergeTests {
  @Test func thePreviewShowsTheDefaultsAndWhatMoves() throws {
    let f = try MergeFixture()
    let p = try f.merges.preview(keep: f.vector, other: f.dup)
    func field(_ key: String) throws -> MergeField {
      try #require(p.fields.first { $0.key == key })
    }
    #expect(try field("name").choice == .keep)
    #expect(try field("name").result == "Вектор")
    #expect(try field("website").choice == .other)  // the survivor has none
    #expect(try field("city").choice == .keep)
    #expect(try field("segment").result == "VIP")
    #expect(try field("owner").keep == "anna" && field("owner").other == "boris")
    // Lists are united without duplicates: the same number typed otherwise, an address in
    // another case, a tag in another case.
    #expect(try field("phones").result == "+7 495 123-45-67, +7 916 000-11-22")
    #expect(try field("emails").result == "info@vector.ru, sales@vector.ru")
    #expect(try field("tags").result == "опт, дилер")
    #expect(p.merged.bankAccounts.count == 1)
    #expect(!p.conflictingINN)
    #expect(p.problems.isEmpty)
    let moves = Dictionary(uniqueKeysWithValues: p.moves.map { ($0.table, $0.count) })
    #expect(moves["contact_person"] == 1)
    #expect(moves["contact"] == 1)
    #expect(moves["deal"] == 1)
    #expect(moves["offer"] == 1)
    #expect(moves["contract"] == 1)
    #expect(moves["invoice"] == 1)
    #expect(moves["payment"] == 1)
    #expect(p.moves.first?.label == "contact persons")
  }

  @Test func aMergeMovesEverythingAndItsUndoPutsItAllBack() throws {
    let f = try MergeFixture()
    let before = try f.state()
    let moneyBefore = try f.money.money.summary(clientId: f.vector)
    let dupMoneyBefore = try f.money.money.summary(clientId: f.dup)
    let historyBefore = try f.clients.history(of: f.dup).count
    let r = try f.merges.merge(keep: f.vector, other: f.dup)
    #expect(r.mergeId != nil)
    #expect(r.survivorName == "ООО «Вектор»")
    #expect(r.mergedName == "Vektor LLC")
    #expect(r.left.isEmpty)
    // Everything points to the survivor now.
    for t in ["contact_person", "contact", "deal", "contract", "invoice", "payment"] {
      #expect(try f.int("SELECT count(*) FROM \(t) WHERE client_id = \(f.dup)") == 0, "\(t)")
      #expect(try f.int("SELECT count(*) FROM \(t) WHERE client_id = \(f.vector)") == 1, "\(t)")
    }
    #expect(try f.int("SELECT client_id FROM phone WHERE person_id = \(f.person)") == Int(f.vector))
    let survivor = try #require(try f.clients.client(f.vector))
    #expect(survivor.phones.count == 2)
    #expect(survivor.emails == ["info@vector.ru", "sales@vector.ru"])
    #expect(survivor.tags == ["опт", "дилер"])
    #expect(survivor.website == "vector.ru")
    #expect(survivor.inn == "5001999994")
    #expect(survivor.notes == "Звонить после 11")
    #expect(try f.clients.persons(of: f.vector).map(\.name) == ["Пётр Сидоров"])
    // The other is in the trash with a note, and out of the search index.
    let gone = try #require(try f.clients.client(f.dup))
    #expect(gone.deletedAt != nil)
    #expect(gone.notes.contains("Merged into #\(f.vector) ООО «Вектор»"))
    #expect(try f.int("SELECT count(*) FROM client_fts WHERE rowid = \(f.dup)") == 0)
    #expect(
      try f.int(
        "SELECT count(*) FROM client_fts WHERE client_fts MATCH 'persons : \"петр\"*' AND rowid = \(f.vector)"
      ) == 1)
    // The money of both is the survivor's now.
    let merged = try f.money.money.summary(clientId: f.vector)
    #expect(merged.first?.invoiced == 90_000_00)
    #expect(merged.first?.paid == 40_000_00)
    #expect(try f.money.money.summary(clientId: f.dup).allSatisfy { $0.invoiced == 0 })
    // History: the survivor shows the merge and the moved contact's history.
    let h = try f.clients.history(of: f.vector)
    #expect(
      h.contains {
        $0.action == "merge" && $0.field == "merged" && $0.new?.contains("Vektor") == true
      })
    #expect(h.contains { $0.entity == "contact" })
    #expect(try f.db.check().problems.isEmpty)

    let u = try f.merges.undo(try #require(r.mergeId))
    #expect(u.skipped == 0)
    #expect(u.restored.contains { $0.table == "invoice" && $0.count == 1 })
    #expect(try f.state() == before)
    #expect(try f.money.money.summary(clientId: f.vector) == moneyBefore)
    #expect(try f.money.money.summary(clientId: f.dup) == dupMoneyBefore)
    #expect(try f.db.check().problems.isEmpty)
    // The merged client's history is back, with the merge and its undo on top.
    #expect(try f.clients.history(of: f.dup).count > historyBefore)
    #expect(try f.clients.history(of: f.dup).first?.action == "unmerge")
    // Twice is refused.
    #expect {
      try f.merges.undo(try #require(r.mergeId))
    } throws: { ($0 as? CRMError)?.message(.en).contains("already undone") == true }
  }

  @Test func fieldChoicesAreHonoured() throws {
    let f = try MergeFixture()
    try f.merges.merge(
      keep: f.vector, other: f.dup,
      choices: [
        "name": .other, "legal_form": .other, "city": .other, "phones": .keep,
        "tags": .other, "notes": .keep, "owner": .other,
      ])
    let s = try #require(try f.clients.client(f.vector))
    #expect(s.displayName == "Vektor LLC")
    #expect(s.city == "Химки")
    #expect(s.phones.map(\.raw) == ["+7 495 123-45-67"])
    #expect(s.tags == ["Опт", "дилер"])
    #expect(s.notes == "")
    #expect(s.ownerId == f.money.base.boris)
    #expect(s.emails.count == 2)
    // The duplicate key follows the new name.
    #expect(
      try f.int(
        "SELECT count(*) FROM client WHERE id = \(f.vector) AND match_key = '\(DuplicateKeys.name("Vektor"))'"
      ) == 1)
    // An unknown field is refused before anything is written.
    #expect(throws: CRMError.self) {
      try f.merges.preview(keep: f.vector, other: f.dup, choices: ["colour": .keep])
    }
  }

  @Test func differentValidINNsAreMergedOnlyWhenForced() throws {
    let f = try MergeFixture()
    let before = try f.state()
    #expect(try f.merges.preview(keep: f.money.vector, other: f.money.sber).conflictingINN)
    #expect {
      try f.merges.merge(keep: f.money.vector, other: f.money.sber)
    } throws: { e in
      let m = (e as? CRMError)?.message(.en) ?? ""
      return m.contains("5001999994") && m.contains("7707083893") && m.contains("--force")
    }
    #expect(try f.state() == before)
    #expect(try f.int("SELECT count(*) FROM merge_log") == 0)
    let r = try f.merges.merge(keep: f.money.vector, other: f.money.sber, force: true)
    #expect(r.mergeId != nil)
    #expect(try f.clients.client(f.money.vector)?.inn == "5001999994")
  }

  @Test func badPairsAreRefusedWithNothingChanged() throws {
    let f = try MergeFixture()
    let before = try f.state()
    func refused(_ keep: Int64, _ other: Int64, _ text: String) {
      #expect {
        try f.merges.merge(keep: keep, other: other)
      } throws: { ($0 as? CRMError)?.message(.en).contains(text) == true }
    }
    refused(f.vector, f.vector, "cannot be merged with itself")
    refused(f.vector, 999, "999")
    let trashed = try f.clients.add(Client(name: "Корзинкин"))
    try f.clients.delete(trashed)
    let before2 = try f.state()
    refused(f.vector, trashed, "in the trash")
    refused(trashed, f.vector, "in the trash")
    #expect(try f.state() == before2)
    #expect(before.count < before2.count)
    // A contract number both use stops the merge, naming both contracts.
    _ = try f.money.money.addContract(Contract(clientId: f.vector, number: "№ 15", amount: 1))
    let p = try f.merges.preview(keep: f.vector, other: f.dup)
    #expect(p.problems.count == 1)
    refused(f.vector, f.dup, "contract № 15 (id \(f.contract)) of Vektor LLC")
    #expect(try f.int("SELECT count(*) FROM merge_log") == 0)
  }

  @Test func aTableAddedLaterWithAClientIdMovesTooAndAUniqueClashStaysBehind() throws {
    let f = try MergeFixture()
    try f.db.write { db in
      try db.execute(
        sql: """
          CREATE TABLE snapshot (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES client(id),
            period TEXT NOT NULL, class TEXT NOT NULL, UNIQUE (client_id, period));
          INSERT INTO snapshot (client_id, period, class) VALUES
            (\(f.vector), '2026-10', 'A'), (\(f.dup), '2026-10', 'C'), (\(f.dup), '2026-09', 'B');
          """)
    }
    let r = try f.merges.merge(keep: f.vector, other: f.dup)
    #expect(r.moved.contains { $0.table == "snapshot" && $0.count == 1 })
    #expect(r.left == [MergeMove(table: "snapshot", label: "snapshot", count: 1)])
    #expect(try f.int("SELECT count(*) FROM snapshot WHERE client_id = \(f.vector)") == 2)
    #expect(
      try f.int("SELECT count(*) FROM snapshot WHERE client_id = \(f.dup) AND class = 'C'") == 1)
    try f.merges.undo(try #require(r.mergeId))
    #expect(try f.int("SELECT count(*) FROM snapshot WHERE client_id = \(f.dup)") == 2)
    #expect(try f.int("SELECT count(*) FROM snapshot WHERE client_id = \(f.vector)") == 1)
  }

  @Test func aDryRunChangesNothing() throws {
    let f = try MergeFixture()
    let before = try f.state()
    let r = try f.merges.merge(keep: f.vector, other: f.dup, dryRun: true)
    #expect(r.mergeId == nil && r.dryRun)
    #expect(r.moved.contains { $0.table == "deal" && $0.count == 1 })
    #expect(try f.state() == before)
    #expect(try f.int("SELECT count(*) FROM merge_log") == 0)
  }

  @Test func theCardsUndoNeverTakesAMergeApart() throws {
    let f = try MergeFixture()
    let since = try f.clients.changeMark()
    try f.merges.merge(keep: f.vector, other: f.dup)
    // A merge is undone whole on the duplicates screen, never piecemeal from a card.
    #expect(try f.clients.undoable(client: f.vector, since: since) == nil)
    #expect(try f.clients.undoable(client: f.dup, since: since) == nil)
    #expect(try f.merges.undoLast() != nil)
  }

  @Test func aMergeOfTheSurvivorSinceBlocksTheUndoOfTheEarlierOne() throws {
    let f = try MergeFixture()
    let third = try f.clients.add(Client(name: "Вектор-М"))
    let first = try #require(try f.merges.merge(keep: f.vector, other: f.dup).mergeId)
    let second = try #require(try f.merges.merge(keep: f.vector, other: third).mergeId)
    #expect {
      try f.merges.undo(first)
    } throws: { ($0 as? CRMError)?.message(.en).contains("merge \(second)") == true }
    // Later edits of the survivor in fields the merge did not touch survive its undo.
    try f.merges.undo(second)
    var s = try #require(try f.clients.client(f.vector))
    s.leadSource = "выставка"
    try f.clients.update(s)
    try f.merges.undo(first)
    s = try #require(try f.clients.client(f.vector))
    #expect(s.leadSource == "выставка")
    #expect(s.website == "")
    #expect(try f.clients.client(f.dup)?.deletedAt == nil)
    #expect(try f.merges.log().map(\.id) == [second, first])
  }

  @Test func anInvoiceAddedToTheSurvivorAfterTheMergeStaysWithItOnUndo() throws {
    let f = try MergeFixture()
    let r = try f.merges.merge(keep: f.vector, other: f.dup)
    let later = try f.money.invoice(f.vector, sum: "100", date: "2026-11-23")
    try f.merges.undo(try #require(r.mergeId))
    #expect(try f.int("SELECT client_id FROM invoice WHERE id = \(later)") == Int(f.vector))
    #expect(try f.int("SELECT client_id FROM invoice WHERE id = \(f.invoice)") == Int(f.dup))
  }

  @Test func personsAreMergedWithTheirPhonesAndContactsAndUnmerged() throws {
    let f = try MergeFixture()
    let twin = try f.clients.addPerson(
      ContactPerson(
        clientId: f.dup, name: "Петр Сидоров", position: "директор",
        phones: [Phone("8 903 111 22 33"), Phone("+7 926 555-44-33")], emails: ["p@vector.ru"]))
    let c2 = try f.money.base.contacts.plan(
      Contact(
        clientId: f.dup, kind: .meeting, dueAt: f.money.base.hours(30), userId: f.money.base.anna,
        personId: twin))
    let before = try f.state()
    let p = try f.merges.previewPersons(keep: f.person, other: twin)
    #expect(p.fields.first { $0.key == "position" }?.choice == .other)
    #expect(p.moves.contains { $0.table == "contact" && $0.count == 1 })
    let r = try f.merges.mergePersons(keep: f.person, other: twin)
    let kept = try #require(try f.clients.person(f.person))
    #expect(kept.position == "директор")
    #expect(kept.phones.map(\.raw) == ["+7 903 111-22-33", "+7 926 555-44-33"])
    #expect(kept.emails == ["p@vector.ru"])
    #expect(try f.int("SELECT person_id FROM contact WHERE id = \(c2)") == Int(f.person))
    #expect(try f.clients.person(twin)?.deletedAt != nil)
    #expect(try f.clients.persons(of: f.dup).count == 1)
    #expect {
      try f.merges.mergePersons(keep: f.person, other: f.person)
    } throws: { ($0 as? CRMError)?.message(.en).contains("itself") == true }
    try f.merges.undo(try #require(r.mergeId))
    #expect(try f.state() == before)
    // Across clients: contacts stay with their client, which the survivor does not work at, so
    // they are left without a person; undo names the person again.
    let other = try f.clients.addPerson(ContactPerson(clientId: f.vector, name: "П. Сидоров"))
    let c3 = try f.money.base.contacts.plan(
      Contact(
        clientId: f.vector, kind: .call, dueAt: f.money.base.hours(40), userId: f.money.base.anna,
        personId: other))
    let across = try f.merges.mergePersons(keep: f.person, other: other)
    #expect(across.left.map(\.table) == ["contact"])
    #expect(try f.int("SELECT client_id FROM contact WHERE id = \(c3)") == Int(f.vector))
    #expect(try f.int("SELECT person_id IS NULL FROM contact WHERE id = \(c3)") == 1)
    try f.merges.undo(try #require(across.mergeId))
    #expect(try f.int("SELECT person_id FROM contact WHERE id = \(c3)") == Int(other))
    #expect(try f.clients.person(other)?.deletedAt == nil)
  }

  @Test func messagesAreInRussianToo() throws {
    let f = try MergeFixture()
    let ru = MergeService(db: f.db, userId: f.money.base.anna, language: .ru)
    #expect {
      try ru.merge(keep: f.money.vector, other: f.money.sber)
    } throws: { ($0 as? CRMError)?.message(.ru).contains("разные действительные ИНН") == true }
    let p = try ru.preview(keep: f.vector, other: f.dup)
    #expect(p.fields.first?.label == "Тип")
    #expect(p.moves.first?.label == "контактные лица")
  }
}
