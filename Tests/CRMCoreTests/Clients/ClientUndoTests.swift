import CRMCore
import Foundation
import GRDB
import Testing

/// Undo as a card's `u` uses it: only the signed-in user's own changes to the record on screen,
/// made since the screen opened, named before they are undone.
@Suite struct ClientUndoTests {
  func russian(_ f: ContactFixture, as user: Int64? = nil) -> (ClientService, ContactService) {
    (
      ClientService(db: f.db, userId: user ?? f.anna, language: .ru, timeZone: moscow),
      ContactService(db: f.db, userId: user ?? f.anna, language: .ru, timeZone: moscow)
    )
  }

  /// Issue #20, 1: a call planned on the card of «Технопарк Северный», then `u`. The plan is
  /// undone; the client added before (№100002 in the report) and the open client stay.
  @Test func theCardUndoesThePlannedCallAndNothingElse() throws {
    let f = try ContactFixture()
    let (clients, contacts) = russian(f)
    let other = try clients.add(Client(name: "Другой клиент", ownerId: f.anna))
    let park = try clients.add(Client(name: "Технопарк Северный", ownerId: f.anna))
    let opened = try clients.changeMark()
    let due = f.hours(17 * 24 - 2)  // 10.12 10:00 in Moscow
    let call = try contacts.plan(Contact(clientId: park, kind: .call, dueAt: due, userId: f.anna))
    let step = try #require(try clients.undoable(client: park, since: opened))
    #expect(step.what == "план звонка 10.12.2026 10:00 для «Технопарк Северный»")
    #expect(step.blocked == nil)
    try clients.undo(step.changeId)
    #expect(try contacts.contacts(ofClient: park).isEmpty)
    #expect(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM contact") } == 0)
    #expect(try clients.history(of: park).first?.action == "undo")
    // A second `u`: nothing else was done on this card, so nothing is undone.
    #expect(try clients.undoable(client: park, since: opened) == nil)
    #expect(try clients.client(park)?.deletedAt == nil)
    #expect(try clients.client(other)?.deletedAt == nil)
    // And a change can be undone once.
    #expect(throws: CRMError.self) { try clients.undo(step.changeId) }
    _ = call
  }

  @Test func someoneElsesChangeIsNeverUndoneFromHere() throws {
    let f = try ContactFixture()
    let (anna, _) = russian(f)
    let (boris, _) = russian(f, as: f.boris)
    let c = try anna.add(Client(name: "Ромашка", ownerId: f.anna))
    let opened = try anna.changeMark()
    var edit = try #require(try boris.client(c))
    edit.city = "Казань"
    try boris.update(edit)
    #expect(try anna.undoable(client: c, since: opened) == nil)
    let his = try #require(try boris.undoable(client: c, since: opened))
    #expect(throws: CRMError.self) { try anna.undo(his.changeId) }
    #expect(try anna.undoable(changes: [his.changeId]) == nil)
    #expect(try anna.client(c)?.city == "Казань")
  }

  @Test func aLaterChangeOfTheSameFieldBlocksTheUndoAndSaysWhose() throws {
    let f = try ContactFixture()
    let (anna, contacts) = russian(f)
    let (boris, borisContacts) = russian(f, as: f.boris)
    let c = try anna.add(Client(name: "Ромашка", ownerId: f.anna))
    let opened = try anna.changeMark()
    var mine = try #require(try anna.client(c))
    mine.city = "Тула"
    mine.notes = "важный"
    try anna.update(mine)
    var his = try #require(try boris.client(c))
    his.city = "Казань"
    try boris.update(his)
    let step = try #require(try anna.undoable(client: c, since: opened))
    #expect(step.what == "правка клиента «Ромашка»: Город, Заметки")
    #expect(step.blocked?.contains("boris") == true)
    #expect(step.blocked?.contains("Город") == true)
    #expect(throws: CRMError.self) { try anna.undo(step.changeId) }
    #expect(try anna.client(c)?.city == "Казань")
    #expect(try anna.client(c)?.notes == "важный")
    // A contact changed by somebody else since is not taken back either.
    let call = try contacts.plan(
      Contact(clientId: c, kind: .call, dueAt: f.hours(5), userId: f.anna))
    try borisContacts.postpone(call, to: f.hours(30))
    let plan = try #require(try anna.undoable(client: c, since: opened))
    #expect(plan.entity == "contact")
    #expect(plan.blocked?.contains("boris") == true)
    #expect(throws: CRMError.self) { try anna.undo(plan.changeId) }
    #expect(try contacts.contact(call) != nil)
  }

  @Test func aClientTheUserMayNoLongerSeeIsOutOfReach() throws {
    let f = try ContactFixture()
    let (boris, _) = russian(f, as: f.boris)
    let c = try boris.add(Client(name: "Ромашка", ownerId: f.boris))
    let opened = try boris.changeMark()
    var mine = try #require(try boris.client(c))
    mine.city = "Тула"
    try boris.update(mine)
    let step = try #require(try boris.undoable(client: c, since: opened))
    // The client goes to anna, and boris sees only his own clients from now on.
    try f.contacts.handover(from: f.boris, to: f.anna, clientIds: [c])
    try f.db.setSetting("visibility", "own", language: .en)
    try f.db.signIn(try f.db.user(login: "boris"))
    #expect(try boris.undoable(client: c, since: opened) == nil)
    #expect(try boris.undoable(changes: [step.changeId]) == nil)
    #expect(throws: CRMError.self) { try boris.undo(step.changeId) }
    try f.db.signIn(try f.db.user(login: "anna"))
    #expect(try f.clients.client(c)?.city == "Тула")
  }

  @Test func loggedAndWorkedContactsAreTakenBackStepByStep() throws {
    let f = try ContactFixture()
    let (clients, contacts) = russian(f)
    let c = try clients.add(Client(name: "Ромашка", ownerId: f.anna))
    let call = try contacts.plan(
      Contact(clientId: c, kind: .meeting, dueAt: f.hours(2), userId: f.anna))
    let opened = try clients.changeMark()
    try contacts.postpone(call, to: f.hours(26))
    let moved = try #require(try clients.undoable(client: c, since: opened))
    #expect(moved.what.hasPrefix("перенос встречи"))
    try clients.undo(moved.changeId)
    let back = try #require(try contacts.contact(call)).contact
    #expect(back.dueAt == f.hours(2))
    #expect(back.sequence == 2)  // the calendar copy takes the restored time
    try contacts.complete(call, outcome: "договорились")
    #expect(try clients.client(c)?.lastContactAt != nil)
    let done = try #require(try clients.undoable(client: c, since: opened))
    #expect(done.what.hasPrefix("отметка о выполнении встречи"))
    try clients.undo(done.changeId)
    let planned = try #require(try contacts.contact(call)).contact
    #expect(planned.status == .planned)
    #expect(planned.outcome == "")
    #expect(try clients.client(c)?.lastContactAt == nil)
    let logged = try contacts.log(clientId: c, kind: .call, outcome: "ok", closePlanned: false)
    let step = try #require(try clients.undoable(client: c, since: opened))
    #expect(step.what.hasPrefix("запись звонка"))
    try clients.undo(step.changeId)
    #expect(try contacts.contact(logged.id) == nil)
    // Nothing older than the card is reached: the plan made before it opened stays.
    #expect(try clients.undoable(client: c, since: opened) == nil)
    #expect(try contacts.contact(call) != nil)
  }
}
